"""Pin a token at a given id: the token that held that id takes another.

Some code reads a token by a fixed id rather than by its string (VoxtralProcessor's audio token
is id 24, Tekken's `[AUDIO]`; ProphetNet's positions are `cumsum(mask) + pad id` and only start
at 1 with pad id 0). A tiny tokenizer that numbers its tokens afresh must then hold that token at
that id. `pin_token` edits tokenizer.json and reloads the tokenizer with its own class; strings
never change, only ids.

`tokenizers` numbers added-only tokens after the model's vocab, whatever ids the json names, so:
- both tokens in the model's vocab: their ids swap;
- the pinned one added-only (a special the class adds, `<|pad|>`): it joins the model's vocab at
  the id, and the displaced token, which merges may build, stays in the vocab at its end; the
  added-only tokens after it move up by one;
- both added-only: their places in the added list swap.
Every other vocab token keeps its id; `id_map` is recomputed through the strings.

Left out: tokenizers with native files (`tokenizer.model`, `tekken.json`): their ids are the
native file's, which is not rewritten, so such a pin is refused.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from ..errors import TokenizerError
from .formats import remap_post_processor


def _vocab_tokens(model: dict) -> list[str] | None:
    """The model's vocab in id order (None for a vocab-less model)."""
    vocab = model.get("vocab")
    if isinstance(vocab, dict):
        return sorted(vocab, key=vocab.__getitem__)
    if isinstance(vocab, list):
        return [p[0] for p in vocab]
    return None


def _place(model: dict, token: str, new_id: int, other: str) -> None:
    """Put `token` (not in the vocab) at `new_id`; `other`, which held it, goes to the end."""
    vocab = model["vocab"]
    if isinstance(vocab, dict):
        vocab[other] = len(vocab)
        vocab[token] = new_id
    else:  # Unigram: [[piece, score], …] in id order
        vocab.append(vocab[new_id])
        vocab[new_id] = [token, 0.0]
        if model.get("unk_id") == new_id:
            model["unk_id"] = len(vocab) - 1


def _swap(model: dict, a: str, b: str) -> None:
    vocab = model["vocab"]
    if isinstance(vocab, dict):
        vocab[a], vocab[b] = vocab[b], vocab[a]
    else:
        pieces = [p[0] for p in vocab]
        i, j = pieces.index(a), pieces.index(b)
        vocab[i], vocab[j] = vocab[j], vocab[i]
        if model.get("unk_id") in (i, j):
            model["unk_id"] = j if model["unk_id"] == i else i


def _edit(tj: dict, token: str, new_id: int, other: str) -> None:
    model = tj["model"]
    vocab = _vocab_tokens(model)
    if vocab is None:
        raise TokenizerError(f"cannot pin {token!r}: a {model.get('type')} model has no vocab")
    added = tj.setdefault("added_tokens", [])
    if token in vocab and other in vocab:
        _swap(model, token, other)
    elif other in vocab:
        _place(model, token, new_id, other)
    elif token not in vocab:
        pos = {a["content"]: i for i, a in enumerate(added)}
        i, j = pos[token], pos[other]
        added[i], added[j] = added[j], added[i]
    else:
        raise TokenizerError(f"cannot pin {token!r} at id {new_id}: past the model's vocab")
    # the ids tokenizers will give: the model's vocab, then added-only tokens in list order
    final = {t: i for i, t in enumerate(_vocab_tokens(model))}
    for a in added:
        if a["content"] not in final:
            final[a["content"]] = len(final)
        a["id"] = final[a["content"]]
    if tj.get("post_processor"):
        tj["post_processor"] = remap_post_processor(tj["post_processor"],
                                                    lambda i, t: final.get(t, i))


def pin_token(tiny, token: str, new_id: int) -> None:
    """Give `token` the id `new_id` in `tiny.tokenizer` (a TinyTokenizer), in place."""
    t = tiny.tokenizer
    old_id = t.convert_tokens_to_ids(token)
    if token not in t.get_vocab():
        raise TokenizerError(f"cannot pin {token!r}: the tokenizer has no such token")
    if old_id == new_id:
        return
    if not 0 <= new_id < len(t):
        raise TokenizerError(f"cannot pin {token!r} at id {new_id}: the tokenizer has {len(t)} tokens")
    if tiny.native_files:
        raise TokenizerError(f"cannot pin {token!r} at id {new_id}: the ids are those of "
                             f"{', '.join(sorted(tiny.native_files))}, which is not rewritten")
    other = t.convert_ids_to_tokens(new_id)
    before = {i: s for s, i in t.get_vocab().items()}
    with tempfile.TemporaryDirectory() as tmp:
        t.save_pretrained(tmp)
        path = Path(tmp) / "tokenizer.json"
        if not path.is_file():
            raise TokenizerError(f"cannot pin {token!r}: {type(t).__name__} writes no tokenizer.json")
        tj = json.loads(path.read_text(encoding="utf-8"))
        _edit(tj, token, new_id, other)
        path.write_text(json.dumps(tj, ensure_ascii=False), encoding="utf-8")
        pinned = type(t).from_pretrained(tmp)
    if pinned.convert_tokens_to_ids(token) != new_id or len(pinned) != len(t):
        raise TokenizerError(f"pinning {token!r} at id {new_id} gave id "
                             f"{pinned.convert_tokens_to_ids(token)}, {len(pinned)} tokens")
    tiny.tokenizer = pinned
    after = pinned.get_vocab()
    tiny.id_map = {k: after[before[v]] for k, v in tiny.id_map.items()}
