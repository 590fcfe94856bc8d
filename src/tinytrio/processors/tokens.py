"""The token strings a multimodal processor expects, and a tiny tokenizer that carries them.

A config names its multimodal tokens by id (`image_token_index: 32000`); its processor names them
by string (`<image>`) and finds the id through the tokenizer. A tokenizer built from scratch must
therefore hold exactly the processor's strings at the config's ids. The strings come from, in
order: registry.TOKEN_STRINGS (what published tokenizers name), the processor's `__init__` string
defaults (`image_token="<image>"`), and string literals its source assigns (`self.image_token =
"<|image_pad|>"`, `IMAGE_TOKEN = "<image>"`).
"""

from __future__ import annotations

import inspect
import re
from functools import lru_cache

from . import registry as R

_SELF_LITERAL = re.compile(
    r"self\.(\w+_token)\s*=\s*\(?\s*(?:AddedToken\(\s*)?[\"']([^\"'\s]+)[\"']")
_CONSTANT = re.compile(r"^([A-Z][A-Z_]*_TOKEN)\s*=\s*[\"']([^\"'\s]+)[\"']", re.M)
_READS = re.compile(r"tokenizer\.(\w+_token)\b(?!_)")
_ADDED = re.compile(r"self\.(\w+_token)\.content\b")
# `getattr(tokenizer, "x_token", None)`: a token the processor reads when the tokenizer has one
# (PocketTTS's optional voice BOS): named where the config names its id, never invented
_OPTIONAL_READS = re.compile(r"getattr\(\s*tokenizer\s*,\s*[\"'](\w+_token)[\"']")
# `getattr(tokenizer, "image_token", "<|image|>")`: a token the processor always uses, the
# tokenizer's if it names one, else the default string (Molmo2's prompt placeholders)
_DEFAULT_READS = re.compile(
    r"getattr\(\s*tokenizer\s*,\s*[\"'](\w+_token)[\"']\s*,\s*[\"']([^\"'\s]+)[\"']\s*\)")
_FROM_TOKENIZER = re.compile(r"self\.(\w+_token)\s*=\s*tokenizer\.(\w+_token)\b(?!_)")
_ID_OF = re.compile(r"self\.(\w+_token)_id\s*=\s*tokenizer\.convert_tokens_to_ids\(\s*self\.(\w+_token)\s*\)")


def attr_for_key(key: str) -> str | None:
    """`image_token_index` / `image_token_id` → `image_token` (None for other keys)."""
    for suffix in ("_token_index", "_token_id"):
        if key.endswith(suffix):
            return key[: -len(suffix)] + "_token"
    return None


def processor_class(model_type: str):
    """The transformers processor class for a model_type, or None."""
    from transformers.models.auto.processing_auto import PROCESSOR_MAPPING_NAMES

    name = R.PROCESSOR_CLASS.get(model_type) or PROCESSOR_MAPPING_NAMES.get(model_type)
    return _class(name) if name else None


def _class(name: str):
    import transformers

    try:
        return getattr(transformers, name)
    except Exception:  # a backend (torchvision …) missing, or a renamed class
        return None


@lru_cache(maxsize=None)
def processor_source(model_type: str) -> str:
    """The source text of the module that defines the processor class ('' when none)."""
    cls = processor_class(model_type)
    if cls is None:
        return ""
    try:
        return inspect.getsource(inspect.getmodule(cls))
    except (OSError, TypeError):
        return ""


@lru_cache(maxsize=None)
def token_strings(model_type: str) -> dict[str, str]:
    """{attr: string} of the special tokens this architecture's processor knows by name."""
    cls = processor_class(model_type)
    found: dict[str, str] = {}
    if cls is not None:
        source = processor_source(model_type)
        for const, value in _CONSTANT.findall(source):
            found.setdefault(const.lower(), value)
        for attr, value in _SELF_LITERAL.findall(source) + _DEFAULT_READS.findall(source):
            found[attr] = value
        for name, p in inspect.signature(cls.__init__).parameters.items():
            if name.endswith("_token") and isinstance(p.default, str) and p.default:
                found[name] = p.default
    found.update(R.TOKEN_STRINGS.get(model_type, {}))
    return found


@lru_cache(maxsize=None)
def id_sources(model_type: str) -> dict[str, str]:
    """{attr: other attr} where the processor takes `attr`'s id from another token's string
    (Aya Vision: `self.image_token_id = tokenizer.convert_tokens_to_ids(self.img_patch_token)`):
    the config's `image_token_index` is that token's id."""
    return {a: b for a, b in _ID_OF.findall(processor_source(model_type)) if a != b}


@lru_cache(maxsize=None)
def tokenizer_aliases(model_type: str) -> dict[str, str]:
    """{attr: tokenizer attr} where the processor's token is a more specific tokenizer token
    (InternVL, Qianfan-OCR: `self.image_token = tokenizer.context_image_token`): the config's
    `image_token_id` is that token's id. Gemma-3's `self.image_token = tokenizer.boi_token` is
    no such name (its config's image token is the soft token)."""
    return {a: b for a, b in _FROM_TOKENIZER.findall(processor_source(model_type))
            if a != b and b.endswith("_" + a)}


def unnamed_string(attr: str) -> str:
    """The string of a token the processor reads from the tokenizer but no source names."""
    return f"<|{attr[:-len('_token')]}|>"


@lru_cache(maxsize=None)
def tokenizer_reads(model_type: str) -> tuple[str, ...]:
    """The `tokenizer.X_token` attributes the processor's source reads (with a default or not)."""
    source = processor_source(model_type)
    reads = _READS.findall(source) + [a for a, _ in _DEFAULT_READS.findall(source)]
    return tuple(sorted(set(reads) - {"bos_token", "eos_token", "pad_token",
                                                        "unk_token", "sep_token", "cls_token",
                                                        "mask_token"}))


@lru_cache(maxsize=None)
def added_token_attrs(model_type: str) -> tuple[str, ...]:
    """Attributes the processor uses as AddedTokens (`self.image_token.content`): it adds them
    itself when the tokenizer does not name them (BLIP-2), and a named string breaks it."""
    return tuple(sorted(set(_ADDED.findall(processor_source(model_type)))))


def name_for(model_type: str | None, key: str) -> str | None:
    """The processor's string for the token-id config key, or None when it names none."""
    attr = attr_for_key(key)
    if not model_type or attr is None:
        return None
    attr = id_sources(model_type).get(attr, attr)
    strings = token_strings(model_type)
    other = tokenizer_aliases(model_type).get(attr)
    if attr in strings or other is None:
        return strings.get(attr)
    return strings.get(other) or (unnamed_string(other) if other in tokenizer_reads(
        model_type) else None)


def config_token_names(config: dict) -> dict[str, str]:
    """{config key: processor string} for every single-id multimodal token key in the config."""
    from ..model import pairing

    mt = config.get("model_type")
    out = {}
    for path, value in pairing.token_id_slots(config):
        key = path[-1]
        if isinstance(value, int) and key not in pairing.SPECIAL_ATTRS:
            name = name_for(mt, key)
            if name:
                out[key] = name
    return out


def name_tokens(tokenizer, model_type: str, id_strings: dict | None = None) -> None:
    """Give the tokenizer the named attributes the processor reads (`tokenizer.image_token` …)
    for the processor strings it holds; names it already has are kept. An attribute whose string
    no source names takes the token the tokenizer holds for the config's id (`image_token_id`)."""
    strings = dict(token_strings(model_type))
    vocab = tokenizer.get_vocab()
    for key, string in (id_strings or {}).items():  # {config key: string at the tiny id}
        attr = attr_for_key(key)
        if attr and attr not in strings and isinstance(string, str):
            strings[attr] = string
    unnamed = [a for a in tokenizer_reads(model_type) if a not in strings and not _has(tokenizer, a)]
    for attr in unnamed:  # read by the processor, named nowhere: a new special token
        strings[attr] = unnamed_string(attr)
    # every string the processor reads by attribute, named or not (Emu3's five), must be a token
    new = [strings[a] for a in tokenizer_reads(model_type) if a in strings and not _has(
        tokenizer, a) and strings[a] not in vocab and a not in added_token_attrs(model_type)]
    new += [s for s in R.LITERAL_TOKENS.get(model_type, ()) if s not in vocab and s not in new]
    if new:
        tokenizer.add_tokens(new, special_tokens=True)
        vocab = tokenizer.get_vocab()
    named = {}
    reads = set(tokenizer_reads(model_type)) | set(_OPTIONAL_READS.findall(
        processor_source(model_type)))
    for attr in sorted(reads | {a for a in strings if a.endswith(
            ("image_token", "video_token", "audio_token", "boi_token", "eoi_token"))}):
        if attr in strings and strings[attr] in vocab and not _has(tokenizer, attr) and \
                attr not in added_token_attrs(model_type):
            named[attr] = strings[attr]
    if named:
        tokenizer._set_model_specific_special_tokens(named)


def _has(tokenizer, attr: str) -> bool:
    try:
        return getattr(tokenizer, attr, None) is not None
    except Exception:
        return False
