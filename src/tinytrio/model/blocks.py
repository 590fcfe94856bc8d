"""Per-block spec lists: nested stage lists of per-block tuples that carry channel counts.

PP-LCNet's `block_configs` is [[[kernel, in_channels, out_channels, stride, se], …], …] (one list
per stage). Its channel entries are widths like any per-stage width list: they share one scale
with the level's other width lists (so the stem's output still feeds the first block), and a
scalar width equal to one of them (PP-LCNet-v3's `stem_channels`) follows it.

Scalar parts of one concatenation (registry.WIDTH_SPLITS: LayoutLMv3's 4 coordinate + 2 shape
embeddings make hidden_size) are split anew so their weighted sum is the tiny width.
"""

from __future__ import annotations

import copy

from .._values import is_int as _int
from . import registry as R


def _leaves(value):
    """Every per-block spec (a list holding a non-list first entry) under a nested list."""
    if isinstance(value, list) and value and not isinstance(value[0], list):
        yield value
    elif isinstance(value, list):
        for x in value:
            yield from _leaves(x)


def spec_channels(d: dict) -> list[int]:
    """The channel counts in this level's block spec lists (they join the width scale)."""
    return [leaf[i] for key, idx in R.BLOCK_SPECS.items() if isinstance(d.get(key), list)
            for leaf in _leaves(d[key]) for i in idx if i < len(leaf) and _int(leaf[i])]


def scale_specs(d: dict, H: int, top: int | None, mt: str | None) -> dict:
    """New values for the block spec lists and for the scalar widths that equal a channel: the
    per-stage width rule (x * H / top, multiples of 8, at most 4 H)."""
    from .shrink import _round, family  # shrink imports this module

    channels = set(spec_channels(d))
    if not channels or not top:
        return {}

    def scale(x: int) -> int:
        return _round(x * H / top, 8, 8, 4 * H)

    def walk(value, idx):
        if isinstance(value, list) and value and not isinstance(value[0], list):
            return [scale(x) if i in idx and _int(x) else x for i, x in enumerate(value)]
        return [walk(x, idx) for x in value] if isinstance(value, list) else value

    out = {key: walk(d[key], idx) for key, idx in R.BLOCK_SPECS.items()
           if isinstance(d.get(key), list)}
    out.update({k: scale(v) for k, v in d.items()
                if _int(v) and v in channels and family(k, mt) == "width"})
    return out


def width_splits(d: dict, H: int, H0: int | None) -> dict:
    """New values for scalar sizes whose weighted sum is the width (registry.WIDTH_SPLITS): each
    scaled by H / H0, then the remainder given to the heaviest parts so the sum is H exactly."""
    out = {}
    for keys, weights in R.WIDTH_SPLITS.items():
        values = [d.get(k) for k in keys]
        if not H0 or not all(_int(v) for v in values) or sum(
                w * v for w, v in zip(weights, values)) != H0:
            continue
        parts = [max(1, v * H // H0) for v in values]
        rest = H - sum(w * p for w, p in zip(weights, parts))
        for i in sorted(range(len(keys)), key=lambda i: -weights[i]):
            parts[i] += max(0, rest) // weights[i]
            rest -= max(0, rest) // weights[i] * weights[i]
        if rest == 0:
            out.update(zip(keys, parts))
    return out


def follow_parts(d: dict) -> None:
    """A size kept at a composite's level that is one entry of a part's per-stage width list
    (registry.FOLLOW_PARTS) takes that entry's tiny value; the part is already shrunk."""
    for (mt, key), (part, list_key, i) in R.FOLLOW_PARTS.items():
        widths = (d.get(part) or {}).get(list_key) if isinstance(d.get(part), dict) else None
        if d.get("model_type") == mt and _int(d.get(key)) and isinstance(widths, list) and \
                -len(widths) <= i < len(widths):
            d[key] = widths[i]


def channel_multipliers(d: dict) -> dict:
    """Float channel multipliers (MobileNet `depth_multiplier`, MobileViTv2 `width_multiplier`)
    scale every conv width the code derives from constants: capped at the smallest published
    variant's (registry.CHANNEL_MULTIPLIERS)."""
    return {k: min(d[k], cap) for k, cap in R.CHANNEL_MULTIPLIERS.items()
            if isinstance(d.get(k), (int, float)) and not isinstance(d[k], bool)}


def vq_top_width(d: dict, new: dict, family) -> dict:
    """A VQGAN's widest stage is `base_channels x channel_multiplier[-1]`; a scalar width equal
    to it in the original (Emu3's attention `hidden_size`, read by the mid and top-stage attention
    blocks) follows the tiny base: the attention runs on that stage's channels."""
    mults = d.get("channel_multiplier")
    base = next((k for k in d if family(k) == "vq_base" and _int(d[k]) and _int(new.get(k))), None)
    if base is None or not (isinstance(mults, list) and mults and _int(mults[-1])):
        return {}
    top0, top = d[base] * mults[-1], new[base] * mults[-1]
    return {k: top for k, v in d.items() if _int(v) and v == top0 and family(k) == "width"}


def timm_model_args(d: dict) -> None:
    """A timm tower (`architecture` + `model_args`) gets the tiny kwargs registered for its
    architecture (registry_fill.TIMM_MODEL_ARGS) where the config passes none."""
    from .registry_fill import TIMM_MODEL_ARGS

    args = TIMM_MODEL_ARGS.get(d.get("architecture"))
    if args is not None and "model_args" in d and not d["model_args"]:
        d["model_args"] = copy.deepcopy(args)
