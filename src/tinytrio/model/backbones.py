"""timm backbones where timm cannot be imported: a `timm_backbone` sub-config naming a timm
architecture with a transformers equivalent (registry_fill.TIMM_EQUIVALENTS) becomes that
transformers backbone config, same stages, widths and feature maps, before shrinking; where
timm imports, the timm backbone is kept (the faithful choice). Each substitution is returned
as a line for the model card and the sweep report."""

from __future__ import annotations

import warnings


def timm_importable() -> bool:
    """What TimmBackbone itself requires (timm, torchvision, PIL)."""
    from transformers.utils import is_timm_available

    return is_timm_available()


def substitute_timm_backbones(d: dict, path: str = "") -> list[str]:
    """Rewrite, in place, every `timm_backbone` sub-config of `d` that has a transformers
    equivalent, unless timm imports. Returns what was substituted, one line each."""
    if timm_importable():
        return []
    return _walk(d, path)


def _walk(d: dict, path: str) -> list[str]:
    from .registry_fill import TIMM_EQUIVALENTS
    from .shrink import is_subconfig

    notes = []
    for key, value in list(d.items()):
        if not is_subconfig(key, value):
            continue
        where = f"{path}{key}"
        equivalent = TIMM_EQUIVALENTS.get(value.get("backbone"))
        new = _native(value, equivalent) if value.get("model_type") == "timm_backbone" else None
        if new is None:
            notes += _walk(value, where + ".")
            continue
        d[key] = new
        parent_keys = {k: v for k, v in equivalent[3].items() if k in d}
        d.update(parent_keys)
        set_too = "".join(f", {k}={v}" for k, v in parent_keys.items())
        notes.append(f"{where}: timm {value['backbone']} -> transformers {new['model_type']} "
                     f"(out_indices {new['out_indices']}{set_too}): timm cannot be imported here")
    return notes


def _native(timm_cfg: dict, equivalent) -> dict | None:
    """The transformers backbone config equal to this timm one, or None where there is none."""
    from ..sources import config_class, strip_derived
    from .registry_fill import TIMM_KWARG_KEYS

    if equivalent is None or timm_cfg.get("output_stride") or not timm_cfg.get(
            "features_only", True):
        return None  # a dilated ResNet (DETR-DC5) or a classifier: no transformers equivalent
    model_type, kwargs, index_map, _ = equivalent
    indices = timm_cfg.get("out_indices")
    if not indices or any(i not in index_map for i in indices):
        return None
    kwargs = dict(kwargs, out_indices=[index_map[i] for i in indices])
    kwargs.update({ours: timm_cfg[theirs] for theirs, ours in TIMM_KWARG_KEYS.items()
                   if timm_cfg.get(theirs) is not None})
    cls = config_class(model_type)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return strip_derived(cls(**kwargs).to_dict(), cls)
