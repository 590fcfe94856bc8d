"""Prune tiktoken rank files (`*.tiktoken`) and Mistral Tekken vocabularies (`tekken.json`).

Idea: both are byte-level BPE stored as *ranks* (a list of byte strings; rank = merge order), so a
prefix of the ranks is itself a valid vocabulary as long as each kept token can still be built
from two kept, lower-ranked tokens. We keep every single byte, walk ranks upwards, re-derive each
token's merge by running BPE over its bytes with the kept ranks (the classic tiktoken -> HF
conversion) and drop tokens that do not reduce to exactly two parts. The result is written back in
the native format (ranks renumbered 0..N-1) and as a HF byte-level BPE `tokenizer.json`
(`ignore_merges` like tiktoken: a pre-token that is itself a token is never split).

Left out: a bare `.tiktoken` file has no split regex and no special tokens, so the cl100k regex is
assumed and `<|endoftext|>` is added unless the caller passes the specials (from the directory's
`tokenizer_config.json`). Tekken's audio/image settings in `config` are copied, not interpreted.
"""

from __future__ import annotations

import base64
import binascii
import json

from ..errors import TokenizerError
from .formats import bytes_to_unicode

CL100K_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)


def parse_tiktoken(data: bytes, name: str = "tokenizer.tiktoken") -> list[bytes]:
    """Tokens in rank order from `base64 rank` lines; raises TokenizerError on anything else."""
    ranked = []
    try:
        for line in data.decode("ascii").splitlines():
            if line.strip():
                token, rank = line.split()
                ranked.append((int(rank), base64.b64decode(token, validate=True)))
    except (UnicodeDecodeError, ValueError, binascii.Error):
        raise TokenizerError(f"{name} is not a tiktoken file (expected 'base64token rank' lines)") from None
    ranked.sort()
    if not ranked or [r for r, _ in ranked] != list(range(len(ranked))):
        raise TokenizerError(f"{name} is not a tiktoken file: ranks are not 0..N-1")
    return [t for _, t in ranked]


def write_tiktoken(tokens: list[bytes]) -> bytes:
    return "".join(f"{base64.b64encode(t).decode()} {r}\n" for r, t in enumerate(tokens)).encode()


def _bpe(token: bytes, ranks: dict[bytes, int]) -> list[bytes]:
    parts = [bytes([b]) for b in token]
    while len(parts) > 1:
        best = min(
            ((ranks[parts[i] + parts[i + 1]], i) for i in range(len(parts) - 1) if parts[i] + parts[i + 1] in ranks),
            default=None,
        )
        if best is None:
            break
        i = best[1]
        parts[i : i + 2] = [parts[i] + parts[i + 1]]
    return parts


def prune_ranks(tokens: list[bytes], size: int) -> tuple[list[int], list[tuple[bytes, bytes]]]:
    """Keep `size` ranks: all single bytes plus the lowest buildable ranks.

    Returns the kept original ranks (ascending) and one merge per kept multi-byte token.
    """
    singles = [r for r, t in enumerate(tokens) if len(t) == 1]
    if len(singles) < 256:
        raise TokenizerError(f"this byte-level vocabulary lacks {256 - len(singles)} of the 256 single bytes")
    if size < 256:
        raise TokenizerError(f"vocab size {size} leaves fewer than the 256 byte tokens; use a larger --vocab-size")
    kept = set(singles)
    ranks = {tokens[r]: r for r in singles}
    merges: dict[int, tuple[bytes, bytes]] = {}
    for r, tok in enumerate(tokens):
        if len(kept) >= size:
            break
        if r in kept:
            continue
        parts = _bpe(tok, ranks)
        if len(parts) == 2:
            kept.add(r)
            ranks[tok] = r
            merges[r] = (parts[0], parts[1])
    order = sorted(kept)
    return order, [merges[r] for r in order if r in merges]


def _unicode(b: bytes) -> str:
    table = bytes_to_unicode()
    return "".join(table[x] for x in b)


def _added(token_id: int, content: str) -> dict:
    return {"id": token_id, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": False, "special": True}


def ranks_to_tokenizer_json(tokens: list[bytes], merges, specials: list[str], pattern: str,
                            specials_first: bool = False) -> dict:
    """A HF byte-level BPE tokenizer.json; specials go after the ranks (tiktoken) or before (Tekken)."""
    offset = len(specials) if specials_first else 0
    vocab = {_unicode(t): r + offset for r, t in enumerate(tokens)}
    if specials_first:  # ids below the ranks must exist in the model vocab, as Mistral's converter does
        vocab = {**{s: i for i, s in enumerate(specials)}, **vocab}
    start = 0 if specials_first else len(tokens)
    added = [_added(start + i, s) for i, s in enumerate(specials)]
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added, "normalizer": None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": pattern}, "behavior": "Isolated", "invert": False},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": True,
                  "vocab": vocab, "merges": [[_unicode(a), _unicode(b)] for a, b in merges]},
    }


def _check_minimum(vocab_size: int, n_specials: int) -> None:
    """Byte-level ranks need all 256 bytes plus every special token."""
    minimum = 256 + n_specials
    if vocab_size < minimum:
        raise TokenizerError(
            f"vocab size {vocab_size} is below this tokenizer's minimum {minimum} (256 bytes + "
            f"{n_specials} special tokens); use --vocab-size {minimum} or more"
        )


def prune_tiktoken(tokens: list[bytes], specials: list[tuple[int, str]], vocab_size: int):
    """Shrink a tiktoken vocabulary; `specials` are `(original id, string)` placed after the ranks.

    Returns `(new_tokens, tokenizer_json, id_map)`.
    """
    _check_minimum(vocab_size, len(specials))
    order, merges = prune_ranks(tokens, vocab_size - len(specials))
    new_tokens = [tokens[r] for r in order]
    id_map = {old: new for new, old in enumerate(order)}
    id_map.update({old: len(order) + i for i, (old, _) in enumerate(specials)})
    tj = ranks_to_tokenizer_json(new_tokens, merges, [s for _, s in specials], CL100K_PATTERN)
    return new_tokens, tj, id_map


def parse_tekken(data: bytes, name: str = "tekken.json") -> dict:
    try:
        tek = json.loads(data)
        assert isinstance(tek, dict) and isinstance(tek["vocab"], list) and "config" in tek
        tek["vocab"][0]["token_bytes"]
    except (ValueError, AssertionError, KeyError, IndexError, TypeError):
        raise TokenizerError(f"{name} is not a Tekken vocabulary (needs config, vocab, special_tokens)") from None
    return tek


def _tekken_specials(tek: dict) -> list[str]:
    n = tek["config"].get("default_num_special_tokens") or len(tek.get("special_tokens") or ())
    named = {t["rank"]: t["token_str"] for t in tek.get("special_tokens") or ()}
    return [named.get(i, f"<SPECIAL_{i}>") for i in range(max(n, len(named)))]


def prune_tekken(tek: dict, vocab_size: int):
    """Shrink a Tekken vocabulary: all specials (ids first), then the lowest buildable ranks.

    Returns `(new_tekken_dict, tokenizer_json, id_map)`.
    """
    specials = _tekken_specials(tek)
    cfg = tek["config"]
    inner = tek["vocab"][: cfg["default_vocab_size"] - len(specials)] if cfg.get("default_vocab_size") else tek["vocab"]
    tokens = [base64.b64decode(v["token_bytes"]) for v in inner]
    _check_minimum(vocab_size, len(specials))
    order, merges = prune_ranks(tokens, vocab_size - len(specials))
    n = len(specials)
    id_map = {i: i for i in range(n)}
    id_map.update({n + old: n + new for new, old in enumerate(order)})
    new = dict(tek)
    new["vocab"] = [dict(inner[old], rank=new_rank) for new_rank, old in enumerate(order)]
    new["config"] = dict(cfg, default_vocab_size=n + len(order))
    if "num_vocab_tokens" in cfg:
        new["config"]["num_vocab_tokens"] = len(order)
    tj = ranks_to_tokenizer_json([tokens[r] for r in order], merges, specials, cfg.get("pattern") or CL100K_PATTERN,
                                 specials_first=True)
    return new, tj, id_map
