"""Crop-patch images, builders as in media.py (Molmo2): the processor cuts each image into a
low-resolution view plus high-resolution crops, each crop flattened into its patches, so
`pixel_values` is [crops, patches per crop, p * p * C] over the whole batch. Beside it:

- `image_token_pooling` [tokens, pool * pool]: per language-model token, the flat indices (over
  every crop of the batch) of the patches its adapter pools; -1 pads a window past the grid edge;
- `image_grids` [images, 4]: each image's pooled (low rows, low cols, high rows, high cols);
- `image_num_crops` [images]: crops per image.

One image per row, as the processor makes it for an image no larger than one crop: the low-res
view and a single (1 x 1 tiling) high-res crop, each pooled in POOL x POOL windows, so the text
holds low rows x low cols + high rows x high cols image tokens.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .media import Ctx, _channels, _get, _image_hw, image_config

POOL = 2          # patches per side pooled into one token (the processor's pooling_size)
CROPS = 2         # per image: the low-res view + one high-res crop


def _side(vc) -> int:
    """Patches per crop side: the tower's position table holds one row per patch of a crop."""
    p = getattr(vc, "patch_size", 14)
    p = p[0] if isinstance(p, (list, tuple)) else p
    n = _get((vc,), "num_position_embeddings", default=None)
    if isinstance(n, int) and round(n ** 0.5) ** 2 == n:
        return round(n ** 0.5)
    return max(1, _image_hw(vc)[0] // p)


def pool_windows(side: int, offset: int, pool: int = POOL) -> torch.Tensor:
    """[ceil(side / pool)², pool²] patch indices of a side x side crop starting at `offset`,
    the grid padded evenly with -1 to a multiple of pool (as the processor's windows are)."""
    grid = torch.arange(side * side).reshape(side, side) + offset
    pad = -side % pool
    grid = F.pad(grid, (pad // 2, (pad + 1) // 2, pad // 2, (pad + 1) // 2), value=-1)
    rows = grid.shape[0] // pool
    return grid.reshape(rows, pool, rows, pool).permute(0, 2, 1, 3).reshape(rows * rows, pool * pool)


def crop_patches(ctx: Ctx):
    """pixel_values as crops of patches, with their pooling windows, grids and crop counts."""
    if "image_token_pooling" in ctx.inputs:
        return None
    vc = image_config(ctx.config)
    p = getattr(vc, "patch_size", 14)
    p = p[0] if isinstance(p, (list, tuple)) else p
    side = _side(vc)
    n = side * side
    pv = torch.rand((ctx.batch * CROPS, n, p * p * _channels(vc)), generator=ctx.gen)
    pooled = [pool_windows(side, (image * CROPS + crop) * n)
              for image in range(ctx.batch) for crop in range(CROPS)]
    rows = -(-side // POOL)
    return {"pixel_values": pv, "image_token_pooling": torch.cat(pooled),
            "image_grids": torch.tensor([[rows, rows, rows, rows]] * ctx.batch),
            "image_num_crops": torch.full((ctx.batch,), CROPS, dtype=torch.long)}
