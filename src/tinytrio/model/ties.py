"""Sizes tied across the keys of a composite config, fixed after every level shrank (the level
rules see one key at a time, and the original values are gone by then).

- one image side for every level (imageside.py);
- a prefixed attention block's heads x head dim that made its prefixed width still make it
  (EdgeTAM's `perceiver_resampler_num_attention_heads` x `perceiver_resampler_attention_head_dim`
  = `perceiver_resampler_hidden_size`: the positional encoding is viewed as heads x head dim).
"""

from __future__ import annotations

from .imageside import _int, _levels, follow_image_side

HEAD_DIM_SUFFIXES = ("attention_head_dim", "head_dim")
HEADS_SUFFIXES = ("num_attention_heads", "num_heads", "attention_heads")


def prefixed_head_dims(original: dict, tiny: dict) -> None:
    for o, t in _levels(original, tiny):
        for key, hd in o.items():
            suffix = next((s for s in HEAD_DIM_SUFFIXES if key.endswith(s)), None)
            prefix = key[: -len(suffix)] if suffix else ""
            if not prefix or not _int(hd) or not _int(t.get(key)):
                continue
            heads = next((prefix + s for s in HEADS_SUFFIXES if _int(o.get(prefix + s))), None)
            width = prefix + "hidden_size"
            if heads and _int(o.get(width)) and o[heads] * hd == o[width] and \
                    _int(t.get(width)) and t[width] % t[heads] == 0:
                t[key] = t[width] // t[heads]


def tie_sizes(original: dict, tiny: dict) -> None:
    """Every whole-tree fix-up, after the level rules (and detection thresholds a random model
    can pass, liven.py)."""
    from .liven import liven_thresholds

    follow_image_side(original, tiny)
    prefixed_head_dims(original, tiny)
    liven_thresholds(tiny)
