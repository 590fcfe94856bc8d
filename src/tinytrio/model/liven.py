"""Weight matrices an architecture initializes to zero get seeded random values instead.

Some `_init_weights` zero a whole matrix because a trained checkpoint overwrites it (gemma3's and
t5gemma2's `mm_input_projection_weight`, zero position embeddings, residual output projections).
In a random tiny model that leaves a dead path: every image token embeds to zero, nothing upstream
of the matrix gets a gradient, and RMSNorm of the all-zero vectors blows the gradient of the
matrix itself up to an infinite norm, so Trainer's clipping zeroes every update. Real checkpoints
never hold such a matrix, so the tiny model should not either. Vectors (norm scales, biases,
gates) keep their designed constant init.
"""

from __future__ import annotations


def init_std(config) -> float:
    """The architecture's initializer_range (its text config's), else 0.02."""
    from .media import _text_config  # the decoder's where two text configs make it ambiguous

    for cfg in (config, _text_config(config)):
        std = getattr(cfg, "initializer_range", None)
        if isinstance(std, (int, float)) and not isinstance(std, bool) and std > 0:
            return float(std)
    return 0.02


# model_type -> why: its _init_weights draws conv kernels at a fixed std (initializer_range) that
# vanishes through the depth of the tiny tower; the build redraws them at a fan-in scale instead
FAN_IN_CONVS = {
    "align": "EfficientNet blocks at std 0.02 shrink activations ~1e4 each: the image embedding "
             "underflows to 0 and its L2 normalization divides by it (NaN logits)",
}


def fan_in_convs(model) -> list[str]:
    """Redraw the conv kernels of a FAN_IN_CONVS type kaiming-normal (linear gain: the variance
    of the activations stays put), from the RNG the build seeded; return their names."""
    import torch

    if getattr(model.config, "model_type", None) not in FAN_IN_CONVS:
        return []
    names = []
    with torch.no_grad():
        for name, mod in model.named_modules():
            if isinstance(mod, torch.nn.modules.conv._ConvNd):
                torch.nn.init.kaiming_normal_(mod.weight, nonlinearity="linear")
                names.append(name)
    return names


def liven_zero_matrices(model) -> list[str]:
    """Give every all-zero parameter of two or more dimensions normal(0, initializer_range)
    values, from the RNG the build seeded; return their names. Conv kernels of a FAN_IN_CONVS
    type are redrawn first (fan_in_convs)."""
    import torch

    fan_in_convs(model)
    std = init_std(model.config)
    names = []
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() >= 2 and p.numel() and p.is_floating_point() and not p.any():
                p.normal_(0.0, std)
                names.append(name)
    return names
