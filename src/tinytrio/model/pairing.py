"""Pair a tiny config with a tiny tokenizer: the vocab follows the tokenizer, and every token id
stored in the config or generation config names the same token string as before.

Ids are translated through the tokenizer's old→new map; an id the tokenizer does not know (a
config with no tokenizer, or a placeholder the tokenizer lacks) becomes a new special token named
after its key, so the invariant "every special id < vocab_size and matches the tokenizer" holds.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from . import registry as R
from .registry_derived import CODE_ID_SLACK, CODE_TOKEN_IDS
from .shrink import _int, family, is_audio_positions, is_subconfig, is_token_id_key

# token-id keys whose string in a from-scratch tokenizer follows transformers' attribute names
SPECIAL_ATTRS = {"bos_token_id": "bos_token", "eos_token_id": "eos_token",
                 "pad_token_id": "pad_token", "unk_token_id": "unk_token",
                 "sep_token_id": "sep_token", "cls_token_id": "cls_token",
                 "mask_token_id": "mask_token"}
# lists of ordinary token ids: entries the tiny tokenizer lacks are dropped, not invented
LIST_KEYS = ("suppress_tokens", "begin_suppress_tokens", "bad_words_ids", "forced_decoder_ids",
             "lang_to_id", "task_to_id")
# Strings of multimodal token ids where the published tokenizer names them and no processor
# attribute does: model_type -> {key: string, or one string per entry of a list of ids}
CONFIG_TOKEN_STRINGS: dict[str, dict[str, str | list[str]]] = {
    # Ovis2 (its conversion script's added tokens, in id order): the image patches are <IMG_ATOM>
    # (the processor's "<image>" is only the marker it expands), then five visual indicators
    "ovis2": {"image_token_id": "<IMG_ATOM>", "visual_indicator_token_ids": [
        "<IMG_START>", "<IMG_GRID>", "<IMG_COL>", "<IMG_ROW>", "<IMG_END>"]},
    # Voxtral's processor reads its audio token by id (24): Tekken's [AUDIO]
    "voxtral": {"audio_token_id": "[AUDIO]"},
    # Molmo2 (allenai/Molmo2-8B's added tokens): the processor expands each <|image|> into these
    # by string; the model adds image features at <im_patch> (config image_token_id)
    "molmo2": {"image_patch_id": "<im_patch>", "image_start_token_id": "<im_start>",
               "low_res_image_start_token_id": "<low_res_im_start>",
               "image_end_token_id": "<im_end>", "frame_start_token_id": "<frame_start>",
               "frame_end_token_id": "<frame_end>"},
}


def placeholder_name(key: str) -> str:
    """`image_token_index` → `<|image|>`: the string for a placeholder a tokenizer lacks."""
    stem = key
    for suffix in ("_token_index", "_token_ids", "_token_id", "_index", "_id"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return f"<|{stem}|>"


def token_id_slots(d: dict, path: tuple = (), text: int | None = None) -> list[tuple[tuple, Any]]:
    """Every (path, value) of a token id in a config dict tree, but those of a sub-config with a
    small vocabulary of its own (Evolla's 446 protein tokens): they are not text tokens."""
    out = []
    text = text_vocab(d) if not path else text
    for key, value in d.items():
        if is_subconfig(key, value) and not _own_vocab(value, text):
            out += token_id_slots(value, path + (key,), text)
        elif is_token_id_key(key) and value is not None and (
                d.get("model_type"), key) not in CODE_TOKEN_IDS:
            out.append((path + (key,), value))
    return out


def _table_end(d: dict, terms: tuple[str, ...]) -> int | None:
    """The rows of the table a code id indexes: the sum of `terms`, each a key or "a*b"."""
    total = 0
    for term in terms:
        values = [d.get(k) for k in term.split("*")]
        if not all(_int(v) for v in values):
            return None
        total += math.prod(values)
    return total


def follow_code_ids(original: dict, tiny: dict) -> None:
    """Ids into an audio-code table (CODE_TOKEN_IDS), once the tiny vocab is final: one near the
    table's end keeps its distance from the end (Kyutai's pad = vocab + codebooks x codebook
    vocab), one near its start stays (CSM's codebook eos 0)."""
    for key, value in original.items():
        if is_subconfig(key, value) and isinstance(tiny.get(key), dict):
            follow_code_ids(value, tiny[key])
        terms = CODE_TOKEN_IDS.get((original.get("model_type"), key))
        end0, end = _table_end(original, terms or ()), _table_end(tiny, terms or ())
        if terms and _int(value) and end0 and end:
            tiny[key] = end - (end0 - value) if end0 - value <= CODE_ID_SLACK else value


def _own_vocab(d: dict, text: int | None) -> bool:
    """A level whose vocab is not the text one, small, and holds every id of the level."""
    v = d.get("vocab_size")
    if not _int(v) or v == text or v >= R.DEFAULTS["other_vocab"]:
        return False
    ids = [x for k, x in d.items() if is_token_id_key(k) and x is not None]
    return bool(ids) and all(_int(x) and 0 <= x <= v for x in ids)  # pad = v: one row past


def _set(d: dict, path: tuple, value) -> None:
    for k in path[:-1]:
        d = d[k]
    d[path[-1]] = value


def remap_ids(d: dict, translate: Callable[[str, int], int | None]) -> None:
    """Rewrite every token id in place; `translate(key, old_id)` gives the new id or None."""
    for path, value in token_id_slots(d):
        key = path[-1]
        if isinstance(value, int) and not isinstance(value, bool):
            new = translate(key, value)
            _set(d, path, new)
        elif isinstance(value, dict):  # {"<|en|>": id}: entries the tiny tokenizer lacks go
            new_map = {k: translate(key, v) for k, v in value.items() if isinstance(v, int)}
            _set(d, path, {k: v for k, v in new_map.items() if v is not None})
        elif isinstance(value, list):
            new_list = []
            for v in value:
                if isinstance(v, list):  # forced_decoder_ids: [[position, id], …]
                    t = translate(key, v[-1]) if v and isinstance(v[-1], int) else None
                    if t is not None:
                        new_list.append([*v[:-1], t])
                elif isinstance(v, int):
                    t = translate(key, v)
                    if t is not None:
                        new_list.append(t)
            _set(d, path, new_list if new_list or not value else None)


def padded_vocab(n_tokens: int, original_vocab: int | None, original_tokens: int | None) -> int:
    """The model's vocab_size: len(tokenizer), padded to 64 only where the original was padded."""
    if original_vocab and original_tokens and original_vocab > original_tokens and (
            original_vocab % 64 == 0):
        return 64 * math.ceil(n_tokens / 64)
    return n_tokens


def set_vocab(d: dict, vocab: int, original_vocab: int | None) -> None:
    """Set vocab_size wherever it is the text vocab: equal to the original's text vocab, or that
    vocab padded (Ovis2: 151643 tokens at the top, its Qwen2 text model's table 151936)."""
    for key, value in d.items():
        if is_subconfig(key, value):
            set_vocab(value, vocab, original_vocab)
        elif key == "vocab_size" and isinstance(value, int) and (
                original_vocab is None or original_vocab <= value <= original_vocab * 1.01):
            d[key] = vocab


def text_vocab(d: dict) -> int | None:
    """The original text vocab: the top-level one, else the text/decoder sub-config's; an
    audio-code vocab (MusicGen's, Dia's decoder) is no text vocab: CSM names its text vocab
    text_vocab_size beside its codes' vocab_size."""
    if isinstance(d.get("vocab_size"), int) and not is_code_vocab(d):
        return d["vocab_size"]
    if isinstance(d.get("text_vocab_size"), int):
        return d["text_vocab_size"]
    for key in ("text_config", "decoder", "decoder_config", "language_config", "llm_config"):
        if isinstance(d.get(key), dict) and isinstance(d[key].get("vocab_size"), int) and \
                not is_code_vocab(d[key]):
            return d[key]["vocab_size"]
    sizes = [v for _, v in _all_vocabs(d)]
    return max(sizes) if sizes else None


def is_code_vocab(d: dict) -> bool:
    """Is this level's vocab a codec's codes (the `codebook` family on its vocab_size)?"""
    return family("vocab_size", d.get("model_type")) == "codebook"


def object_text_vocab(config, text_config) -> int | None:
    """A config object's text vocab: its (decoder) text config's, else its own, else text_vocab
    of its dict -- skipping an audio-code decoder (MusicGen's text is its T5 encoder's), or
    naming the sub-config no text config (FastSpeech2ConformerWithHifiGan's model_config)."""
    if is_code_vocab({"model_type": getattr(text_config, "model_type", None)}):
        return text_vocab(config.to_dict())
    return getattr(text_config, "vocab_size", None) or getattr(config, "vocab_size", None) or \
        text_vocab(config.to_dict())


def _all_vocabs(d: dict):
    for key, value in d.items():
        if is_subconfig(key, value) and not is_code_vocab(value):
            yield from _all_vocabs(value)
        elif key == "vocab_size" and isinstance(value, int):
            yield key, value


def positions_cover_pad(original: dict, tiny: dict) -> None:
    """Position tables that reserve a row for the pad id (RoBERTa, M2M100: `padding_idx=pad`)
    must have more rows than the tiny pad id; grow them back toward the original when needed."""
    for key, value in tiny.items():
        if is_subconfig(key, value) and isinstance(original.get(key), dict):
            positions_cover_pad(original[key], value)
    pad = tiny.get("pad_token_id")
    if not _int(pad):
        return
    need = pad + 2 + R.DEFAULTS["positions_past_pad"]  # RoBERTa counts positions from pad + 1
    for key, value in list(tiny.items()):
        if _int(value) and family(key, tiny.get("model_type")) == "positions" and value < need \
                and not is_audio_positions(key, tiny):
            tiny[key] = need
    for key in R.PAD_VOCABS:  # side vocabularies padded at the text pad id hold that row
        if _int(tiny.get(key)) and tiny[key] <= pad:
            tiny[key] = pad + 1
