"""The model side of the tokenizer: pick how to get a tiny tokenizer for a model SOURCE, make sure
every token id the config names exists in it, and translate the config's ids.

`--tokenizer auto`: shrink the source's tokenizer if it has one, else build one from scratch with
the architecture's own tokenizer class. `none`: no tokenizer, ids folded into the tiny vocab.
Anything else: a tokenizer SOURCE (path, Hub id or model_type).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import OptionError
from . import pairing
from . import registry as R

STANDARD = frozenset(pairing.SPECIAL_ATTRS)


def tiny_tokenizer_for(resolved, original: dict, recipe):
    """A TinyTokenizer paired with this model, or None for `--tokenizer none`."""
    from .. import tokenizer as T

    choice = recipe.tokenizer
    if choice == "none":
        return None
    vocab = recipe.vocab_size
    mt = original["model_type"]
    from ..tokenizer.chars import NO_TEXT_TOKENIZER

    if choice == "auto" and (pairing.text_vocab(original) is None or mt in NO_TEXT_TOKENIZER):
        return None  # no text vocabulary (ViT, ResNet …, ImageGPT's colour clusters): nothing to tokenize
    if choice == "auto":
        if resolved.directory is not None and T.find_tokenizer_files(resolved.directory):
            tok = T.tokenizer_from_source(resolved.directory, vocab)
        else:
            return _from_scratch(mt, original, vocab)
    elif Path(choice).expanduser().exists():
        tok = T.tokenizer_from_source(Path(choice).expanduser(), vocab)
    elif choice in _model_types():
        return _from_scratch(choice, original, vocab)
    else:
        from ..sources import HUB_ID, hub_snapshot

        if not HUB_ID.match(choice):
            raise OptionError(f"--tokenizer {choice!r} is not auto, none, a path, a model_type or "
                              f"a Hub id")
        tok = T.tokenizer_from_source(hub_snapshot(choice, _TOKENIZER_PATTERNS), vocab)
    return _finish(tok, original)


def _from_scratch(name: str, original: dict, vocab: int | None):
    """A from-scratch tokenizer, finished; with no --vocab-size, never larger than the original
    text vocab where its kind fits in it: rebuilt once smaller when the finishing steps' tokens
    (a pad or mask the blank class lacks: Reformer's) push it past."""
    from .. import tokenizer as T

    cap = pairing.text_vocab(original)
    placeholders = _placeholders(original)
    tok = T.tokenizer_from_scratch(name, vocab, placeholders, original_vocab=cap)
    fitted = cap and vocab is None and len(tok.tokenizer) <= cap
    tok = _finish(tok, original)
    over = len(tok.tokenizer) - cap if fitted else 0
    if over > 0:
        smaller = _finish(T.tokenizer_from_scratch(name, vocab, placeholders, original_vocab=cap - over),
                          original)
        if len(smaller.tokenizer) <= cap:
            return smaller
    return tok


def _finish(tok, original: dict):
    """Give the tokenizer every token the config and the processor name."""
    mt = original["model_type"]
    tok.placeholder_names = {**_processor_names(original), **_list_names(original)}
    _ensure_ids_exist(original, tok)
    _pin_ids(original, tok)
    from ..processors import prepare_tokenizer

    # the processor's named tokens and load-time additions
    prepare_tokenizer(tok.tokenizer, mt, _id_strings(original, tok))
    _ensure_mask_token(mt, tok)
    return tok


def _ensure_mask_token(model_type: str, tok) -> None:
    """A masked-LM architecture needs a mask token (fill-mask, MLM collators); some blank
    tokenizer classes (modernbert's) define none."""
    from transformers.models.auto.modeling_auto import MODEL_FOR_MASKED_LM_MAPPING_NAMES

    if model_type in MODEL_FOR_MASKED_LM_MAPPING_NAMES and tok.tokenizer.mask_token is None:
        tok.tokenizer.add_special_tokens({"mask_token": "<mask>"})


_TOKENIZER_PATTERNS = ["tokenizer*", "*.tiktoken", "tekken.json", "vocab*", "merges.txt",
                       "*.model", "special_tokens_map.json", "added_tokens.json", "chat_template.*"]


def _model_types():
    from ..sources import model_types

    return model_types()


def _id_strings(config: dict, tok) -> dict[str, str]:
    """{token-id key: the tiny tokenizer's string for that id} for single multimodal ids."""
    out = {}
    for path, value in pairing.token_id_slots(config):
        key = path[-1]
        if isinstance(value, int) and key not in STANDARD and key not in pairing.LIST_KEYS:
            new = _lookup(tok, key, value)
            if new is not None:
                out[key] = tok.tokenizer.convert_ids_to_tokens(new)
    return out


def _processor_names(config: dict) -> dict[str, str]:
    """{token-id key: string} where the architecture's processor names the token (llava
    `image_token_index` -> `<image>`, qwen2-vl `image_token_id` -> `<|image_pad|>`)."""
    from ..processors.tokens import config_token_names

    own = pairing.CONFIG_TOKEN_STRINGS.get(config.get("model_type"), {})
    return config_token_names(config) | {k: v for k, v in own.items() if isinstance(v, str)}


def _id_lists(config: dict):
    """(key, ids) of each list of multimodal token ids (Ovis2's visual indicators): every entry is
    a placeholder of its own (eos lists and ordinary-token lists are pruned instead)."""
    for path, value in pairing.token_id_slots(config):
        key = path[-1]
        if isinstance(value, list) and value and all(isinstance(v, int) for v in value) and \
                key not in STANDARD and key not in pairing.LIST_KEYS:
            yield key, value


def _list_names(config: dict) -> dict[tuple[str, int], str]:
    """{(key, original id): string} for the entries of lists of multimodal ids: the published
    strings (pairing.CONFIG_TOKEN_STRINGS), else `<|stem_i|>`."""
    own = pairing.CONFIG_TOKEN_STRINGS.get(config.get("model_type"), {})
    out = {}
    for key, ids in _id_lists(config):
        names = own.get(key)
        if not (isinstance(names, list) and len(names) == len(ids)):
            names = [pairing.placeholder_name(key)[:-2] + f"_{i}|>" for i in range(len(ids))]
        out.update({(key, old): name for old, name in zip(ids, names)})
    return out


def _name(tok, key: str, old: int | None = None) -> str:
    """The string of a placeholder token: the processor's own, else `<|stem|>`."""
    names = getattr(tok, "placeholder_names", None) or {}
    return names.get((key, old)) or names.get(key) or pairing.placeholder_name(key)


def _placeholders(config: dict) -> list[str]:
    """Strings for the multimodal / extra token ids a from-scratch tokenizer must carry."""
    names = []
    processor_names = _processor_names(config)
    for path, value in pairing.token_id_slots(config):
        key = path[-1]
        if key in STANDARD or key in pairing.LIST_KEYS or key == "decoder_start_token_id":
            continue
        if isinstance(value, int):
            names.append(processor_names.get(key) or pairing.placeholder_name(key))
    names += _list_names(config).values()
    return sorted(dict.fromkeys(names))


def _lookup(tok, key: str, old: int) -> int | None:
    """The tiny id for an original id, or None when the tiny tokenizer has no such token."""
    t = tok.tokenizer
    if tok.id_map:
        if old in tok.id_map:
            return tok.id_map[old]
    elif key in pairing.SPECIAL_ATTRS:
        new = getattr(t, pairing.SPECIAL_ATTRS[key] + "_id", None)
        if isinstance(new, int):
            return new
    name = _name(tok, key, old)
    new = t.convert_tokens_to_ids(name)
    if isinstance(new, int) and new != getattr(t, "unk_token_id", None):
        return new
    if key == "decoder_start_token_id":  # seq2seq models without one start from bos / pad
        return getattr(t, "bos_token_id", None) or getattr(t, "pad_token_id", None)
    return None


def _ensure_ids_exist(config: dict, tok) -> None:
    """Give the tokenizer every single token id the config names (lists of ordinary ids are
    pruned instead). A from-scratch tokenizer lacking a standard special (gpt2-style pad = eos)
    gets it as that special, reusing the token another key already names for the same id."""
    slots = [(path[-1], v) for path, v in pairing.token_id_slots(config)
             if isinstance(v, int) and not isinstance(v, bool) and path[-1] not in
             pairing.LIST_KEYS]
    resolved: dict[int, int] = {}
    for key, old in slots:
        new = _lookup(tok, key, old)
        if new is not None:
            resolved.setdefault(old, new)
    missing = [_name(tok, key, old) for key, ids in _id_lists(config) for old in ids
               if _lookup(tok, key, old) is None]
    for key, old in slots:
        attr = pairing.SPECIAL_ATTRS.get(key)
        new = _lookup(tok, key, old)
        if new is not None:
            if attr and getattr(tok.tokenizer, attr, None) is None:  # known by name only
                tok.tokenizer.add_special_tokens({attr: tok.tokenizer.convert_ids_to_tokens(new)})
            continue
        if attr and not tok.id_map:
            token = (tok.tokenizer.convert_ids_to_tokens(resolved[old]) if old in resolved
                     else _name(tok, key))
            tok.tokenizer.add_special_tokens({attr: token})
        else:
            missing.append(_name(tok, key))
    if missing:
        tok.tokenizer.add_tokens(sorted(dict.fromkeys(missing)), special_tokens=True)


def _pin_ids(config: dict, tok) -> None:
    """Tokens the architecture's code reads by a fixed id (registry.PINNED_TOKEN_IDS) move to
    the config's id, where the tiny vocab reaches it."""
    from ..tokenizer.pin import pin_token

    keys = R.PINNED_TOKEN_IDS.get(config.get("model_type"), ())
    for path, value in pairing.token_id_slots(config):
        if path[-1] in keys and isinstance(value, int) and not isinstance(value, bool):
            new = _lookup(tok, path[-1], value)
            if new is not None and new != value and value < len(tok.tokenizer):
                pin_token(tok, tok.tokenizer.convert_ids_to_tokens(new), value)


def remap_token_ids(d: dict, tok, vocab: int) -> None:
    """Rewrite every token id in the config dict `d` into the tiny vocab, in place."""
    folded: dict[int, int] = {}

    def translate(key: str, old: int) -> int | None:
        if tok is None:  # no tokenizer: keep ids that fit, fold the rest into the top of the vocab
            if 0 <= old < vocab:
                return old
            return folded.setdefault(old, vocab - 1 - len(folded))
        new = _lookup(tok, key, old)
        if new is None and key not in pairing.LIST_KEYS and old is not None:
            return None
        return new

    pairing.remap_ids(d, translate)
