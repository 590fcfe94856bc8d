"""Image vocabulary maps: configs whose `vocabulary_map` ties every VQ codebook entry to a text
token (Chameleon, Emu3). The model embeds an image as the text tokens of its codes, so the map must
hold one text id per code of the *tiny* codebook, plus the placeholders the model looks up by name.

The default config leaves the map None (it comes with the checkpoint's tokenizer), and a shrunk
checkpoint's map names 8192+ ids past the tiny vocab: either way the tiny map is rebuilt, its tokens
added to the tiny tokenizer so that each name in the map is that token's string there.
"""

from __future__ import annotations

from .shrink import family, is_subconfig

MAP_KEY = "vocabulary_map"

# model_type -> (the string of codebook entry n, the placeholder strings the model reads by name)
IMAGE_VOCABS: dict[str, tuple] = {
    # Chameleon: code n is "IMGIMG", n's digits as letters A-J, "Z" (IMGIMGBAZ = 10); the
    # model replaces "<image>" placeholders by the image's code tokens
    "chameleon": (lambda n: "IMGIMG" + "".join(chr(ord("A") + int(c)) for c in str(n)) + "Z",
                  ("<image>",)),
    # Emu3: code n is "<|visual token 000010|>"; "<|extra_200|>" ends each row of codes
    "emu3": (lambda n: f"<|visual token {n:06d}|>", ("<image>", "<|extra_200|>")),
}


def codebook_size(d: dict) -> int | None:
    """The VQ codebook size anywhere in a config tree (the `codebook` size family)."""
    for key, value in d.items():
        if is_subconfig(key, value):
            found = codebook_size(value)
            if found:
                return found
        elif family(key, d.get("model_type")) == "codebook" and isinstance(value, int):
            return value
    return None


def map_names(tiny: dict) -> list[str] | None:
    """The token strings of the tiny map, placeholders first; None when the type has no map."""
    spec = IMAGE_VOCABS.get(tiny.get("model_type"))
    if spec is None or MAP_KEY not in tiny:
        return None
    code, specials = spec
    n = codebook_size(tiny)
    if not n:
        return None
    return list(specials) + [code(i) for i in range(n)]


def add_map_tokens(tiny: dict, tok) -> None:
    """Give the tiny tokenizer every token the tiny map names (before the vocab follows it)."""
    names = map_names(tiny)
    if names is None or tok is None:
        return
    t = tok.tokenizer
    vocab = t.get_vocab()
    missing = [s for s in names if s not in vocab]
    if missing:
        t.add_tokens(missing, special_tokens=True)


def fill_map(tiny: dict, tok, vocab: int) -> None:
    """Set the tiny `vocabulary_map`: each name -> its id in the tiny tokenizer, or, with no
    tokenizer, the top ids of the tiny vocab."""
    names = map_names(tiny)
    if names is None:
        return
    if tok is not None:
        ids = tok.tokenizer.convert_tokens_to_ids(names)
    else:
        if len(names) >= vocab:
            return
        ids = [vocab - len(names) + i for i in range(len(names))]
    tiny[MAP_KEY] = dict(zip(names, ids))
