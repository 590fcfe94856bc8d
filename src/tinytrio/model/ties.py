"""Sizes tied across the keys of a composite config, fixed after every level shrank (the level
rules see one key at a time, and the original values are gone by then).

- one image side for every level (imageside.py);
- a prefixed attention block's heads x head dim that made its prefixed width still make it
  (EdgeTAM's `perceiver_resampler_num_attention_heads` x `perceiver_resampler_attention_head_dim`
  = `perceiver_resampler_hidden_size`: the positional encoding is viewed as heads x head dim);
- a rotary factor above 1 keeps the share of the width its rotary dims span;
- the special ids at the end of an audio-code vocab stay at its end;
- detection thresholds a random model's scores can pass (LIVE_THRESHOLDS);
- a top-level layer count the generic cache reads where the config keeps its layers in sub-configs
  (CACHE_DEPTH_FROM).
"""

from __future__ import annotations

from .._values import is_int as _int
from .imageside import _levels, follow_image_side

HEAD_DIM_SUFFIXES = ("attention_head_dim", "head_dim")
HEADS_SUFFIXES = ("num_attention_heads", "num_heads", "attention_heads")


def prefixed_head_dims(original: dict, tiny: dict) -> None:
    for o, t in _levels(original, tiny):
        for key, hd in o.items():
            suffix = next((s for s in HEAD_DIM_SUFFIXES if key.endswith(s)), None)
            prefix = key[: -len(suffix)] if suffix else ""
            if not prefix or not _int(hd) or not _int(t.get(key)):
                continue
            heads = next((prefix + s for s in HEADS_SUFFIXES if _int(o.get(prefix + s))), None)
            width = prefix + "hidden_size"
            if heads and _int(o.get(width)) and o[heads] * hd == o[width] and \
                    _int(t.get(width)) and t[width] % t[heads] == 0:
                t[key] = t[width] // t[heads]


def _head_dim(d: dict) -> float | None:
    hd, H, A = d.get("head_dim"), d.get("hidden_size"), d.get("num_attention_heads")
    return hd if _int(hd) else (H / A if _int(H) and _int(A) and A else None)


def wide_rotary_factors(original: dict, tiny: dict) -> None:
    """A partial_rotary_factor above 1 is no fraction of a head: the rotary dims span a share of
    the width (EfficientLoFTR's 2-D rope: head dim x 4 = hidden / 2), kept at the tiny width."""
    for o, t in _levels(original, tiny):
        hd0, hd, H0, H = _head_dim(o), _head_dim(t), o.get("hidden_size"), t.get("hidden_size")
        for key in ("rope_parameters", "rope_scaling"):
            f = (o.get(key) or {}).get("partial_rotary_factor") if isinstance(o.get(key), dict) \
                else None
            if isinstance(f, (int, float)) and f > 1 and hd0 and hd and _int(H0) and _int(H) and \
                    isinstance(t.get(key), dict):
                t[key]["partial_rotary_factor"] = f * hd0 / hd * H / H0


# Score thresholds a random model's detections never pass (SAM-3 video: presence x class
# probabilities sit near 0.5 x 0.5), so nothing is detected and the tracking path never runs:
# key -> the tiny config's value, every detection kept and tracked.
LIVE_THRESHOLDS = {"score_threshold_detection": 0.0, "new_det_thresh": 0.0}


def liven_thresholds(tiny: dict) -> None:
    """Set LIVE_THRESHOLDS wherever a config level holds them (a pure dict edit)."""
    for key, value in tiny.items():
        if key in LIVE_THRESHOLDS and isinstance(value, float):
            tiny[key] = LIVE_THRESHOLDS[key]
        elif isinstance(value, dict):
            liven_thresholds(value)


def code_vocab_specials(original: dict, tiny: dict) -> None:
    """An audio-code vocab (the `codebook` family on `vocab_size`: MusicGen, Dia) keeps its
    special ids at its end: each keeps its distance from the end of the tiny vocab (MusicGen's
    pad = bos = vocab_size, one row past the codes; Dia's eos / pad / bos = codes + 0, 1, 2)."""
    from .shrink import family, is_token_id_key

    for o, t in _levels(original, tiny):
        v0, v = o.get("vocab_size"), t.get("vocab_size")
        if not (_int(v0) and _int(v) and v < v0 and family("vocab_size", o.get("model_type"))
                == "codebook"):
            continue
        for key, x in o.items():
            if is_token_id_key(key) and _int(x) and v0 - x in range(0, v):
                t[key] = v - (v0 - x)


# model_type -> the sub-config whose num_hidden_layers the tiny config also states at its top level
CACHE_DEPTH_FROM = {
    # transformers 5.23 bug: DynamicCache(config=BltConfig) reads a top-level num_hidden_layers,
    # which BltConfig lacks, so every BLT forward with a cache fails (upstream PR #47916 makes
    # get_text_config(decoder=True) return decoder_config: the same count)
    "blt": "decoder_config",
}


def cache_depth(tiny: dict) -> None:
    sub = tiny.get(CACHE_DEPTH_FROM.get(tiny.get("model_type"), ""))
    if isinstance(sub, dict) and _int(sub.get("num_hidden_layers")):
        tiny.setdefault("num_hidden_layers", sub["num_hidden_layers"])


def tie_sizes(original: dict, tiny: dict) -> None:
    """Every whole-tree fix-up, after the level rules (and detection thresholds a random model
    can pass)."""
    follow_image_side(original, tiny)
    prefixed_head_dims(original, tiny)
    wide_rotary_factors(original, tiny)
    code_vocab_specials(original, tiny)
    liven_thresholds(tiny)
    cache_depth(tiny)
