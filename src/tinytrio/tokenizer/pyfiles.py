"""Tiny tokenizers for subword architectures whose transformers class is a Python backend that
reads one vocab file and has no `tokenizers` pipeline to train (scratch.py handles those).

Idea: train the file the class reads on the embedded corpus and load it through the real class,
so `AutoTokenizer.from_pretrained` on the artifact returns the architecture's own tokenizer:
- a `SentencePieceBackend` class reading one `*.model` (SigLIP, BertGeneration, GPT-SW3, PLBart)
  gets a Unigram SentencePiece model with the class's default special tokens as its first pieces;
- a Python class reading one WordPiece `vocab.txt` (TAPAS, ProphetNet, BertJapanese's basic
  word splitter) gets a WordPiece vocab: its bracketed specials, then pieces trained as scratch.py
  trains BERT's, lower-cased when the class lower-cases by default.

The classes are recognized from their signature, not listed. One that still cannot be built from
that file alone (it needs a library not installed, e.g. jieba, or a second file) falls back to
scratch.py's byte-level tokenizer; `build` returns None for it.
"""

from __future__ import annotations

import inspect
import io
import tempfile
import warnings
from pathlib import Path

from ..errors import TokenizerError

# id order of the special roles in a written vocab (fairseq's for SentencePiece, BERT's roles
# for WordPiece); roles a class does not name are left out
SPM_ROLES = ("bos_token", "pad_token", "eos_token", "unk_token")
WORDPIECE_ROLES = ("pad_token", "unk_token", "cls_token", "sep_token", "mask_token")


def file_kind(cls) -> str | None:
    """"spm" or "wordpiece" where `cls` reads one vocab file of that kind and nothing else."""
    from transformers import SentencePieceBackend, TokenizersBackend

    files = getattr(cls, "vocab_files_names", None) or {}
    vocab_file = files.get("vocab_file")
    if not vocab_file or issubclass(cls, TokenizersBackend) or getattr(cls, "model", None) is not None:
        return None
    params = inspect.signature(cls.__init__).parameters.values()
    required = [p.name for p in params if p.default is inspect.Parameter.empty
                and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    if required != ["self", "vocab_file"]:
        return None  # needs a second file (Marian, M2M100, RoCBert)
    if issubclass(cls, SentencePieceBackend) and vocab_file.endswith(".model"):
        return "spm"
    unk = _defaults(cls).get("unk_token")
    if not issubclass(cls, SentencePieceBackend) and isinstance(unk, str) and unk.startswith("["):
        return "wordpiece"
    return None


def build(cls, size: int, extras=()):
    """The class loaded from a vocab file of about `size` tokens trained on the corpus, or None
    where the class cannot be built from that file here."""
    kind = file_kind(cls)
    if kind is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / cls.vocab_files_names["vocab_file"]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if kind == "spm":
                    write_spm(path, _specials(cls, SPM_ROLES), size)
                else:
                    _write_wordpiece(path, _specials(cls, WORDPIECE_ROLES),
                                     bool(_defaults(cls).get("do_lower_case", True)), size)
                tok = cls(vocab_file=str(path))
                ids = tok("A tiny check, 42 words.")["input_ids"]
                tok.decode(ids)
        except (ImportError, OSError, RuntimeError, ValueError, KeyError, TypeError, AttributeError):
            return None  # a library the class needs is missing, or it wants more than this file
    if not ids or max(ids) >= len(tok):
        return None
    new = [t for t in dict.fromkeys(extras) if t not in tok.get_vocab()]
    if new:
        tok.add_special_tokens({"extra_special_tokens": new})
    return tok


def _defaults(cls) -> dict:
    return {p.name: p.default for p in inspect.signature(cls.__init__).parameters.values()
            if p.default is not inspect.Parameter.empty}


def _specials(cls, roles) -> list[str]:
    """The class's default special tokens: the known roles in `roles` order, then the others in
    signature order (BertGeneration's sep <::::>, TAPAS's [EMPTY], ProphetNet's [X_SEP])."""
    d = _defaults(cls)
    named = [d.get(r) for r in roles] + [v for k, v in d.items() if k.endswith("_token") and k not in roles]
    return list(dict.fromkeys(str(t) for t in named if t))


def write_spm(path: Path, specials: list[str], size: int, model_type: str = "unigram",
              lines=None, coverage: float | None = None) -> None:
    """Train a SentencePiece model of about `size` pieces on `lines` (the corpus): `specials`
    first, bos / pad / eos / unk taking SentencePiece's meta ids by their spelling."""
    import sentencepiece as spm

    from .scratch import _coverage, corpus_lines

    unk = next((t for t in specials if "unk" in t.lower()), "<unk>")
    pieces = list(dict.fromkeys([*specials, unk]))
    ids = {r: pieces.index(t) for r, t in zip(("bos", "pad", "eos"), _role_tokens(specials)) if t}
    n = size - len(pieces)
    if n < 8:
        raise TokenizerError(f"vocab size {size} leaves {n} pieces beside {len(pieces)} special tokens")
    # pieces not given a meta id become user-defined symbols, taking the free ids in order
    meta = {unk: "unk", **{pieces[i]: r for r, i in ids.items()}}
    user = [t for t in pieces if t not in meta]
    out = io.BytesIO()
    lines = [line for line in (corpus_lines() if lines is None else lines) if line]
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=out, vocab_size=size, model_type=model_type,
        character_coverage=coverage or _coverage(n, lines), hard_vocab_limit=False,
        normalization_rule_name="identity",
        num_threads=1, minloglevel=2, shuffle_input_sentence=False, max_sentencepiece_length=16,
        unk_id=pieces.index(unk), unk_piece=unk,
        bos_id=ids.get("bos", -1), bos_piece=pieces[ids["bos"]] if "bos" in ids else "<s>",
        eos_id=ids.get("eos", -1), eos_piece=pieces[ids["eos"]] if "eos" in ids else "</s>",
        pad_id=ids.get("pad", -1), pad_piece=pieces[ids["pad"]] if "pad" in ids else "<pad>",
        **({"user_defined_symbols": user} if user else {}),  # None would be read as a piece "None"
    )
    path.write_bytes(out.getvalue())


def _role_tokens(specials: list[str]) -> tuple[str | None, str | None, str | None]:
    """(bos, pad, eos) among `specials` by their usual spellings; a pad that is the eos (SigLIP)
    gets no piece of its own."""
    def find(*names):
        return next((t for t in specials if t.strip("<>[]|").lower() in names), None)

    bos, eos = find("s", "bos", "cls", "startoftext"), find("/s", "eos", "endoftext")
    pad = find("pad")
    return bos, (pad if pad not in (bos, eos) else None), eos


def _write_wordpiece(path: Path, specials: list[str], lower: bool, size: int) -> None:
    import json

    from transformers import BertTokenizer

    from .scratch import _train_bpe, corpus_lines

    n = size - len(specials)
    if n < 128:
        raise TokenizerError(f"vocab size {size} leaves {n} WordPiece tokens beside {len(specials)} specials")
    blank = BertTokenizer(do_lower_case=lower)
    bj = json.loads(blank.backend_tokenizer.to_str())
    pieces, _ = _train_bpe(bj, n, "##", corpus_lines())
    tokens = list(dict.fromkeys(specials + pieces))[:size]
    path.write_text("\n".join(tokens) + "\n", encoding="utf-8")


def for_type(model_type_: str, vocab_size: int | None, extras=(), original_vocab: int | None = None):
    """`(tokenizer, kind)` for a type whose class `file_kind` recognizes, else None. With no
    `vocab_size`: the default size, or the original vocab where that is smaller and fits."""
    from transformers.models.auto.tokenization_auto import (
        TOKENIZER_MAPPING_NAMES,
        tokenizer_class_from_name,
    )

    from .load import default_vocab_size

    name = TOKENIZER_MAPPING_NAMES.get(model_type_)
    cls = tokenizer_class_from_name(name) if name else None
    kind = file_kind(cls) if cls is not None else None
    if kind is None:
        return None
    n_special = len(_specials(cls, SPM_ROLES if kind == "spm" else WORDPIECE_ROLES)) + len(set(extras))
    target = vocab_size or default_vocab_size(n_special + 256)
    floor = n_special + (64 if kind == "spm" else 128)
    if vocab_size is None and original_vocab and floor <= original_vocab < target:
        target = original_vocab  # never larger than a small original
    if target < floor:
        raise TokenizerError(f"vocab size {target} is below the minimum {floor} for a from-scratch "
                             f"{cls.__name__}; use --vocab-size {floor} or more")
    tok = build(cls, target, extras)
    if tok is not None and len(tok) > target:  # tokens the class adds after the file's (PLBart's)
        tok = build(cls, 2 * target - len(tok), extras)
    if tok is None or len(tok) > target:
        return None
    return tok, f"scratch:{cls.__name__}"
