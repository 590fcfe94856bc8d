"""One image side for a whole composite model (SAM-2, SAM-3 trackers), after every level shrank.

A level with a patch size shrinks its image side to a whole patch grid (1024 px / 16 -> 64 px);
a level without one (SAM-2's Hiera backbone, a tracker's top-level `image_size`) only caps it.
Where both held the same original side, the model reads them as one image, so the unpatched ones
follow the patched level's tiny side. Feature-map sizes derived from the side (registry
IMAGE_FRACTIONS: `backbone_feature_sizes` = side / 4, / 8, / 16) keep their fraction of it.
"""

from __future__ import annotations

import math

from .._values import is_int as _int

# Feature-map sizes (nested lists) that are the model's image side over a stride: they keep their
# fraction of the tiny side. SAM-2/3: the FPN levels at side / 4, / 8, / 16 that the image
# embeddings are viewed as; the trackers' memory attention rotates over the last one.
IMAGE_FRACTIONS = ("backbone_feature_sizes", "memory_attention_rope_feat_sizes",
                   "memory_attention_rope_k_sizes",  # EdgeTAM: the memory's pooling windows
                   "low_res_mask_size",  # SAM-3 video: the detector's masks, at side / 3.5
                   "visual_prompt_size")  # TVP: the frame pad's width, inside max_img_size
# Counts that are the product of such a list (count key -> list key). EdgeTAM's 2-D perceiver
# pools the memory map into one latent per window: sqrt(latents) windows per side.
WINDOW_COUNTS = {"perceiver_resampler_num_latents_2d": "memory_attention_rope_k_sizes"}
# Config classes whose image side is a property the config file may omit, and that propagates a
# default side to every sub-config when unset: model_type -> key, set to the tiny side.
IMAGE_SIDE_ABSENT = {"sam3_tracker_video": "image_size"}  # __post_init__ resets it to 1008 px


def _side(v):
    """The side of an image size (an int, or a square [h, w]); None for anything else."""
    if _int(v):
        return v
    if isinstance(v, list) and len(v) == 2 and all(_int(x) for x in v) and v[0] == v[1]:
        return v[0]
    return None


def _levels(original: dict, tiny: dict):
    """(original level, tiny level) pairs for the whole tree, the root first."""
    from .shrink import is_subconfig

    yield original, tiny
    for key, value in original.items():
        if is_subconfig(key, value) and isinstance(tiny.get(key), dict):
            yield from _levels(value, tiny[key])


def _image_keys(o: dict, t: dict):
    from .shrink import family

    for key, value in o.items():
        if family(key, o.get("model_type")) == "image" and _side(value) and key in t:
            yield key, _side(value)


def _scaled(value, s0: int, s: int):
    if isinstance(value, list):
        return [_scaled(x, s0, s) for x in value]
    return max(1, round(value * s / s0)) if _int(value) else value


def follow_image_side(original: dict, tiny: dict) -> None:
    levels = list(_levels(original, tiny))
    sides = [(s0, _side(t[k]), _int(o.get("patch_size")) and s0 >= o["patch_size"])
             for o, t in levels for k, s0 in _image_keys(o, t) if _side(t[k])]
    # the patched level sets the side; without one, an unpatched side that was capped (TVP)
    patched = [(s0, s) for s0, s, p in sides if p] or [(s0, s) for s0, s, _ in sides if s < s0]
    if not patched:
        return
    s0, s = patched[0]
    for o, t in levels:
        for key, side0 in _image_keys(o, t):
            if side0 == s0 and not _int(o.get("patch_size")):
                t[key] = [s, s] if isinstance(t[key], list) else s
        if o.get("patch_size") == s0 and not any(_image_keys(o, t)):
            t["patch_size"] = s  # DepthPro tiles its image into patch_size crops, each a whole
            # image of its ViT encoders: the crop follows their tiny side
        for key in IMAGE_FRACTIONS:
            if isinstance(o.get(key), list) or _int(o.get(key)):
                t[key] = _scaled(o[key], s0, s)
        for key, list_key in WINDOW_COUNTS.items():
            if _int(o.get(key)) and isinstance(t.get(list_key), list):
                t[key] = math.prod(t[list_key])
        key = IMAGE_SIDE_ABSENT.get(o.get("model_type"))
        if key and key not in t:
            t[key] = s
