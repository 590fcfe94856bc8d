"""Shrink processor config dicts so they match a tiny model: pure functions, no transformers.

`Target` reads what the tiny model expects from its config (image side, patch and merge sizes,
tokens per image, mel bins, audio positions); each `shrink_*` maps one component's dict to the
tiny one by key name, never by architecture:

- image / video processors: every pixel edge (`size`, `crop_size`, `max_image_size` …) becomes
  the tiny image side; pixel *areas* (`min_pixels` / `max_pixels`, Qwen2-VL's area-valued
  `size`) become the tiny side squared; patch / merge / temporal patch sizes follow the config;
  tokens per image follow the config; videos keep a few frames.
- feature extractors: `feature_size` = the model's mel bins; the window (`n_samples`,
  `chunk_length`, `nb_max_frames`) = what the tiny encoder's positions cover.
- processors: tokens per image, patch size, merge size, and any kwarg named like a config key.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .._values import is_int as _int
from ..model import registry as MR
from . import registry as R

EDGE_KEYS = ("height", "width", "shortest_edge", "longest_edge", "max_height", "max_width")
SIZE_KEYS = ("size", "crop_size", "max_image_size", "image_size", "tile_size", "pad_size")
AREA_KEYS = ("min_pixels", "max_pixels")
# a second tower's config (DeepSeek-VL hybrid's high_res_vision_config, a SAM at 1024 px): the
# image processor's `<prefix>_size` resizes for it
TOWER = "_vision_config"


def _find(d: dict, key: str, prefer: tuple[str, ...] = ("vision_config",)) -> Any:
    """The first value of `key` in the config tree: preferred sub-configs first, then the top."""
    for sub in prefer:
        if isinstance(d.get(sub), dict) and d[sub].get(key) is not None:
            return d[sub][key]
    if d.get(key) is not None:
        return d[key]
    for value in d.values():
        if isinstance(value, dict):
            found = _find(value, key, ())
            if found is not None:
                return found
    return None


def _side(v: Any) -> int | None:
    if _int(v):
        return v
    if isinstance(v, (list, tuple)) and v and all(_int(x) for x in v):
        return max(v)
    if isinstance(v, dict):
        vals = [x for x in v.values() if _int(x)]
        return max(vals) if vals else None
    return None


@dataclass(frozen=True)
class Target:
    """What the tiny model expects of its inputs."""

    image_side: int | None = None     # pixels per image side
    patch: int | None = None
    merge: int | None = None
    temporal_patch: int | None = None
    grid0: int | None = None          # original patches per side
    grid: int | None = None           # tiny patches per side
    tokens: int | None = None         # tokens per image (the config's, else derived)
    mel_bins: int | None = None
    audio_positions: int | None = None  # the audio encoder's positions (frames / 2 for Whisper)
    original_audio_positions: int | None = None
    strategy: str | None = None       # vision_feature_select_strategy
    hw0: tuple | None = None          # the original [h, w] image size, where not square
    shared: tuple = ()                # (key, tiny value) of R.SHARED_SIZES the model config holds
    switches: tuple = ()              # (switch, tiny value) of R.SWITCHED_MODES' config switches
    towers: tuple = ()                # (prefix, side) of each `<prefix>_vision_config` tower

    @classmethod
    def of(cls, original: dict, tiny: dict) -> "Target":
        patch = _side(_find(tiny, "patch_size"))
        merge = _side(_find(tiny, "spatial_merge_size")) or _side(_find(tiny, "merge_size"))
        side = _side(_find(tiny, "image_size")) or _named_side(tiny)
        side0 = _side(_find(original, "image_size")) or _named_side(original)
        stride = _find(tiny, "patch_stride")
        if side is None and isinstance(stride, list) and stride and all(_int(x) for x in stride):
            patch = math.prod(stride)  # a pyramid tower (DaViT, CvT): one token per total stride
        if side is None and patch:  # dynamic resolution: the default tiny grid of merged tokens
            side = MR.DEFAULTS["image_grid"] * patch * (merge or 1)
        grid = side // patch if side and patch else None
        grid0 = side0 // patch if side0 and patch else None
        tokens = next((tiny_v for k in R.RESAMPLER_TOKENS + R.IMAGE_TOKEN_COUNTS
                       if _int(tiny_v := _find(tiny, k, ("text_config", "vision_config")))), None)
        if tokens is None and grid:
            sf = _find(tiny, "scale_factor")
            shrink = sf if _int(sf) and sf > 1 else (merge or 1)  # pixel shuffle / patch merger
            tokens = (grid // shrink) ** 2 + (
                _find(tiny, "model_type", ("vision_config",)) in R.POOLED_TOKEN_TOWERS)
        mults = _find(tiny, "channel_multiplier", ("vq_config",))
        if tokens is None and patch is None and isinstance(mults, list) and len(mults) > 1:
            # a VQGAN image tokenizer (Chameleon): one code per 2**(levels - 1) pixels a side
            tokens = ((side or R.DEFAULT_SIDE) // 2 ** (len(mults) - 1)) ** 2
        audio = ("audio_config", "encoder_config", "encoder")
        mel = _find(tiny, "num_mel_bins", audio)
        pos = _find(tiny, "max_source_positions", audio)
        pos0 = _find(original, "max_source_positions", audio)
        strategy = _find(tiny, "vision_feature_select_strategy")
        temporal = _side(_find(tiny, "temporal_patch_size")) or R.TEMPORAL_PATCH.get(
            tiny.get("model_type"))
        return cls(side, patch, merge, temporal, grid0, grid,
                   tokens, mel if _int(mel) else None, pos if _int(pos) else None,
                   pos0 if _int(pos0) else None, strategy if isinstance(strategy, str) else None,
                   _hw(_find(original, "image_size")),
                   tuple((k, tiny[k]) for k in R.SHARED_SIZES if _int(tiny.get(k))),
                   tuple((sw, v) for sw, _, _ in R.SWITCHED_MODES.values()
                         if isinstance(v := _find(tiny, sw, audio), bool)),
                   tuple((k[:-len(TOWER)], s) for k, v in tiny.items() if k.endswith(TOWER)
                         and isinstance(v, dict) and (s := _side(v.get("image_size")))))


def _named_side(d: dict) -> int | None:
    """The image side a model names otherwise (registry ARCH_KEYS "image": TVP's max_img_size)."""
    return next((_side(d[k]) for (mt, k), fam in MR.ARCH_KEYS.items()
                 if fam == "image" and mt == d.get("model_type") and k in d), None)


def _hw(v: Any) -> tuple | None:
    """A non-square [h, w] image size (SegGPT's [896, 448]: the prompt stacked on the input)."""
    ok = isinstance(v, (list, tuple)) and len(v) == 2 and all(_int(x) and x > 0 for x in v)
    return tuple(v) if ok and v[0] != v[1] else None


def _edges(value: Any, side: int) -> Any:
    """A pixel size (int, [h, w] or a dict of edges/areas) at the tiny side."""
    if _int(value):
        return side if value > R.MAX_EDGE or value >= side else value
    if isinstance(value, list) and len(value) == 2 and all(_int(x) for x in value):
        return [side, side]
    if not isinstance(value, dict):
        return value
    out = dict(value)
    area = any(_int(v) and v > R.MAX_EDGE for v in value.values())
    if area:  # {shortest_edge: min_pixels, longest_edge: max_pixels}
        hi = side * side
        for k, v in value.items():
            if _int(v):
                out[k] = hi if v >= hi or k in ("longest_edge", "max_pixels") else v
        return out
    short, long = value.get("shortest_edge"), value.get("longest_edge")
    for k in EDGE_KEYS:
        if _int(value.get(k)):
            out[k] = side
    if _int(short) and _int(long) and short > 0 and long > short:  # DETR-style: keep the ratio
        out["longest_edge"] = math.ceil(side * long / short)
    return out


def shrink_image_processor(d: dict, t: Target) -> dict:
    """An image (or video) processor dict at the tiny model's image size."""
    out = dict(d)
    side = t.image_side
    towers = dict(t.towers)
    for key, value in d.items():
        if key.endswith("_size") and key[:-len("_size")] in towers:
            out[key] = _edges(value, towers[key[:-len("_size")]])
        elif key in SIZE_KEYS and side:
            out[key] = _edges(value, side)
        elif key in AREA_KEYS and _int(value) and side:
            out[key] = min(value, side * side) if key == "min_pixels" else side * side
        elif key == "patch_size" and t.patch:
            out[key] = ({k: t.patch for k in value} if isinstance(value, dict) else t.patch)
        elif key in ("merge_size", "spatial_merge_size") and t.merge:
            out[key] = t.merge
        elif key == "temporal_patch_size" and t.temporal_patch:
            out[key] = t.temporal_patch
        elif key in R.IMAGE_TOKEN_COUNTS and _int(value) and t.tokens:
            out[key] = t.tokens
        elif key == "num_frames" and _int(value):
            out[key] = min(value, R.VIDEO_FRAMES)
        elif key in R.PATCH_MARGINS and t.grid and t.grid0:
            out[key] = _margins(value, t.grid, t.grid0)
    size = d.get("size")
    if t.hw0 and side and isinstance(size, dict) and all(
            _int(size.get(k)) and size[k] <= t.hw0[i] for i, k in enumerate(EDGE_KEYS[:2])):
        # each edge keeps its fraction of the config's side on that axis (SegGPT: half the height);
        # edges past the config's are a default unrelated to it (MGP-STR's ViT 224 for 32 x 128)
        out["size"] = {**out["size"], **{k: max(1, round(side * size[k] / t.hw0[i]))
                                         for i, k in enumerate(EDGE_KEYS[:2])}}
    if _int(out.get("min_pixels")) and _int(out.get("max_pixels")):
        out["min_pixels"] = min(out["min_pixels"], out["max_pixels"])
    return out


def _margins(value: Any, grid: int, grid0: int) -> Any:
    """Overlap margins in patches (one per edge) at the tiny grid: each keeps its fraction of the
    crop, at least 1 where the original overlaps, and together they leave >= 1 patch of window."""
    if not (isinstance(value, list) and value and all(_int(m) for m in value)):
        return value
    out = [max(1, round(m * grid / grid0)) if m > 0 else 0 for m in value]
    while sum(out) >= grid and max(out) > 0:
        out[out.index(max(out))] -= 1
    return out


def shrink_feature_extractor(d: dict, t: Target) -> dict:
    """An audio feature extractor dict whose window is what the tiny encoder's positions cover."""
    out = dict(d)
    out.update({k: v for k, v in t.shared if _int(d.get(k))})
    if t.mel_bins and _int(d.get("feature_size")) and d["feature_size"] > 1:
        out["feature_size"] = t.mel_bins
    if t.mel_bins and _int(d.get("num_mel_bins")):
        out["num_mel_bins"] = t.mel_bins
    for key, (switch, mode, other) in R.SWITCHED_MODES.items():
        on = dict(t.switches).get(switch)
        if on is not None and d.get(key) in (mode, other):
            out[key] = mode if on else other
    frames0 = d.get("nb_max_frames")
    if t.audio_positions and _int(frames0) and _int(d.get("hop_length")):
        frames = R.FRAMES_PER_POSITION * t.audio_positions
        if t.original_audio_positions and frames0 != R.FRAMES_PER_POSITION * \
                t.original_audio_positions:
            frames = frames0 * t.audio_positions // t.original_audio_positions
        samples = frames * d["hop_length"]
        out["nb_max_frames"] = frames
        if _int(d.get("n_samples")):
            out["n_samples"] = samples
        rate = d.get("sampling_rate")
        if _int(d.get("chunk_length")) and _int(rate) and rate:
            out["chunk_length"] = max(1, samples // rate)
    return out


def shrink_processor_kwargs(d: dict, t: Target, tiny: dict) -> dict:
    """A processor's own kwargs (processor_config.json) matched to the tiny config."""
    out = dict(d)
    for key, value in d.items():
        if key in R.IMAGE_TOKEN_COUNTS and (value is None or _int(value)) and t.tokens:
            # None: "from the model" (LLaVA-OneVision takes math.sqrt of it)
            cls_token = t.grid0 is not None and value == t.grid0 ** 2 + 1
            out[key] = t.tokens + (1 if cls_token and t.tokens == (t.grid or 0) ** 2 else 0)
        elif key == "patch_size" and t.patch:
            out[key] = t.patch
        elif key in R.SIDE_TOKEN_TABLES and isinstance(table := _find(tiny, R.SIDE_TOKEN_TABLES[
                key]), dict) and table and t.patch:  # (a None default: the class's own table)
            out[key] = {math.isqrt(int(n)) * t.patch: q for n, q in table.items()}
        elif key in ("img_size", "image_size") and _int(value) and t.image_side:
            out[key] = t.image_side  # Aya Vision: tokens per tile = (img_size // patch_size)²
        elif key in ("spatial_merge_size", "merge_size") and t.merge:
            out[key] = t.merge
        elif key == "vision_feature_select_strategy" and t.strategy:
            out[key] = t.strategy
        elif (value is None or _int(value)) and not key.endswith(("_token_id", "_token_index")):
            # None defaults mean "the model's": BLIP-2's num_query_tokens adds no image tokens
            tiny_value = _find(tiny, key)  # (Granite-4 Vision's downsample_rate "2/4": a string)
            if _int(tiny_value) or (value is None and isinstance(tiny_value, str)):
                out[key] = tiny_value
    return out
