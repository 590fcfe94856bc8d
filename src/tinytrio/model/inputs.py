"""Dummy inputs right for a model's head: text, seq2seq, image, video, audio, time series, text +
image/video placeholders, boxes, Q-Former queries …

Inputs are built per *argument name* of the model's forward (the ARGS table in media.py), for the
main input, every required argument, and the companions transformers expects beside them
(`image_sizes` with `pixel_values`, `grid_thw` with flattened patches …). Where conventions
differ between architectures (channels-first or -last mel features, one image or a stack of
frames, per-image or flattened patches), the layouts in LAYOUT_CHOICES are tried in order on the
model itself, once per model, and the first one its forward accepts is kept.
"""

from __future__ import annotations

import inspect
import itertools

import torch

from .args import ARGS, COMPANIONS, LATE
from .entry import call, entry_params, padded
from .registry import FIXED_OUTPUT_POSITIONS
from .registry_fill import INPUT_BATCH_ONE, INPUT_IMAGE_HW
from .media import SEQ, Ctx, image_config, image_token_id, reserved_ids, text_ids  # noqa: F401
from .media_gen import bound_image_runs
from .media_av import FRAME_CODE_IDS, code_decoder, has_audio_tower, place_audio_tokens

# Each layout choice with its options, most common first; tried as a product, in order.
LAYOUT_CHOICES = {
    # how pixel_values are laid out (media.pixel_values says what each is)
    "image": ("bchw", "flat", "video", "stack", "naflex", "patches", "cubes", "tokens", "strip"),
    "mel": ("auto", "bmf", "bfm", "b1fm"),  # input_features: [B, mels, frames], [B, frames, mels]
    "audio": ("bt", "b1t", "bfm"),      # input_values: [B, samples], [B, 1, samples], a spectrogram
    "sizes": (False, True),             # pass image_sizes (Pixtral-style towers need them)
    "pmask": ("pixel", "tile"),         # pixel_attention_mask of a stack: per pixel, per tile
    "audio_mask": (False, True),        # pass a padding_mask of the waveform's real samples
    # hidden_states as the main input: [B, T, hidden], [B, hidden, T], a waveform [B, ch, samples],
    # a feature map [B, channels, side, side]
    "hidden": ("btc", "bct", "wave", "map"),
    # an audio-code decoder's decoder_input_ids: [B * codebooks, T], [B, T, codebooks]
    "codes": ("rows", "frames"),
}
MAX_TRIES = 18
# heads whose loss counts the encoder's valid frames from the attention mask (CTC, RNN-T, TDT)
FRAME_LOSSES = ("ForCTC", "ForRNNT", "ForTDT")
# forward arguments of a decoder that steps one token at a time from its own state (the RNN-T /
# TDT prediction network's `decoder_cache`): it reads [start] + labels, and generates from [start]
ONE_STEP_DECODERS = ("decoder_cache",)
# Inputs a forward takes only through **kwargs, which its processor returns and its generate()
# reads: model_type -> argument names, built like the named ones.
KWARGS_INPUTS: dict[str, tuple[str, ...]] = {
    "vibevoice": ("attention_mask",),  # generate() sums model_kwargs["attention_mask"] unguarded
    # every decoder layer scales its FFN input by ada_rms_norm(t_cond), the delay's time embedding
    "voxtral_realtime_text": ("t_cond",),
}
# Heads trained on every codebook of each audio frame: model_type -> the config key of the
# codebook count; labels are [B, T, codebooks] of codes (CSM: codebook 0 trains the backbone, the
# rest its depth decoder; 2-D labels need audio the codec turns into codes).
CODEBOOK_LABELS: dict[str, str] = {"csm": "num_codebooks"}
# Audio-code decoders whose labels are [B, T, codebooks] while their decoder_input_ids are
# [B * codebooks, T] (MusicGen's loss reads labels[..., codebook]; Dia's takes the ids' shape)
FRAME_MAJOR_CODE_LABELS = ("musicgen", "musicgen_melody")


def _wanted(model, params: dict) -> list[str]:
    """Argument names to fill, in order: the main input(s), required ones, then companions."""
    main = getattr(model, "main_input_name", "input_ids")
    mains = list(main) if isinstance(main, (list, tuple)) else [main]
    # a main input the forward does not name is kept only when it names no input at all
    named = any(n in ARGS for n in params)
    names = [m for m in mains if m in params or (m in ARGS and not named)]
    required = [n for n, p in params.items() if p.default is inspect.Parameter.empty and p.kind in (
        p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and n != "self"]
    names += [n for n in required if n not in names]
    config = model.config
    text = "input_ids" in params and (
        "input_ids" in names or image_token_id(config) is not None
        or getattr(config, "vision_config", None) is not None
        or not any(n in names for n in ("pixel_values", "input_features", "input_values",
                                         "past_values", "pixel_values_videos")))
    if text and "input_ids" not in names:
        names.insert(0, "input_ids")
    media = "pixel_values" in params and "pixel_values" not in names and (
        image_token_id(config) is not None or image_config(config) is not config  # TVP: backbone
        or getattr(config, "image_size", None) is not None)  # ViLT: one config, text + patches
    if media:
        names.append("pixel_values")
    sound = next((n for n in ("input_features", "input_values") if n in params), None)
    if sound and sound not in names and has_audio_tower(config):  # CLAP-style dual towers
        names.append(sound)
    if getattr(config, "is_encoder_decoder", False) and "decoder_input_ids" in params:
        names.append("decoder_input_ids")
    for anchor, companions in COMPANIONS:
        if anchor in names:
            names += [c for c in companions if c in params and c not in names]
    return names + [n for n in KWARGS_INPUTS.get(config.model_type, ()) if n not in names]


def _fill(ctx: Ctx, names: list[str]) -> None:
    for name in names:
        builder = ARGS.get(name)
        if builder is None or name in ctx.inputs:
            continue
        value = builder(ctx)
        if isinstance(value, dict):
            ctx.inputs.update(value)
        elif value is not None:
            ctx.inputs[name] = value


def _build(model, params: dict, names: list[str], layout: dict, batch: int, seed: int) -> dict:
    hw = INPUT_IMAGE_HW.get(model.config.model_type)
    layout = {**layout, "image_hw": hw(model.config) if callable(hw) else hw}
    ctx = Ctx(model, model.config, params, batch, torch.Generator().manual_seed(seed), layout)
    # the token counters run the model's feature getters, which may draw noise (VibeVoice's
    # sampled latents): the global RNG stays as it was, so the forward after sees the same stream
    with torch.random.fork_rng():
        _fill(ctx, [n for n in names if n not in LATE])
        ctx.place_media_tokens()
        bound_image_runs(ctx)  # GLM-Image: image-start / image-end ids around the placeholders
        place_audio_tokens(ctx)
        _fill(ctx, [n for n in names if n in LATE])  # they follow the final text
    return {k: v for k, v in ctx.inputs.items() if k in params or k in names}


def _layouts(names: list[str], params, model) -> list:
    keys = [k for k, used in (("image", "pixel_values" in names), (
        "mel", "input_features" in names), ("audio", "input_values" in names), (
        "sizes", "image_sizes" in names), (
        "audio_mask", "input_values" in names and "padding_mask" in params), (
        "hidden", "hidden_states" in names), ("pmask", "pixel_attention_mask" in names), (
        "codes", "decoder_input_ids" in names and code_decoder(model.config) is not None)) if used]
    for combo in itertools.islice(itertools.product(*(LAYOUT_CHOICES[k] for k in keys)),
                                  MAX_TRIES):
        yield dict(zip(keys, combo))


def _runs(model, inputs: dict) -> bool:
    """Does the model's forward accept these inputs? (No side effects: eval mode, no grad, and
    the global RNG restored, so a model that draws noise sees the same stream afterwards.)"""
    was_training = model.training
    state = torch.get_rng_state()
    model.eval()
    try:
        with torch.no_grad():
            call(model, inputs)
        return True
    except Exception:
        return False
    finally:
        torch.set_rng_state(state)
        model.train(was_training)


def make_inputs(model, batch: int = 2, seed: int = 0, labels: bool = False) -> dict:
    """Keyword arguments for `model(**inputs)` (for a class without a forward, for its entry
    method: model/entry.py); with labels=True, also what a loss needs."""
    params = entry_params(model)
    names = _wanted(model, params)
    single = INPUT_BATCH_ONE.get(model.config.model_type)
    batch = 1 if single is not None else batch
    layout = getattr(model, "_tinytrio_layout", single)
    if layout is None:
        layouts = list(_layouts(names, params, model))
        layout = layouts[0]
        if len(layouts) > 1 or any(n not in ("input_ids", "attention_mask") for n in names):
            for candidate in layouts:
                try:
                    trial = _to_dtype(model, _build(model, params, names, candidate, batch, seed))
                except Exception:
                    continue
                if _runs(model, trial):
                    layout = candidate
                    break
        try:
            model._tinytrio_layout = layout  # probe once per model object
        except Exception:
            pass
    if labels and type(model).__name__.endswith(FRAME_LOSSES) and "attention_mask" in params:
        names = names + ["attention_mask"]  # the CTC / transducer loss counts encoder frames
    inputs = padded(model, _build(model, params, names, layout, batch, seed))
    if labels:
        gen = torch.Generator().manual_seed(seed + 1)
        inputs.update(make_labels(model, inputs, batch, gen))
    return _to_dtype(model, inputs)


def _to_dtype(model, inputs: dict) -> dict:
    dtype = getattr(model, "dtype", None)
    return {k: v.to(dtype) if dtype is not None and isinstance(v, torch.Tensor)
            and v.is_floating_point() else v for k, v in inputs.items()}


def make_labels(model, inputs: dict, batch: int, gen: torch.Generator) -> dict:
    config = model.config
    name = type(model).__name__
    params = entry_params(model)
    if "labels" not in params:
        if "future_values" in params and "past_values" in inputs and "future_values" not in inputs:
            from .media_av import future_values

            return future_values(config, batch, gen)
        if "spectrogram_labels" in params and "input_ids" in inputs:  # text to speech
            from .media_av import speech_labels

            return speech_labels(config, inputs["input_ids"], gen)
        if "actions" in params and "state" in inputs and "actions" not in inputs:
            from .media_av import robot_actions

            return robot_actions(config, batch, gen)
        return {}
    if name.endswith(("ForSequenceClassification", "ForImageClassification",
                      "ForAudioClassification", "ForVideoClassification")):
        return {"labels": torch.randint(0, max(1, config.num_labels), (batch,), generator=gen)}
    if name.endswith("ForObjectDetection") and "pixel_values" in inputs:
        from .media_boxes import box_targets, closed_set_detector

        if closed_set_detector(model):  # a dict of classes and boxes per image (DETR's loss)
            return {"labels": box_targets(config, batch, gen)}
    if name.endswith("ForCTC"):
        return {"labels": text_ids(config, batch, 4, gen)}
    if name.endswith("ForTokenClassification") and "input_ids" in inputs:
        return {"labels": torch.randint(0, max(1, config.num_labels), inputs["input_ids"].shape,
                                        generator=gen)}
    if "decoder_input_ids" in inputs and any(a in params for a in ONE_STEP_DECODERS):
        from transformers.loss.loss_utils import LOSS_MAPPING

        # a transducer loss only where transformers maps one to the head: without (Nemotron ASR,
        # loss_type None) its loss_function falls back to the causal-LM loss, which cannot read
        # [B, T, U, vocab] joint logits; such a head computes no loss, as a plain encoder does
        if getattr(model, "loss_type", None) not in LOSS_MAPPING:
            return {}
        return {"labels": inputs["decoder_input_ids"][:, 1:].clone()}
    if "decoder_input_ids" in inputs:
        labels = inputs["decoder_input_ids"].clone()
        if labels.dim() == 3:  # codes [B, T, K] -> [B * K, T], the shape of the logits' rows
            labels = labels.transpose(1, 2).reshape(-1, labels.shape[1])
        if config.model_type in FRAME_MAJOR_CODE_LABELS:  # [B * K, T] -> [B, T, K]
            labels = labels.reshape(batch, -1, labels.shape[-1]).transpose(1, 2)
        return {"labels": labels}
    codebooks = getattr(config, CODEBOOK_LABELS.get(config.model_type, ""), None)
    if isinstance(codebooks, int) and "input_ids" in inputs:  # one code per codebook per frame
        return {"labels": torch.randint(0, config.vocab_size, (*inputs["input_ids"].shape,
                                                               codebooks), generator=gen)}
    if "input_ids" in inputs and name.endswith(("ForCausalLM", "ForMaskedLM",
                                                "ForConditionalGeneration")):
        labels = inputs["input_ids"].clone()
        if labels.dim() == 3 and config.model_type in FRAME_CODE_IDS:  # the text id per frame
            labels = labels[..., 0].contiguous()
        labels[torch.isin(labels, torch.tensor(sorted(reserved_ids(config)) or [-1]))] = -100
        fixed = getattr(config, FIXED_OUTPUT_POSITIONS.get(config.model_type, ""), None)
        if isinstance(fixed, int) and fixed > labels.shape[1]:  # the rest of the positions: ignored
            labels = torch.nn.functional.pad(labels, (0, fixed - labels.shape[1]), value=-100)
        return {"labels": labels}
    return {}
