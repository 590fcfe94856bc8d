"""Which transformers class to build for a config, and what kind of model it is.

The head class named in `architectures` wins when transformers has it; otherwise the first auto
mapping that knows the model type, in the order below (a causal LM before a bare base model).
"""

from __future__ import annotations

from .._values import is_int as _int

import copy
import importlib
from functools import lru_cache

# (auto mapping name in transformers.models.auto.modeling_auto, task) — first hit wins
AUTO_ORDER = [
    ("MODEL_FOR_CAUSAL_LM_MAPPING_NAMES", "text-generation"),
    ("MODEL_FOR_SEQ_TO_SEQ_CAUSAL_LM_MAPPING_NAMES", "text2text-generation"),
    ("MODEL_FOR_SPEECH_SEQ_2_SEQ_MAPPING_NAMES", "automatic-speech-recognition"),
    ("MODEL_FOR_IMAGE_TEXT_TO_TEXT_MAPPING_NAMES", "image-text-to-text"),
    ("MODEL_FOR_MASKED_LM_MAPPING_NAMES", "fill-mask"),
    ("MODEL_FOR_IMAGE_CLASSIFICATION_MAPPING_NAMES", "image-classification"),
    ("MODEL_FOR_CTC_MAPPING_NAMES", "automatic-speech-recognition"),
    ("MODEL_FOR_AUDIO_CLASSIFICATION_MAPPING_NAMES", "audio-classification"),
    ("MODEL_MAPPING_NAMES", "feature-extraction"),
    # last: a composite whose base class is built on one part (MusicGen's decoder)
    ("MODEL_FOR_TEXT_TO_WAVEFORM_MAPPING_NAMES", "text-to-audio"),
]
# head-class name suffix -> pipeline task, for the model card's pipeline_tag
SUFFIX_TASKS = [
    ("ForCausalLM", "text-generation"), ("ForConditionalGeneration", "text2text-generation"),
    ("ForSpeechSeq2Seq", "automatic-speech-recognition"), ("ForMaskedLM", "fill-mask"),
    ("ForImageClassification", "image-classification"), ("ForCTC", "automatic-speech-recognition"),
    ("ForAudioClassification", "audio-classification"),
    ("ForSequenceClassification", "text-classification"),
    ("ForTokenClassification", "token-classification"),
    ("ForQuestionAnswering", "question-answering"), ("ForObjectDetection", "object-detection"),
    ("ForDepthEstimation", "depth-estimation"), ("ForImageTextToText", "image-text-to-text"),
]


@lru_cache(maxsize=None)
def _mapping(name: str) -> dict:
    mod = importlib.import_module("transformers.models.auto.modeling_auto")
    return getattr(mod, name, {})


def _get_class(name: str):
    import transformers

    try:
        return getattr(transformers, name)
    except (AttributeError, ImportError, RuntimeError):
        return None


def pick_model_class(config: dict):
    """(class, task) for a config dict: its remote class when one was loaded (remote.py), its
    `architectures` head if native, else by auto mapping."""
    mt = config["model_type"]
    from ..remote import model_class

    remote = model_class(config)  # registered only under --trust-remote-code
    if remote is not None:
        return remote, task_of(remote.__name__, mt)
    for arch in config.get("architectures") or []:
        cls = _get_class(arch)
        if cls is not None:
            return cls, task_of(arch, mt)
    for mapping, task in _auto_order(config):
        name = _mapping(mapping).get(mt)
        if isinstance(name, (list, tuple)):
            name = name[0]
        cls = (_get_class(name) or _module_class(mt, name)) if name else None
        if cls is not None and not _for_text_part(cls, mt):
            return cls, task_of(name, mt)
    return None, None


def _module_class(mt: str, name: str):
    """A class the auto mapping names but transformers does not export (VoxtralRealtimeTextModel),
    from the model type's own modeling module, as the auto classes find it."""
    from transformers import CONFIG_MAPPING

    try:
        module = CONFIG_MAPPING[mt].__module__.replace(".configuration_", ".modeling_")
        return getattr(importlib.import_module(module), name, None)
    except Exception:
        return None


def _for_text_part(cls, mt: str) -> bool:
    """A class built on the config's `text_config` (llama4 -> Llama4ForCausalLM, kept "for VLM
    compatibility"): transformers would drop the rest of the model; the whole model is wanted."""
    from ..sources import config_class

    try:
        parts = getattr(config_class(mt), "sub_configs", {}).values()  # or any part: MusicGen's
        return any(getattr(cls, "config_class", None) is p for p in parts)  # decoder
    except Exception:
        return False


def _auto_order(config: dict) -> list[tuple[str, str]]:
    """AUTO_ORDER, except that encoder-decoders try their seq2seq heads first and encoder models
    that also have a causal variant (bert, roberta …: `is_decoder` false) their masked LM head."""
    mt = config["model_type"]
    first = []
    if config.get("is_encoder_decoder"):
        first = [m for m in AUTO_ORDER if m[0] in ("MODEL_FOR_SEQ_TO_SEQ_CAUSAL_LM_MAPPING_NAMES",
                                                     "MODEL_FOR_SPEECH_SEQ_2_SEQ_MAPPING_NAMES")]
    elif config.get("is_decoder") is False and mt in _mapping(
            "MODEL_FOR_MASKED_LM_MAPPING_NAMES"):
        first = [m for m in AUTO_ORDER if m[0] == "MODEL_FOR_MASKED_LM_MAPPING_NAMES"]
    # a CTC head needs a character vocabulary: a pretrained-only config (w2v-BERT 2.0:
    # vocab_size None) is the bare encoder, as its checkpoint is
    skip = ("MODEL_FOR_CTC_MAPPING_NAMES",) if "vocab_size" in config and \
        config["vocab_size"] is None else ()
    return [m for m in first + [m for m in AUTO_ORDER if m not in first] if m[0] not in skip]


def task_of(class_name: str, model_type: str) -> str:
    for suffix, task in SUFFIX_TASKS:
        if class_name.endswith(suffix):
            if task == "text2text-generation":  # ForConditionalGeneration is many things
                for mapping, t in AUTO_ORDER[1:4]:
                    if _mapping(mapping).get(model_type) == class_name:
                        return t
            return task
    return "feature-extraction"


@lru_cache(maxsize=None)
def _modeling_source(model_type: str) -> str:
    """The source text of a model type's modeling module ('' when it has none)."""
    import inspect

    from transformers import CONFIG_MAPPING

    try:
        module = CONFIG_MAPPING[model_type].__module__.replace(".configuration_", ".modeling_")
        return inspect.getsource(importlib.import_module(module))
    except Exception:
        return ""


def complete_defaults(config: dict, parents: tuple = ()) -> None:
    """Make a default config explicit where the model needs it (in place, every level): None
    values named in registry.FILL_NONE, and rope sizes the modeling code defaults in source
    (a sub-config looks in its own modeling module, then its parents')."""
    import ast
    import re

    from . import registry as R

    mt = config.get("model_type")
    for key, value in R.FILL_NONE.items():
        if key in config and config[key] is None:
            config[key] = _default_sub_config(mt, key) if value == {} else copy.deepcopy(value)
    n = config.get("num_labels")  # a num_labels field (PVT) leaves the label names None, which
    if "id2label" in config and config["id2label"] is None and _int(n) and n > 0:  # pipelines
        config["id2label"] = {str(i): f"LABEL_{i}" for i in range(n)}  # read: transformers' own
    for key in R.REDERIVED.get(mt, ()):
        if key in config:
            config[key] = None
    from .linked import unfold_layers

    unfold_layers(config)  # HRM: the per-stack count, as its config class splits it
    for key, (sources, derive) in R.DERIVED_NONE.items():
        args = [config.get(k) for k in sources]
        if key in config and config[key] is None and all(
                isinstance(a, int) and not isinstance(a, bool) and a > 0 for a in args):
            config[key] = derive(*args)
    for (owner, key), (sources, derive) in R.DERIVED_ABSENT.items():
        if owner == mt and key not in config and all(_int(config.get(k)) for k in sources):
            config[key] = derive(*[config[k] for k in sources])
    rope = config.get("rope_parameters")
    if isinstance(rope, dict) and rope.get("rope_type") != "axial" and (
            "rope_type" in rope or "rope_theta" in rope):  # a flat rope, not one per layer type
        for key, pattern in R.IMPLICIT_ROPE.items():
            for t in (mt, *parents) if key not in rope else ():
                m = re.search(pattern, _modeling_source(t)) if t else None
                if m:
                    rope[key] = ast.literal_eval(m.group(1))
                    _implied_partial_rotary(config, rope, key)
                    break
        for key, value in R.ROPE_DEFAULTS.get(mt, {}).items():
            rope.setdefault(key, value)
    for value in config.values():
        if isinstance(value, dict) and "model_type" in value:
            complete_defaults(value, (mt, *parents) if mt else parents)


def _default_sub_config(model_type, key: str) -> dict:
    """An optional sub-config left None, as the config class fills it from `{}`: every size
    explicit (so the shrinker sees them) and its own model_type."""
    from ..sources import normalized_config

    return normalized_config({"model_type": model_type, key: {}})[key]


def _implied_partial_rotary(config: dict, rope: dict, key: str) -> None:
    """A source-default `mrope_section` covering less than half the head implies the partial
    rotary factor the checkpoints set (GLM-4V: [8, 12, 12] over 128-dim heads = 0.5); the default
    config leaves it out, so the modeling code's own default would not add up."""
    if key != "mrope_section":
        return
    half = sum(rope[key])
    partial = rope.get("partial_rotary_factor") or config.get("partial_rotary_factor")
    hidden, heads = config.get("hidden_size"), config.get("num_attention_heads")
    if partial and not config.get("head_dim") and hidden and heads and \
            int(hidden // heads * partial) != 2 * half:
        # GLM-4.5V: 96 heads over 4096 do not make a head; the checkpoints say head_dim 128
        config["head_dim"] = round(2 * half / partial)
        return
    if partial:
        return
    head_dim = config.get("head_dim") or (hidden // heads if hidden and heads else None)
    if isinstance(head_dim, int) and head_dim and 0 < 2 * half < head_dim:
        rope["partial_rotary_factor"] = 2 * half / head_dim
