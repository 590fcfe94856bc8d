"""The tables `inputs.py` reads: which builder makes each forward argument, and which optional
arguments must come with an input when the forward takes them."""

from __future__ import annotations

from .media import (
                    bbox,
                    context_hidden_states,
                    encoder_hidden_states,
                    grid_thw,
                    high_res_pixel_values,
                    image_attention_mask,
                    image_sizes,
                    input_ids,
                    inputs_embeds,
                    lang_ids,
                    merge_sizes,
                    noise_embeds,
                    ones_like_pixels,
                    patch_positions,
                    pixel_values,
                    qformer_ids,
                    query_embeds,
                    text_ids,
                    videos,
                    visual_feats,
)
from .media_av import (
    any_mask, audio_mel, codebook_decoder_ids, feature_mask, hidden_states, input_features, input_values, latents,
    past_values, robot_state, trajectory, with_frame_codes,
)
from .media_crops import crop_patches
from .media_gen import images_per_sample
from .media_prompts import class_prompts, inference_session, stacked_prompt
from .media_tiles import (
    aspect_ratio_ids, cross_attention_mask, image_embeds_position_mask, pixel_attention_mask,
)


def train_input_ids(ctx):
    """Text ids; in training mode as long as a model that trains on one length needs (Reformer's
    prod(axial_pos_shape), linked.train_length), else the usual SEQ."""
    from .linked import train_length

    n = train_length(ctx.config) if ctx.model.training else None
    ids = text_ids(ctx.config, ctx.batch, n, ctx.gen) if n else input_ids(ctx)
    return with_frame_codes(ctx.config, ids, ctx.gen)  # Kyutai STT: + codes per frame


def task_inputs(ctx):
    """OneFormer: the task prompt's ids, padded to task_seq_len (the width of its task MLP)."""
    return text_ids(ctx.config, ctx.batch, ctx.config.task_seq_len, ctx.gen)


def sample_lengths(ctx):
    """Waveform samples per audio chunk (Dots3's chunk_sample_lengths): every frame of the
    features valid, hop_length samples each."""
    import torch

    feats = ctx.inputs["input_features"]
    audio = getattr(ctx.config, "audio_config", None) or ctx.config
    hop = getattr(audio, "hop_length", None) or 160
    return torch.full((feats.shape[0],), feats.shape[-1] * hop, dtype=torch.long)


def time_condition(ctx):
    """A time conditioning vector, [1, 1, hidden] (broadcast over the batch): what Voxtral-
    Realtime's model hands its text model, the time embedding of its delay, through **kwargs."""
    import torch

    return torch.randn((1, 1, ctx.config.hidden_size), generator=ctx.gen)


# argument name -> builder
ARGS = {
    "input_ids": train_input_ids, "attention_mask": any_mask,
    "decoder_input_ids": codebook_decoder_ids, "task_inputs": task_inputs,
    "pixel_values": pixel_values, "prompt_pixel_values": stacked_prompt,
    "prompt_masks": stacked_prompt, "pixel_values_videos": videos,
    "image_sizes": image_sizes, "grid_thw": grid_thw, "image_grid_thw": grid_thw,
    "hidden_states": hidden_states, "latents": latents, "pixel_mask": ones_like_pixels,
    "input_features": input_features, "input_features_mask": feature_mask,
    "feature_attention_mask": feature_mask, "input_values": input_values, "audio_mel": audio_mel,
    "qformer_input_ids": qformer_ids, "query_embeds": query_embeds, "bbox": bbox,
    "inputs_embeds": inputs_embeds, "visual_feats": visual_feats,
    "states": trajectory, "state": robot_state,
    "past_values": past_values, "pixel_position_ids": patch_positions,
    "image_position_ids": patch_positions, "high_res_pixel_values": high_res_pixel_values,
    "image_attention_mask": image_attention_mask, "merge_sizes": merge_sizes,
    "image_merge_sizes": merge_sizes, "encoder_hidden_states": encoder_hidden_states,
    "lang_ids": lang_ids, "noise_embeds": noise_embeds,
    "context_hidden_states": context_hidden_states,
    "aspect_ratio_ids": aspect_ratio_ids, "aspect_ratio_mask": aspect_ratio_ids,
    "cross_attention_mask": cross_attention_mask,
    "image_embeds_position_mask": image_embeds_position_mask,
    "pixel_attention_mask": pixel_attention_mask,
    "chunk_sample_lengths": sample_lengths, "t_cond": time_condition,
    "inference_session": inference_session,  # video trackers: frames + prompts (+ frame_idx)
    # open-vocabulary detectors (OmDet-Turbo): task + class-name prompts, flattened classes
    **dict.fromkeys(("classes_input_ids", "classes_attention_mask", "tasks_input_ids",
                     "tasks_attention_mask", "classes_structure"), class_prompts),
    # Molmo2: images as crops of patches, with the patch windows each image token pools
    "image_token_pooling": crop_patches, "image_grids": crop_patches,
    "image_num_crops": crop_patches,
    "images_per_sample": images_per_sample,  # GLM-Image: + the grid of the image to generate
}
# builders that follow the final text length: run after the media placeholders are placed
LATE = ("cross_attention_mask",)
# an input -> the optional arguments that must come with it when the forward takes them
COMPANIONS = [
    ("input_ids", ("attention_mask", "bbox", "visual_feats", "lang_ids")),
    ("pixel_values", ("image_sizes", "image_grid_thw", "images_per_sample", "qformer_input_ids",
                      "image_position_ids", "high_res_pixel_values", "image_attention_mask",
                      "image_merge_sizes", "aspect_ratio_ids", "aspect_ratio_mask",
                      "cross_attention_mask", "image_embeds_position_mask",
                      "pixel_attention_mask", "image_token_pooling", "image_grids",
                      "image_num_crops")),
    ("input_features", ("input_features_mask", "feature_attention_mask",
                        "chunk_sample_lengths")),
    ("query_embeds", ("encoder_hidden_states",)),
    ("past_values", ("past_observed_mask", "past_time_features", "future_time_features")),
]
