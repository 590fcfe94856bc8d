"""Tiny tokenizers for byte- and character-level architectures, whose transformers class has no
`tokenizers` pipeline to train (a Python-backend class) — scratch.py handles the others.

Idea: write the few vocab files such a class reads ourselves, from the embedded corpus, and load
them through the real class, so `AutoTokenizer.from_pretrained` on the artifact returns it:
- a class that needs no files at all (Perceiver, ByT5, Dia: UTF-8 bytes + specials) is complete
  blank: its size is the original's;
- a character class (`CHAR_CLASSES`: Wav2Vec2's CTC tokenizer, VITS) gets a `vocab.json` of its
  specials and the corpus's most frequent characters, as many as the original vocab holds;
- an alphabet class (`ALPHABET_CLASSES`: ESM's amino acids) gets its fixed alphabet, one token
  per line;
- a character SentencePiece class (`SPM_CHAR_CLASSES`: SpeechT5) gets a trained `model_type=char`
  SentencePiece model of the original size;
- `BYTE_SPECIALS` types (no class in transformers, bytes offset by a few specials) get a GPT-2
  byte-level tokenizer with no merges: exactly one token per byte;
- where no class fits and the original vocab is smaller than a byte-level fallback (256 bytes),
  `char_fallback` builds a character-level BPE of the original size instead.

Left out: phoneme classes needing an external G2P (FastSpeech2Conformer's g2p_en, VITS's
phonemizer): the tiny VITS tokenizer spells characters, FastSpeech2Conformer gets the fallback.
"""

from __future__ import annotations

import json
import tempfile
import warnings
from collections import Counter
from pathlib import Path

from ..errors import TokenizerError

# model types transformers' tokenizer map omits but whose published checkpoints ship a class here
TYPE_CLASSES = {
    # Wav2Vec2Processor types (processing_auto): their CTC checkpoints ship Wav2Vec2CTCTokenizer
    "sew": "Wav2Vec2CTCTokenizer", "sew-d": "Wav2Vec2CTCTokenizer", "wavlm": "Wav2Vec2CTCTokenizer",
}
# character vocab.json classes: (specials in id order, the space's token, lower-case the corpus,
# constructor arguments)
CHAR_CLASSES: dict[str, tuple[tuple[str, ...], str, bool, dict]] = {
    # facebook/wav2vec2-base-960h's order; "|" is the word delimiter
    "Wav2Vec2CTCTokenizer": (("<pad>", "<s>", "</s>", "<unk>"), "|", False, {}),
    # MMS-TTS style: id 0 is the blank interspersed between characters; characters, not phonemes
    # (phonemize needs espeak), lower-cased as its normalize step does
    "VitsTokenizer": (("<pad>", "<unk>"), " ", True, {"phonemize": False, "normalize": True,
                                                       "add_blank": True}),
}
# character SentencePiece classes: (vocab file name, pieces in id order before the characters,
# tokens added after the model's pieces: the mask first)
SPM_CHAR_CLASSES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    # microsoft/speecht5_*'s spm_char.model: <s> 0, <pad> 1, </s> 2, <unk> 3; then <mask>, <ctc_blank>
    "SpeechT5Tokenizer": ("spm_char.model", ("<s>", "<pad>", "</s>", "<unk>"), ("<mask>", "<ctc_blank>")),
}
# classes whose vocab is the architecture's fixed alphabet, not learned from text: (vocab file,
# one token per line in id order). Its size is the alphabet's, whatever the corpus.
ALPHABET_CLASSES: dict[str, tuple[str, tuple[str, ...]]] = {
    # ESM-2's protein alphabet (fair-esm's proteinseq_toks): 33 tokens, <pad> 1, <mask> 32
    "EsmTokenizer": ("vocab.txt", ("<cls>", "<pad>", "<eos>", "<unk>", *"LAGVSERTIDPKQNFYMHWCXBUZO",
                                   ".", "-", "<null_1>", "<mask>")),
}
# types with no tokenizer class whose checkpoints read UTF-8 bytes after a few specials
BYTE_SPECIALS: dict[str, tuple[str, ...]] = {
    # facebookresearch/blt's tokenizer: BOE 0, BOS 1, EOS 2, BPE 3, bytes from 4 (vocab 260)
    "blt": ("<boe>", "<s>", "</s>", "<pad>"),
}
# types whose vocab holds no text tokens: they get no tokenizer and keep their vocab
NO_TEXT_TOKENIZER = {
    # ImageGPT's ids are 512 colour clusters + SOS, made by ImageGPTImageProcessor from pixels
    "imagegpt",
}
FALLBACK_SPECIALS = ("<pad>", "<unk>", "<s>", "</s>")  # char_fallback's, in id order


def python_class_for(model_type_: str):
    """The type's Python-backend tokenizer class this module can build, or None."""
    from transformers.models.auto.tokenization_auto import (
        TOKENIZER_MAPPING_NAMES,
        tokenizer_class_from_name,
    )

    name = TYPE_CLASSES.get(model_type_) or TOKENIZER_MAPPING_NAMES.get(model_type_)
    if not name or name in ("TokenizersBackend", "PreTrainedTokenizerFast"):
        return None
    cls = tokenizer_class_from_name(name)
    if cls is None or getattr(cls, "model", None) is not None:
        return None  # a tokenizers pipeline: scratch.py trains it
    if (name in CHAR_CLASSES or name in SPM_CHAR_CLASSES or name in ALPHABET_CLASSES
            or not getattr(cls, "vocab_files_names", None)):
        return cls
    return None


def build(model_type_: str, vocab_size: int | None, extras=(), original_vocab: int | None = None):
    """`(tokenizer, kind)` for a byte/character architecture, or None where scratch.py applies."""
    if model_type_ in BYTE_SPECIALS:
        return _quiet(_bytes, BYTE_SPECIALS[model_type_], extras), f"scratch:bytes:{model_type_}"
    cls = python_class_for(model_type_)
    if cls is None:
        return None
    name = cls.__name__
    size = vocab_size or original_vocab
    if name in CHAR_CLASSES:
        tok = _quiet(_chars, cls, size, extras)
    elif name in SPM_CHAR_CLASSES:
        tok = _quiet(_spm_chars, cls, size, extras)
    elif name in ALPHABET_CLASSES:
        tok = _quiet(_alphabet, cls)
    else:  # needs no files: bytes + specials, complete as it is
        tok = _quiet(cls)
    if extras:
        new = [t for t in dict.fromkeys(extras) if t not in tok.get_vocab()]
        if new:
            tok.add_special_tokens({"extra_special_tokens": new})
    if vocab_size is not None and len(tok) > vocab_size:
        raise TokenizerError(f"a from-scratch {name} has {len(tok)} tokens, more than --vocab-size "
                             f"{vocab_size}")
    return tok, f"scratch:{name}"


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def corpus_chars(lower: bool = False) -> list[str]:
    """The corpus's non-space characters, most frequent first (ties by code point)."""
    from .scratch import corpus_lines

    counts = Counter(c for line in corpus_lines() for c in (line.lower() if lower else line))
    return [c for c, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if not c.isspace()]


def _budget(size: int | None, fixed: int, extras, name: str) -> int:
    """How many characters fit beside `fixed` tokens and the extra specials."""
    n = (size or 0) - fixed - len(set(extras))
    if size is None:
        n = 64  # no size asked and no original: a few dozen characters
    if n < 8:
        raise TokenizerError(f"vocab size {size} leaves {n} characters for a from-scratch {name}; "
                             f"use --vocab-size {fixed + len(set(extras)) + 8} or more")
    return n


def _chars(cls, size: int | None, extras):
    specials, space, lower, kwargs = CHAR_CLASSES[cls.__name__]
    fixed = len(specials) + 1
    chars = [c for c in corpus_chars(lower) if c not in specials and c != space]
    tokens = list(specials) + [space] + chars[: _budget(size, fixed, extras, cls.__name__)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "vocab.json"
        path.write_text(json.dumps({t: i for i, t in enumerate(tokens)}, ensure_ascii=False), encoding="utf-8")
        names = dict(zip(("pad_token", "unk_token"), ("<pad>", "<unk>")))
        return cls(vocab_file=str(path), **names, **kwargs)


def _alphabet(cls):
    file_name, tokens = ALPHABET_CLASSES[cls.__name__]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / file_name
        path.write_text("\n".join(tokens) + "\n", encoding="utf-8")
        return cls(vocab_file=str(path))


def _spm_chars(cls, size: int | None, extras):
    """A char SentencePiece model trained on the corpus; the class's own added tokens (SpeechT5's
    <mask>, <ctc_blank>) count against `size`."""
    file_name, specials, added = SPM_CHAR_CLASSES[cls.__name__]
    with tempfile.TemporaryDirectory() as tmp:
        n = _budget(size, len(specials) + len(added) + 1, extras, cls.__name__)  # and "▁"
        path = _spm_file(Path(tmp) / file_name, specials, n)
        tok = cls(vocab_file=str(path))
    if added:
        tok.add_special_tokens({"mask_token": added[0]})
        tok.add_tokens(list(added[1:]), special_tokens=True)
    return tok


def _spm_file(path: Path, specials: tuple[str, ...], n_chars: int) -> Path:
    """Train a char model on the corpus limited to its `n_chars` most frequent characters."""
    from .pyfiles import write_spm
    from .scratch import corpus_lines

    keep = set(corpus_chars()[:n_chars]) | {" "}
    lines = ["".join(c if c in keep else " " for c in line).strip() for line in corpus_lines()]
    path.parent.mkdir(parents=True, exist_ok=True)
    write_spm(path, list(specials), len(specials) + n_chars + 1, "char", lines, coverage=1.0)
    return path


def _bytes(specials: tuple[str, ...], extras):
    """GPT-2's byte-level class with the specials first and the 256 bytes after, no merges."""
    from transformers import GPT2Tokenizer

    from .formats import bytes_to_unicode

    pieces = list(specials) + [bytes_to_unicode()[b] for b in range(256)]
    names = dict(zip(("bos_token", "eos_token", "pad_token"), specials[1:]))
    return GPT2Tokenizer(vocab={t: i for i, t in enumerate(pieces)}, merges=[], unk_token=None,
                         **names)


def char_fallback(size: int, extras=()):
    """A character-level BPE (`tokenizers`, Metaspace words) of exactly `size` tokens where a
    byte-level fallback would not fit the original vocab: specials, "▁", the corpus's most
    frequent characters, then merges."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    from .scratch import corpus_lines

    n = _budget(size, len(FALLBACK_SPECIALS) + 1, extras, "character tokenizer")
    chars = ["▁"] + [c for c in corpus_chars() if c != "▁"][: max(8, min(n, 64))]
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    atoms = list(FALLBACK_SPECIALS) + chars  # pinned in this order (the trainer orders by hash)
    trainer = trainers.BpeTrainer(vocab_size=size - len(set(extras)), show_progress=False,
                                  special_tokens=atoms, initial_alphabet=chars, limit_alphabet=len(chars))
    tok.train_from_iterator(corpus_lines(), trainer)
    out = _quiet(PreTrainedTokenizerFast, tokenizer_object=tok, pad_token="<pad>", unk_token="<unk>",
                 bos_token="<s>", eos_token="</s>")
    if extras:
        out.add_special_tokens({"extra_special_tokens": list(dict.fromkeys(extras))})
    return out
