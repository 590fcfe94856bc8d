"""Find, instantiate, combine and save an architecture's processors.

Where they come from: the source directory's own files (`processor_config.json` — transformers 5
nests every component in it —, `preprocessor_config.json`, `video_preprocessor_config.json`,
`chat_template.*`); else the architecture's own classes with their defaults, found through
transformers' auto mappings. Each component's dict is shrunk (shrink.py), instantiated with its
real class, combined with the tiny tokenizer in the architecture's processor class, and saved
with `save_pretrained`, so `AutoProcessor.from_pretrained(OUT)` needs nothing but transformers.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import registry as R
from .shrink import (Target, _find, shrink_feature_extractor, shrink_image_processor,
                     shrink_processor_kwargs)
from .tokens import name_tokens, processor_class, token_strings

KINDS = ("image_processor", "video_processor", "feature_extractor")
TYPE_KEYS = {"image_processor": "image_processor_type", "video_processor": "video_processor_type",
             "feature_extractor": "feature_extractor_type"}
FILES = ("processor_config.json", "preprocessor_config.json", "video_preprocessor_config.json")


@dataclass
class Parts:
    """An architecture's processor pieces as dicts: what the source ships, else class defaults."""

    model_type: str
    components: dict[str, dict] = field(default_factory=dict)   # kind -> config dict
    kwargs: dict = field(default_factory=dict)                   # the processor's own kwargs
    chat_template: str | dict | None = None
    from_source: bool = False
    missing: list[str] = field(default_factory=list)            # kinds whose class is unusable


def _torchvision() -> bool:
    from transformers.utils import is_torchvision_available

    return is_torchvision_available()


def mapped_names(model_type: str) -> dict[str, str | None]:
    """Class names transformers maps this model_type to, per kind (+ "processor")."""
    from transformers.models.auto.feature_extraction_auto import FEATURE_EXTRACTOR_MAPPING_NAMES
    from transformers.models.auto.image_processing_auto import IMAGE_PROCESSOR_MAPPING_NAMES
    from transformers.models.auto.processing_auto import PROCESSOR_MAPPING_NAMES
    from transformers.models.auto.video_processing_auto import VIDEO_PROCESSOR_MAPPING_NAMES

    def pick(mapping):
        v = mapping.get(model_type)
        if isinstance(v, dict):  # {backend: name}: the base (torchvision) name is the type name
            return v.get("torchvision") or v.get("pil") or next(
                (x for x in v.values() if x), None)
        return v

    return {"processor": PROCESSOR_MAPPING_NAMES.get(model_type),
            "image_processor": R.IMAGE_PROCESSOR_CLASS.get(model_type)
            or pick(IMAGE_PROCESSOR_MAPPING_NAMES),
            "video_processor": pick(VIDEO_PROCESSOR_MAPPING_NAMES),
            "feature_extractor": R.FEATURE_EXTRACTOR_CLASS.get(model_type)
            or FEATURE_EXTRACTOR_MAPPING_NAMES.get(model_type)}


def has_processor(model_type: str) -> bool:
    """Does transformers map this model_type to any processor, image/video processor or feature
    extractor? (The denominator of processor coverage.)"""
    return any(mapped_names(model_type).values())


def component_class(kind: str, name: str | None):
    """The usable class for a component type name (PIL backend when torchvision is missing)."""
    if not name:
        return None
    with contextlib.suppress(Exception):
        if kind == "image_processor":
            from transformers.models.auto import image_processing_auto as A

            cls = A._load_backend_class(name, "torchvision" if _torchvision() else "pil")
        elif kind == "video_processor":
            if not _torchvision():
                return None
            from transformers.models.auto import video_processing_auto as A

            cls = A._load_backend_class(name, "torchvision")
        else:
            from transformers.models.auto.feature_extraction_auto import (
                feature_extractor_class_from_name)

            cls = feature_extractor_class_from_name(name)
        if cls is not None and not getattr(cls, "is_dummy", False):
            return cls
    return None


def _read(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _kind_of(d: dict, names: dict) -> str | None:
    for kind, key in TYPE_KEYS.items():
        if key in d:
            return kind
    if names["image_processor"]:
        return "image_processor"
    return "feature_extractor" if names["feature_extractor"] else None


def source_parts(directory: Path | None, model_type: str) -> Parts:
    """What the source directory ships; empty Parts when it ships no processor file."""
    parts = Parts(model_type)
    if directory is None:
        return parts
    names = mapped_names(model_type)
    proc = _read(directory / "processor_config.json") or {}
    for kind in KINDS:
        if isinstance(proc.get(kind), dict):
            parts.components[kind] = proc.pop(kind)
    pre = _read(directory / "preprocessor_config.json")
    if pre:
        kind = _kind_of(pre, names)
        if kind:
            parts.components.setdefault(kind, pre)
    video = _read(directory / "video_preprocessor_config.json")
    if video:
        parts.components.setdefault("video_processor", video)
    parts.kwargs = {k: v for k, v in proc.items() if k not in ("processor_class", "auto_map")}
    parts.chat_template = _chat_template(directory)
    parts.from_source = bool(parts.components or proc)
    return parts


def _chat_template(directory: Path):
    jinja = directory / "chat_template.jinja"
    if jinja.is_file():
        return jinja.read_text(encoding="utf-8")
    data = _read(directory / "chat_template.json")
    return data.get("chat_template") if data else None


def default_parts(model_type: str) -> Parts:
    """The architecture's own classes with their defaults."""
    parts = Parts(model_type)
    names = mapped_names(model_type)
    for kind in KINDS:
        cls = component_class(kind, names[kind])
        if names[kind] and cls is None:
            parts.missing.append(kind)
            continue
        if cls is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                parts.components[kind] = cls().to_dict()
    pcls = processor_class(model_type)
    if pcls is not None:
        for name, p in inspect.signature(pcls.__init__).parameters.items():
            if name in ("self", "chat_template", "tokenizer") or p.kind in (
                    p.VAR_KEYWORD, p.VAR_POSITIONAL) or name in KINDS:
                continue
            if p.default is not inspect.Parameter.empty and (
                    p.default is None or isinstance(p.default, (int, str, float))):
                parts.kwargs[name] = p.default
    return parts


def shrink_parts(parts: Parts, original: dict, tiny: dict) -> Parts:
    """Every component and kwarg matched to the tiny config (pure)."""
    t = Target.of(original, tiny)
    if t.image_side is None:
        t = replace(t, image_side=R.DEFAULT_SIDE)
    out = Parts(parts.model_type, chat_template=parts.chat_template,
                from_source=parts.from_source, missing=list(parts.missing))
    for kind, d in parts.components.items():
        d = {k: v for k, v in d.items() if k != "processor_class"}
        out.components[kind] = (shrink_feature_extractor(d, t) if kind == "feature_extractor"
                                else shrink_image_processor(d, t))
    kwargs = shrink_processor_kwargs(parts.kwargs, t, tiny)
    pcls = processor_class(parts.model_type)
    needs = R.IMAGE_PROCESSOR_NEEDS.get(pcls.__name__ if pcls else "", ())
    ip = out.components.get("image_processor")
    for key in R.FROM_CONFIG:
        value = _find(tiny, key)
        if ip is not None and key in ip and value is not None:
            ip[key] = value
    for attr in needs:
        if ip is not None and attr not in ip:
            ip[attr] = t.tokens or 1
    for key, value in (("patch_size", t.patch), ("vision_feature_select_strategy", t.strategy)):
        if key in kwargs and kwargs[key] is None and value is not None:
            kwargs[key] = value  # defaults of None mean "set me from the model"
    out.kwargs = kwargs
    return out


def instantiate(parts: Parts, tokenizer=None):
    """(processor or None, {kind: component object}) from shrunk Parts and the tiny tokenizer."""
    names = mapped_names(parts.model_type)
    objs = {}
    for kind, d in parts.components.items():
        cls = component_class(kind, d.get(TYPE_KEYS[kind]) or names[kind])
        if cls is None:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            objs[kind] = cls.from_dict(dict(d))
    pcls = processor_class(parts.model_type)
    if pcls is None or tokenizer is None:
        return None, objs
    params = inspect.signature(pcls.__init__).parameters
    args = {k: v for k, v in objs.items() if k in params}
    required = [n for n, p in params.items() if n in KINDS and p.default is inspect.Parameter.empty]
    if any(n not in args for n in required):
        return None, objs
    kwargs = {k: v for k, v in parts.kwargs.items() if k in params or any(
        p.kind == p.VAR_KEYWORD for p in params.values())}
    kwargs = {k: v for k, v in kwargs.items() if v is not None or k in params}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        proc = pcls(tokenizer=tokenizer, **args, **kwargs)
    if proc.chat_template is None:
        proc.chat_template = parts.chat_template or _tokenizer_template(tokenizer) or (
            None if writes_own_prompt(proc) else fallback_template(proc, parts.model_type, objs))
    return proc, objs


def writes_own_prompt(proc) -> bool:
    """Does the processor write the whole prompt, image tokens included, for images alone, and
    refuse the per-conversation image batch a chat template hands it? GOT-OCR-2's builds its OCR
    conversation (its checkpoints ship no chat template) and raises on nested images: a
    template would be unusable, its users call it with images only."""
    import numpy as np
    from PIL import Image

    token_id = getattr(proc, "image_token_id", None)
    if not isinstance(token_id, int) or getattr(proc, "image_processor", None) is None:
        return False
    image = Image.fromarray(np.zeros((R.DEFAULT_SIDE, R.DEFAULT_SIDE, 3), dtype=np.uint8))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ids = proc(images=[image], return_tensors="np").get("input_ids")
        except Exception:  # noqa: BLE001 - most processors need text: they write no prompt
            return False
        if ids is None or not (np.asarray(ids) == token_id).any():
            return False
        try:  # what apply_chat_template passes: one list of images per conversation
            proc(images=[[image]], return_tensors="np")
        except ValueError:
            return True
        except Exception:  # noqa: BLE001 - a failure of another kind says nothing of nesting
            return False
    return False


def _tokenizer_template(tokenizer):
    t = getattr(tokenizer, "chat_template", None)
    return t if isinstance(t, str) and "image" in t else None


def fallback_template(proc, model_type: str, objs: dict) -> str | None:
    """A plain chat template that puts the processor's own placeholder where an image, video or
    audio item is (wrapped in vision start/end tokens where the model looks for them)."""
    if model_type in R.SPEECH_PROMPTS:
        return speech_template(proc, *R.SPEECH_PROMPTS[model_type]) if proc is not None else None
    strings = token_strings(model_type)
    marks = {}
    for kind, attr in (("image", "image_token"), ("video", "video_token"),
                       ("audio", "audio_token")):
        # where users write a placeholder the processor expands into other tokens (Qianfan-OCR's
        # <image> -> <|context_image|>s), the template writes the placeholder
        token = getattr(proc, f"{kind}_placeholder_token", None) or getattr(
            proc, attr, None) or strings.get(attr)
        if isinstance(token, str) and token:
            start, end = strings.get("vision_start_token"), strings.get("vision_end_token")
            if model_type in R.WRAPPED_PLACEHOLDERS:
                start, end = (getattr(proc, a, None) for a in R.WRAPPED_PLACEHOLDERS[model_type])
            if kind != "audio" and start and end:
                token = start + token + end
            marks[kind] = token
    if not marks:
        return None
    items = "".join(f"{{%- {'if' if i == 0 else 'elif'} item['type'] == {json.dumps(k)} -%}}"
                    f"{{{{ {json.dumps(v)} }}}}" for i, (k, v) in enumerate(marks.items()))
    return ("{%- for message in messages -%}{{ message['role'] + ': ' }}"
            "{%- if message['content'] is string -%}{{ message['content'] }}"
            "{%- else -%}{%- for item in message['content'] -%}" + items +
            "{%- elif item['type'] == 'text' -%}{{ item['text'] }}{%- endif -%}"
            "{%- endfor -%}{%- endif -%}{{ '\\n' }}{%- endfor -%}"
            "{%- if add_generation_prompt -%}assistant:{%- endif -%}")


def speech_template(proc, voice: tuple[str, ...], close: tuple[str, ...]) -> str:
    """A speech-prompt template (R.SPEECH_PROMPTS) in the processor's own token strings: a user's
    audio item is a voice, an assistant's a training target after the closing tokens; the
    generation prompt closes with them."""
    def tokens(attrs):
        return json.dumps("".join(getattr(proc, a, None) or "" for a in attrs))

    end, audio = tokens(close), tokens(("audio_token",))
    return ("{%- for message in messages -%}{%- if message['content'] is string -%}"
            "{{ message['content'] }}{%- else -%}{%- for item in message['content'] -%}"
            "{%- if item['type'] == 'audio' -%}{%- if message['role'] == 'assistant' -%}"
            f"{{{{ {end} }}}}{{{{ {audio} }}}}{{%- else -%}}{{{{ {tokens(voice)} }}}}{{%- endif -%}}"
            "{%- elif item['type'] == 'text' -%}{{ item['text'] }}{%- endif -%}"
            "{%- endfor -%}{%- endif -%}{%- endfor -%}"
            f"{{%- if add_generation_prompt -%}}{{{{ {end} }}}}{{%- endif -%}}")


def prepare_tokenizer(tokenizer, model_type: str, id_strings: dict | None = None) -> None:
    """Before the model's vocab is fixed: name the processor's tokens on the tokenizer and let
    the processor class add the tokens it adds at every load (PaliGemma's <loc>/<seg> tokens,
    Idefics3's <end_of_utterance> …), so that the tiny vocab covers them."""
    name_tokens(tokenizer, model_type, id_strings)
    parts = default_parts(model_type)
    with contextlib.suppress(Exception):
        parts = shrink_parts(parts, {}, {})
        instantiate(parts, tokenizer)
