"""`processor`: the model directory's own processor runs the real user path end to end.

- vision-language: a chat message with an image → `apply_chat_template` → processor →
  `generate` a few tokens;
- image classification: the image-classification pipeline;
- speech recognition: the automatic-speech-recognition pipeline on one second of audio;
- anything else with a processor (CLIP-style, audio / image encoders): processor → forward.

Images are made at the processor's own (tiny) size, and what it feeds the model must stay tiny.
Skipped when the directory has no processor files, or when the processor needs a library this
environment lacks (transformers cannot build Qwen2-VL's processor without torchvision).
"""

from __future__ import annotations

from .core import Ctx, Skip, quiet

PROCESSOR_FILES = ("processor_config.json", "preprocessor_config.json")
MAX_NEW_TOKENS = 3
TINY_PIXELS = 256  # no tiny image processor makes images wider than this


def _image(side: int):
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    return Image.fromarray(rng.integers(0, 256, (side, side, 3), dtype=np.uint8))


def _audio(rate: int):
    import numpy as np

    return (np.random.default_rng(0).standard_normal(rate) * 0.1).astype(np.float32)


def _load(ctx: Ctx):
    from transformers import AutoProcessor

    from transformers.utils import is_torchvision_available

    try:
        with quiet():
            return AutoProcessor.from_pretrained(ctx.path)
    except Exception as e:
        text = str(e).lower()
        if not is_torchvision_available() and any(w in text for w in (
                "torchvision", "video processor", "video_processor")):
            raise Skip(f"transformers builds this processor only with torchvision, which this "
                       f"environment lacks ({type(e).__name__})") from None
        raise


def _side(ctx: Ctx, proc) -> int:
    """The tiny model's image side (its config), else what the processor's sizes say."""
    from ..processors import Target, image_side

    config = ctx.model.config.to_dict()
    side = Target.of(config, config).image_side
    if side is None:
        ip = getattr(proc, "image_processor", proc)
        side = image_side(ip.to_dict()) if hasattr(ip, "to_dict") else None
    return side or 32


def _tiny(inputs) -> str:
    """The shape of the pixels fed to the model; they must be at the tiny size."""
    pv = inputs.get("pixel_values") if hasattr(inputs, "get") else None
    if pv is None:
        return ""
    shape = tuple(pv.shape)
    if len(shape) >= 4 and max(shape[-2:]) > TINY_PIXELS:  # [.., C, H, W]; not flat patches
        raise AssertionError(f"the processor fed pixel_values {shape}: not tiny")
    return f" pixel_values {shape}"


def check_processor(ctx: Ctx) -> str:
    if not any((ctx.path / f).is_file() for f in PROCESSOR_FILES):
        raise Skip("no processor files")
    from .pipeline import pipeline_task

    proc = _load(ctx)
    task = pipeline_task(ctx.model)
    if task == "image-classification":
        return _pipeline(ctx, task, image_processor=getattr(proc, "image_processor", proc))
    if task == "automatic-speech-recognition":
        return _pipeline(ctx, task, proc=proc)
    if getattr(proc, "image_token", None) and ctx.model.can_generate():
        return _chat(ctx, proc)
    return _forward(ctx, proc)


def _pipeline(ctx: Ctx, task: str, proc=None, image_processor=None) -> str:
    from transformers import pipeline

    with quiet():
        if task == "image-classification":
            pipe = pipeline(task, model=ctx.model, image_processor=image_processor,
                            device=ctx.device)
            out = pipe(_image(_side(ctx, image_processor)))
            return f"{task}: {len(out)} labels at {_side(ctx, image_processor)}px"
        fe = getattr(proc, "feature_extractor", proc)
        tok = getattr(proc, "tokenizer", None) or ctx.tokenizer
        pipe = pipeline(task, model=ctx.model, feature_extractor=fe, tokenizer=tok,
                        device=ctx.device)
        rate = getattr(fe, "sampling_rate", 16000) or 16000
        kw = {"generate_kwargs": {"max_new_tokens": MAX_NEW_TOKENS, "do_sample": False}} \
            if ctx.model.can_generate() else {}
        out = pipe({"raw": _audio(rate), "sampling_rate": rate}, **kw)
    return f"{task}: 1 s of audio -> {len(out.get('text', ''))} chars"


def _chat(ctx: Ctx, proc) -> str:
    import torch

    side = _side(ctx, proc)
    messages = [{"role": "user", "content": [{"type": "image", "image": _image(side)},
                                             {"type": "text", "text": "Describe the image."}]}]
    with quiet():
        if proc.chat_template is None:
            raise AssertionError("the processor has no chat template")
        inputs = proc.apply_chat_template(messages, add_generation_prompt=True, tokenize=True,
                                          return_dict=True, return_tensors="pt")
        inputs = {k: v.to(ctx.device) if hasattr(v, "to") else v for k, v in inputs.items()}
        if "pixel_values" in inputs and inputs["pixel_values"].is_floating_point():
            inputs["pixel_values"] = inputs["pixel_values"].to(ctx.model.dtype)
        image_id = getattr(proc.tokenizer, "image_token_id", None)  # gemma3: not proc's (boi)
        image_id = image_id if isinstance(image_id, int) else getattr(proc, "image_token_id", None)
        n_image = int((inputs["input_ids"] == image_id).sum()) if isinstance(image_id, int) \
            else None
        with torch.no_grad():
            out = ctx.model.generate(**inputs, max_new_tokens=MAX_NEW_TOKENS, do_sample=False)
    out = out if isinstance(out, torch.Tensor) else out.sequences
    new = out.shape[-1] - inputs["input_ids"].shape[-1]
    if new < 1:
        raise AssertionError("generate produced no new token")
    return (f"chat with a {side}px image -> {inputs['input_ids'].shape[-1]} tokens "
            f"({n_image} image tokens),{_tiny(inputs)} -> {new} new tokens")


def _forward(ctx: Ctx, proc) -> str:
    import torch

    kwargs = {}
    if getattr(proc, "image_processor", None) is not None or hasattr(proc, "crop_size") or \
            type(proc).__name__.endswith("ImageProcessor") or "ImageProcessor" in type(proc).__name__:
        kwargs["images"] = _image(_side(ctx, proc))
    fe = getattr(proc, "feature_extractor", None) or (
        proc if "FeatureExtractor" in type(proc).__name__ else None)
    if fe is not None:
        rate = getattr(fe, "sampling_rate", 16000) or 16000
        kwargs["audio" if getattr(proc, "tokenizer", None) is not None else "raw_speech"] = \
            _audio(rate)
        kwargs["sampling_rate"] = rate
    if getattr(proc, "tokenizer", None) is not None:
        kwargs["text"] = ["a tiny test"]
        kwargs["padding"] = True
    if not kwargs:
        raise Skip(f"no input recipe for {type(proc).__name__}")
    with quiet():
        inputs = proc(**kwargs, return_tensors="pt")
        inputs = {k: v.to(ctx.device) for k, v in inputs.items() if hasattr(v, "to")}
        if "pixel_values" in inputs and inputs["pixel_values"].is_floating_point():
            inputs["pixel_values"] = inputs["pixel_values"].to(ctx.model.dtype)
        import inspect

        params = inspect.signature(ctx.model.forward).parameters
        inputs = {k: v for k, v in inputs.items() if k in params}
        with torch.no_grad():
            ctx.model(**inputs)
    return f"{type(proc).__name__} -> forward({', '.join(inputs)}){_tiny(inputs)}"
