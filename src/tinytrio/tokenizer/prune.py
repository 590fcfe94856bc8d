"""Prune a `tokenizer.json` to a small vocabulary without retraining it.

Idea: keep what the pipeline cannot live without (every added/special token, unk, the 256
ByteLevel characters or `<0x00>`…`<0xFF>` byte-fallback pieces, the Metaspace mark, printable ASCII
and its `##`/`</w>` forms), then fill the budget with the tokens the original would produce first:
BPE by walking merges in rank order (a merge is kept only when both parts and its result are
kept), Unigram by score, WordPiece / WordLevel by id. Finally every kept id is renumbered by its
original order, so ids are `range(len(tokenizer))`, specials sitting *inside* the vocab (DeepSeek's
BOS at 0, gpt2's `<|endoftext|>` at the last id) stay where they were relative to it, specials
above it (Llama-3's 128000+) stay above it, and every place that stores an id (added tokens,
post-processors, padding, Unigram `unk_id`) is rewritten.

Unlike `train_new_from_iterator`, pruning keeps byte fallback, the special-token layout and the
pre-tokenizer, so text that round-trips through the original round-trips through the tiny one
(byte-level and byte-fallback models). Left out: merges that can only be reached through dropped
intermediate tokens are dropped, so segmentation is coarser (more, shorter tokens) than the
original's; WordPiece/Unigram models without byte fallback map dropped characters to unk.
"""

from __future__ import annotations

import re

from ..errors import TokenizerError
from .formats import (
    BYTE_PIECES,
    PRINTABLE_ASCII,
    bytes_to_unicode,
    is_byte_level,
    metaspace_marks,
    model_type,
    read_merges,
    remap_post_processor,
    total_size,
    vocab_ids,
)

_UNUSED = re.compile(r"^(\[unused\d+\]|<unused\d+>)$")  # BERT/Gemma placeholders: fill last


def _unk_token(tj: dict) -> str | None:
    model = tj["model"]
    if model_type(tj) == "Unigram":
        unk_id = model.get("unk_id")
        return model["vocab"][unk_id][0] if unk_id is not None else None
    return model.get("unk_token")


def must_keep(tj: dict) -> tuple[set[str], dict[str, int]]:
    """The vocab tokens that must survive, and a breakdown of the minimum size for messages."""
    vocab = vocab_ids(tj)
    model = tj["model"]
    prefix = model.get("continuing_subword_prefix") or ""
    suffix = model.get("end_of_word_suffix") or ""
    added = tj.get("added_tokens") or []
    added_ids = {t["id"] for t in added}
    keep = {t["content"] for t in added if t["content"] in vocab}
    byte_like: list[str] = []
    if is_byte_level(tj):
        byte_like = list(bytes_to_unicode().values())
    if model.get("byte_fallback") or any(p in vocab for p in BYTE_PIECES[:1]):
        byte_like += BYTE_PIECES
    base = list(PRINTABLE_ASCII) + list(metaspace_marks(tj))
    unk = _unk_token(tj)
    if unk:
        base.append(unk)
    atoms = byte_like + base
    # WordPiece continuations and CLIP-style end-of-word forms are base tokens too
    forms = [prefix + c for c in atoms if prefix] + [c + suffix for c in atoms if suffix]
    bytes_kept = {t for t in byte_like if t in vocab} - keep
    other = {t for t in base + forms if t in vocab} - keep - bytes_kept
    keep |= bytes_kept | other
    n_added = len(added_ids | {vocab[t] for t in keep if t not in bytes_kept and t not in other})
    return keep, {"special": n_added, "bytes": len(bytes_kept), "base": len(other)}


def _ids_of(tokens: set[str], vocab: dict[str, int], added_ids: set[int]) -> set[int]:
    return {vocab[t] for t in tokens} | added_ids


def minimum_vocab_size(tj: dict) -> int:
    """The smallest `vocab_size` prune_tokenizer_json accepts for this tokenizer."""
    keep, _ = must_keep(tj)
    return len(_ids_of(keep, vocab_ids(tj), {t["id"] for t in tj.get("added_tokens") or ()}))


def _below_minimum(vocab_size: int, minimum: int, parts: dict[str, int]) -> TokenizerError:
    words = [f"{parts['special']} special/added tokens"]
    if parts["bytes"]:
        words.insert(0, f"{parts['bytes']} bytes")
    if parts["base"]:
        words.append(f"{parts['base']} base characters")
    return TokenizerError(
        f"vocab size {vocab_size} is below this tokenizer's minimum {minimum} ({' + '.join(words)}); "
        f"use --vocab-size {minimum} or more"
    )


class _Budget:
    """Tracks kept tokens and the number of distinct ids they occupy."""

    def __init__(self, keep: set[str], vocab: dict[str, int], added_ids: set[int], limit: int):
        self.keep, self.vocab, self.limit = set(keep), vocab, limit
        self.ids = _ids_of(self.keep, vocab, added_ids)

    def cost(self, tokens) -> int:
        return len({self.vocab[t] for t in tokens if t not in self.keep} - self.ids)

    def full(self) -> bool:
        return len(self.ids) >= self.limit

    def add(self, tokens) -> bool:
        """Add all tokens or none; returns whether they fit."""
        if len(self.ids) + self.cost(tokens) > self.limit:
            return False
        for t in tokens:
            self.keep.add(t)
            self.ids.add(self.vocab[t])
        return True


def _merge_result(a: str, b: str, prefix: str) -> str:
    # tokenizers joins a continuation without its prefix: ("un", "##do") -> "undo"
    return a + (b[len(prefix) :] if prefix and b.startswith(prefix) else b)


def _fill_bpe(tj: dict, budget: _Budget) -> list[tuple[str, str]]:
    vocab = budget.vocab
    prefix = tj["model"].get("continuing_subword_prefix") or ""
    # one pass parses every merge and collects what merges produce (128k merges: the hot loop)
    triples = [(a, b, _merge_result(a, b, prefix)) for a, b in read_merges(tj["model"].get("merges") or [])]
    produced = {r for _, _, r in triples}
    keep = budget.keep
    for a, b, r in triples:
        if budget.full():
            break
        if r not in vocab or a not in vocab or b not in vocab:
            continue
        # a missing part may be added only if it is an atom (a base character no merge produces),
        # e.g. the single characters SentencePiece-BPE models keep at the end of the vocab
        if (a not in keep and a in produced) or (b not in keep and b in produced):
            continue
        budget.add(list(dict.fromkeys((a, b, r))))
    if not budget.full():
        _fill_in_order(sorted(vocab, key=vocab.__getitem__), budget)
    return [(a, b) for a, b, r in triples if r in keep and a in keep and b in keep]


def _fill_in_order(tokens: list[str], budget: _Budget) -> None:
    """Top up with `tokens` in the given order, placeholders like `[unused7]` last."""
    unused = []
    for t in tokens:
        if budget.full():
            return
        if _UNUSED.match(t):
            unused.append(t)
        elif t not in budget.keep:
            budget.add([t])
    for t in unused:
        if budget.full():
            return
        if t not in budget.keep:
            budget.add([t])


def prune_tokenizer_json(tj: dict, vocab_size: int) -> tuple[dict, dict[int, int]]:
    """Return `(tiny_tokenizer_json, id_map)` with `len(tiny) <= vocab_size` (exactly, when the
    original is at least that large). `id_map` maps every kept original id to its new id.

    Raises TokenizerError when `vocab_size` is below `minimum_vocab_size(tj)`. Pure and
    deterministic: the input is not modified and equal inputs give equal outputs.
    """
    kind = model_type(tj)
    vocab = vocab_ids(tj)
    added = tj.get("added_tokens") or []
    added_ids = {t["id"] for t in added}
    keep, parts = must_keep(tj)
    minimum = len(_ids_of(keep, vocab, added_ids))
    if vocab_size < minimum:
        raise _below_minimum(vocab_size, minimum, parts)
    budget = _Budget(keep, vocab, added_ids, vocab_size)
    model = dict(tj["model"])
    merges = None
    if kind == "BPE":
        merges = _fill_bpe(tj, budget)
    elif kind == "Unigram":
        pieces = model["vocab"]
        by_score = sorted(range(len(pieces)), key=lambda i: (-pieces[i][1], i))
        _fill_in_order([pieces[i][0] for i in by_score], budget)
    else:
        _fill_in_order(sorted(vocab, key=vocab.__getitem__), budget)

    # renumber by original id: specials keep their place relative to the vocab
    id_map = {old: new for new, old in enumerate(sorted(budget.ids))}
    kept = sorted(budget.keep, key=lambda t: (vocab[t], t))
    if kind == "Unigram":
        model["vocab"] = [[t, s] for t, s in model["vocab"] if t in budget.keep]
        if model.get("unk_id") is not None:
            model["unk_id"] = id_map[model["unk_id"]]
    else:
        model["vocab"] = {t: id_map[vocab[t]] for t in kept}
    if merges is not None:
        model["merges"] = [[a, b] for a, b in merges]
    out = dict(tj)
    out["model"] = model
    out["added_tokens"] = [dict(t, id=id_map[t["id"]]) for t in added]
    new_vocab = vocab_ids(out)
    by_content = {t["content"]: t["id"] for t in out["added_tokens"]}

    def new_id(old: int, token: str | None) -> int:
        if old in id_map:
            return id_map[old]
        if token in by_content or token in new_vocab:
            return by_content.get(token, new_vocab.get(token))
        raise TokenizerError(f"the post-processor refers to id {old} ({token!r}), which is not in the tokenizer")

    if out.get("post_processor"):
        out["post_processor"] = remap_post_processor(out["post_processor"], new_id)
    if out.get("padding"):
        pad = dict(out["padding"])
        pad["pad_id"] = new_id(pad.get("pad_id", 0), pad.get("pad_token"))
        out["padding"] = pad
    assert total_size(out) == len(id_map) <= max(vocab_size, minimum)
    return out, id_map
