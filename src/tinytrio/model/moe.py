"""Mixture-of-experts sizes: fewer experts, same kind of routing."""

from __future__ import annotations

import math

from .._values import is_int as _int
from . import registry as R
from .layers import _per_layer


def shrink_experts(d: dict, mt: str | None) -> None:
    """Real routing, smaller: top-k stays below the experts (at least 2 when top-k >= 2), group
    routing stays valid (a strict subset of groups, each group holding top-2 scores), shared
    experts drop to one. Every experts / top-k key of the level follows in step."""
    from .shrink import family  # shrink.py calls this module; import at call time

    ekey = next((k for k, v in d.items() if _int(v) and family(k, mt) == "experts"), None)
    if ekey is None or d[ekey] <= 1:
        return
    E0 = d[ekey]
    tkey = next((k for k, v in d.items() if _int(v) and family(k, mt) == "topk"), None)
    k0 = d[tkey] if tkey else 1
    gkey = next((k for k, v in d.items() if _int(v) and family(k, mt) == "expert_groups"),
                None)
    tgkey = next((k for k, v in d.items() if _int(v) and family(k, mt) == "topk_groups"),
                 None)
    k = min(k0, R.DEFAULTS["topk"])
    if gkey and d[gkey] > 1:
        g0 = d[gkey]
        g = min(g0, 2)
        tg0 = d[tgkey] if tgkey else g0
        tg = g if tg0 >= g0 else max(1, min(tg0, g - 1))  # keep "route to a subset of groups"
        per_group = max(2, math.ceil(k / tg))              # each group must hold top-2 scores
        E = min(E0, g * per_group)
        d[gkey] = g
        if tgkey:
            d[tgkey] = tg
    else:
        E = min(E0, max(R.DEFAULTS["experts"], k + 1 if k < E0 else k))
    if k0 < E0:
        k = min(k, E - 1)  # real routing: top-k strictly below the number of experts
    d[ekey] = E
    _follow(d, mt, E, k)
    for o in (v for v in d.values() if _per_layer(v)):  # per-layer overrides (dots3 experts)
        for layer in o.values():
            _follow(layer, mt, E, k)


def _follow(d: dict, mt: str | None, E: int, k: int) -> None:
    from .shrink import family

    for key, v in list(d.items()):
        fam = family(key, mt)
        if fam == "experts" and _int(v) and v > 1:
            d[key] = E
        elif fam == "topk" and _int(v) and v > 1:
            d[key] = min(v, k)
        elif fam == "shared_experts" and _int(v) and v > 1:
            d[key] = 1
