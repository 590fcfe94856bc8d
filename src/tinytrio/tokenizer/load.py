"""Read any supported tokenizer source, prune it, and hand back an in-memory transformers tokenizer.

Idea: every input format is reduced to one pruned `tokenizer.json` dict plus an id map; the
directory's `tokenizer_config.json` (ids and sizes rewritten), `special_tokens_map.json` and chat
template travel with it, and the result is loaded through `AutoTokenizer` from a scratch
directory, so what callers get is exactly what users of the saved artifact will get. Native
formats (`tokenizer.model`, `*.tiktoken`, `tekken.json`) are also written back shrunk, with the
same ids, when they were the input.

Precedence in a directory: `tokenizer.json` wins (its native siblings are then *not* shipped, since
they could not be kept consistent), then `tokenizer.model`, `*.tiktoken`, `tekken.json`.
`model_max_length` becomes `min(original, MAX_MODEL_LENGTH)`: tiny models are exercised on short
inputs and a huge value (or transformers' 1e30 sentinel) only hides mistakes.
"""

from __future__ import annotations

import json
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SourceError, TokenizerError
from . import sentencepiece as spm_mod
from . import tiktoken as tt_mod
from .formats import is_byte_level, model_type, read_json, total_size
from .prune import minimum_vocab_size, prune_tokenizer_json

MAX_MODEL_LENGTH = 2048
GENERIC_CLASS = "PreTrainedTokenizerFast"  # loads the tokenizer.json as is, in transformers 4 and 5


@dataclass
class TinyTokenizer:
    """A shrunk (or from-scratch) tokenizer, ready for `tokenizer.save_pretrained(dir)`."""

    tokenizer: object  # transformers PreTrainedTokenizerBase
    id_map: dict[int, int]
    original_size: int
    native_files: dict[str, bytes] = field(default_factory=dict)
    kind: str = ""


DEFAULT_VOCAB = 512  # two 512 x 64 fp32 tables are 256 KiB: a quarter of a 1 MB artifact


def default_vocab_size(minimum: int) -> int:
    """The size used when none is asked for: DEFAULT_VOCAB, or the minimum plus 256 for tokenizers
    with many mandatory tokens (DeepSeek: 1539 -> 1795; T5's 100 extra ids: 359 -> 615)."""
    return max(DEFAULT_VOCAB, minimum + 256)


def find_tokenizer_files(directory: Path) -> bool:
    d = Path(directory)
    return d.is_dir() and any(
        (d / n).is_file() for n in ("tokenizer.json", "tokenizer.model", "tekken.json")
    ) or any(d.glob("*.tiktoken"))


def kind_of(tj: dict) -> str:
    kind = model_type(tj)
    if kind == "BPE":
        if is_byte_level(tj):
            return "bpe-bytelevel"
        return "bpe-bytefallback" if tj["model"].get("byte_fallback") else "bpe"
    return kind.lower()


def _pick(path: Path) -> tuple[str, Path]:
    """(format, file) for a directory or a file path."""
    if path.is_dir():
        for name, fmt in (("tokenizer.json", "json"), ("tokenizer.model", "spm"), ("tekken.json", "tekken")):
            if (path / name).is_file():
                return fmt, path / name
        tik = sorted(path.glob("*.tiktoken"))
        if tik:
            return "tiktoken", tik[0]
        raise SourceError(f"{path} holds no tokenizer (tokenizer.json, tokenizer.model, *.tiktoken or tekken.json)")
    if path.suffix == ".model":
        return "spm", path
    if path.suffix == ".tiktoken":
        return "tiktoken", path
    if path.suffix == ".json":
        if path.name == "tekken.json" or b'"token_bytes"' in path.read_bytes()[:100_000]:
            return "tekken", path
        return "json", path
    raise SourceError(f"{path} is not a tokenizer file (.json, .model, .tiktoken)")


def _side_files(directory: Path) -> tuple[dict, dict | None, str | None]:
    config = read_json(directory / "tokenizer_config.json") if (directory / "tokenizer_config.json").is_file() else {}
    special = read_json(directory / "special_tokens_map.json") if (directory / "special_tokens_map.json").is_file() else None
    template = None
    if (directory / "chat_template.jinja").is_file():
        template = (directory / "chat_template.jinja").read_text(encoding="utf-8")
    elif (directory / "chat_template.json").is_file():
        template = read_json(directory / "chat_template.json").get("chat_template")
    return config, special, template


def rewrite_config(config: dict, id_map: dict[int, int], size: int) -> dict:
    """tokenizer_config.json with ids remapped, dropped tokens removed and sizes shrunk."""
    out = {}
    for key, value in config.items():
        if key == "added_tokens_decoder" and isinstance(value, dict):
            value = {str(id_map[int(k)]): v for k, v in value.items() if int(k) in id_map}
        elif key.endswith("_token_id") and isinstance(value, int):
            value = id_map.get(value, value)
        elif key == "vocab_size" and isinstance(value, int):
            value = size
        elif key == "model_max_length":
            value = min(value, MAX_MODEL_LENGTH) if isinstance(value, (int, float)) else MAX_MODEL_LENGTH
            value = int(value)
        out[key] = value
    out.setdefault("model_max_length", MAX_MODEL_LENGTH)
    return out


def load_transformers(tj: dict, config: dict, special: dict | None, template: str | None):
    """Load a tokenizer.json dict through AutoTokenizer; retry with the generic class when the
    recorded tokenizer_class is unknown here (remote code) or cannot take this vocab."""
    from transformers import AutoTokenizer

    def attempt(cfg: dict):
        with tempfile.TemporaryDirectory(prefix="tinytrio-tok-") as tmp:
            d = Path(tmp)
            (d / "tokenizer.json").write_text(json.dumps(tj, ensure_ascii=False), encoding="utf-8")
            (d / "tokenizer_config.json").write_text(json.dumps(cfg, ensure_ascii=False), encoding="utf-8")
            if special:
                (d / "special_tokens_map.json").write_text(json.dumps(special, ensure_ascii=False), encoding="utf-8")
            if template and "chat_template" not in cfg:
                (d / "chat_template.jinja").write_text(template, encoding="utf-8")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return AutoTokenizer.from_pretrained(str(d))

    config = dict(config)
    config.pop("auto_map", None)  # remote code is never run
    config.setdefault("tokenizer_class", GENERIC_CLASS)
    try:
        tok = attempt(config)
        if len(tok) == total_size(tj):
            return tok
    except Exception:  # noqa: BLE001 - any failure of a specific class falls back to the generic one
        pass
    try:
        return attempt(dict(config, tokenizer_class=GENERIC_CLASS))
    except Exception as e:  # noqa: BLE001
        raise TokenizerError(f"transformers cannot load the shrunk tokenizer: {e}") from None


def _spm_config(proto) -> dict:
    spec = proto.trainer_spec
    cfg = {}
    for field_, key in (("unk_id", "unk_token"), ("bos_id", "bos_token"), ("eos_id", "eos_token"), ("pad_id", "pad_token")):
        i = getattr(spec, field_)
        if 0 <= i < len(proto.pieces):
            cfg[key] = proto.pieces[i].piece
    return cfg


def prune_source(path: Path, vocab_size: int | None) -> TinyTokenizer:
    """Shrink the tokenizer at `path` (a directory or a single file) to `vocab_size` tokens."""
    path = Path(path)
    if not path.exists():
        raise SourceError(f"{path} does not exist")
    fmt, file = _pick(path)
    config, special, template = _side_files(path) if path.is_dir() else ({}, None, None)
    native: dict[str, bytes] = {}
    if fmt == "json":
        tj = read_json(file)
        model_type(tj)
        original = total_size(tj)
        size = vocab_size or default_vocab_size(minimum_vocab_size(tj))
        new_tj, id_map = prune_tokenizer_json(tj, size)
        kind = kind_of(tj)
    elif fmt == "spm":
        proto = spm_mod.parse_model(file.read_bytes(), file.name)
        original = len(proto.pieces)
        size = vocab_size or default_vocab_size(spm_mod.minimum_pieces(proto))
        new_proto, id_map = spm_mod.prune_model(proto, size)
        new_tj = spm_mod.spm_to_tokenizer_json(new_proto)
        native["tokenizer.model"] = new_proto.SerializeToString()
        config = {**_spm_config(new_proto), **config}
        if "tokenizer_class" not in config or not path.is_dir():
            config["tokenizer_class"] = GENERIC_CLASS  # keep our faithful SentencePiece pipeline
        kind = kind_of(new_tj)
    elif fmt == "tiktoken":
        tokens = tt_mod.parse_tiktoken(file.read_bytes(), file.name)
        decoder = config.get("added_tokens_decoder") or {}
        specials = sorted((int(k), v["content"] if isinstance(v, dict) else str(v)) for k, v in decoder.items()
                          if int(k) >= len(tokens)) or [(len(tokens), "<|endoftext|>")]
        original = len(tokens) + len(specials)
        size = vocab_size or default_vocab_size(256 + len(specials))
        new_tokens, new_tj, id_map = tt_mod.prune_tiktoken(tokens, specials, size)
        native[file.name] = tt_mod.write_tiktoken(new_tokens)
        config = {"eos_token": specials[-1][1], **config, "tokenizer_class": GENERIC_CLASS}
        kind = "tiktoken"
    else:
        tek = tt_mod.parse_tekken(file.read_bytes(), file.name)
        n_special = len(tt_mod._tekken_specials(tek))
        original = tek["config"].get("default_vocab_size") or n_special + len(tek["vocab"])
        size = vocab_size or default_vocab_size(256 + n_special)
        new_tek, new_tj, id_map = tt_mod.prune_tekken(tek, size)
        native["tekken.json"] = json.dumps(new_tek, ensure_ascii=False, indent=2).encode()
        config = {**config, "tokenizer_class": GENERIC_CLASS}
        kind = "tekken"
    new_size = total_size(new_tj)
    config = rewrite_config(config, id_map, new_size)
    template = config.get("chat_template") if isinstance(config.get("chat_template"), str) else template
    tok = load_transformers(new_tj, config, special, template)
    return TinyTokenizer(tokenizer=tok, id_map=id_map, original_size=original, native_files=native, kind=kind)


def source_tokenizer_json(path: Path) -> tuple[dict, dict]:
    """The full (unpruned) tokenizer.json and config of a source, for `--method retrain`."""
    path = Path(path)
    if not path.exists():
        raise SourceError(f"{path} does not exist")
    fmt, file = _pick(path)
    config, _, _ = _side_files(path) if path.is_dir() else ({}, None, None)
    if fmt == "json":
        tj = read_json(file)
        model_type(tj)
        return tj, config
    if fmt == "spm":
        proto = spm_mod.parse_model(file.read_bytes(), file.name)
        return spm_mod.spm_to_tokenizer_json(proto), {**_spm_config(proto), **config}
    raise TokenizerError("--method retrain needs a tokenizer.json or SentencePiece source; use --method prune")
