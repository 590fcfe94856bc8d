"""Builders for audio, time-series and robotics arguments: `input_features` (mel), `input_values`
(waveform), their masks, `past_values` with the time features and future values beside them, and
robot trajectories (`states`, `state`, `actions`)."""

from __future__ import annotations


import torch

from .media import (AUDIO_SAMPLES, FRAMES, SEQ, Ctx, _get, attention_mask, audio_config,
                    call_getter, feature_getters, vision_hidden_states)

# --- audio ---------------------------------------------------------------------------------------

# sub-configs that mean "this model has an audio tower" (it wants sound beside any text)
AUDIO_TOWERS = ("audio_config", "speech_config", "audio_encoder_config")


def has_audio_tower(config) -> bool:
    return any(getattr(config, n, None) is not None for n in AUDIO_TOWERS)


# mel frames stacked into one feature vector by the feature extractor, where only the modeling
# code says so: model_type -> factor
MEL_STACK = {"granite_speech5_encoder": 4}  # delta-expanded (x2), then stacked in pairs (x2)


def _sub_configs(config):
    """The config, its audio sub-config, then every other sub-config (two levels deep): where
    an audio tower under another name (Nemotron-3.5's asr_config) keeps its mel settings."""
    out = [audio_config(config), config]
    for level in list(out):
        out += [v for v in vars(level).values() if hasattr(v, "to_dict") and v not in out]
    return out


def input_features(ctx: Ctx):
    cfgs = _sub_configs(ctx.config)
    # w2v-BERT stacks mel frames in pairs before its feature projection: that width is the input
    mels = _get(cfgs, "feature_projection_input_dim", "num_mel_bins", "n_mels", "feature_size",
                "input_feat_size", default=80)
    positions = _get(cfgs, "max_source_positions")
    kind = ctx.layout.get("mel", "auto")
    if kind == "auto":
        kind = "bmf" if positions else "bfm"
    frames = 2 * positions if positions and kind == "bmf" else FRAMES
    per_token, ids = _get(cfgs, *PER_TOKEN_AUDIO), ctx.inputs.get("input_ids")
    if per_token and ids is not None:  # Voxtral-Realtime: audio frames add onto each text token
        frames = ids.shape[1] * per_token
    window = _get(cfgs, "n_window")  # Qwen-ASR/Omni towers: whole chunks of 2 x n_window frames
    if window:
        frames = -(-frames // (2 * window)) * 2 * window
    wave, hop = ctx.inputs.get("input_values"), _get(cfgs, "hop_length")
    if isinstance(wave, torch.Tensor) and isinstance(hop, int) and hop > 0:
        frames = wave.shape[-1] // hop  # X-Codec-2: the features of the waveform beside them
    ctx.frames = frames
    if kind == "bmf":
        return torch.randn((ctx.batch, mels, frames), generator=ctx.gen)
    if kind == "b1fm":  # CLAP: [B, channels, frames, mels], a spectrogram image
        channels = _get(cfgs, "patch_embed_input_channels", default=1)
        return torch.randn((ctx.batch, channels, frames, mels), generator=ctx.gen)
    channels = _get(cfgs, "input_channels", "num_stacked_frames", default=1) * MEL_STACK.get(
        getattr(cfgs[0], "model_type", None), 1)
    return torch.randn((ctx.batch, frames, mels * channels), generator=ctx.gen)


# audio frames per text token where the model adds each token's frames onto its embedding
# (Voxtral-Realtime): the forward's audio is exactly as long as its text
PER_TOKEN_AUDIO = ("audio_length_per_tok",)


def room_to_generate(config, inputs: dict, new_tokens: int) -> dict:
    """Inputs for `generate(max_new_tokens=new_tokens)`. Where the audio adds onto the text
    token by token, it bounds the whole output (Voxtral-Realtime caps max_length at its audio
    tokens): the prompt is the text less its last `new_tokens` tokens, the audio stays whole,
    as a user's prompt is shorter than the audio it transcribes."""
    ids = inputs.get("input_ids")
    if config.model_type in FRAME_CODE_IDS and ids is not None:
        # its generate() takes the waveform (as its processor gives it) and codes it frame by
        # frame with its codec; the forward's codes are no prompt it reads
        gen = torch.Generator().manual_seed(0)
        return {"input_values": torch.randn((ids.shape[0], 1, audio_samples(config)),
                                            generator=gen) * 0.1}
    if not _get(_sub_configs(config), *PER_TOKEN_AUDIO) or ids is None or \
            ids.shape[1] <= new_tokens:
        return inputs
    keep = ids.shape[1] - new_tokens
    return {k: v[:, :keep] if k in ("input_ids", "attention_mask") else v
            for k, v in inputs.items()}


AUDIO_TOKEN_KEYS = ("audio_token_id", "audio_token_index")
AUDIO_INPUTS = ("input_features", "input_values")  # the sound an audio token stands for
# where a model keeps its audio tower (its `_get_feat_extract_output_lengths` counts the frames)
AUDIO_TOWER_ATTRS = ("audio_tower", "audio_encoder", "encoder")


def audio_token_id(config):
    for cfg in (config, getattr(config, "text_config", None)):
        for k in AUDIO_TOKEN_KEYS:
            v = getattr(cfg, k, None)
            if isinstance(v, int):
                return v
    return None


def place_audio_tokens(ctx: Ctx) -> None:
    """An audio language model (Voxtral, Audio Flamingo, FunASR-Nano, VibeVoice …) swaps one
    placeholder token per audio embedding: prepend that many audio tokens to each row of
    input_ids."""
    token, ids = audio_token_id(ctx.config), ctx.inputs.get("input_ids")
    if token is None or ids is None or not any(k in ctx.inputs for k in AUDIO_INPUTS):
        return
    n = _count_audio_tokens(ctx)
    if not n:
        return
    ctx.inputs["input_ids"] = torch.cat([torch.full((ctx.batch, n), token), ids], dim=1)
    if "attention_mask" in ctx.inputs:
        ctx.inputs["attention_mask"] = torch.ones_like(ctx.inputs["input_ids"])


def _frame_mask(ctx: Ctx) -> torch.Tensor:
    for k in ("input_features_mask", "feature_attention_mask"):
        if isinstance(ctx.inputs.get(k), torch.Tensor):
            return ctx.inputs[k]
    feats = ctx.inputs.get("input_features", ctx.inputs.get("input_values"))  # frames or samples
    return torch.ones((ctx.batch, ctx.frames or feats.shape[-1]), dtype=torch.long)


def _count_audio_tokens(ctx: Ctx) -> int | None:
    """Audio embeddings per row: what the model's get_audio_features returns, else what its audio
    tower's output-length rule gives for the frames."""
    owners = [o for o in (ctx.model, getattr(ctx.model, "model", None)) if o is not None]
    for getter in feature_getters(ctx, ("get_audio_features",)):
        try:
            feats = call_getter(getter, ctx, ("input_ids",), fill_required=True)
        except Exception:
            continue  # it wants the placeholders already in place (MusicFlamingo's timestamps)
        feats = getattr(feats, "pooler_output", None) if not isinstance(
            feats, torch.Tensor) else feats
        if isinstance(feats, torch.Tensor):
            rows = feats.shape[0] if feats.dim() == 2 else feats.shape[0] * feats.shape[1]
            return max(1, int(rows) // ctx.batch)
        break
    for owner in owners:
        for attr in AUDIO_TOWER_ATTRS:
            rule = getattr(getattr(owner, attr, None), "_get_feat_extract_output_lengths", None)
            if rule is not None:
                out = rule(_frame_mask(ctx).sum(-1))
                out = out[-1] if isinstance(out, tuple) else out
                return int(out.sum()) // ctx.batch
    return None


def audio_mel(ctx: Ctx) -> dict:
    """Gemma-3n's audio tower: `audio_mel` [B, frames, mels] and a mask where True is padding."""
    mels = _get((audio_config(ctx.config), ctx.config), "input_feat_size", "num_mel_bins", default=80)
    return {"audio_mel": torch.randn((ctx.batch, FRAMES, mels), generator=ctx.gen),
            "audio_mel_mask": torch.zeros((ctx.batch, FRAMES), dtype=torch.bool)}


def feature_mask(ctx: Ctx):
    if "input_features" not in ctx.inputs:
        return None
    return torch.ones((ctx.batch, ctx.frames or FRAMES), dtype=torch.long)


def any_mask(ctx: Ctx):
    """`attention_mask`: over the tokens when there is text, else over the mel frames (the
    CTC heads count encoder frames from it)."""
    if "input_ids" not in ctx.inputs and "input_features" in ctx.inputs:
        return feature_mask(ctx)
    ids = ctx.inputs.get("input_ids")
    if ids is not None and ids.dim() == 3 and ctx.config.model_type in FRAME_CODE_IDS:
        return torch.ones(ids.shape[:2], dtype=torch.long)  # one per frame, not per code
    return attention_mask(ctx)


def input_values(ctx: Ctx):
    if ctx.layout.get("audio") == "bfm":  # AST: a spectrogram [B, frames, mels], not a waveform
        cfgs = (audio_config(ctx.config), ctx.config)
        mels = _get(cfgs, "num_mel_bins", "feature_size", default=80)
        return torch.randn((ctx.batch, _get(cfgs, "max_length", default=FRAMES), mels),
                           generator=ctx.gen)
    x = torch.randn((ctx.batch, audio_samples(ctx.config)), generator=ctx.gen) * 0.1
    x = x[:, None, :] if ctx.layout.get("audio") == "b1t" else x
    if not ctx.layout.get("audio_mask"):
        return x
    # VibeVoice: the mask of real samples, which counts the audio tokens the waveform makes
    return {"input_values": x, "padding_mask": torch.ones((ctx.batch, x.shape[-1]),
                                                          dtype=torch.long)}


# config keys the waveform's length must be a whole multiple of (samples per audio token)
SAMPLE_MULTIPLES = ("samples_per_token",)  # MuseSpark: the product of its patch sizes


def audio_samples(config) -> int:
    """One second of audio, rounded up to a whole number of the tokenizer's strides."""
    step = _get(_sub_configs(config), *SAMPLE_MULTIPLES)
    return -(-AUDIO_SAMPLES // step) * step if isinstance(step, int) and step > 0 else AUDIO_SAMPLES


def latents(ctx: Ctx):
    """A codec decoder's continuous latents, channels first: [B, hidden_size, frames] (Mimi)."""
    hidden = _get((ctx.config,), "hidden_size", default=64)
    return torch.randn((ctx.batch, hidden, SEQ), generator=ctx.gen)


def hidden_states(ctx: Ctx):
    """`hidden_states` as the main input: a sequence [B, T, hidden] (vision towers), the same
    channels first [B, hidden, T] (a conv codec decoder's latents), or a waveform [B, channels,
    samples] (a conv codec encoder), or a feature map [B, channels, side, side] (GLM-Image's VQ
    tokenizer encodes its vision tower's features) -- the "hidden" layout, probed in that order."""
    kind = ctx.layout.get("hidden", "btc")
    if kind == "map":
        channels = _get((ctx.config,), "latent_channels", "hidden_size", default=64)
        return torch.randn((ctx.batch, channels, 4, 4), generator=ctx.gen)
    if kind == "wave":
        channels = _get((ctx.config,), "channels", "audio_channels", default=1)
        return torch.randn((ctx.batch, channels, audio_samples(ctx.config)), generator=ctx.gen) * 0.1
    x = vision_hidden_states(ctx)
    return x.transpose(1, 2) if kind == "bct" and isinstance(x, torch.Tensor) else x


def speech_labels(config, ids: torch.Tensor, gen: torch.Generator) -> dict:
    """FastSpeech 2 training targets: every token lasts 2 frames; the mel spectrogram of those
    frames, and a pitch and an energy per token."""
    batch, tokens = ids.shape
    mels = _get(_sub_configs(config), "num_mel_bins", default=80)
    return {"duration_labels": torch.full((batch, tokens), 2, dtype=torch.long),
            "spectrogram_labels": torch.randn((batch, 2 * tokens, mels), generator=gen),
            "pitch_labels": torch.randn((batch, tokens, 1), generator=gen),
            "energy_labels": torch.randn((batch, tokens, 1), generator=gen)}


# codebooks per frame of an audio-code decoder (Dia's decoder calls them channels)
CODEBOOK_COUNT_KEYS = ("num_codebooks", "num_channels")


def code_decoder(config):
    """The sub-config of an audio-code decoder (MusicGen's, Dia's: the `codebook` family on its
    vocab_size), or None."""
    from .pairing import is_code_vocab

    return next((v for v in vars(config).values() if hasattr(v, "to_dict") and is_code_vocab(
        {"model_type": getattr(v, "model_type", None)})), None)


def codebook_decoder_ids(ctx: Ctx):
    """`decoder_input_ids` of an audio-code decoder: codes [B * codebooks, T], or [B, T, codebooks]
    by the "codes" layout (Dia's 2-D path views a transposed tensor and fails), every codebook
    starting from its bos (MusicGen: = vocab_size, a row past the codes); codes stay below the
    specials at the vocab's end. Else the text decoder's ids."""
    dec = code_decoder(ctx.config)
    k = _get((dec,), *CODEBOOK_COUNT_KEYS) if dec is not None else None
    if not isinstance(k, int):
        from .media import decoder_input_ids

        return decoder_input_ids(ctx)
    specials = [v for n, v in vars(dec).items() if n.endswith("_token_id") and isinstance(v, int)]
    ids = torch.randint(0, min(specials + [dec.vocab_size]), (ctx.batch * k, 6), generator=ctx.gen)
    bos = getattr(dec, "bos_token_id", None)
    if isinstance(bos, int):
        ids[:, 0] = bos
    if ctx.layout.get("codes") == "frames":
        return ids.reshape(ctx.batch, k, -1).transpose(1, 2).contiguous()
    return ids


# Forwards whose input_ids hold, per frame, a text id then one code per codebook ([B, T, 1 + K]):
# model_type -> (codebook count key, code vocab key). Kyutai STT sums the text id's row and each
# codebook's code row (offset into one table); its generate() makes the codes from the audio.
FRAME_CODE_IDS: dict[str, tuple[str, str]] = {
    "kyutai_speech_to_text": ("num_codebooks", "codebook_vocab_size")}


def with_frame_codes(config, ids: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Text ids [B, T] -> [B, T, 1 + K] where the forward reads codes beside each text id (codes
    below the code vocab's last id, its audio bos); else the ids as they are."""
    keys = FRAME_CODE_IDS.get(config.model_type)
    if keys is None or ids.dim() != 2:
        return ids
    k, vocab = (getattr(config, key) for key in keys)
    codes = torch.randint(0, vocab - 1, (*ids.shape, k), generator=gen)
    return torch.cat([ids[..., None], codes], dim=-1)


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
    univariate = _get((ctx.config,), "input_size", "num_input_channels") is None  # TimesFM
    shape = (ctx.batch, length) if channels == 1 and (
        "past_time_features" in ctx.params or univariate) else (ctx.batch, length, channels)
    values = torch.randn(shape, generator=ctx.gen)
    out = {"past_values": values}
    if "past_observed_mask" in ctx.params:
        out["past_observed_mask"] = torch.ones_like(values)
    if "past_values_padding" in ctx.params:  # TimesFM: 1 marks a padded step
        out["past_values_padding"] = torch.zeros(shape[:2], dtype=torch.long)
    if "freq" in ctx.params:  # TimesFM: the series' frequency class (0 = high)
        out["freq"] = torch.zeros((ctx.batch, 1), dtype=torch.long)
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


# --- robotics ------------------------------------------------------------------------------------

def trajectory(ctx: Ctx) -> dict:
    """Decision Transformer: a trajectory of T steps (states, actions, rewards, returns to go,
    timesteps below the episode length) and its mask."""
    c, b, t = ctx.config, ctx.batch, 4
    out = {"states": torch.randn((b, t, c.state_dim), generator=ctx.gen),
           "actions": torch.randn((b, t, c.act_dim), generator=ctx.gen),
           "rewards": torch.randn((b, t, 1), generator=ctx.gen),
           "returns_to_go": torch.randn((b, t, 1), generator=ctx.gen),
           "timesteps": torch.arange(t).expand(b, t).clone(),
           "attention_mask": torch.ones((b, t), dtype=torch.long)}
    return {k: v for k, v in out.items() if k in ctx.params}


def robot_state(ctx: Ctx) -> dict:
    """PI0: the robot state, and the flow-matching noise and timestep given explicitly (drawn
    inside the forward otherwise, so two forwards would differ)."""
    c = ctx.config
    out = {"state": torch.randn((ctx.batch, c.max_state_dim), generator=ctx.gen)}
    if "noise" in ctx.params:
        out["noise"] = torch.randn((ctx.batch, c.chunk_size, c.max_action_dim), generator=ctx.gen)
    if "timestep" in ctx.params:
        out["timestep"] = 0.05 + 0.9 * torch.rand((ctx.batch,), generator=ctx.gen)
    vlm = getattr(c, "vlm_config", None)
    if vlm is not None and "pixel_values" in ctx.params and "input_ids" in ctx.inputs:
        out.update(_camera(ctx, vlm))
    return out


def _camera(ctx: Ctx, vlm) -> dict:
    """A vision-language-action model's prefix: one camera image per row, its patches as image
    tokens ahead of the prompt (PaliGemma projects every patch), and which cameras are present."""
    vc, token = vlm.vision_config, vlm.image_token_id
    n = (vc.image_size // vc.patch_size) ** 2
    text = ctx.inputs["input_ids"].masked_fill(ctx.inputs["input_ids"] == token, 0)
    ids = torch.cat([torch.full((ctx.batch, n), token), text], dim=1)
    return {"pixel_values": torch.rand((ctx.batch, 1, vc.num_channels, vc.image_size,
                                        vc.image_size), generator=ctx.gen),
            "pixel_attention_mask": torch.ones((ctx.batch, 1), dtype=torch.bool),
            "input_ids": ids, "attention_mask": torch.ones_like(ids)}


def robot_actions(config, batch: int, gen: torch.Generator) -> dict:
    """PI0's training target: an action chunk."""
    return {"actions": torch.randn((batch, config.chunk_size, config.max_action_dim), generator=gen)}
