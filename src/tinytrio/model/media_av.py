"""Builders for audio and time-series arguments: `input_features` (mel), `input_values` (waveform),
their masks, and `past_values` with the time features and future values beside them."""

from __future__ import annotations

import torch

from .media import AUDIO_SAMPLES, FRAMES, Ctx, _get, audio_config

# --- audio ---------------------------------------------------------------------------------------

def input_features(ctx: Ctx):
    ac = audio_config(ctx.config)
    cfgs = (ac, ctx.config)
    mels = _get(cfgs, "num_mel_bins", "n_mels", "feature_size", "input_feat_size", default=80)
    positions = _get(cfgs, "max_source_positions")
    kind = ctx.layout.get("mel", "auto")
    if kind == "auto":
        kind = "bmf" if positions else "bfm"
    frames = 2 * positions if positions and kind == "bmf" else FRAMES
    ctx.frames = frames
    if kind == "bmf":
        return torch.randn((ctx.batch, mels, frames), generator=ctx.gen)
    channels = _get(cfgs, "input_channels", default=1)
    return torch.randn((ctx.batch, frames, mels * channels), generator=ctx.gen)


def feature_mask(ctx: Ctx):
    if "input_features" not in ctx.inputs:
        return None
    return torch.ones((ctx.batch, ctx.frames or FRAMES), dtype=torch.long)


def input_values(ctx: Ctx):
    x = torch.randn((ctx.batch, AUDIO_SAMPLES), generator=ctx.gen) * 0.1
    return x[:, None, :] if ctx.layout.get("audio") == "b1t" else x


# --- time series ---------------------------------------------------------------------------------

def _series_dims(config) -> tuple[int, int, int, int]:
    context = _get((config,), "context_length", "context_len", default=32)
    lags = max(_get((config,), "lags_sequence", default=[0]) or [0])
    channels = _get((config,), "input_size", "num_input_channels", default=1)
    features = _get((config,), "num_time_features", default=0)
    return context, lags, channels, features


def past_values(ctx: Ctx) -> dict:
    context, lags, channels, features = _series_dims(ctx.config)
    length = context + lags
    shape = (ctx.batch, length) if channels == 1 and "past_time_features" in ctx.params else (
        ctx.batch, length, channels)
    values = torch.randn(shape, generator=ctx.gen)
    out = {"past_values": values}
    if "past_observed_mask" in ctx.params:
        out["past_observed_mask"] = torch.ones_like(values)
    if "past_time_features" in ctx.params:
        out["past_time_features"] = torch.randn((ctx.batch, length, features), generator=ctx.gen)
    if "future_time_features" in ctx.params:
        out.update(future_values(ctx.config, ctx.batch, ctx.gen))
    return out


def future_values(config, batch: int, gen: torch.Generator) -> dict:
    _, _, channels, features = _series_dims(config)
    horizon = _get((config,), "prediction_length", "horizon_length", default=8)
    shape = (batch, horizon) if channels == 1 else (batch, horizon, channels)
    out = {"future_values": torch.randn(shape, generator=gen)}
    if features or _get((config,), "num_time_features") is not None:
        out["future_time_features"] = torch.randn((batch, horizon, features), generator=gen)
    return out
