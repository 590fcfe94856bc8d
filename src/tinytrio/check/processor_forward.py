"""The processor check's last path: processor -> forward, for models that do not generate from
media (CLIP-style, audio / image encoders, video models, OCR layout models). Split from
processor.py, which loads the processor and routes to this path."""

from __future__ import annotations

import contextlib
import inspect

from ..processors.registry import PRECOMPUTED_AUDIO, PROCESSOR_ARGS
from .core import Ctx, Skip, quiet
from .processor import AUDIO_KEYS, _audio, _image, _is_tokenizer, _preprocessor, _side, _tiny
from .processor import _token

# forward-argument name parts that take images / audio
IMAGE_WORDS = ("pixel", "patches", "image")
AUDIO_WORDS = ("input_features", "input_values", "audio", "speech")
# what the processor itself must make: never filled in from the model's dummy-input builders
MADE_BY_PROCESSORS = ("input_ids", "pixel_values", "pixel_values_videos", "input_features",
                      "input_values")


def _frames(ctx: Ctx, ip) -> int | None:
    """Frames per clip when the image processor takes videos (VideoMAE, ViViT, TimeSformer)."""
    if ip is None or _is_tokenizer(ip) or not hasattr(ip, "preprocess"):
        return None
    first = next(iter(inspect.signature(ip.preprocess).parameters), None)
    if first != "videos":
        return None
    config = ctx.model.config
    for cfg in (config, getattr(config, "vision_config", None)):
        n = getattr(cfg, "num_frames", None)
        if isinstance(n, int) and n > 0:
            return n
    return 2


def forward_through(ctx: Ctx, proc) -> str:
    """Processor → forward: images (a clip of frames for video models), audio and text as the
    processor's own arguments name them; a required argument no processor makes (word boxes
    from OCR) is built as the model's other checks build it."""
    import torch

    forward = inspect.signature(ctx.model.forward).parameters
    # only the media this head takes (SeamlessM4TForTextToText: text, though its processor also
    # has a feature extractor)
    ip = _preprocessor(ctx, proc, "image_processor") if _takes(forward, IMAGE_WORDS) else None
    fe = _preprocessor(ctx, proc, "feature_extractor") if _takes(forward, AUDIO_WORDS) else None
    call = proc if not _is_tokenizer(proc) else (ip or fe or proc)
    params = inspect.signature(call.__call__).parameters
    kwargs, what = dict(task := {k: v for k, v in PROCESSOR_ARGS.items() if k in params}), []
    frames = _frames(ctx, ip)
    if frames:
        side = _side(ctx, ip)
        kwargs["videos" if "videos" in params else next(iter(params))] = [
            [_image(side, i) for i in range(frames)]]
        what.append(f"{frames} frames")
    elif ip is not None and hasattr(ip, "post_process_keypoint_matching"):
        side = _side(ctx, ip)  # keypoint matchers (LightGlue, SuperGlue) take a pair of images
        kwargs["images"] = [_image(side), _image(side, 1)]
        what.append("an image pair")
    elif ip is not None:
        kwargs["images"] = _image(_side(ctx, ip))
    voice = _precomputed(ctx, proc, params)
    if voice:  # a codec's latents for the voice, the prompt in the processor's own template
        kwargs.update(voice)
        kwargs["text"] = [proc.apply_chat_template([{"role": "user", "content": [
            {"type": "audio"}, {"type": "text", "text": "a tiny test"}]}],
            add_generation_prompt=True, tokenize=False)]
        what.append(f"a voice as {next(iter(voice))}, the chat template's prompt")
    elif fe is not None:
        key = next((k for k in AUDIO_KEYS if k in params), None) or next(iter(params))
        kwargs[key], kwargs["sampling_rate"] = _audio(fe)
    ocr = bool(getattr(ip, "apply_ocr", False)) and "boxes" in params
    if ocr:  # OCR needs the Tesseract engine; the documented alternative is words and their boxes
        words = "a tiny test".split()
        kwargs["text"], kwargs["padding"] = [words], True
        kwargs["boxes"] = [[[10 * i, 0, 10 * i + 8, 10] for i in range(len(words))]]
        what.append("words + boxes, OCR off")
    elif (getattr(call, "tokenizer", None) is not None or _is_tokenizer(call)) and not task \
            and not voice:
        kwargs["text"] = [("images" in kwargs and _token(proc, "image") or "") + "a tiny test"]
        kwargs["padding"] = True
    if not kwargs:
        raise Skip(f"no input recipe for {type(proc).__name__}")
    with quiet(), _ocr_off(ip if ocr else None):
        inputs = dict(call(**kwargs, return_tensors="pt"))
        if call is not proc and "input_ids" in forward:  # a bare tokenizer beside the media
            inputs.update(proc(["a tiny test"], return_tensors="pt", padding=True))  # (X-CLIP)
            what.append("text by the tokenizer")
        inputs = {k: v.to(ctx.device) for k, v in inputs.items() if hasattr(v, "to")}
        if "pixel_values" in inputs and inputs["pixel_values"].is_floating_point():
            inputs["pixel_values"] = inputs["pixel_values"].to(ctx.model.dtype)
        inputs = {k: v for k, v in inputs.items() if k in forward}
        inputs.update(_unmade(ctx, forward, inputs))
        with torch.no_grad():
            ctx.model(**inputs)
    return (f"{type(call).__name__}{' (' + ', '.join(what) + ')' if what else ''} -> "
            f"forward({', '.join(inputs)}){_tiny(inputs, ctx)}")


def _precomputed(ctx: Ctx, proc, params: dict) -> dict:
    """{argument: [latents]} where the processor takes a codec's latents in place of waveforms
    (registry.PRECOMPUTED_AUDIO) and holds no audio tokenizer to encode one, as a user passes a
    checkpoint's voices: 4 frames at the model config's latent width."""
    import torch

    if getattr(proc, "audio_tokenizer", None) is not None or not getattr(
            proc, "chat_template", None):
        return {}
    for arg, keys in PRECOMPUTED_AUDIO.items():
        width = next((w for k in keys if isinstance(w := getattr(ctx.model.config, k, None), int)),
                     None)
        if arg in params and width:
            return {arg: [torch.randn(4, width, generator=torch.Generator().manual_seed(0))]}
    return {}


@contextlib.contextmanager
def _ocr_off(ip):
    """The image processor with its OCR switched off while the check calls it (then restored)."""
    if ip is None:
        yield
        return
    ip.apply_ocr = False
    try:
        yield
    finally:
        ip.apply_ocr = True


def _takes(forward: dict, words: tuple[str, ...]) -> bool:
    return any(w in name for name in forward for w in words)


def _unmade(ctx: Ctx, forward: dict, inputs: dict) -> dict:
    """Required forward arguments the processor does not make, from the model's input builders
    (shaped after the processor's own outputs)."""
    import torch

    from ..model.args import ARGS
    from ..model.inputs import _wanted
    from ..model.media import Ctx as MediaCtx

    missing = [n for n in _wanted(ctx.model, forward) if n not in inputs and n in ARGS
               and n not in MADE_BY_PROCESSORS]
    if not missing or not inputs:
        return {}
    batch = next(iter(inputs.values())).shape[0]
    mctx = MediaCtx(ctx.model, ctx.model.config, forward, batch, torch.Generator().manual_seed(0),
                    {}, dict(inputs))
    out = {}
    for name in missing:
        value = ARGS[name](mctx)
        if isinstance(value, dict):
            out.update({k: v for k, v in value.items() if k not in inputs})
        elif value is not None:
            out[name] = value
    return {k: v.to(ctx.device) for k, v in out.items()}
