"""Sizes the modeling code links to the width by arithmetic the config does not spell out.

Each table below is data (model_type or key -> the link, one-line reason each); the functions
apply them during shrinking:

- WIDTH_MULTIPLES: the tiny width must be a multiple of a number the code divides it by
  (LiLT splits hidden_size into 6 layout embeddings), rounded to the nearest such multiple.
- MIN_HEAD_DIMS: the narrowest head the code works with (CLVP's rotary dim is at least 32): fewer
  heads at the tiny width.
- WIDTH_COEFFICIENTS: a float the code multiplies every per-stage width by (EfficientNet's
  `width_coefficient`): the lists scale so that the *built* widths top out at the tiny width.
- MERGED_WIDTHS: a composite's width that is a part's width times merge_size² (a pixel shuffle
  folds merge x merge patches into the channels): it follows the tiny part. SHUFFLED_WIDTHS: the
  same within one level, by a float shuffle ratio (hidden_size / ratio²).
- PART_WIDTHS: one part's input width that another part's output feeds (GLM-Image's VQ
  quantizer reads the vision tower's features): it follows the other part's tiny value.
- AXIAL_SHAPES: factors whose product is the only length the model trains on (Reformer): capped,
  and the training inputs are that long (train_length).
- UNFOLDED_LAYERS: a config class that rewrites num_hidden_layers from a per-stack count: the
  original is read back in the form the class splits itself (the real count in num_hidden_layers).
"""

from __future__ import annotations

import math

from .._values import is_int as _int


def _lcm_of_factors(d: dict, keys: tuple[str, ...], rounded: int) -> int:
    """lcm of rounded / factor over float factors: width x factor stays a multiple of rounded."""
    return math.lcm(*[round(rounded / d[k]) for k in keys if isinstance(d.get(k), (int, float))
                      and d[k] > 0 and (rounded / d[k]).is_integer()] or [1])


# model_type -> (config level, heads) -> the number the tiny width must be a multiple of
WIDTH_MULTIPLES = {
    # 6 layout embeddings of hidden_size // 6 are concatenated back to hidden_size, and the layout
    # attention splits each head by channel_shrink_ratio
    "lilt": lambda d, A: math.lcm(6, A * d.get("channel_shrink_ratio", 1)),
    # the cache rounds qk / v widths (hidden x factor) up to multiples of 64; the mLSTM layer does
    # not: they agree only when hidden x factor already is one
    "xlstm": lambda d, A: math.lcm(A, _lcm_of_factors(d, ("qk_dim_factor", "v_dim_factor"), 64)),
}

# float multipliers of the per-stage width lists, applied in code (round_filters)
WIDTH_COEFFICIENTS = ("width_coefficient",)  # EfficientNet, ALIGN's vision tower

# (model_type, key) -> the part whose hidden_size x merge_size² it is
MERGED_WIDTHS = {
    # the vision tower pixel-shuffles 2 x 2 patches into 4 x its width before the projector
    ("muse_glimmer", "out_hidden_size"): "vision_config",
    ("muse_spark", "out_hidden_size"): "vision_config",
}

# (model_type, key) -> the float ratio whose pixel shuffle makes it hidden_size / ratio² wide
SHUFFLED_WIDTHS = {
    # Llama-4's vision adapter: fc1 reads the pixel-shuffled patches (1408 / 0.5² = 5632), which
    # the config names intermediate_size although it is no FFN width
    ("llama4_vision_model", "intermediate_size"): "pixel_shuffle_ratio",
}

# (model_type, key) -> the whole multiple of hidden_size it must stay (no FFN cap): Voxtral's
# projector reshapes the tower's output by intermediate_size, 4 frames per audio token
RATIO_WIDTHS = {("voxtral_encoder", "intermediate_size"): 4}

# (model_type, part, key) -> (other part, its key): a part's input width that another part's output
# feeds: it follows that part's tiny value
PART_WIDTHS = {
    # GLM-Image's VQ quantizer encodes the vision tower's features: quant_conv reads latent_channels
    ("glm_image", "vq_config", "latent_channels"): ("vision_config", "hidden_size"),
}

# lists of factors whose product is the one length the model trains on -> the cap of each factor
# (Reformer's axial position embeddings: training asserts prod(axial_pos_shape) == sequence length;
# [8, 8] makes 64 tokens, within one attention chunk)
AXIAL_SHAPES = {"axial_pos_shape": 8}

# model_type -> (key holding the real per-stack layer count, the key the class splits it from)
UNFOLDED_LAYERS = {
    # HRM: num_hidden_layers = per-stack x H_cycles x (L_cycles + 1) cache slots, derived
    "hrm_text": ("num_layers_per_stack", "num_hidden_layers"),
}


# model_type -> the narrowest head its code works with: fewer heads at the tiny width where the
# default count would make them narrower
MIN_HEAD_DIMS = {
    "clvp_encoder": 32,  # its rotary dim is max(projection_dim // (2 x heads), 32) of each head
}


def heads_for_width(d: dict, H: int, A: int) -> int:
    """The tiny head count A, lowered so each head is at least MIN_HEAD_DIMS wide."""
    least = MIN_HEAD_DIMS.get(d.get("model_type"))
    return max(1, min(A, H // least)) if least else A


def width_multiple(d: dict, H: int, A: int) -> int:
    """The tiny width H rounded to the nearest multiple the level's code needs (at least one)."""
    rule = WIDTH_MULTIPLES.get(d.get("model_type"))
    if rule is None:
        return H
    m = rule(d, A)
    return max(m, m * round(H / m))


def width_coefficient(d: dict) -> float:
    """The product of the level's width coefficients above 1 (the lists shrink by it too), each
    as the tiny config keeps it (capped by registry.CHANNEL_MULTIPLIERS)."""
    from .registry import CHANNEL_MULTIPLIERS as caps

    return math.prod(max(1.0, min(d[k], caps.get(k, d[k]))) for k in WIDTH_COEFFICIENTS
                     if isinstance(d.get(k), (int, float)) and not isinstance(d[k], bool))


# (model_type, key) -> the constant the code widens by round_filters (width x coefficient, to a
# multiple of depth_divisor): the key must equal it (EfficientNet's top BatchNorm reads
# hidden_dim over the top conv's round_filters(1280) channels)
CODE_WIDTHS = {("efficientnet", "hidden_dim"): 1280, ("align_vision_model", "hidden_dim"): 1280}


def _round_filters(n: int, coefficient: float, divisor: int) -> int:
    n *= coefficient
    new = max(divisor, int(n + divisor / 2) // divisor * divisor)
    return new + divisor if new < 0.9 * n else new


def merged_widths(d: dict) -> None:
    """A composite's width that a part's pixel shuffle makes (hidden x merge²) follows the part."""
    for (mt, key), part in MERGED_WIDTHS.items():
        sub = d.get(part)
        if d.get("model_type") == mt and _int(d.get(key)) and isinstance(sub, dict) and \
                _int(sub.get("hidden_size")) and _int(sub.get("merge_size")):
            d[key] = sub["hidden_size"] * sub["merge_size"] ** 2
    for (mt, key), ratio in SHUFFLED_WIDTHS.items():
        r = d.get(ratio)
        if d.get("model_type") == mt and _int(d.get(key)) and _int(d.get("hidden_size")) and \
                isinstance(r, float) and 0 < r < 1:
            d[key] = round(d["hidden_size"] / r ** 2)
    for (mt, key), ratio in RATIO_WIDTHS.items():
        if d.get("model_type") == mt and _int(d.get(key)) and _int(d.get("hidden_size")):
            d[key] = d["hidden_size"] * ratio
    for (mt, part, key), (other, width) in PART_WIDTHS.items():
        p, o = d.get(part), d.get(other)
        if d.get("model_type") == mt and isinstance(p, dict) and isinstance(o, dict) and \
                _int(p.get(key)) and _int(o.get(width)):
            p[key] = o[width]


def linked_sizes(d: dict) -> None:
    """The links at one (already shrunk) config level: merged widths and axial factors."""
    merged_widths(d)
    for (mt, key), const in CODE_WIDTHS.items():
        if d.get("model_type") == mt and _int(d.get(key)) and \
                isinstance(d.get("width_coefficient"), (int, float)):
            d[key] = _round_filters(const, d["width_coefficient"], d.get("depth_divisor", 8))
    for key, cap in AXIAL_SHAPES.items():
        if isinstance(d.get(key), list) and all(_int(x) for x in d[key]):
            d[key] = [min(x, cap) for x in d[key]]


def train_length(config) -> int | None:
    """The one sequence length a model trains on (prod of its axial factors), or None."""
    for key in AXIAL_SHAPES:
        shape = getattr(config, key, None)
        if getattr(config, "axial_pos_embds", True) and isinstance(shape, (list, tuple)) and shape:
            return math.prod(shape)
    return None


def unfold_layers(config: dict) -> None:
    """Read a folded layer count back as the config class's own input form (in place)."""
    keys = UNFOLDED_LAYERS.get(config.get("model_type"))
    if keys and _int(config.get(keys[0])):
        config[keys[1]], config[keys[0]] = config[keys[0]], None
