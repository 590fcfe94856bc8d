"""The fidelity figure: how many non-size config keys a tiny config keeps unchanged.

Sizes, token ids, per-layer lists (cut by design; their kinds are counted by layers.py) and
values that follow the kept layers or the tiny vision grid are not counted.
"""

from __future__ import annotations

from . import registry as R
from .layers import _per_layer
from .rope import _rope_kind
from .shrink import family, is_subconfig, is_token_id_key


def fidelity(original: dict, tiny: dict, model_type: str | None = None) -> tuple[int, int]:
    """(non-size keys kept unchanged, non-size keys in the original), over the whole tree."""
    kept = total = 0
    mt = original.get("model_type", model_type)
    for key, value in original.items():
        if is_subconfig(key, value):
            k, t = fidelity(value, tiny.get(key) or {}, mt)
            kept, total = kept + k, total + t
            continue
        if family(key, mt) not in (None, "keep") or is_token_id_key(key):
            continue
        if key in ("vocab_size", "transformers_version", "_name_or_path") or key in R.INDEX_LISTS:
            continue
        if isinstance(value, list) and any(k in key for k in ("layer", "block")):
            continue  # per-layer lists are cut by design; their kinds are counted separately
        if _per_layer(value) or key in ("out_indices", "out_features"):
            continue  # per-layer overrides and backbone outputs follow the kept layers
        if key in R.IMAGE_TOKEN_COUNTS or key in ("vision_feature_layer", "select_layer",
                                                  "image_grid_pinpoints"):
            continue
        total += 1
        if key in ("rope_parameters", "rope_scaling") and isinstance(value, dict):
            kept += _rope_kind(tiny.get(key)) == _rope_kind(value)
        else:
            kept += tiny.get(key, object()) == value
    return kept, total

