"""Rotary-embedding parameters whose shape follows the head dim (longrope factors, mrope)."""

from __future__ import annotations


def shrink_rope(rope: dict, head_dim0: int, head_dim: int) -> dict:
    """Per-frequency lists follow the head dim: longrope's factors are resampled to the new number
    of frequencies, mrope sections rescaled to sum to head_dim/2 (nested per-layer-type dicts too).

    >>> shrink_rope({"rope_type": "default", "mrope_section": [16, 24, 24]}, 128, 16)
    {'rope_type': 'default', 'mrope_section': [2, 3, 3]}
    """
    out = {}
    for key, value in rope.items():
        if isinstance(value, dict):
            out[key] = shrink_rope(value, head_dim0, head_dim)
        elif key == "mrope_section" and isinstance(value, list) and value and head_dim0:
            # the sections cover the rotary half of the head (all of it, or a partial factor)
            out[key] = _apportion(value, max(len(value), round(sum(value) * head_dim / head_dim0)))
        elif key.endswith("_factor") and isinstance(value, list) and len(value) > 1:
            n = max(1, round(len(value) * head_dim / head_dim0))
            out[key] = [value[round(i * (len(value) - 1) / max(1, n - 1))] for i in range(n)]
        else:
            out[key] = value
    return out


def _apportion(parts: list[int], total: int) -> list[int]:
    """Scale integer parts to a new total, largest remainder first, each part at least 1."""
    raw = [p * total / sum(parts) for p in parts]
    out = [max(1, int(r)) for r in raw]
    order = sorted(range(len(parts)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    i = 0
    while sum(out) < total:
        out[order[i % len(order)]] += 1
        i += 1
    while sum(out) > total:
        j = max(range(len(out)), key=lambda k: out[k])
        out[j] -= 1
    return out


def _rope_kind(rope):
    """A rope dict without its per-frequency lists (they follow the head dim by design)."""
    if not isinstance(rope, dict):
        return rope
    return {k: _rope_kind(v) for k, v in rope.items() if not isinstance(v, list)}
