"""Remote code: the configuration and modeling files a checkpoint ships beside config.json and
names in its `auto_map`. They run only with --trust-remote-code (`trust_remote_code=True`).

Without it, a config whose model_type transformers knows uses the native class (the `auto_map`
is dropped), and any other config is refused with one line that names the flag. With it, the
classes `auto_map` names are imported from the source directory through transformers' own
dynamic-module loader and registered here, so that `config_class()` and `pick_model_class()`
return them like native ones, and in transformers' auto registry for this process. They are also
registered for their auto classes, so that `save_pretrained` copies the code files into the tiny
artifact and writes its `auto_map`: the artifact loads with `trust_remote_code=True`, tinytrio
uninstalled.
"""

from __future__ import annotations

from pathlib import Path

from .errors import OfflineError, SourceError

# model_type -> (config class, {auto class name: model class}), for this process
_LOADED: dict[str, tuple[type, dict[str, type]]] = {}
# the order in which a head is chosen when `architectures` names none of the remote classes
HEADS = ("AutoModelForCausalLM", "AutoModelForSeq2SeqLM", "AutoModelForImageTextToText",
         "AutoModelForMaskedLM", "AutoModelForSequenceClassification", "AutoModel")


def wants_remote(config: dict, trust: bool) -> bool:
    """Whether this config is built from its remote code: it names some, and the user trusts it.
    (transformers does the same: with trust_remote_code, `auto_map` wins over a native class.)"""
    return bool(trust and isinstance(config.get("auto_map"), dict)
                and config["auto_map"].get("AutoConfig"))


def refuse(config: dict, where: str) -> SourceError:
    """The one-line error for a config that needs remote code the user has not trusted."""
    amap = config.get("auto_map")
    mt = config.get("model_type")
    if isinstance(amap, dict) and amap.get("AutoConfig"):
        return SourceError(f"{where}: model_type {mt!r} is not in transformers; its code ships "
                           f"with the checkpoint ({amap['AutoConfig']}); pass "
                           f"--trust-remote-code to run it, or use a native model_type")
    return SourceError(f"{where}: model_type {mt!r} is not known to this transformers and "
                       f"config.json names no remote code (auto_map); upgrade transformers or "
                       f"use a native model_type")


def load_remote(directory: Path | None, config: dict) -> str:
    """Import and register the classes `auto_map` names; returns the model_type."""
    from transformers.dynamic_module_utils import get_class_from_dynamic_module

    mt = config.get("model_type")
    if mt in _LOADED:
        return mt
    if directory is None:
        raise SourceError(f"model_type {mt!r}: remote code needs a directory or Hub id that "
                          f"holds its .py files")
    amap = config["auto_map"]

    def load(ref):
        ref = ref[0] if isinstance(ref, (list, tuple)) else ref
        try:
            return get_class_from_dynamic_module(ref, str(directory))
        except OSError as e:  # a `repo--module.Class` reference elsewhere, not cached offline
            raise OfflineError(f"cannot load remote code {ref} ({str(e).splitlines()[0]}); "
                               f"go online once, or copy its .py files beside config.json") from None
        except Exception as e:  # the checkpoint's own code failed to import: name it
            raise SourceError(f"remote code {ref} in {directory} does not import: "
                              f"{type(e).__name__}: {str(e).strip().splitlines()[-1]}") from None

    config_cls = load(amap["AutoConfig"])
    config_cls.register_for_auto_class("AutoConfig")
    models = {}
    for auto_name, ref in amap.items():
        if auto_name.startswith("AutoModel") and ref:
            cls = load(ref)
            cls.register_for_auto_class(auto_name)
            models[auto_name] = cls
    if not models:
        raise SourceError(f"{directory}: auto_map names a config but no model class "
                          f"(AutoModel…); nothing to build")
    _LOADED[mt] = (config_cls, models)
    _register_with_auto(mt, config_cls, models)
    return mt


def _register_with_auto(mt: str, config_cls, models: dict) -> None:
    """Once trusted, the classes stand in transformers' auto registry for this process, so that
    AutoTokenizer / AutoProcessor / pipelines on the tiny artifact find them without asking again
    (they would prompt for trust_remote_code on stdin). A native model_type keeps its mapping."""
    import transformers
    from transformers import CONFIG_MAPPING, AutoConfig

    if mt in CONFIG_MAPPING and CONFIG_MAPPING[mt] is not config_cls:
        return
    if getattr(config_cls, "model_type", None) != mt:
        return  # AutoConfig.register requires the class's own model_type
    AutoConfig.register(mt, config_cls, exist_ok=True)
    for auto_name, cls in models.items():
        auto = getattr(transformers, auto_name, None)
        if auto is not None and hasattr(auto, "register"):
            auto.register(config_cls, cls, exist_ok=True)


def config_class(model_type: str):
    """The remote config class registered for model_type, or None."""
    entry = _LOADED.get(model_type)
    return entry[0] if entry else None


def model_class(config: dict):
    """The remote model class for a config (its `architectures` head first), or None."""
    entry = _LOADED.get(config.get("model_type"))
    if entry is None:
        return None
    models = entry[1]
    by_name = {cls.__name__: cls for cls in models.values()}
    for arch in config.get("architectures") or []:
        if arch in by_name:
            return by_name[arch]
    for auto_name in HEADS:
        if auto_name in models:
            return models[auto_name]
    return next(iter(models.values()))
