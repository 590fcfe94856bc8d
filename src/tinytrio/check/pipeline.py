"""`pipeline`: the transformers pipeline that matches the model's head runs end to end with the
model directory's own tokenizer / image processor / feature extractor."""

from __future__ import annotations

from .core import Ctx, Skip, quiet

PROCESSOR_FILES = ("preprocessor_config.json", "processor_config.json")


def pipeline_task(model) -> str:
    """The pipeline task for a loaded model, from its head and main input."""
    from transformers.pipelines import SUPPORTED_TASKS

    name = type(model).__name__
    main = getattr(model, "main_input_name", "input_ids")
    config = model.config
    if audio_text_pair(model):
        return "zero-shot-audio-classification"
    if _mapped(model, "MODEL_FOR_TEXT_TO_WAVEFORM_MAPPING_NAMES",
               "MODEL_FOR_TEXT_TO_SPECTROGRAM_MAPPING_NAMES"):  # MusicGen, CSM: text -> sound
        return "text-to-audio"
    if main in ("input_features", "input_values"):
        if name.endswith(("ForAudioClassification", "ForSequenceClassification")):
            return "audio-classification"
        if name.endswith(("ForCTC", "ForSpeechSeq2Seq")) or (
                config.is_encoder_decoder and model.can_generate()):
            return "automatic-speech-recognition"
        return "feature-extraction"
    if main == "input_ids" and speech_to_text(model):
        return "automatic-speech-recognition"
    if main == "pixel_values":
        if name.endswith("ForImageClassification"):
            return "image-classification"
        if _mapped(model, "MODEL_FOR_OBJECT_DETECTION_MAPPING_NAMES"):
            return "object-detection"
        if model.can_generate():
            return "image-text-to-text"
        return "image-feature-extraction"
    if getattr(config, "vision_config", None) is not None and model.can_generate():
        return "image-text-to-text"
    for suffix, task in (("ForMaskedLM", "fill-mask"),
                         ("ForSequenceClassification", "text-classification"),
                         ("ForTokenClassification", "token-classification")):
        if name.endswith(suffix):
            return task
    if model.can_generate():
        # transformers 5 folded text2text-generation into text-generation
        if config.is_encoder_decoder and "text2text-generation" in SUPPORTED_TASKS:
            return "text2text-generation"
        return "text-generation"
    return "feature-extraction"


def audio_text_pair(model) -> bool:
    """A contrastive audio-text model (CLAP): its forward scores audio against texts, each tower
    with its own features getter; the zero-shot audio classification pipeline is its use."""
    import inspect

    params = inspect.signature(model.forward).parameters
    return not model.can_generate() and "input_ids" in params and any(
        a in params for a in ("input_features", "input_values")) and all(
        hasattr(model, f) for f in ("get_audio_features", "get_text_features"))


def _mapped(model, *mappings: str) -> bool:
    """Is the model's class the one transformers maps its model_type to in one of `mappings`?"""
    from transformers.models.auto import modeling_auto as ma

    return any(type(model).__name__ == getattr(ma, m, {}).get(model.config.model_type)
               for m in mappings)


def speech_to_text(model) -> bool:
    """A speech-to-text model led by text ids (Voxtral-Realtime: audio frames add onto each text
    token): transformers maps its class to speech seq2seq and its forward (or, where the forward
    takes codes, its generate) takes the audio."""
    import inspect

    from ..model.media_av import FRAME_CODE_IDS

    params = inspect.signature(model.forward).parameters
    config = model.config
    if any(isinstance(getattr(config, k, None), int) for k in ("audio_token_id",
                                                               "audio_token_index")):
        return False  # an audio LLM (Voxtral, Qwen3-ASR): its prompt holds audio placeholders,
        # which only its processor's chat path writes, never the ASR pipeline
    return _mapped(model, "MODEL_FOR_SPEECH_SEQ_2_SEQ_MAPPING_NAMES") and (any(
        a in params for a in ("input_features", "input_values")) or
        model.config.model_type in FRAME_CODE_IDS)  # Kyutai: generate() codes the waveform


def _processor_parts(ctx: Ctx, task: str) -> dict:
    """image_processor / feature_extractor / processor from the model directory, or Skip."""
    needs_image = task in ("image-classification", "image-feature-extraction",
                           "image-text-to-text", "object-detection")
    needs_audio = task in ("automatic-speech-recognition", "audio-classification",
                           "zero-shot-audio-classification") or (
        task == "feature-extraction" and getattr(ctx.model, "main_input_name", "") in (
            "input_features", "input_values"))
    if not (needs_image or needs_audio):
        if ctx.tokenizer is None:
            raise Skip(f"{task} needs a tokenizer and the model directory has none")
        return {}
    if not any((ctx.path / f).is_file() for f in PROCESSOR_FILES):
        kind = "image processor" if needs_image else "audio feature extractor"
        raise Skip(f"{task} needs an {kind} and the model directory has no "
                   f"preprocessor_config.json")
    from transformers import AutoFeatureExtractor, AutoImageProcessor, AutoProcessor

    with quiet():
        if task == "image-text-to-text":
            return {"processor": AutoProcessor.from_pretrained(ctx.path)}
        if needs_image:
            return {"image_processor": AutoImageProcessor.from_pretrained(ctx.path)}
        return {"feature_extractor": AutoFeatureExtractor.from_pretrained(ctx.path)}


def _image(ctx: Ctx, parts: dict):
    import numpy as np
    from PIL import Image

    from ..processors import Target

    config = ctx.model.config.to_dict()
    side = Target.of(config, config).image_side or 32  # the tiny model's own image side
    rng = np.random.default_rng(0)
    return Image.fromarray(rng.integers(0, 256, (side, side, 3), dtype=np.uint8))


def _audio(parts: dict):
    import numpy as np

    fe = parts.get("feature_extractor")
    rate = getattr(fe, "sampling_rate", 16000) or 16000
    wave = (np.random.default_rng(0).standard_normal(rate) * 0.1).astype(np.float32)
    return {"raw": wave, "sampling_rate": rate}


def _kwargs_inputs(ctx: Ctx) -> dict:
    """What the forward reads only through **kwargs and no tokenizer makes (Voxtral-Realtime's
    text model: t_cond, the delay's time embedding), as the forward check built it: passed
    through to generate() as a user must."""
    from ..model.inputs import KWARGS_INPUTS

    names = KWARGS_INPUTS.get(ctx.model.config.model_type, ())
    return {n: ctx.inputs[n] for n in names if n in ctx.inputs and n not in (
        "input_ids", "attention_mask")}


def check_pipeline(ctx: Ctx) -> str:
    from transformers import pipeline

    from ..model.entry import entry_name

    task = pipeline_task(ctx.model)
    if entry_name(ctx.model) not in ("forward", "generate"):  # pipelines call one of the two
        raise Skip(f"{type(ctx.model).__name__} implements no forward for the {task} pipeline to "
                   f"call; its entry point is {entry_name(ctx.model)}()")
    parts = _processor_parts(ctx, task)
    gen = {"max_new_tokens": 3, "do_sample": False}
    with quiet():
        pipe = pipeline(task, model=ctx.model, tokenizer=ctx.tokenizer, device=ctx.device,
                        **parts)
        if task in ("text-generation", "text2text-generation"):
            out = pipe("Hello world, this is", **gen, **_kwargs_inputs(ctx))
            text = out[0]["generated_text"]
            shown = f"generated {len(text)} chars"
        elif task == "fill-mask":
            mask = ctx.tokenizer.mask_token
            if mask is None:
                raise AssertionError("fill-mask model whose tokenizer has no mask token")
            out = pipe(f"Hello {mask} world.", top_k=2)
            shown = f"top tokens {[o['token_str'] for o in out]}"
        elif task in ("text-classification", "token-classification"):
            out = pipe("Hello world, tiny test.")
            shown = f"{len(out)} results"
        elif task == "feature-extraction" and "feature_extractor" not in parts:
            import numpy as np

            if _kwargs_inputs(ctx):  # its __call__ takes tokenizer options only
                raise Skip(f"the forward needs {', '.join(_kwargs_inputs(ctx))} (through "
                           f"**kwargs), which the feature-extraction pipeline cannot pass")
            out = pipe("Hello world, tiny test.")
            shown = f"features {np.asarray(out).shape}"
        elif task in ("image-classification", "image-feature-extraction"):
            out = pipe(_image(ctx, parts))
            shown = f"{len(out)} results"
        elif task == "object-detection":
            post = "post_process_object_detection"
            if not hasattr(parts["image_processor"], post):
                raise Skip(f"{type(parts['image_processor']).__name__} has no {post}, which "
                           f"the object-detection pipeline calls")
            out = pipe(_image(ctx, parts), threshold=0.0)  # a random model's every query
            shown = f"{len(out)} boxes, e.g. {out[0]['box'] if out else None}"
        elif task == "image-text-to-text":
            # as users call it: a chat message holding the image, through the chat template
            chat = [{"role": "user", "content": [{"type": "image", "image": _image(ctx, parts)},
                                                 {"type": "text", "text": "Describe the image."}]}]
            out = pipe(text=chat, generate_kwargs=gen)
            shown = f"{len(out)} results"
        elif task == "text-to-audio":
            out = pipe("Hello world, this is", generate_kwargs=gen)
            shown = f"audio {tuple(out['audio'].shape)} at {out['sampling_rate']} Hz"
        elif task == "zero-shot-audio-classification":
            out = pipe(_audio(parts)["raw"], candidate_labels=["a dog", "rain"])
            shown = f"scores {[round(o['score'], 3) for o in out]}"
        elif task in ("automatic-speech-recognition", "audio-classification",
                      "feature-extraction"):
            kw = {"generate_kwargs": gen} if task == "automatic-speech-recognition" and \
                ctx.model.can_generate() else {}
            out = pipe(_audio(parts), **kw)
            shown = f"text {out['text']!r}" if isinstance(out, dict) and "text" in out else \
                f"{type(out).__name__}"
        else:  # pragma: no cover - every task above is handled
            raise Skip(f"no pipeline check for {task}")
    return f"{task}: {shown}"
