"""Inputs of models that generate images from images (GLM-Image): the grid of each image to
generate rides in `image_grid_thw` after the row's source grids, `images_per_sample` counts both,
each source image becomes as many placeholders as the VQ quantizer makes codes of it, and the
source image's run of placeholders sits between the ids that mark an image's bounds."""

from __future__ import annotations

import inspect

import torch

# Target grids per row in image-to-image mode: the image being generated (GLM-Image's processor
# appends one grid per row, the last of the row; text-to-image rows carry two, a large and a preview)
TARGET_GRIDS = 1

# model_type -> the config keys of the ids that open and close a source image's placeholders:
# GLM-Image's get_rope_index finds each source image between them (its 2-D positions)
IMAGE_RUN_BOUNDS: dict[str, tuple[str, str]] = {
    "glm_image": ("image_start_token_id", "image_end_token_id"),
}


def images_per_sample(ctx):
    """The row's images, source and target: `image_grid_thw` becomes [row 0's source grids, its
    target grid, row 1's …], the target the same grid as the source (one source image per row)."""
    name = "image_grid_thw" if "image_grid_thw" in ctx.inputs else "grid_thw"
    grid = ctx.inputs.get(name)
    if grid is None or grid.shape[0] % ctx.batch:
        return None
    sources = grid.reshape(ctx.batch, -1, grid.shape[-1])
    rows = torch.cat([sources, sources[:, -1:].expand(-1, TARGET_GRIDS, -1)], dim=1)
    return {name: rows.reshape(-1, grid.shape[-1]),
            "images_per_sample": torch.full((ctx.batch,), rows.shape[1], dtype=torch.long)}


def quantized_codes(ctx, feats):
    """A model that quantizes its image features into codes for the text (get_image_tokens over
    `hidden_states`: GLM-Image's VQ model) places one placeholder per code: the codes, flattened;
    any other model's features unchanged."""
    for owner in (ctx.model, getattr(ctx.model, "model", None)):
        getter = getattr(owner, "get_image_tokens", None)
        if getter is not None and "hidden_states" in inspect.signature(getter).parameters:
            with torch.no_grad():
                return getter(feats).reshape(-1)
    return feats


def bound_image_runs(ctx) -> None:
    """Put the config's image-start and image-end ids around each row's run of placeholders."""
    keys = IMAGE_RUN_BOUNDS.get(getattr(ctx.config, "model_type", None))
    ids = ctx.inputs.get("input_ids")
    from .media import image_token_id

    token = image_token_id(ctx.config)
    if not keys or ids is None or token is None or not (ids == token).any(dim=1).all():
        return
    start, end = (torch.tensor([getattr(ctx.config, k)]) for k in keys)
    rows = []
    for row in ids:
        where = (row == token).nonzero().flatten()
        a, b = int(where[0]), int(where[-1]) + 1
        rows.append(torch.cat([row[:a], start, row[a:b], end, row[b:]]))
    ctx.inputs["input_ids"] = torch.stack(rows)
    if "attention_mask" in ctx.inputs:
        ctx.inputs["attention_mask"] = torch.ones_like(ctx.inputs["input_ids"])
