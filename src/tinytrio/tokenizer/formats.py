"""Small pure helpers over the Hugging Face `tokenizer.json` format (the `tokenizers` library).

Everything here reads or rewrites plain dicts; nothing loads a tokenizer. The idea is that pruning
only needs to know (a) which model it is, (b) which tokens the pipeline cannot live without (byte
alphabet, byte-fallback pieces, the Metaspace mark) and (c) where ids are stored outside the model
(added tokens, post-processors, padding), so that every one of them can be remapped.

Left out: tokenizer.json files written by very old `tokenizers` versions without a `model.type`
are recognised by shape only (merges => BPE, list vocab => Unigram, unk + prefix => WordPiece).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

from ..errors import TokenizerError


@lru_cache(maxsize=1)
def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible byte -> printable character table (the ByteLevel alphabet)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
    bs += list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


BYTE_PIECES = tuple(f"<0x{b:02X}>" for b in range(256))  # SentencePiece / byte_fallback pieces
PRINTABLE_ASCII = tuple(chr(c) for c in range(0x20, 0x7F))


def read_json(path: Path) -> dict:
    """Parse a JSON file or raise TokenizerError naming it (truncated, not JSON, not an object)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise TokenizerError(f"cannot read {path}: {e}; is it a complete tokenizer file?") from None
    if not isinstance(data, dict):
        raise TokenizerError(f"{path} is not a JSON object; expected a tokenizer file")
    return data


def model_type(tj: dict) -> str:
    """`BPE`, `Unigram`, `WordPiece` or `WordLevel`; raises TokenizerError for anything else."""
    model = tj.get("model")
    if not isinstance(model, dict) or "vocab" not in model:
        raise TokenizerError("not a tokenizer.json: it has no model.vocab")
    kind = model.get("type")
    if kind is None:  # old serialisations omit the type
        if "merges" in model:
            kind = "BPE"
        elif isinstance(model["vocab"], list):
            kind = "Unigram"
        elif "continuing_subword_prefix" in model:
            kind = "WordPiece"
        else:
            kind = "WordLevel"
    if kind not in ("BPE", "Unigram", "WordPiece", "WordLevel"):
        raise TokenizerError(f"unsupported tokenizer model type {kind!r}")
    return kind


def walk_components(node) -> Iterator[dict]:
    """Every component dict in a (possibly nested `Sequence`) pipeline part."""
    if isinstance(node, dict):
        yield node
        for key in ("pretokenizers", "normalizers", "decoders", "processors"):
            for child in node.get(key) or ():
                yield from walk_components(child)


def pipeline_types(tj: dict) -> set[str]:
    """The `type` of every normalizer / pre-tokenizer / decoder component."""
    out = set()
    for part in ("normalizer", "pre_tokenizer", "decoder"):
        out.update(c.get("type") for c in walk_components(tj.get(part)))
    return out


def is_byte_level(tj: dict) -> bool:
    return "ByteLevel" in pipeline_types(tj)


def metaspace_marks(tj: dict) -> set[str]:
    """The whitespace mark(s) the pipeline writes: Metaspace's replacement or a Replace(' ', '▁')."""
    marks = set()
    for part in ("normalizer", "pre_tokenizer", "decoder"):
        for c in walk_components(tj.get(part)):
            if c.get("type") == "Metaspace":
                marks.add(c.get("replacement", "▁"))
            elif c.get("type") == "Replace" and c.get("pattern", {}).get("String") == " ":
                if c.get("content"):
                    marks.add(c["content"])
    return marks


def vocab_ids(tj: dict) -> dict[str, int]:
    """token -> id of the model vocab (Unigram's list index becomes its id)."""
    vocab = tj["model"]["vocab"]
    if isinstance(vocab, list):
        return {piece[0] if isinstance(piece, (list, tuple)) else piece: i for i, piece in enumerate(vocab)}
    return dict(vocab)


def read_merges(merges: list) -> list[tuple[str, str]]:
    """Both merge formats: `"a b"` strings (tokenizers < 0.20) and `["a", "b"]` pairs."""
    out = []
    for m in merges:
        if isinstance(m, str):
            a, _, b = m.partition(" ")
            out.append((a, b))
        else:
            out.append((m[0], m[1]))
    return out


def total_size(tj: dict) -> int:
    """`len(tokenizer)`: distinct ids over the model vocab and the added tokens."""
    ids = set(vocab_ids(tj).values())
    ids.update(t["id"] for t in tj.get("added_tokens") or ())
    return len(ids)


def remap_post_processor(node, new_id: Callable[[int, str | None], int | None]):
    """Rewrite the literal ids a post-processor stores; `new_id(old_id, token)` gives the new one.

    TemplateProcessing keeps `special_tokens[name].ids` beside `.tokens`; Bert/RobertaProcessing keep
    `sep`/`cls` as `[token, id]`; a `Sequence` nests processors. Everything else is returned as is.
    """
    if not isinstance(node, dict):
        return node
    node = dict(node)
    kind = node.get("type")
    if kind == "Sequence":
        node["processors"] = [remap_post_processor(p, new_id) for p in node.get("processors") or ()]
    elif kind == "TemplateProcessing":
        specials = {}
        for name, spec in (node.get("special_tokens") or {}).items():
            spec = dict(spec)
            tokens = spec.get("tokens") or [None] * len(spec.get("ids", ()))
            spec["ids"] = [new_id(i, t) for i, t in zip(spec.get("ids", ()), tokens)]
            specials[name] = spec
        node["special_tokens"] = specials
    elif kind in ("BertProcessing", "RobertaProcessing"):
        for key in ("sep", "cls"):
            if key in node:
                token, old = node[key]
                node[key] = [token, new_id(old, token)]
    return node
