"""Image-token counts that follow the tiny vision grid (moved out of shrink.py, which calls it
once per config level after the vision tower's grid is known)."""

from __future__ import annotations

import math

from .._values import is_int as _int
from . import registry as R


def image_token_counts(d: dict, grids: list[tuple[int, int]]) -> None:
    """`image_seq_length` & co. follow the tiny vision grid (576 = 24² → 16 = 4²)."""
    if not grids:
        return
    grid0, grid = grids[0]
    pins = d.get("image_grid_pinpoints")
    if isinstance(pins, list) and all(isinstance(p, list) and len(p) == 2 for p in pins):
        # any-resolution grids are in pixels of the vision tower's image size: follow it
        d["image_grid_pinpoints"] = [[max(1, x * grid // grid0) for x in p] for p in pins]
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
