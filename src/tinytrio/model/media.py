"""One builder per forward-argument name: what a tiny model's `input_ids`, `pixel_values`, `bbox` …
look like, read off its config. A builder takes the context (model, config, batch, generator,
chosen layout, inputs so far) and returns a tensor, a dict of tensors (an input and its
companions), or None (leave it out). Audio and time series: media_av.py."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field

import torch

SEQ = 12          # text tokens per row (before media placeholders)
AUDIO_SAMPLES = 16000
FRAMES = 64       # mel frames when the config names no encoder length


def _sub(config, *names):
    for n in names:
        sub = getattr(config, n, None)
        if sub is not None and not isinstance(sub, (int, float, str, bool, list, dict)):
            return sub
    return config


def image_config(cfg):  # (T5Gemma-2: the tower sits in its encoder's config)
    n = ("vision_config", "image_config", "vision_encoder_config", "backbone_config")
    return next((v for c in (cfg, _sub(cfg, "encoder")) if (v := _sub(c, *n)) is not c), cfg)


def audio_config(config):
    return _sub(config, "audio_config", "encoder_config", "audio_encoder_config")


def _text_config(config):
    getter = getattr(config, "get_text_config", None)
    try:
        return getter(decoder=True) if getter else config
    except Exception:
        return config


def _get(cfgs, *names, default=None):
    for cfg in cfgs:
        for n in names:
            v = getattr(cfg, n, None)
            if v is not None:
                return v
    return default


def reserved_ids(config) -> set[int]:
    """Ids that plain text must avoid (image/video/audio placeholders, image-code tokens)."""
    out = set((getattr(config, "vocabulary_map", None) or {}).values())
    for cfg in (config, _text_config(config)):
        for k, v in cfg.to_dict().items():
            if isinstance(v, int) and not isinstance(v, bool) and k.endswith(
                    ("_token_id", "_token_index")) and k not in ("bos_token_id", "eos_token_id",
                                                                 "pad_token_id"):
                out.add(v)
    return out


def _vocab(config) -> int:
    from .pairing import object_text_vocab  # (an audio-code decoder's vocab is no text vocab)
    return object_text_vocab(config, _text_config(config)) or 100


def text_ids(config, batch: int, seq: int, gen: torch.Generator) -> torch.Tensor:
    vocab = _vocab(config)
    bad = reserved_ids(config)
    ids = torch.randint(0, vocab, (batch, seq), generator=gen)
    for b in bad:  # replace placeholders by a harmless id
        ids[ids == b] = next(i for i in range(vocab) if i not in bad)
    return ids


def image_token_id(config):
    """The placeholder pixel_values fill: the image token, else (a video-only model such as
    InstructBLIP-Video, whose pixel_values are frames) the video token."""
    for keys in (("image_token_id", "image_token_index"), ("video_token_id", "video_token_index")):
        for cfg in (config, _text_config(config)):
            for k in keys:
                v = getattr(cfg, k, None)
                if isinstance(v, int):
                    return v
    return None


@dataclass
class Ctx:
    model: object
    config: object
    params: dict
    batch: int
    gen: torch.Generator
    layout: dict
    inputs: dict = field(default_factory=dict)
    tokens_per_image: int | None = None
    frames: int | None = None

    def place_media_tokens(self) -> None:
        """Prepend one run of image placeholder tokens per image to input_ids."""
        token = image_token_id(self.config)
        ids = self.inputs.get("input_ids")
        if token is None or ids is None or "pixel_values" not in self.inputs:
            return
        n = _count_image_tokens(self)
        self.inputs["input_ids"] = torch.cat([torch.full((self.batch, n), token), ids], dim=1)
        if "attention_mask" in self.inputs:
            self.inputs["attention_mask"] = torch.ones_like(self.inputs["input_ids"])
        if "mm_token_type_ids" in self.params:  # M-RoPE: 1 marks an image token
            self.inputs["mm_token_type_ids"] = (self.inputs["input_ids"] == token).long()
        if "token_type_ids" in self.inputs:
            self.inputs["token_type_ids"] = torch.zeros_like(self.inputs["input_ids"])


def _names_inputs(fn) -> bool:  # not only *args / **kwargs
    return any(p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
               for p in inspect.signature(fn).parameters.values())


def feature_getters(ctx: Ctx, names: tuple[str, ...]):
    """The model's own `get_<media>_features` among `names`, on the head then its inner model, that
    name their inputs (a head may not forward them, or only as (*args, **kwargs))."""
    for owner in (ctx.model, getattr(ctx.model, "model", None)):
        for name in names:
            found = getattr(owner, name, None) if owner is not None else None
            if found is not None and _names_inputs(found):
                yield found


def call_getter(getter, ctx: Ctx, skip: tuple[str, ...], fill_required: bool = False):
    """Call a feature getter on the inputs built so far that it takes (less `skip`); fill_required:
    None for required arguments not built, as the forward passes them."""
    accepted = inspect.signature(getter).parameters
    media = {k: v for k, v in ctx.inputs.items() if k in accepted and k not in skip}
    media.update({k: None for k, p in accepted.items() if fill_required and k not in media and k
                  not in skip and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and
                  p.default is p.empty})
    with torch.no_grad():
        return getter(**media)


def _count_image_tokens(ctx: Ctx) -> int:
    """Ask the model itself, else the layout or the config, how many tokens one image becomes."""
    config = ctx.config
    counted = ctx.tokens_per_image or next((v for key in ("image_seq_length", "mm_tokens_per_image",
        "num_image_tokens", "latent_query_num") if isinstance(v := _get((config, _text_config(
            config)), key), int) and v > 0), None)
    getter = next(feature_getters(ctx, ("get_image_features", "get_video_features")), None)
    if getter is None:
        return counted or 1
    try:  # what the model itself makes of one image beats what the config says
        feats = call_getter(getter, ctx, ("input_ids", "attention_mask"))
    except Exception:
        return counted or 1
    if hasattr(feats, "pooler_output") and feats.pooler_output is not None:
        from .media_gen import quantized_codes  # (GLM-Image: one placeholder per VQ code)
        feats = quantized_codes(ctx, feats.pooler_output)
    elif getattr(feats, "deepstack_features", None):  # Granite-4 Vision: [(layer, [per image])]
        feats = feats.deepstack_features[0][1]
    elif hasattr(feats, "last_hidden_state"):
        feats = feats.last_hidden_state
    if isinstance(feats, (list, tuple)):
        return int(sum(f.shape[0] if f.dim() == 2 else f.shape[-2] for f in feats)) // ctx.batch
    if feats.dim() == 3:
        return int(feats.shape[0] * feats.shape[1]) // ctx.batch
    return max(1, int(feats.shape[0]) // ctx.batch)


# --- images and video ----------------------------------------------------------------------------

def _image_hw(vc) -> tuple[int, int]:
    size = _get((vc, getattr(vc, "backbone_config", None) or vc), "image_size", "img_size") or 32
    if isinstance(size, dict):
        return size.get("height", 32), size.get("width", 32)
    if isinstance(size, (list, tuple)):
        return tuple(size)[-2:] if len(size) >= 2 else (size[0], size[0])
    return size, size


def _channels(vc) -> int:
    return getattr(vc, "num_channels", None) or getattr(vc, "in_channels", None) or 3


def _frames(*cfgs) -> int:  # the tower's count, else the model's (TVP: beside its backbone)
    return _get(cfgs, "num_frames", "frames_per_clip", default=2)


def _merge(vc) -> int:
    """Patches merged per side into one language-model token (Kimi: `merge_kernel_size` [2, 2])."""
    m = _get((vc,), "spatial_merge_size", "merge_size", "merge_kernel_size", default=1)
    return (m[0] if isinstance(m, (list, tuple)) else m) or 1


def _flat_patches(ctx: Ctx, grid_name: str) -> dict:
    """Qwen-VL family: flattened patches plus a (t, h, w) grid per image."""
    vc = image_config(ctx.config)
    p = getattr(vc, "patch_size", 14)
    p = p[0] if isinstance(p, (list, tuple)) else p
    t = _get((vc,), "temporal_patch_size", "patch_temporal", default=1) or 1
    merge = _merge(vc)
    side = 2 * merge
    n = side * side
    pv = torch.rand((ctx.batch * n, _channels(vc) * t * p * p), generator=ctx.gen)
    grid = torch.tensor([[1, side, side]] * ctx.batch)
    ctx.tokens_per_image = n // (merge * merge)
    return {"pixel_values": pv, grid_name: grid}


def pixel_values(ctx: Ctx):
    vc = image_config(ctx.config)
    h, w = ctx.layout.get("image_hw") or _image_hw(vc)  # a size the model needs (inputs.py)
    c = _channels(vc)
    kind = ctx.layout.get("image", "bchw")
    if kind in ("flat", "patches", "cubes", "tokens"):
        name = "image_grid_thw" if "image_grid_thw" in ctx.params else "grid_thw"
        out = _flat_patches(ctx, name)
        p = getattr(vc, "patch_size", 14)
        p = p[0] if isinstance(p, (list, tuple)) else p
        t = _get((vc,), "temporal_patch_size", "patch_temporal", default=1) or 1
        m = _merge(vc)
        # unflattened: PaddleOCR-VL [C, p, p] a patch, Inkling [t, p, p, C]; Inkling-2 one
        # [m*p, m*p, C] block per language-model token, its grid counted in those tokens
        shape = {"patches": (c, p, p), "cubes": (t, p, p, c), "tokens": (m * p, m * p, c)}
        if kind in shape:
            out["pixel_values"] = out["pixel_values"].reshape(-1, *shape[kind])
        if kind == "tokens":
            out[name] = out[name] // torch.tensor([1, m, m])
        return out
    if kind == "video":
        return torch.rand((ctx.batch, _frames(vc, ctx.config), c, h, w), generator=ctx.gen)
    if kind == "strip":  # MiniCPM-V/-o: every patch side by side in one [1, C, p, n * p] strip,
        p = getattr(vc, "patch_size", 14)  # each image's patch grid in target_sizes (a 4 x 4
        side = 4                            # grid survives the two 2 x 2 merges)
        pv = torch.rand((1, c, p, ctx.batch * side * side * p), generator=ctx.gen)
        return {"pixel_values": pv, "target_sizes": torch.tensor([[side, side]] * ctx.batch)}
    if kind == "stack":  # crops per image: as many as the largest any-resolution grid needs
        pins = _get((ctx.config,), "image_grid_pinpoints", default=None) or []
        n = 1 + max([(ph // h) * (pw // w) for ph, pw in pins if ph >= h and pw >= w] or [0])
        return torch.rand((ctx.batch, n, c, h, w), generator=ctx.gen)
    if kind == "naflex":  # SigLIP-2: patches of a variable grid, with their shapes and a mask
        p = getattr(vc, "model_patch_size", None) or getattr(vc, "patch_size", 16)
        side = max(2, int((getattr(vc, "num_patches", 16) or 16) ** 0.5))
        # Gemma-4 pools k x k patches in the tower; a "model patch" is already k x k merged
        k = 1 if hasattr(vc, "model_patch_size") else getattr(vc, "pooling_kernel_size", None) or 1
        side = -(-side // k) * k
        n = side * side
        return {"pixel_values": torch.rand((ctx.batch, n, c * p * p), generator=ctx.gen),
                "spatial_shapes": torch.tensor([[side, side]] * ctx.batch),
                "pixel_attention_mask": torch.ones((ctx.batch, n), dtype=torch.long)}
    return torch.rand((ctx.batch, c, h, w), generator=ctx.gen)


def high_res_pixel_values(ctx: Ctx):
    """DeepSeek-VL hybrid: the same images again for the high-resolution (SAM) tower."""
    vc = _sub(ctx.config, "high_res_vision_config")
    h, w = _image_hw(vc)
    return torch.rand((ctx.batch, _channels(vc), h, w), generator=ctx.gen)


def image_attention_mask(ctx: Ctx):
    """IDEFICS: which of a row's images each text token sees, [batch, text, images]; all of them."""
    pv, ids = ctx.inputs.get("pixel_values"), ctx.inputs.get("input_ids")
    if pv is None or ids is None or pv.dim() != 5:
        return None
    return torch.ones((ctx.batch, ids.shape[1], pv.shape[1]), dtype=torch.long)


def patch_positions(ctx: Ctx):
    """(x, y) of each patch of a variable-grid (naflex) image: Gemma-4's `pixel_position_ids`."""
    shapes = ctx.inputs.get("spatial_shapes")
    if shapes is None:
        return None
    h, w = (int(v) for v in shapes[0])
    ys, xs = torch.meshgrid(torch.arange(h), torch.arange(w), indexing="ij")
    return torch.stack([xs.flatten(), ys.flatten()], -1).expand(ctx.batch, -1, -1).clone()


def vision_hidden_states(ctx: Ctx):
    """Vision towers that take flattened patches as `hidden_states` with a `grid_thw`."""
    if "grid_thw" not in ctx.params and "image_grid_thw" not in ctx.params:
        cfg = ctx.config
        hidden = _get((cfg,), "hidden_size", "d_model", default=64)
        return torch.randn((ctx.batch, SEQ, hidden), generator=ctx.gen)
    out = _flat_patches(ctx, "grid_thw" if "grid_thw" in ctx.params else "image_grid_thw")
    out["hidden_states"] = out.pop("pixel_values")
    return out


def grid_thw(ctx: Ctx):
    if "grid_thw" in ctx.inputs or "image_grid_thw" in ctx.inputs:
        return None
    name = "grid_thw" if "grid_thw" in ctx.params else "image_grid_thw"
    return _flat_patches(ctx, name)


def merge_sizes(ctx: Ctx):
    """VideoLLaMA-3: each image's spatial merge factor, beside its (t, h, w) grid."""
    grid = ctx.inputs.get("grid_thw", ctx.inputs.get("image_grid_thw"))
    if grid is None:
        return None
    vc = image_config(ctx.config)
    merge = _merge(vc)
    return torch.full((grid.shape[0],), merge, dtype=torch.long)


def image_sizes(ctx: Ctx):
    pv = ctx.inputs.get("pixel_values")
    if pv is None or pv.dim() < 4 or not ctx.layout.get("sizes", True):
        return None
    return torch.tensor([list(pv.shape[-2:])] * ctx.batch)


def videos(ctx: Ctx):
    vc = image_config(ctx.config)
    h, w = _image_hw(vc)
    return torch.rand((ctx.batch, _frames(vc), _channels(vc), h, w), generator=ctx.gen)


def ones_like_pixels(ctx: Ctx):
    pv = ctx.inputs.get("pixel_values")
    if pv is None:
        return None
    return torch.ones((pv.shape[0], *pv.shape[-2:]), dtype=torch.long)


# --- text and its companions ---------------------------------------------------------------------

def input_ids(ctx: Ctx):
    return text_ids(ctx.config, ctx.batch, SEQ, ctx.gen)


def attention_mask(ctx: Ctx):
    ids = ctx.inputs.get("input_ids")
    return torch.ones_like(ids) if ids is not None else None


def decoder_input_ids(ctx: Ctx):
    start = getattr(ctx.config, "decoder_start_token_id", None) or 0
    dec = text_ids(ctx.config, ctx.batch, 6, ctx.gen)
    dec[:, 0] = start
    return dec


def qformer_ids(ctx: Ctx):
    qc = _sub(ctx.config, "qformer_config")
    ids = torch.randint(0, getattr(qc, "vocab_size", 100) or 100, (ctx.batch, SEQ),
                        generator=ctx.gen)
    return {"qformer_input_ids": ids, "qformer_attention_mask": torch.ones_like(ids)}


def query_embeds(ctx: Ctx):
    n = _get((ctx.config,), "num_query_tokens", default=4)
    return torch.randn((ctx.batch, n, ctx.config.hidden_size), generator=ctx.gen)


def noise_embeds(ctx: Ctx):
    """A DFlash drafter's block to denoise: the anchor token and mask tokens, embedded."""
    n = _get((ctx.config,), "block_size", default=SEQ)
    return torch.randn((ctx.batch, n, ctx.config.hidden_size), generator=ctx.gen)


def context_hidden_states(ctx: Ctx):
    """A DFlash drafter's context: the target model's chosen layers, concatenated per token."""
    layers = len(_get((ctx.config,), "target_layer_ids", default=None) or [0])
    return torch.randn((ctx.batch, SEQ, layers * ctx.config.hidden_size), generator=ctx.gen)


def lang_ids(ctx: Ctx):
    """X-MOD: one language adapter per row (an index into config.languages)."""
    n = len(getattr(ctx.config, "languages", None) or [0])
    return torch.randint(0, n, (ctx.batch,), generator=ctx.gen)


def encoder_hidden_states(ctx: Ctx):
    """A Q-Former's cross-attention memory: the vision tower's patch features."""
    hidden = _get((ctx.config,), "encoder_hidden_size", "hidden_size", default=64)
    return torch.randn((ctx.batch, 8, hidden), generator=ctx.gen)


def bbox(ctx: Ctx):
    """Word boxes (x0, y0, x1, y1) on a 0–1000 page, x0 <= x1 and y0 <= y1."""
    ids = ctx.inputs.get("input_ids")
    seq = ids.shape[1] if ids is not None else SEQ
    lo = torch.randint(0, 500, (ctx.batch, seq, 2), generator=ctx.gen)
    return torch.cat([lo, lo + torch.randint(1, 400, (ctx.batch, seq, 2), generator=ctx.gen)], -1)


def inputs_embeds(ctx: Ctx):
    hidden = _get((_text_config(ctx.config), ctx.config), "hidden_size", "d_model", default=64)
    return torch.randn((ctx.batch, SEQ, hidden), generator=ctx.gen)


def visual_feats(ctx: Ctx):
    c = ctx.config
    return {"visual_feats": torch.randn((ctx.batch, 4, c.visual_feat_dim), generator=ctx.gen),
            "visual_pos": torch.rand((ctx.batch, 4, c.visual_pos_dim), generator=ctx.gen)}
