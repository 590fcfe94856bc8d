"""Prune a SentencePiece `.model` and convert it to a Hugging Face `tokenizer.json`.

Idea: the `.model` file is a protobuf (`sentencepiece_model_pb2.ModelProto`) whose pieces are the
vocab in id order. Pruning keeps every CONTROL / USER_DEFINED / BYTE / UNKNOWN piece, `▁` and
printable ASCII, then NORMAL pieces by score (Unigram: likelihood; BPE: score = -merge rank, so
score order is merge order). For BPE a piece is only taken when it can be built from two kept
pieces, adding single-character pieces on the way (SentencePiece-BPE keeps characters at the END
of the vocab, so plain score order would drop them). Ids are renumbered in the original order and
`trainer_spec` ids (unk/bos/eos/pad) follow. The shrunk proto loads in `sentencepiece`, and
`spm_to_tokenizer_json` builds the equivalent `tokenizer.json` (precompiled normaliser, Metaspace,
byte fallback, merges from piece splits).

Left out: the
converter reproduces `remove_extra_whitespaces` with a regex, which matches SentencePiece on
ordinary text but not on every exotic Unicode space.
"""

from __future__ import annotations

from google.protobuf.message import DecodeError
from sentencepiece import sentencepiece_model_pb2 as pb2

from ..errors import TokenizerError
from .formats import PRINTABLE_ASCII

NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6
UNIGRAM, BPE = 1, 2
_KEEP_TYPES = {UNKNOWN, CONTROL, USER_DEFINED, BYTE}


def parse_model(data: bytes, name: str = "tokenizer.model") -> pb2.ModelProto:
    """Parse `.model` bytes or raise TokenizerError (not protobuf, or no pieces)."""
    proto = pb2.ModelProto()
    try:
        proto.ParseFromString(data)
    except (DecodeError, ValueError) as e:
        raise TokenizerError(f"{name} is not a SentencePiece model: {e}") from None
    if not proto.pieces:
        raise TokenizerError(f"{name} is not a SentencePiece model: it has no pieces")
    return proto


def _must_keep(proto: pb2.ModelProto) -> set[int]:
    base = set(PRINTABLE_ASCII) | {"▁"}
    return {
        i for i, p in enumerate(proto.pieces) if p.type in _KEEP_TYPES or (p.type == NORMAL and p.piece in base)
    }


def minimum_pieces(proto: pb2.ModelProto) -> int:
    return len(_must_keep(proto))


def _fill_bpe(proto: pb2.ModelProto, keep: set[int], limit: int) -> None:
    index = {p.piece: i for i, p in enumerate(proto.pieces) if p.type in (NORMAL, USER_DEFINED)}
    kept = {proto.pieces[i].piece for i in keep}
    order = sorted((i for i, p in enumerate(proto.pieces) if p.type == NORMAL), key=lambda i: (-proto.pieces[i].score, i))
    for i in order:
        if len(keep) >= limit:
            return
        piece = proto.pieces[i].piece
        if piece in kept or len(piece) == 1:
            continue
        best = None  # the split needing the fewest new (single-character) pieces
        for k in range(1, len(piece)):
            left, right = piece[:k], piece[k:]
            if left not in index or right not in index:
                continue
            missing = [s for s in dict.fromkeys((left, right)) if s not in kept]
            if all(len(s) == 1 for s in missing) and (best is None or len(missing) < len(best)):
                best = missing
        if best is None or len(keep) + len(best) + 1 > limit:
            continue
        for s in best + [piece]:
            keep.add(index[s])
            kept.add(s)


def prune_model(proto: pb2.ModelProto, vocab_size: int) -> tuple[pb2.ModelProto, dict[int, int]]:
    """Shrink to `vocab_size` pieces; returns the new proto and old id -> new id."""
    keep = _must_keep(proto)
    if vocab_size < len(keep):
        n_bytes = sum(1 for p in proto.pieces if p.type == BYTE)
        raise TokenizerError(
            f"vocab size {vocab_size} is below this tokenizer's minimum {len(keep)} ({n_bytes} bytes + "
            f"{len(keep) - n_bytes} special/base pieces); use --vocab-size {len(keep)} or more"
        )
    limit = min(vocab_size, len(proto.pieces))
    if proto.trainer_spec.model_type == BPE:
        _fill_bpe(proto, keep, limit)
    by_score = sorted(
        (i for i, p in enumerate(proto.pieces) if p.type == NORMAL), key=lambda i: (-proto.pieces[i].score, i)
    )
    unused = [i for i, p in enumerate(proto.pieces) if p.type == UNUSED]
    for i in by_score + unused:
        if len(keep) >= limit:
            break
        keep.add(i)
    id_map = {old: new for new, old in enumerate(sorted(keep))}
    out = pb2.ModelProto()
    out.CopyFrom(proto)
    del out.pieces[:]
    out.pieces.extend(proto.pieces[i] for i in sorted(keep))
    spec = out.trainer_spec
    spec.vocab_size = len(id_map)
    for field in ("unk_id", "bos_id", "eos_id", "pad_id"):
        old = getattr(spec, field)
        if old >= 0:
            setattr(spec, field, id_map.get(old, -1))
    return out, id_map


def _merges(pieces: list[tuple[str, int]]) -> list[list[str]]:
    """BPE merges from piece splits, ordered by the merged piece's id (= score order)."""
    vocab = {}
    for i, (p, t) in enumerate(pieces):
        if t in (NORMAL, USER_DEFINED):
            vocab.setdefault(p, i)
    found = []
    for piece, pid in vocab.items():
        for k in range(1, len(piece)):
            left, right = piece[:k], piece[k:]
            if left in vocab and right in vocab:
                found.append((pid, vocab[left], vocab[right], left, right))
    return [[a, b] for *_, a, b in sorted(found)]


def spm_to_tokenizer_json(proto: pb2.ModelProto) -> dict:
    """The `tokenizer.json` equivalent of a SentencePiece model (Unigram or BPE)."""
    spec, norm = proto.trainer_spec, proto.normalizer_spec
    pieces = [(p.piece, p.type) for p in proto.pieces]
    unk_id = next((i for i, p in enumerate(proto.pieces) if p.type == UNKNOWN), None)
    byte_fallback = bool(spec.byte_fallback)
    if spec.model_type == UNIGRAM:
        model = {"type": "Unigram", "unk_id": unk_id, "vocab": [[p.piece, p.score] for p in proto.pieces],
                 "byte_fallback": byte_fallback}
    elif spec.model_type == BPE:
        vocab = {}
        for i, (p, _t) in enumerate(pieces):
            vocab.setdefault(p, i)
        model = {"type": "BPE", "dropout": None, "unk_token": proto.pieces[unk_id].piece if unk_id is not None else None,
                 "continuing_subword_prefix": None, "end_of_word_suffix": None, "fuse_unk": True,
                 "byte_fallback": byte_fallback, "ignore_merges": False, "vocab": vocab, "merges": _merges(pieces)}
    else:
        raise TokenizerError("only Unigram and BPE SentencePiece models are supported (not WORD/CHAR)")
    normalizers = []
    if norm.precompiled_charsmap:
        import base64

        normalizers.append({"type": "Precompiled", "precompiled_charsmap": base64.b64encode(norm.precompiled_charsmap).decode()})
    if norm.remove_extra_whitespaces:
        normalizers += [{"type": "Strip", "strip_left": True, "strip_right": True},
                        {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]
    prepend = "always" if norm.add_dummy_prefix else "never"
    decoders = [{"type": "Replace", "pattern": {"String": "▁"}, "content": " "}]
    if byte_fallback:
        decoders.append({"type": "ByteFallback"})
    decoders.append({"type": "Fuse"})
    if norm.add_dummy_prefix:
        decoders.append({"type": "Strip", "content": " ", "start": 1, "stop": 0})
    added = [
        {"id": i, "content": p.piece, "single_word": False, "lstrip": False, "rstrip": False,
         "normalized": p.type == USER_DEFINED, "special": p.type != USER_DEFINED}
        for i, p in enumerate(proto.pieces) if p.type in (UNKNOWN, CONTROL, USER_DEFINED)
    ]
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        "normalizer": {"type": "Sequence", "normalizers": normalizers} if normalizers else None,
        "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": prepend,
                          "split": bool(spec.split_by_whitespace)},
        "post_processor": None,
        "decoder": {"type": "Sequence", "decoders": decoders},
        "model": model,
    }
