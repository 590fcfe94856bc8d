"""Tiny tokenizers: prune a real tokenizer to a few thousand tokens, or build one from scratch.

Data flow: `load.py` reads a source (tokenizer.json, SentencePiece `.model`, `.tiktoken`, Tekken
json, or a directory holding them) and prunes it with `prune.py` / `sentencepiece.py` /
`tiktoken.py`; `scratch.py` trains a blank architecture tokenizer on the embedded corpus;
`validate.py` checks a saved directory. `shrink_tokenizer` is the public API behind
`tinytrio tokenizer SOURCE -o OUT`.

Left out: tokenizers that need remote code are loaded with the generic fast class; GGUF and
`vocab.txt`/`merges.txt`-only directories are not read.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .._io import atomic_output_dir, check_output_dir
from ..errors import OfflineError, OptionError, SourceError, TokenizerError
from .load import TinyTokenizer, default_vocab_size, find_tokenizer_files, kind_of, load_transformers, prune_source
from .load import source_tokenizer_json
from .prune import minimum_vocab_size, prune_tokenizer_json
from .validate import validate_tokenizer

__all__ = [
    "TinyTokenizer", "TokenizerResult", "default_vocab_size", "find_tokenizer_files", "minimum_vocab_size",
    "prune_tokenizer_json", "save_tiny_tokenizer", "shrink_tokenizer", "tokenizer_from_scratch",
    "tokenizer_from_source", "validate_tokenizer",
]

HUB_PATTERNS = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.model",
                "*.tiktoken", "tekken.json", "chat_template.jinja", "chat_template.json"]


@dataclass(frozen=True)
class TokenizerResult:
    """What `shrink_tokenizer` wrote, measured."""

    path: Path
    vocab_size: int
    original_vocab_size: int
    kind: str
    bytes: int
    files: tuple[str, ...] = ()


def tokenizer_from_scratch(model_type: str, vocab_size: int | None,
                           extra_special_tokens: Sequence[str] = (),
                           original_vocab: int | None = None) -> TinyTokenizer:
    """Train `model_type`'s own tokenizer class, blank, on the embedded corpus (see scratch.py);
    a tiny `tekken.json` where transformers tokenizes the type with mistral-common (tekken.py);
    byte / character classes from vocab files written from the corpus (chars.py), Python subword
    classes from a SentencePiece model or WordPiece vocab.txt trained on it (pyfiles.py). With no
    `vocab_size`, a tokenizer whose kind fits in `original_vocab` (the model's) is not larger."""
    from . import chars, pyfiles, tekken
    from .scratch import build

    if tekken.is_tekken_type(model_type):
        return _tekken_from_scratch(vocab_size, extra_special_tokens)
    if model_type in chars.NO_TEXT_TOKENIZER:
        raise TokenizerError(f"{model_type} has no text tokenizer: its token ids are not text")
    extras = tuple(extra_special_tokens)
    built = (chars.build(model_type, vocab_size, extras, original_vocab)
             or pyfiles.for_type(model_type, vocab_size, extras, original_vocab))
    tok, kind = built or build(model_type, vocab_size, extras, default_vocab_size, original_vocab)
    return TinyTokenizer(tokenizer=tok, id_map={}, original_size=0, native_files={}, kind=kind)


def _tekken_from_scratch(vocab_size: int | None, extra_special_tokens: Sequence[str]) -> TinyTokenizer:
    import json

    from . import tekken
    from .load import GENERIC_CLASS, load_transformers
    from .scratch import corpus_lines

    size = vocab_size or default_vocab_size(256 + len(tekken.special_tokens(extra_special_tokens)))
    tek, tj = tekken.build(size, corpus_lines(), extra_special_tokens)
    config = {"tokenizer_class": GENERIC_CLASS, "bos_token": "<s>", "eos_token": "</s>",
              "unk_token": "<unk>", "pad_token": "<pad>"}
    tok = load_transformers(tj, config, None, None)
    native = {"tekken.json": json.dumps(tek, ensure_ascii=False, indent=2).encode()}
    return TinyTokenizer(tokenizer=tok, id_map={}, original_size=0, native_files=native, kind="scratch:tekken")


def _retrain(path: Path, vocab_size: int | None, corpus: Path | None) -> TinyTokenizer:
    """`train_new_from_iterator` on `corpus` (or on the tokenizer's own vocab strings).

    What it loses, which is why prune is the default: special tokens move to the front (ids
    change, so `id_map` only covers specials), byte fallback and its `<0x..>` pieces are dropped,
    and merges are learned afresh, so segmentation differs from the original.
    """
    tj, config = source_tokenizer_json(path)
    original = load_transformers(tj, {k: v for k, v in config.items() if k != "chat_template"}, None, None)
    if corpus is not None:
        try:
            lines = [line for line in Path(corpus).read_text(encoding="utf-8").splitlines() if line.strip()]
        except (OSError, UnicodeDecodeError) as e:
            raise SourceError(f"cannot read --corpus {corpus}: {e}") from None
    else:
        lines = sorted(original.convert_tokens_to_string([t]) for t in original.get_vocab())
    n_added = len(original.added_tokens_decoder)
    size = vocab_size or default_vocab_size(n_added + 256)
    tok = original.train_new_from_iterator(lines, vocab_size=max(size - n_added, 1))
    if config.get("chat_template"):
        tok.chat_template = config["chat_template"]
    old, new = original.get_vocab(), tok.get_vocab()
    id_map = {old[t]: new[t] for t in original.all_special_tokens if t in old and t in new}
    return TinyTokenizer(tokenizer=tok, id_map=id_map, original_size=len(original), native_files={},
                         kind="retrain:" + kind_of(tj))


def tokenizer_from_source(path: Path, vocab_size: int | None, method: str = "prune",
                          corpus: Path | None = None) -> TinyTokenizer:
    """Shrink the tokenizer at a local `path` (directory or file) to `vocab_size` tokens."""
    if method == "prune":
        return prune_source(Path(path), vocab_size)
    if method == "retrain":
        return _retrain(Path(path), vocab_size, corpus)
    raise OptionError(f"--method must be prune or retrain, not {method!r}")


def save_tiny_tokenizer(tiny: TinyTokenizer, directory: Path) -> list[str]:
    """Write the tokenizer (save_pretrained) and its native files; returns the file names."""
    directory = Path(directory)
    tiny.tokenizer.save_pretrained(str(directory))
    for name, data in sorted(tiny.native_files.items()):
        (directory / name).write_bytes(data)
    return sorted(p.name for p in directory.iterdir() if p.is_file())


def _from_hub(repo_id: str) -> Path:
    try:
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError, RepositoryNotFoundError
    except ImportError:  # pragma: no cover - huggingface_hub is a dependency
        raise SourceError(f"{repo_id} is not a local path and huggingface_hub is not installed") from None
    try:
        return Path(snapshot_download(repo_id, allow_patterns=HUB_PATTERNS))
    except LocalEntryNotFoundError:
        raise OfflineError(f"{repo_id} is not cached and the Hub cannot be reached (HF_HUB_OFFLINE="
                           f"{os.environ.get('HF_HUB_OFFLINE', '0')}); download it first or give a local path") from None
    except RepositoryNotFoundError:
        raise SourceError(f"{repo_id}: no such Hub repository (or it is private)") from None
    except (HfHubHTTPError, OSError, ValueError) as e:
        raise SourceError(f"cannot fetch {repo_id} from the Hub: {e}") from None


def _is_model_type(name: str) -> bool:
    from transformers.models.auto.configuration_auto import CONFIG_MAPPING_NAMES

    return name in CONFIG_MAPPING_NAMES


def resolve_tokenizer(source: str | Path, vocab_size: int | None = None, method: str = "prune",
                      corpus: Path | None = None) -> TinyTokenizer:
    """SOURCE is a local path, a transformers model_type (built from scratch) or a Hub id."""
    path = Path(source).expanduser()
    if path.exists():
        return tokenizer_from_source(path, vocab_size, method, corpus)
    name = str(source)
    if _is_model_type(name):
        return tokenizer_from_scratch(name, vocab_size)
    if name.count("/") == 1 and not name.startswith((".", "/", "~")):
        directory = _from_hub(name)
        if not find_tokenizer_files(directory):
            raise SourceError(f"{name} has no tokenizer files on the Hub")
        return tokenizer_from_source(directory, vocab_size, method, corpus)
    raise SourceError(f"{name} is not an existing path, a transformers model_type or a Hub id (org/name)")


def shrink_tokenizer(source: str | Path, out: str | Path, vocab_size: int | None = None, method: str = "prune",
                     corpus: Path | None = None, force: bool = False) -> TokenizerResult:
    """Write a tiny tokenizer for SOURCE into OUT (atomically) and validate it.

    SOURCE: a directory, `tokenizer.json`, SentencePiece `.model`, `.tiktoken`, `tekken.json`, a
    transformers `model_type` (from scratch) or a Hub id. `method="prune"` (default) keeps the
    original's specials, ids order and pipeline; `"retrain"` runs `train_new_from_iterator` (see
    `_retrain` for what it loses). Bad input raises a TinyError subclass and writes nothing.
    """
    if method not in ("prune", "retrain"):
        raise OptionError(f"--method must be prune or retrain, not {method!r}")
    if vocab_size is not None and vocab_size < 1:
        raise OptionError(f"--vocab-size must be positive, not {vocab_size}")
    check_output_dir(out, force)  # fail fast, before any work
    tiny = resolve_tokenizer(source, vocab_size, method, corpus)
    with atomic_output_dir(out, force) as tmp:
        files = save_tiny_tokenizer(tiny, tmp)
        validate_tokenizer(tmp)
        size = sum((tmp / f).stat().st_size for f in files)
    return TokenizerResult(path=Path(out).expanduser().absolute(), vocab_size=len(tiny.tokenizer),
                           original_vocab_size=tiny.original_size, kind=tiny.kind, bytes=size, files=tuple(files))

