"""Build a tiny tokenizer from scratch for a transformers `model_type`, offline, in well under a second.

Idea: every transformers 5 tokenizer class instantiates *blank* with its own pipeline and special
tokens (`LlamaTokenizer()`, `BertTokenizer()`, `T5Tokenizer()` …). We read that pipeline, train
only the model part on the embedded corpus (`data/corpus.txt`), and hand the trained vocab back to
the class (`cls(vocab=..., merges=...)`) — exactly the path `from_pretrained` takes, so a save /
reload is stable. The class's special tokens keep their ids at the front, byte-fallback classes
get `<0x00>`…`<0xFF>` right after them, byte-level classes the full 256-character alphabet.

Trainers are chosen for determinism: `tokenizers`' BPE trainer (also used for WordPiece, whose own
trainer numbers tokens in hash order) and SentencePiece's Unigram trainer (the `tokenizers` one is
not reproducible). SentencePiece-style classes are trained with a splitting Metaspace so merges do
not cross words. Types whose class has no built-in pipeline (`TokenizersBackend`) or no class at
all fall back to a GPT-2 style byte-level BPE with `<|endoftext|>` and `<|pad|>`.

Left out: architecture-specific extras that blank classes do not create (Whisper's language and
timestamp tokens, chat templates); pass them as `extra_special_tokens` if the model needs them.
"""

from __future__ import annotations

import io
import json
import warnings
from collections import Counter
from functools import lru_cache
from importlib import resources

from ..errors import TokenizerError
from .chars import FALLBACK_SPECIALS, char_fallback
from .formats import BYTE_PIECES, is_byte_level, metaspace_marks, model_type

# model types that transformers maps only through a Hub tokenizer_config, or to the pipeline-less backend
_OVERRIDES = {"llama": "LlamaTokenizer", "mistral": "LlamaTokenizer", "mixtral": "LlamaTokenizer",
              "llama4_text": "LlamaTokenizer", "gpt_oss": "GPT2Tokenizer", "bloom": "GPT2Tokenizer"}
FALLBACK = "GPT2Tokenizer"
# constructor arguments a class cannot be built blank without (given to the blank and the trained
# one; a `vocab` here is only the blank's)
CLASS_ARGS: dict[str, dict] = {
    # its default vocab puts <unk> first but looks it up from index 1: the checkpoints' order
    "PegasusTokenizer": {"vocab": [("<pad>", 0.0), ("</s>", 0.0), ("<mask_1>", 0.0),
                                   ("<mask_2>", 0.0), ("<unk>", 0.0)]},
    # its blank vocab lists pad, unk, cls, sep but looks <unk> up at index 3 (= </s> there): the
    # checkpoints' fairseq order <s> <pad> </s> <unk>
    "BarthezTokenizer": {"vocab": [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0),
                                   ("<mask>", 0.0)]},
    # HTML tag -> id for the xpath embeddings (a required argument); a few common tags
    "MarkupLMTokenizer": {"tags_dict": {t: i for i, t in enumerate(
        "html head title body div span p a ul ol li table tr td th h1 h2 h3 img form input "
        "button label nav header footer section article b i strong em br".split())}},
}


@lru_cache(maxsize=1)
def corpus_lines() -> tuple[str, ...]:
    text = resources.files("tinytrio.data").joinpath("corpus.txt").read_text(encoding="utf-8")
    return tuple(line for line in text.splitlines() if line.strip())


def tokenizer_class_for(model_type_: str):
    """The architecture's own tokenizer class, or None when it has no usable blank pipeline."""
    from transformers.models.auto.configuration_auto import CONFIG_MAPPING_NAMES
    from transformers.models.auto.tokenization_auto import TOKENIZER_MAPPING_NAMES, tokenizer_class_from_name

    names = [_OVERRIDES.get(model_type_), TOKENIZER_MAPPING_NAMES.get(model_type_)]
    config_name = CONFIG_MAPPING_NAMES.get(model_type_)
    if config_name and config_name.endswith("Config"):
        names.append(config_name[: -len("Config")] + "Tokenizer")  # e.g. LlamaConfig -> LlamaTokenizer
    for name in names:
        if name and name not in ("TokenizersBackend", "PreTrainedTokenizerFast"):
            cls = tokenizer_class_from_name(name)
            if cls is not None and (getattr(cls, "model", None) is not None or _builds_blank(cls)):
                return cls
    return None


@lru_cache(maxsize=None)
def _builds_blank(cls) -> bool:
    """A `tokenizers`-backed class with no `model` attribute that still builds its own pipeline
    blank in `__init__` (CamemBERT, BARThez, mLUKE: a Unigram of their specials)."""
    from transformers import TokenizersBackend

    if not issubclass(cls, TokenizersBackend):
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return cls(**CLASS_ARGS.get(cls.__name__, {})).backend_tokenizer is not None
    except Exception:  # noqa: BLE001 - a class that needs files or an extra library: not blank-buildable
        return False


def _train_bpe(bj: dict, n_new: int, prefix: str | None, lines) -> tuple[list[str], list[tuple[str, str]]]:
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    model = bj["model"]
    affixes = {k: v for k, v in (("continuing_subword_prefix", prefix),
                                  ("end_of_word_suffix", model.get("end_of_word_suffix"))) if v}
    tok = Tokenizer(models.BPE(**affixes))
    sp_style = bool(model.get("byte_fallback")) or bool(metaspace_marks(bj))
    if sp_style:  # train word-by-word; the class's own Metaspace/Replace pipeline is used at inference
        tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    else:
        tok.normalizer = Tokenizer.from_str(json.dumps(bj)).normalizer
        tok.pre_tokenizer = Tokenizer.from_str(json.dumps(bj)).pre_tokenizer
    byte_level = is_byte_level(bj)
    if byte_level:
        alphabet = pre_tokenizers.ByteLevel.alphabet()
    else:  # choose the characters ourselves: the trainer breaks frequency ties in hash order
        alphabet = _alphabet(lines, tok.normalizer, max(64, n_new // 4), "▁" if sp_style else None)
    # Passing the atoms (characters and their ##/</w> forms) as "special tokens" pins their ids in
    # sorted order; otherwise the trainer numbers them in hash order and breaks count ties with it.
    atoms = sorted(alphabet)
    atoms += [prefix + c for c in atoms if prefix] + [c + affixes["end_of_word_suffix"] for c in atoms
                                                      if "end_of_word_suffix" in affixes]
    trainer = trainers.BpeTrainer(
        vocab_size=n_new, show_progress=False, special_tokens=atoms, initial_alphabet=alphabet,
        limit_alphabet=len(alphabet), **affixes,
    )
    tok.train_from_iterator(lines, trainer)
    trained = json.loads(tok.to_str())["model"]
    merges = [tuple(m) if not isinstance(m, str) else tuple(m.split(" ", 1)) for m in trained["merges"]]
    strip = len(prefix or "")
    results = [a + (b[strip:] if strip and b.startswith(prefix) else b) for a, b in merges]
    # canonical order: atoms sorted (their trained ids are hash-ordered), then merge results in rank order
    atoms = sorted(set(trained["vocab"]) - set(results))
    vocab = list(dict.fromkeys(atoms + results))[:n_new]
    kept = set(vocab)
    merges = [(a, b) for (a, b), r in zip(merges, results) if a in kept and b in kept and r in kept]
    return vocab, merges


def _alphabet(lines, normalizer, limit: int, mark: str | None) -> list[str]:
    counts = Counter()
    for line in lines:
        counts.update(normalizer.normalize_str(line) if normalizer else line)
    chars = [c for c, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if not c.isspace()]
    return ([mark] if mark else []) + [c for c in chars if c != mark][: limit - (1 if mark else 0)]


def _coverage(n_new: int, lines) -> float:
    """SentencePiece's `character_coverage`: 0.995, or less when the characters that 0.995 covers
    would not leave half of `n_new` for merged pieces (the rarest characters then map to <unk>),
    but never below 0.98, the least SentencePiece accepts."""
    counts = sorted(Counter(c for line in lines for c in line if not c.isspace()).values(), reverse=True)
    total, keep = sum(counts), max(n_new // 2, 1)
    if not total or len(counts) <= keep:
        return 0.995
    return min(0.995, max(0.98, (sum(counts[:keep]) - 0.5) / total))


def _train_unigram(n_new: int, lines) -> list[tuple[str, float]]:
    import sentencepiece as spm

    out = io.BytesIO()
    try:
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(lines), model_writer=out, vocab_size=n_new + 1, model_type="unigram",
            normalization_rule_name="identity", character_coverage=_coverage(n_new, lines),
            hard_vocab_limit=False,
            unk_id=0, bos_id=-1, eos_id=-1, pad_id=-1, num_threads=1, minloglevel=2,
            max_sentencepiece_length=16, shuffle_input_sentence=False,
        )
    except RuntimeError as e:
        raise TokenizerError(f"cannot train a Unigram vocab of {n_new} pieces: {e}; use a larger --vocab-size") from None
    from sentencepiece import sentencepiece_model_pb2 as pb2

    proto = pb2.ModelProto()
    proto.ParseFromString(out.getvalue())
    return [(p.piece, p.score) for p in proto.pieces if p.type == 1][:n_new]


def _floor(bj: dict, n_special: int, kind: str) -> int:
    """The least size the class trains to: its specials and 256 bytes where it is byte-level or
    byte-fallback, else its specials and 64 characters (twice that with ## forms)."""
    if is_byte_level(bj) or bj["model"].get("byte_fallback"):
        return n_special + 256
    return n_special + (128 if kind == "WordPiece" or bj["model"].get("continuing_subword_prefix") else 64)


def scratch_minimum(cls, extra_special_tokens=()) -> int:
    blank = cls(**CLASS_ARGS.get(cls.__name__, {}))
    return len(blank) + len([t for t in extra_special_tokens if t not in blank.get_vocab()]) + 256


def build(model_type_: str, vocab_size: int | None, extra_special_tokens=(), default_size=None,
          original_vocab: int | None = None):
    """Return `(tokenizer, kind)` for a blank class trained on the corpus to `vocab_size` tokens;
    with no `vocab_size`, `original_vocab` where that is below the default and the class fits."""
    cls = tokenizer_class_for(model_type_)
    fallback = cls is None
    kwargs = {}
    if cls is None:
        from transformers.models.auto.tokenization_auto import tokenizer_class_from_name

        cls, kwargs = tokenizer_class_from_name(FALLBACK), {"pad_token": "<|pad|>"}
    kwargs.update(CLASS_ARGS.get(cls.__name__, {}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        blank = cls(**kwargs)
    kwargs.pop("vocab", None)
    bj = json.loads(blank.backend_tokenizer.to_str())
    kind = model_type(bj)
    extras = list(dict.fromkeys(t for t in extra_special_tokens if t not in blank.get_vocab()))
    minimum = len(blank) + len(extras) + 256
    if vocab_size is None:
        vocab_size = default_size(minimum) if default_size else minimum + 768
        if original_vocab and original_vocab < vocab_size:  # never larger than the original
            if original_vocab >= _floor(bj, len(blank) + len(extras), kind):
                vocab_size = minimum = original_vocab
            elif fallback and original_vocab >= len(FALLBACK_SPECIALS) + len(extras) + 16:
                return char_fallback(original_vocab, extras), "scratch:chars"
    if vocab_size < minimum:
        raise TokenizerError(
            f"vocab size {vocab_size} is below the minimum {minimum} for a from-scratch {cls.__name__} "
            f"({len(blank) + len(extras)} special tokens + 256 bytes/characters); use --vocab-size {minimum} or more"
        )
    raw = bj["model"]["vocab"]
    base = [p[0] for p in raw] if kind == "Unigram" else sorted(raw, key=raw.__getitem__)
    unk = bj["model"].get("unk_token") if kind == "BPE" else None
    if unk and unk not in base:  # a BPE model maps unknown characters to its unk: it must be in
        base = [unk] + base      # the model's vocab, not only an added token (Reformer's blank)
    byte_pieces = [b for b in BYTE_PIECES if b not in base] if bj["model"].get("byte_fallback") else []
    n_new = vocab_size - len(blank) - len(extras) - len(byte_pieces)
    lines = corpus_lines()
    if kind == "Unigram":
        # ask for a few more: SentencePiece may return fewer, and some pieces may repeat the class's own
        trained = [(p, s) for p, s in _train_unigram(n_new + 16, lines) if p not in base][:n_new]
        vocab = [tuple(p) for p in raw] + trained
        merges = None
    elif kind in ("BPE", "WordPiece"):
        prefix = bj["model"].get("continuing_subword_prefix") or ("##" if kind == "WordPiece" else None)
        new, merges = _train_bpe(bj, n_new, prefix, lines)
        tokens = base + byte_pieces + [t for t in new if t not in base]
        vocab = {t: i for i, t in enumerate(tokens)}
        merges = merges if kind == "BPE" else None
    else:
        raise TokenizerError(f"{cls.__name__} uses a {kind} model, which cannot be trained from scratch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tok = cls(vocab=vocab, merges=merges, **kwargs) if merges is not None else cls(vocab=vocab, **kwargs)
        if extras:
            tok.add_special_tokens({"extra_special_tokens": extras})
    return tok, f"scratch:{cls.__name__}"
