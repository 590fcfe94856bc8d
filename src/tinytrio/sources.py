"""Resolve SOURCE into a config dict plus the directory that holds its tokenizer/processor files.

SOURCE is one of: a local directory with config.json, a path to a config.json, a transformers
`model_type` (its default config, no files), or a Hub id (config, tokenizer and processor files
only, through huggingface_hub, honouring its cache and HF_HUB_OFFLINE). Nothing here ever reads
weights. The only module besides the savers that touches disk or network.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import remote
from .errors import OfflineError, SourceError
from .remote import load_remote, refuse, wants_remote

HUB_ID = re.compile(r"^[A-Za-z0-9][\w.\-]*/[\w.\-]+$")
# what a model SOURCE needs from the Hub: never weights
HUB_PATTERNS = ["config.json", "generation_config.json", "tokenizer*", "*.tiktoken", "tekken.json",
                "vocab*", "merges.txt", "spiece.model", "*.model", "special_tokens_map.json",
                "added_tokens.json", "chat_template.*", "preprocessor_config.json",
                "processor_config.json", "video_preprocessor_config.json"]
# keys never carried into a tiny config: the tiny model is plain, local and unquantized
DROPPED_KEYS = ("quantization_config", "auto_map", "_name_or_path", "transformers_version",
                "_commit_hash", "_attn_implementation_autoset", "attn_implementation")


@dataclass(frozen=True)
class ResolvedSource:
    """A SOURCE made concrete."""

    name: str                 # what the user gave, normalised (hub id, model_type, path)
    kind: str                 # "model_type" | "directory" | "config_file" | "hub"
    config: dict              # config.json as published (or the default config's dict)
    directory: Path | None    # where tokenizer / processor files are, if any
    base_model: str | None    # for the model card: the hub id or model_type it came from


@lru_cache(maxsize=1)
def model_types() -> frozenset[str]:
    from transformers.models.auto.configuration_auto import CONFIG_MAPPING_NAMES

    return frozenset(CONFIG_MAPPING_NAMES)


def read_json(path: Path, what: str = "JSON file") -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(f"{path} does not exist") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise SourceError(f"{path} is not a valid {what} ({e}); fix or replace the file") from None
    except OSError as e:
        raise SourceError(f"cannot read {path}: {e.strerror}") from None
    if not isinstance(data, dict):
        raise SourceError(f"{path} is not a {what}: expected a JSON object")
    return data


def resolve_model_source(source: str | os.PathLike, trust_remote_code: bool = False
                         ) -> ResolvedSource:
    """SOURCE → ResolvedSource, or a SourceError that says what SOURCE can be. With
    trust_remote_code the classes a config's `auto_map` names are imported (remote.py)."""
    resolved = _resolve(source, trust_remote_code)
    if wants_remote(resolved.config, trust_remote_code):
        load_remote(resolved.directory, resolved.config)
    return resolved


def _resolve(source, trust: bool) -> ResolvedSource:
    text = str(source)
    path = Path(text).expanduser()
    if path.is_dir():
        cfg = path / "config.json"
        if not cfg.is_file():
            raise SourceError(f"{path} has no config.json; give a model directory, a config.json, "
                              f"a model_type such as 'llama', or a Hub id")
        config = _checked(read_json(cfg, "config.json"), cfg, trust)
        return ResolvedSource(text, "directory", config, path, _base_model(path, config))
    if path.is_file():
        config = _checked(read_json(path, "config.json"), path, trust)
        return ResolvedSource(text, "config_file", config, path.parent, _base_model(path.parent,
                                                                                     config))
    if text in model_types():
        return ResolvedSource(text, "model_type", default_config(text), None, text)
    if HUB_ID.match(text) and not text.startswith((".", "/")):
        directory = hub_snapshot(text, HUB_PATTERNS + (["*.py"] if trust else []))
        cfg = directory / "config.json"
        if not cfg.is_file():
            raise SourceError(f"Hub repo {text} has no config.json; is it a transformers model?")
        return ResolvedSource(text, "hub", _checked(read_json(cfg, "config.json"), cfg, trust),
                              directory, text)
    if os.sep in text or text.endswith(".json"):
        raise SourceError(f"{text} does not exist")
    close = sorted(t for t in model_types() if t.replace("-", "_").startswith(text[:3].lower()))
    hint = f" (did you mean {', '.join(close[:5])}?)" if close else ""
    raise SourceError(f"unknown SOURCE {text!r}: not a path, not a transformers model_type{hint}, "
                      f"not a Hub id like org/name")


def _checked(config: dict, path: Path, trust: bool = False) -> dict:
    mt = config.get("model_type")
    if not mt:
        raise SourceError(f"{path} has no 'model_type'; add it (e.g. \"model_type\": \"llama\")")
    if mt not in model_types() and not wants_remote(config, trust):
        raise refuse(config, str(path))
    return config


def _base_model(directory: Path, config: dict) -> str | None:
    """A tiny artifact remembers where it came from; anything else is its own base."""
    card = directory / "README.md"
    if card.is_file():
        m = re.search(r"^base_model:\s*(\S+)", card.read_text(encoding="utf-8", errors="replace"),
                      re.M)
        if m:
            return m.group(1)
    return config.get("_name_or_path") or None


def default_config(model_type: str) -> dict:
    from transformers import AutoConfig

    from .model.registry import TYPE_DEFAULTS
    from .model.registry_fill import SUBCONFIG_DEFAULTS

    config = AutoConfig.for_model(model_type).to_dict()
    config.update(json.loads(json.dumps(TYPE_DEFAULTS.get(model_type, {}))))  # a deep copy
    for key, values in SUBCONFIG_DEFAULTS.get(model_type, {}).items():  # merged, not replaced
        if isinstance(config.get(key), dict):
            config[key].update(json.loads(json.dumps(values)))
    return config


def hub_snapshot(repo_id: str, patterns: list[str], repo_type: str = "model") -> Path:
    """Download (or find in the HF cache) only the files matching `patterns`."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import (
        GatedRepoError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
    )

    try:
        return Path(snapshot_download(repo_id, repo_type=repo_type, allow_patterns=patterns))
    except (RepositoryNotFoundError, GatedRepoError) as e:
        raise SourceError(f"Hub repo {repo_id} not found or gated ({type(e).__name__}); check the "
                          f"id, or log in with `hf auth login`") from None
    except LocalEntryNotFoundError:
        offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on")
        why = "HF_HUB_OFFLINE is set" if offline else "the Hub cannot be reached"
        raise OfflineError(f"{repo_id} is not in the Hugging Face cache and {why}; go online "
                           f"once to cache it, or pass a local directory") from None
    except OSError as e:
        raise OfflineError(f"cannot fetch {repo_id} from the Hub ({e}); pass a local directory "
                           f"or go online") from None


def config_class(model_type: str):
    from transformers import CONFIG_MAPPING

    return remote.config_class(model_type) or CONFIG_MAPPING[model_type]


def normalized_config(config: dict) -> dict:
    """The published dict as transformers 5 reads it (v5 keys, `rope_parameters` …), minus keys
    the config class derives itself (they are recomputed from the tiny sizes) and keys a tiny
    local model must not carry (quantization, remote code)."""
    import warnings

    cls = config_class(config["model_type"])
    raw = {k: v for k, v in config.items() if k not in DROPPED_KEYS}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            loaded = cls.from_dict(raw)
        except Exception as e:  # transformers' own validators name the broken field
            raise SourceError(f"config.json does not load as {cls.__name__}: "
                              f"{str(e).strip().splitlines()[-1]}") from None
    return strip_derived(loaded.to_dict(), cls)


def strip_derived(d: dict, cls) -> dict:
    """Drop keys the config class computes in __post_init__, recursively for sub-configs."""
    derived = _derived_keys(cls)
    out = {}
    for k, v in d.items():
        if k in DROPPED_KEYS or k in derived:
            continue
        sub = getattr(cls, "sub_configs", {}).get(k)
        if isinstance(v, dict) and "model_type" in v and v["model_type"] in model_types():
            out[k] = strip_derived(v, config_class(v["model_type"]))
        elif isinstance(v, dict) and sub is not None and dataclasses.is_dataclass(sub):
            out[k] = strip_derived(v, sub)
        else:
            out[k] = v
    return out


@lru_cache(maxsize=None)
def _derived_keys(cls) -> frozenset[str]:
    import warnings

    if not dataclasses.is_dataclass(cls):
        return frozenset()
    amap = getattr(cls, "attribute_map", {})
    # both sides of an alias are settings (Kimi-Linear stores `num_experts` for the
    # `num_local_experts` field): only keys no field or alias names are derived
    fields = {f.name for f in dataclasses.fields(cls)} | set(amap) | set(amap.values())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            full = cls().to_dict()
        except Exception:
            return frozenset()
        derived = set(full) - fields
        # a key the class's own from_dict cannot load without is a setting (TimmWrapper's
        # `num_classes`, written by to_dict, read back as num_labels)
        if _own_from_dict(cls) and _loads(cls, full):
            derived -= {k for k in derived
                        if not _loads(cls, {x: v for x, v in full.items() if x != k})}
    # a backbone's out_features / out_indices are set in __post_init__ but chosen by the user
    # (DETR-likes read stages 2-4): settings, not derived
    # dots3: `per_layer_config` (layer index -> size overrides) is filled from defaults when
    # absent, so dropping it would rebuild full-size layers
    return frozenset(derived - {"model_type", "output_attentions", "out_features",
                                "out_indices", "per_layer_config"})


def _loads(cls, d: dict) -> bool:
    try:
        cls.from_dict(d)
    except Exception:
        return False
    return True


def _own_from_dict(cls) -> bool:
    from transformers import PreTrainedConfig

    return getattr(cls.from_dict, "__func__", None) is not PreTrainedConfig.from_dict.__func__
