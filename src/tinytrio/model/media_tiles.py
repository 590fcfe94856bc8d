"""Image inputs beyond media.py's, builders as there. Tiled images (Mllama): each image cut into
tiles of the vision tower's size, the tiling named by an aspect-ratio id, and a cross-attention
mask from text tokens to tiles; image positions marked by a mask rather than a token (Kosmos-2)."""

from __future__ import annotations

import torch

from .media import Ctx, image_config, text_ids
from .media import _count_image_tokens as count_image_tokens


def _tiling(vc) -> tuple[int, int]:
    """(index + 1 of the tiling used, tiles): the largest supported tiling within max_num_tiles."""
    most = getattr(vc, "max_num_tiles", None) or 1
    ratios = getattr(vc, "supported_aspect_ratios", None) or [[1, 1]]
    fits = [(h * w, i) for i, (h, w) in enumerate(ratios) if h * w <= most] or [(1, 0)]
    tiles, index = max(fits)
    return index + 1, tiles  # id 0 is reserved for padding (no image)


def aspect_ratio_ids(ctx: Ctx):
    """pixel_values [B, images, tiles, C, H, W] with one image per row, its tiling's id and mask."""
    pv = ctx.inputs.get("pixel_values")
    if pv is None or pv.dim() != 4:
        return None
    rid, tiles = _tiling(image_config(ctx.config))
    tiled = pv[:, None, None].expand(-1, 1, tiles, -1, -1, -1).contiguous()
    return {"pixel_values": tiled, "aspect_ratio_ids": torch.full((ctx.batch, 1), rid),
            "aspect_ratio_mask": torch.ones((ctx.batch, 1, tiles), dtype=torch.long)}


def cross_attention_mask(ctx: Ctx):
    """Every text token sees every tile of every image: [B, text, images, tiles]. Built once the
    media placeholders are in place (it follows the final text length)."""
    pv, ids = ctx.inputs.get("pixel_values"), ctx.inputs.get("input_ids")
    if pv is None or ids is None or pv.dim() != 6:
        return None
    return torch.ones((ctx.batch, ids.shape[1], pv.shape[1], pv.shape[2]), dtype=torch.long)


def image_embeds_position_mask(ctx: Ctx):
    """Kosmos-2: no image token id; a mask marks the text positions the image embeddings fill.
    One run of them (as many as the model's features per image) goes before the text."""
    ids = ctx.inputs.get("input_ids")
    if ctx.inputs.get("pixel_values") is None or ids is None:
        return None
    n = count_image_tokens(ctx)
    out = {"input_ids": torch.cat([text_ids(ctx.config, ctx.batch, n, ctx.gen), ids], 1),
           "image_embeds_position_mask": torch.cat([torch.ones((ctx.batch, n), dtype=torch.long),
                                                    torch.zeros_like(ids)], 1)}
    if "attention_mask" in ctx.inputs:
        out["attention_mask"] = torch.ones_like(out["input_ids"])
    return out


def pixel_attention_mask(ctx: Ctx):
    """Real images (all of them) of a stack: per pixel [B, images, H, W] (IDEFICS-2/3), or per
    tile [B, tiles] (Granite-Docling), as the layout probe finds."""
    pv = ctx.inputs.get("pixel_values")
    if pv is None or pv.dim() != 5:
        return None
    if ctx.layout.get("pmask") == "tile":
        return torch.ones(pv.shape[:2], dtype=torch.bool)
    return torch.ones((*pv.shape[:2], *pv.shape[-2:]), dtype=torch.bool)
