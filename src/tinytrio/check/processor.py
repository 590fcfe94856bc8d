"""`processor`: the model directory's own processor runs the real user path end to end.

- vision-language / audio-language: a chat message with an image (or one second of audio) →
  `apply_chat_template` → processor → `generate` a few tokens; a processor class that publishes
  no chat template is driven directly (text + media → processor → `generate`), and a model with
  no processor class (a tokenizer beside an image processor) through both, the text carrying the
  image tokens the image processor's grid makes;
- image classification: the image-classification pipeline;
- speech recognition: the automatic-speech-recognition pipeline on one second of audio;
- video models: a few frames (the tiny config's `num_frames`) through the image processor;
- anything else with a processor (CLIP-style, audio / image encoders): processor → forward.

Images are made at the processor's own (tiny) size, and what it feeds the model must stay tiny.
Skipped when the directory has no processor files, or when the processor needs a library this
environment lacks (transformers cannot build Qwen2-VL's processor without torchvision).
"""

from __future__ import annotations

import inspect
import json

from .basic import TOKENIZER_FILES
from .core import Ctx, Skip, generated_ids, new_token_count, quiet

PROCESSOR_FILES = ("processor_config.json", "preprocessor_config.json")
MAX_NEW_TOKENS = 3
TINY_PIXELS = 256  # no tiny image processor makes images wider than this
PROMPT = "Describe this."
AUDIO_KEYS = ("audio", "audios", "raw_speech", "speech")  # a processor's audio argument


def _image(side: int, seed: int = 0):
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (side, side, 3), dtype=np.uint8))


def _audio(fe) -> tuple:
    """(one second of audio at the feature extractor's rate, that rate)."""
    import numpy as np

    rate = getattr(fe, "sampling_rate", 16000) or 16000
    return (np.random.default_rng(0).standard_normal(rate) * 0.1).astype(np.float32), rate


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
        # no tokenizer to pair it with (a pretrained-only encoder, as w2v-BERT 2.0 ships)
        if not any((ctx.path / f).exists() for f in TOKENIZER_FILES) and (alone := _own(ctx)):
            return alone
        raise


def _is_tokenizer(obj) -> bool:
    from transformers import PreTrainedTokenizerBase

    return isinstance(obj, PreTrainedTokenizerBase)


def _preprocessor(ctx: Ctx, proc, kind: str):
    """The processor's image processor / feature extractor; where AutoProcessor gave the bare
    tokenizer (no processor class), the one preprocessor_config.json describes."""
    if getattr(proc, kind, None) is not None:
        return getattr(proc, kind)
    name = type(proc).__name__
    if not _is_tokenizer(proc) and ("FeatureExtractor" in name) == (kind == "feature_extractor"):
        return proc
    if not _is_tokenizer(proc):
        return None
    return _own(ctx, kind)


def _own(ctx: Ctx, kind: str | None = None):
    """The feature extractor / image processor preprocessor_config.json describes (of `kind`)."""
    try:
        data = json.loads((ctx.path / "preprocessor_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    from transformers import AutoFeatureExtractor, AutoImageProcessor

    for k, key, auto in (("feature_extractor", "feature_extractor_type", AutoFeatureExtractor),
                         ("image_processor", "image_processor_type", AutoImageProcessor)):
        if kind in (None, k) and key in data:
            with quiet():
                return auto.from_pretrained(ctx.path)
    return None


def _side(ctx: Ctx, proc) -> int:
    """The tiny model's image side (its config), else what the processor's sizes say."""
    from ..processors import Target, image_side

    config = ctx.model.config.to_dict()
    side = Target.of(config, config).image_side
    if side is None:
        ip = getattr(proc, "image_processor", proc)
        side = image_side(ip.to_dict()) if hasattr(ip, "to_dict") else None
    return side or 32


def _tiny(inputs, ctx: Ctx) -> str:
    """The shape of the pixels fed to the model; they must be at the tiny size (at most
    TINY_PIXELS, or the tiny config's own image side where that is larger: Aria's 980 px)."""
    from ..processors import Target

    pv = inputs.get("pixel_values") if hasattr(inputs, "get") else None
    if pv is None:
        return ""
    shape = tuple(pv.shape)
    config = ctx.model.config.to_dict()
    limit = max(TINY_PIXELS, Target.of(config, config).image_side or 0)
    if len(shape) >= 4 and max(shape[-2:]) > limit:  # [.., C, H, W]; not flat patches
        raise AssertionError(f"the processor fed pixel_values {shape}: not tiny")
    return f" pixel_values {shape}"


def check_processor(ctx: Ctx) -> str:
    if not any((ctx.path / f).is_file() for f in PROCESSOR_FILES):
        raise Skip("no processor files")
    from .pipeline import pipeline_task

    proc = _load(ctx)
    if _needs_mistral_common(proc):
        raise Skip("this processor's chat path runs only through mistral-common's tokenizer "
                   "(MistralCommonBackend, tekken.json), which this environment lacks")
    from ..model.media_av import FRAME_CODE_IDS

    if ctx.model.config.model_type in FRAME_CODE_IDS:
        return _audio_generate(ctx, proc)
    task = pipeline_task(ctx.model)
    if task == "image-classification":
        return _pipeline(ctx, task, image_processor=_preprocessor(ctx, proc, "image_processor"))
    if task == "automatic-speech-recognition":
        return _pipeline(ctx, task, proc=proc)
    if ctx.model.can_generate() and _token(proc, "image") and \
            _preprocessor(ctx, proc, "image_processor") is not None:
        return _chat(ctx, proc, "image")
    if ctx.model.can_generate() and _token(proc, "audio") and \
            getattr(proc, "feature_extractor", None) is not None:
        return _chat(ctx, proc, "audio")
    from .processor_forward import forward_through

    return forward_through(ctx, proc)


def _mistral_common(tok) -> bool:
    """A MistralCommonBackend tokenizer: mistral-common encodes the chat itself (no template)
    and takes audio only as a file, URL or base64, not as an array."""
    return type(tok).__name__ == "MistralCommonBackend"


def _needs_mistral_common(proc) -> bool:
    """A processor class written for MistralCommonBackend (Voxtral's) where mistral-common is
    not installed."""
    from transformers.utils import is_mistral_common_available

    if is_mistral_common_available():
        return False
    try:
        return "MistralCommonBackend" in inspect.getsource(type(proc))
    except (OSError, TypeError):
        return False


def _wav_base64(audio, rate: int) -> str:
    import base64
    import io

    import soundfile

    buf = io.BytesIO()
    soundfile.write(buf, audio, rate, format="WAV")
    return base64.b64encode(buf.getvalue()).decode()


def _token(proc, kind: str) -> str | None:
    for owner in (proc, getattr(proc, "tokenizer", None)):
        token = getattr(owner, f"{kind}_token", None) if owner is not None else None
        token = getattr(token, "content", token)  # BLIP-2 keeps an AddedToken
        if isinstance(token, str) and token:
            return token
    return None


def _audio_generate(ctx: Ctx, proc) -> str:
    """A model whose generate() codes the waveform itself (Kyutai STT: its forward takes codes
    per frame): processor(audio) -> generate -> decode, as its documentation calls it."""
    import inspect

    import torch

    audio, rate = _audio(getattr(proc, "feature_extractor", proc))
    params = inspect.signature(proc.__call__).parameters
    key = next((k for k in AUDIO_KEYS if k in params), None)
    with quiet():
        args, kwargs = ((), {key: audio}) if key else ((audio,), {})
        inputs = proc(*args, **kwargs, sampling_rate=rate, return_tensors="pt")
    with torch.no_grad(), quiet():
        out = ctx.model.generate(**inputs.to(ctx.device), max_new_tokens=3, do_sample=False)
    text = proc.batch_decode(out, skip_special_tokens=True)
    return f"{type(proc).__name__}: 1 s of audio -> generate {tuple(out.shape)} -> " \
           f"{len(text[0])} chars"


def _pipeline(ctx: Ctx, task: str, proc=None, image_processor=None) -> str:
    from transformers import pipeline

    with quiet():
        if task == "image-classification":
            pipe = pipeline(task, model=ctx.model, image_processor=image_processor,
                            device=ctx.device)
            out = pipe(_image(_side(ctx, image_processor)))
            return f"{task}: {len(out)} labels at {_side(ctx, image_processor)}px"
        fe = _preprocessor(ctx, proc, "feature_extractor")
        tok = getattr(proc, "tokenizer", None) or ctx.tokenizer
        pipe = pipeline(task, model=ctx.model, feature_extractor=fe, tokenizer=tok,
                        device=ctx.device)
        audio, rate = _audio(fe)
        kw = {"generate_kwargs": {"max_new_tokens": MAX_NEW_TOKENS, "do_sample": False}} \
            if ctx.model.can_generate() else {}
        out = pipe({"raw": audio, "sampling_rate": rate}, **kw)
    return f"{task}: 1 s of audio -> {len(out.get('text', ''))} chars"


def _media(ctx: Ctx, proc, kind: str):
    """(message item, processor kwargs, description) for one image or one second of audio."""
    if kind == "image":
        side = _side(ctx, proc)
        image = _image(side)
        return {"type": "image", "image": image}, {"images": [image]}, f"a {side}px image"
    fe = _preprocessor(ctx, proc, "feature_extractor")
    audio, rate = _audio(fe)
    params = inspect.signature(proc.__call__).parameters
    key = next((k for k in AUDIO_KEYS if k in params), "audio")
    return ({"type": "audio", "audio": audio}, {key: [audio], "sampling_rate": rate},
            "1 s of audio")


def _chat(ctx: Ctx, proc, kind: str) -> str:
    """Chat template → processor → generate; without a template, the processor directly."""
    import torch

    item, media, what = _media(ctx, proc, kind)
    token = _token(proc, kind)
    tok = getattr(proc, "tokenizer", proc)
    if _mistral_common(tok) and kind == "audio":  # the processor's own defaults (Voxtral: 30 s chunks)
        fe = _preprocessor(ctx, proc, "feature_extractor")
        item = {"type": "audio", "base64": _wav_base64(*_audio(fe))}
    with quiet():
        if getattr(proc, "chat_template", None) is not None or _mistral_common(tok):
            messages = [{"role": "user", "content": [item, {"type": "text", "text": PROMPT}]}]
            inputs = proc.apply_chat_template(messages, add_generation_prompt=True,
                                              tokenize=True, return_dict=True,
                                              return_tensors="pt")
            how = "chat"
        elif _is_tokenizer(proc):
            inputs, how = _compose(ctx, proc, media), "tokenizer + image processor"
        else:
            inputs, how = _direct(proc, media, token), "processor (no chat template)"
        inputs = {k: v.to(ctx.device) if hasattr(v, "to") else v for k, v in inputs.items()}
        for k in ("pixel_values", "input_features", "input_values"):
            if k in inputs and inputs[k].is_floating_point():
                inputs[k] = inputs[k].to(ctx.model.dtype)
        tok = getattr(proc, "tokenizer", proc)
        token_id = getattr(tok, f"{kind}_token_id", None)  # gemma3: not proc's (boi)
        token_id = token_id if isinstance(token_id, int) else getattr(
            proc, f"{kind}_token_id", None)
        if not isinstance(token_id, int) and token:
            token_id = tok.convert_tokens_to_ids(token)
        n = int((inputs["input_ids"] == token_id).sum()) if isinstance(token_id, int) else None
        params = inspect.signature(ctx.model.forward).parameters
        inputs = {k: v for k, v in inputs.items() if k in params or k == "attention_mask"}
        with torch.no_grad():
            out = ctx.model.generate(**inputs, max_new_tokens=MAX_NEW_TOKENS, do_sample=False)
    out = generated_ids(ctx.model, inputs, out, max_new_tokens=MAX_NEW_TOKENS, do_sample=False)
    new = new_token_count(ctx.model, inputs, out)
    if new < 1:
        raise AssertionError("generate produced no new token")
    return (f"{how} with {what} -> {inputs['input_ids'].shape[-1]} tokens "
            f"({n} {kind} tokens),{_tiny(inputs, ctx)} -> {new} new tokens")


def _direct(proc, media: dict, token: str | None):
    """A processor class with no chat template: text + media straight through it. Processors
    that insert the media tokens themselves (BLIP-2, Florence-2) take the bare prompt; the
    others need the placeholder in the text, as their users write it."""
    text = PROMPT
    if token and not _inserts_tokens(proc, media, token):
        text = token + PROMPT
    return proc(text=[text], **media, return_tensors="pt", padding=True)


def _inserts_tokens(proc, media: dict, token: str) -> bool:
    """Does the processor put media tokens into a prompt that names none?"""
    tok = getattr(proc, "tokenizer", proc)
    token_id = tok.convert_tokens_to_ids(token)
    try:
        enc = proc(text=[PROMPT], **media, return_tensors="pt", padding=True)
    except ValueError:  # "found 0 <image> tokens and 1 images": it needs the placeholder
        return False
    return bool((enc["input_ids"] == token_id).any())


def _compose(ctx: Ctx, tok, media: dict):
    """No processor class (a tokenizer beside an image processor, as the architecture ships):
    the image processor makes the pixels, the text carries one image token per merged patch of
    its grid, wrapped in the image start/end tokens the tokenizer holds."""
    import torch

    ip = _preprocessor(ctx, tok, "image_processor")
    pixels = ip(media["images"], return_tensors="pt")
    grid = next((pixels[k] for k in ("image_grid_thw", "grid_thw") if k in pixels), None)
    merge = getattr(ip, "merge_size", None) or 1
    if grid is not None:
        n = int(grid.prod(-1).sum()) // (merge * merge)
    else:
        from ..processors import Target

        config = ctx.model.config.to_dict()
        n = Target.of(config, config).tokens or 1
    token = _token(tok, "image")
    start = getattr(tok, "image_start_token", None) or getattr(tok, "vision_start_token", None)
    end = getattr(tok, "image_end_token", None) or getattr(tok, "vision_end_token", None)
    image = token * n
    if isinstance(start, str) and isinstance(end, str):
        image = start + image + end
    inputs = dict(tok([image + PROMPT], return_tensors="pt"))
    inputs.update({k: v for k, v in pixels.items() if isinstance(v, torch.Tensor)})
    if "mm_token_type_ids" in inspect.signature(ctx.model.forward).parameters:
        inputs["mm_token_type_ids"] = (inputs["input_ids"] == tok.convert_tokens_to_ids(
            token)).long()
    return inputs
