"""The tiny image grid: the image size shrinks to a few patches per side (shrink_image_grid), and
image-token counts follow that grid (image_token_counts). shrink.py calls both per config level."""

from __future__ import annotations

import math

from .._values import is_int as _int
from . import registry as R

# Towers whose processor class fixes the tokens per image with a constant no saved setting
# overrides: model_type -> (patches per side the tiny grid keeps, attention heads or None). The
# patch shrinks instead, so the image side stays tiny; where the tower's eager global attention
# over grid² patches would cost seconds per call, it keeps one head. One line of reason each.
PROCESSOR_GRIDS: dict[str, tuple[int, int | None]] = {
    # GotOcr2Processor.num_image_tokens = 256 (a class attribute, not an __init__ argument):
    # the projector's two stride-2 convs turn a 64-patch side into 16 x 16 features
    "got_ocr2_vision": (64, 1),
    # DeepseekOcr2VisionModel learns 144 queries (12 x 12, nn.Embedding(144) in code); its
    # processor counts ceil(side / patch / 4)² tokens per view: a 48-patch SAM side gives 144
    "deepseek_ocr2_sam_vision_model": (48, None),
}
# Composites whose image processor makes images of fixed sides only, whatever a saved size says:
# composite model_type -> (the image side its vision tower keeps, patches per side). The patch
# grows so the grid stays small. One line of reason each.
PROCESSOR_SIDES: dict[str, tuple[int, int]] = {
    # AriaImageProcessor raises unless max_image_size is 490 or 980 and AriaProcessor's class
    # images_kwargs force 980: a 35 px patch gives 28 (980) / 14 (490) patches a side
    "aria": (980, 28),
}


def image_token_counts(d: dict, grids: list[tuple[int, int]]) -> None:
    """`image_seq_length` & co. follow the tiny vision grid (576 = 24² → 16 = 4²)."""
    if not grids:
        return
    grid0, grid = grids[0]
    pins = d.get("image_grid_pinpoints")
    if isinstance(pins, list) and all(isinstance(p, list) and len(p) == 2 for p in pins):
        # any-resolution grids are in pixels of the vision tower's image size: follow it, in
        # whole tiles of the tiny tower (Granite-4 Vision's default pins 336 px for a 224 px tower)
        side = next((v["image_size"] for v in d.values() if isinstance(v, dict)
                     and _int(v.get("image_size"))), None)
        d["image_grid_pinpoints"] = [[max(1, round(x * grid / grid0 / side)) * side if side
                                      else max(1, x * grid // grid0) for x in p] for p in pins]
    for key in R.IMAGE_TOKEN_COUNTS:
        v = d.get(key)
        if not _int(v) or v <= 0:
            continue
        if v == grid0 * grid0 + 1:  # a CLS token rides along
            d[key] = grid * grid + 1
        else:  # pooled tokens: the side must divide the grid (gemma3 pools 64² patches to 16²)
            side = max(1, round(math.sqrt(v) * grid / grid0))
            side = max(s for s in range(1, side + 1) if grid % s == 0)
            d[key] = side * side
    for key in R.WINDOW_FRACTIONS:
        q, _, w = str(d.get(key)).partition("/")
        if q.isdigit() and w.isdigit() and int(w) > 0 and grid % int(w):
            q, w = int(q), int(w)
            k = next((k for k in range(2, w + 1) if q % k == 0 and w % k == 0 and
                      grid % (w // k) == 0), None)
            if k is not None:
                d[key] = f"{q // k}/{w // k}"
    for key in R.PATCH_COUNT_DICTS:
        table = d.get(key)  # (keys are strings once saved as JSON)
        if not isinstance(table, dict) or not table or not all(
                str(x).isdigit() and int(x) > 0 for kv in table.items() for x in kv):
            continue
        top, full = max(int(v) for v in table.values()), max(int(k) for k in table)
        # the largest key is the tower's full image (its default config may be a different tower)
        d[key] = {str(max(1, round(math.sqrt(int(k) / full) * grid)) ** 2):
                  max(1, int(v) * min(top, R.DEFAULTS["queries"]) // top) for k, v in table.items()}


def shrink_image_grid(d: dict, family, outer: str | None = None) -> tuple[int, int] | None:
    """Shrink the image size to a few patches per side; return (original, tiny) patches per side
    (None when the level has no patch grid). `family` maps a key of this level to its family;
    `outer` is the model_type of the composite holding this level (PROCESSOR_SIDES)."""
    key = next((k for k in d if family(k) == "image"), "image_size")
    size, patch = d.get(key), d.get("patch_size")  # LayoutLMv3 names it input_size
    if isinstance(size, list) and len(size) == 2 and all(_int(x) for x in size):
        # a square [p, p] patch of a square image is a patch of side p (InternViT's [14, 14]);
        # Hiera's [7, 7] is a conv kernel at another stride (patch_stride), not a patch
        if isinstance(patch, list) and len(set(patch)) == 1 and _int(patch[0]) and \
                size[0] == size[1] and "patch_stride" not in d and \
                d.get("model_type") not in R.KERNEL_PATCHES:
            patch = patch[0]
        size = max(size)
    if not _int(size) or not _int(patch) or patch <= 0 or size < patch:
        if _int(size) and not _int(patch):  # a list stays a list (Hiera: [224, 224])
            cap = R.UNPATCHED_SIDE.get(d.get("model_type"), 32)
            d[key] = [min(size, cap)] * 2 if size != d[key] else min(size, cap)
        return None
    grid0 = size // patch
    merge = max(d.get("spatial_merge_size") or 1, d.get("merge_size") or 1)
    # a hierarchical model halves the grid at each later stage: the last stage keeps >= 1
    stages = max([len(v) for k, v in d.items() if isinstance(v, list) and family(k)
                  in ("stage_layers", "heads", "width")] or [1])
    need = max(2 ** (stages - 1), d.get("output_stride") or 1)  # a conv net: >= 1 patch out
    if stages > 1 and _int(d.get("window_size")) and d["window_size"] > 2:
        d["window_size"] = 2  # shifted windows of 2 patches; every stage holds one window
        need *= 2
    grid = min(grid0, max(R.DEFAULTS["image_grid"], merge, need))
    grid -= grid % merge
    grid = max(grid, merge)
    side, fixed_grid = PROCESSOR_SIDES.get(outer, (None, None))
    if side:  # the processor's side stays; the patch grows to fit the grid
        patch = side // fixed_grid
        d["patch_size"] = [patch] * 2 if isinstance(d["patch_size"], list) else patch
        grid = fixed_grid
    fixed, heads = PROCESSOR_GRIDS.get(d.get("model_type"), (None, None))
    if fixed and grid < fixed <= grid0:  # the side stays; the patch shrinks to fit the grid
        patch = max(1, grid * patch // fixed)
        d["patch_size"] = [patch] * 2 if isinstance(d["patch_size"], list) else patch
        grid = fixed
        if heads and _int(d.get("num_attention_heads")):
            d["num_attention_heads"] = heads
    d[key] = [grid * patch] * 2 if isinstance(d[key], list) else grid * patch
    return grid0, grid
