"""Dummy inputs right for a model's modality: text, seq2seq, image, audio, and text + image.

Built from the model's `main_input_name`, its forward signature and its config, so one function
serves every architecture that follows transformers' conventions; the few input layouts that
differ (Qwen-VL's flattened patches) are data in LAYOUTS.
"""

from __future__ import annotations

import inspect

import torch

SEQ = 12  # text tokens per row (before image tokens)


def _sub(config, *names):
    for n in names:
        sub = getattr(config, n, None)
        if sub is not None:
            return sub
    return config


def _image_config(config):
    return _sub(config, "vision_config", "image_config", "vision_encoder_config")


def _text_config(config):
    getter = getattr(config, "get_text_config", None)
    return getter(decoder=True) if getter else config


def reserved_ids(config) -> set[int]:
    """Ids that plain text must avoid (image/video/audio placeholders)."""
    out = set()
    for cfg in (config, _text_config(config)):
        for k, v in cfg.to_dict().items():
            if isinstance(v, int) and not isinstance(v, bool) and k.endswith(
                    ("_token_id", "_token_index")) and k not in ("bos_token_id", "eos_token_id",
                                                                 "pad_token_id"):
                out.add(v)
    return out


def text_ids(config, batch: int, seq: int, gen: torch.Generator) -> torch.Tensor:
    vocab = getattr(_text_config(config), "vocab_size", None) or getattr(config, "vocab_size", 100)
    bad = reserved_ids(config)
    ids = torch.randint(0, vocab, (batch, seq), generator=gen)
    for b in bad:  # replace placeholders by a harmless id
        ids[ids == b] = next(i for i in range(vocab) if i not in bad)
    return ids


def pixel_values(config, batch: int, gen: torch.Generator) -> torch.Tensor:
    vc = _image_config(config)
    size = getattr(vc, "image_size", 32) or 32
    h, w = (size, size) if isinstance(size, int) else tuple(size)[:2]
    if isinstance(size, dict):
        h, w = size.get("height", 32), size.get("width", 32)
    channels = getattr(vc, "num_channels", 3) or 3
    return torch.rand((batch, channels, h, w), generator=gen)


def _qwen_patches(config, batch: int, gen: torch.Generator) -> dict:
    """Qwen-VL family: pixel_values are flattened patches plus a (t, h, w) grid per image."""
    vc = _image_config(config)
    p, t = vc.patch_size, getattr(vc, "temporal_patch_size", 2)
    merge = getattr(vc, "spatial_merge_size", 2)
    side = max(2 * merge, merge)
    channels = getattr(vc, "in_channels", getattr(vc, "num_channels", 3))
    n = side * side
    pv = torch.rand((batch * n, channels * t * p * p), generator=gen)
    grid = torch.tensor([[1, side, side]] * batch)
    return {"pixel_values": pv, "image_grid_thw": grid, "_tokens_per_image": n // (merge * merge)}


# image layouts that are not [B, C, H, W]: (predicate on the vision config, builder)
LAYOUTS = [
    # Qwen-VL, GLM-4V and kin: a temporal patch and a spatial merge mean flattened patches
    (lambda vc: hasattr(vc, "temporal_patch_size") and hasattr(vc, "spatial_merge_size"),
     _qwen_patches),
]


def _image_token_id(config):
    for k in ("image_token_id", "image_token_index"):
        v = getattr(config, k, None)
        if isinstance(v, int):
            return v
    return None


def make_inputs(model, batch: int = 2, seed: int = 0, labels: bool = False) -> dict:
    """Keyword arguments for `model(**inputs)`; with labels=True, also what a loss needs."""
    gen = torch.Generator().manual_seed(seed)
    config = model.config
    params = inspect.signature(model.forward).parameters
    main = getattr(model, "main_input_name", "input_ids")
    inputs: dict = {}
    if main == "input_ids" or "input_ids" in params and main not in (
            "pixel_values", "input_features", "input_values"):
        inputs["input_ids"] = text_ids(config, batch, SEQ, gen)
        if "attention_mask" in params:
            inputs["attention_mask"] = torch.ones_like(inputs["input_ids"])
    if main == "pixel_values" or "pixel_values" in params and (
            _image_token_id(config) is not None or _required(params["pixel_values"])
            or getattr(config, "vision_config", None) is not None):
        inputs.update(_images(model, config, batch, gen, inputs))
    elif main == "input_features":
        inputs["input_features"] = _features(config, batch, gen)
    elif main == "input_values":
        inputs["input_values"] = torch.randn((batch, 16000), generator=gen) * 0.1
    if getattr(config, "is_encoder_decoder", False) and "decoder_input_ids" in params:
        start = getattr(config, "decoder_start_token_id", None) or 0
        dec = text_ids(config, batch, 6, gen)
        dec[:, 0] = start
        inputs["decoder_input_ids"] = dec
    if labels:
        inputs.update(make_labels(model, inputs, batch, gen))
    dtype = getattr(model, "dtype", None)
    return {k: v.to(dtype) if dtype is not None and v.is_floating_point() else v
            for k, v in inputs.items()}


def _required(param: inspect.Parameter) -> bool:
    return param.default is inspect.Parameter.empty


def _features(config, batch: int, gen: torch.Generator) -> torch.Tensor:
    mels = getattr(config, "num_mel_bins", None) or getattr(config, "feature_size", 80)
    positions = getattr(config, "max_source_positions", None)
    frames = 2 * positions if positions else 64  # whisper's conv stride 2: frames = 2 × positions
    if getattr(config, "model_type", "") == "whisper":
        return torch.randn((batch, mels, frames), generator=gen)
    channels = getattr(config, "input_channels", 1)
    return torch.randn((batch, frames, mels * channels), generator=gen)


def _images(model, config, batch, gen, inputs) -> dict:
    vc = _image_config(config)
    layout = next((build for match, build in LAYOUTS if match(vc)), None)
    extra = layout(config, batch, gen) if layout else {"pixel_values": pixel_values(config, batch,
                                                                                    gen)}
    token = _image_token_id(config)
    if token is None or "input_ids" not in inputs:
        extra.pop("_tokens_per_image", None)
        return extra
    n = extra.pop("_tokens_per_image", None) or _count_image_tokens(model, extra, batch)
    ids = inputs["input_ids"]
    inputs["input_ids"] = torch.cat([torch.full((batch, n), token), ids], dim=1)
    if "attention_mask" in inputs:
        inputs["attention_mask"] = torch.ones_like(inputs["input_ids"])
    if "mm_token_type_ids" in inspect.signature(model.forward).parameters:  # M-RoPE: 1 = image
        extra["mm_token_type_ids"] = (inputs["input_ids"] == token).long()
    return extra


def _count_image_tokens(model, extra: dict, batch: int) -> int:
    """Ask the model itself how many placeholder tokens one image becomes."""
    config = model.config
    for key in ("image_seq_length", "mm_tokens_per_image", "num_image_tokens"):
        v = getattr(config, key, None)
        if isinstance(v, int) and v > 0:
            return v
    getter = getattr(model, "get_image_features", None)
    if getter is None:
        return 1
    with torch.no_grad():
        feats = getter(**extra)
    if hasattr(feats, "pooler_output") and feats.pooler_output is not None:
        feats = feats.pooler_output
    if isinstance(feats, (list, tuple)):
        return int(feats[0].shape[0]) if feats[0].dim() == 2 else int(feats[0].shape[-2])
    if feats.dim() == 3:
        return int(feats.shape[1])
    return int(feats.shape[0]) // batch


def make_labels(model, inputs: dict, batch: int, gen: torch.Generator) -> dict:
    config = model.config
    name = type(model).__name__
    params = inspect.signature(model.forward).parameters
    if "labels" not in params:
        return {}
    if name.endswith(("ForSequenceClassification", "ForImageClassification",
                      "ForAudioClassification")):
        return {"labels": torch.randint(0, max(1, config.num_labels), (batch,), generator=gen)}
    if name.endswith("ForCTC"):
        return {"labels": text_ids(config, batch, 4, gen)}
    if "decoder_input_ids" in inputs:
        return {"labels": inputs["decoder_input_ids"].clone()}
    if "input_ids" in inputs and name.endswith(("ForCausalLM", "ForMaskedLM",
                                                "ForConditionalGeneration")):
        labels = inputs["input_ids"].clone()
        labels[torch.isin(labels, torch.tensor(sorted(reserved_ids(config)) or [-1]))] = -100
        return {"labels": labels}
    return {}
