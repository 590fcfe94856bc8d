"""Inputs that carry a prompt.

Video trackers (SAM-2 / SAM-3 / EdgeTAM video) take an `inference_session`: a stateful object
holding the video frames and the prompts, which the forward reads and writes. It is built the way
their processors' `init_video_session` + `add_inputs_to_inference_session` (or `add_text_prompt`)
build it: the session class the forward names, a short video at the model's image side, and one
prompt per batch row (a point per object, or a text prompt), on frame 0.

A forward writes its outputs into the session and later calls on the same frame reuse them, so the
checks hand every forward its own copy (check.core.fresh).
"""

from __future__ import annotations

import inspect

import torch

from .media import SEQ, Ctx, _channels, _frames, _image_hw, image_config, text_ids


def _image_side(config) -> tuple[int, int]:
    """The model's input image side: its own `image_size`, its vision tower's, or the first one a
    sub-config holds (SAM-3 video: the detector's and the tracker's are the same)."""
    size = getattr(config, "image_size", None)
    if size:
        return _image_hw(config)
    vc = image_config(config)
    if vc is not config:
        return _image_hw(vc)
    for value in vars(config).values():
        if hasattr(value, "to_dict") and hasattr(value, "model_type"):
            return _image_side(value)
    return 32, 32


def _vocab_config(config):
    """The first sub-config, depth first, that holds a vocab (SAM-3 video: its detector's text
    encoder, which get_text_config() does not reach)."""
    for value in vars(config).values():
        if hasattr(value, "to_dict") and hasattr(value, "model_type"):
            if getattr(value, "vocab_size", None):
                return value
            found = _vocab_config(value)
            if found is not None:
                return found
    return None


def inference_session(ctx: Ctx):
    cls = ctx.params["inference_session"].annotation
    if not inspect.isclass(cls):
        return None
    h, w = _image_side(ctx.config)
    c = _channels(image_config(ctx.config))
    frames = max(2, _frames(ctx.config))
    video = torch.rand((frames, c, h, w), generator=ctx.gen)
    dtype = getattr(ctx.model, "dtype", torch.float32)
    session = cls(video=video, video_height=h, video_width=w, dtype=dtype)
    if hasattr(session, "add_prompt"):  # SAM-3 video: detects what a text prompt names
        tc = _vocab_config(ctx.config)
        for row in range(ctx.batch):
            pid = session.add_prompt(f"object {row}")
            ids = text_ids(tc, 1, SEQ, ctx.gen) if tc is not None else torch.ones(1, SEQ).long()
            session.prompt_input_ids[pid] = ids
            session.prompt_attention_masks[pid] = torch.ones_like(ids)
    else:  # a point (label 1: foreground) per object, as the processor adds clicks
        ids = list(range(1, ctx.batch + 1))
        for i, obj_id in enumerate(ids):
            idx = session.obj_id_to_idx(obj_id)
            xy = torch.tensor([[[[w * (i + 1) / (ctx.batch + 1), h / 2]]]], dtype=torch.float32)
            session.add_point_inputs(idx, 0, {"point_coords": xy,
                                              "point_labels": torch.ones(1, 1, 1).int()})
        session.obj_with_new_inputs = ids
    return {"inference_session": session, "frame_idx": 0}


def stacked_prompt(ctx: Ctx):
    """In-context segmentation (SegGPT): the prompt image and its mask are stacked above the
    input image and its target along the height, so each is half the configured image height."""
    vc = image_config(ctx.config)
    h, w = _image_hw(vc)
    c = _channels(vc)
    return {k: torch.rand((ctx.batch, c, max(1, h // 2), w), generator=ctx.gen)
            for k in ("pixel_values", "prompt_pixel_values", "prompt_masks")}


CLASSES = 2  # class names per detection task (open-vocabulary detectors)


def class_prompts(ctx: Ctx):
    """Open-vocabulary detection (OmDet-Turbo): one task prompt per image and CLASSES class
    names each, the class prompts flattened over the batch, as its processor makes them:
    classes_input_ids [batch * CLASSES, seq], tasks_input_ids [batch, seq], classes_structure
    [batch] (classes per task), with all-ones masks."""
    if "classes_input_ids" in ctx.inputs:
        return None
    classes = text_ids(ctx.config, ctx.batch * CLASSES, SEQ, ctx.gen)
    tasks = text_ids(ctx.config, ctx.batch, SEQ, ctx.gen)
    return {"classes_input_ids": classes, "classes_attention_mask": torch.ones_like(classes),
            "tasks_input_ids": tasks, "tasks_attention_mask": torch.ones_like(tasks),
            "classes_structure": torch.full((ctx.batch,), CLASSES, dtype=torch.long)}
