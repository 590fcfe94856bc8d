"""Layer patterns: which layers of the original a tiny model keeps.

Every per-layer list (`layer_types`, `layers_block_type` …), index list (`mlp_only_layers`) and
integer pattern (`first_k_dense_replace`, `attn_layer_period/offset`, `sliding_window_pattern` …)
gives each layer a kind; the tiny model keeps the shortest prefix that holds every kind, so the
pattern itself is unchanged. A long list pattern falls back to one layer of each kind, in order.
"""

from __future__ import annotations

from .._values import is_int as _int
from ..errors import OptionError
from . import registry as R


def _layer_kinds(d: dict, n: int) -> list[tuple]:
    """One hashable kind per layer, from every per-layer list, index list and integer pattern."""
    columns: list[list] = []
    for key, value in d.items():
        if isinstance(value, list) and len(value) == n and n > 1 and (
                "layer" in key or "block" in key or key in R.PER_LAYER_LISTS) and (
                key not in R.INDEX_LISTS):
            columns.append([i - x if key in R.LAYER_MAPS and _int(x) else repr(x)
                            for i, x in enumerate(value)])
    for key, value in d.items():  # per-layer overrides: a layer with them is another kind, by
        if _per_layer(value):     # the keys overridden (their sizes shrink: dots3 expert counts)
            by = {int(k): repr(sorted(v)) for k, v in value.items()}
            columns.append([by.get(i) for i in range(n)])
    for key in R.INDEX_LISTS:
        if isinstance(d.get(key), list):
            idx = set(d[key])
            columns.append([i in idx for i in range(n)])
    for key in R.RUN_LENGTH_LAYERS:
        kinds = _run_length(d.get(key))
        if kinds is not None and len(kinds) == n:
            columns.append(kinds)
    for key in R.TRAILING_COUNTS:
        if _int(d.get(key)) and d[key] > 0:
            columns.append([i >= n - d[key] for i in range(n)])
    for key in R.CYCLIC_LAYER_LISTS:
        cycle = d.get(key)
        if isinstance(cycle, list) and 0 < len(cycle) < n:
            columns.append([repr(cycle[i % len(cycle)]) for i in range(n)])
    for key, pred in R.LAYER_PATTERNS.items():
        if pred is not None and _int(d.get(key)):
            columns.append([pred(i, d[key]) for i in range(n)])
    for period_key, offset_key in R.PERIOD_PAIRS:
        if _int(d.get(period_key)) and d[period_key] > 0:
            p, o = d[period_key], d.get(offset_key) or 0
            columns.append([i % p == o for i in range(n)])
    return [tuple(col[i] for col in columns) for i in range(n)]


def choose_layers(d: dict, n: int, wanted: int | None, where: str) -> list[int]:
    """Indices of the layers to keep: the shortest prefix holding every kind, at least `wanted`.

    >>> choose_layers({"layer_types": ["s", "s", "s", "f"] * 2}, 8, None, "")
    [0, 1, 2, 3]
    """
    kinds = _layer_kinds(d, n)
    target = min(n, wanted if wanted is not None else R.DEFAULTS["layers"])
    distinct = set(kinds)
    seen: set = set()
    prefix = n
    for i, k in enumerate(kinds):
        seen.add(k)
        if seen == distinct:
            prefix = i + 1
            break
    has_int_pattern = any(_int(d.get(k)) for k in R.LAYER_PATTERNS) or any(
        _int(d.get(p)) for p, _ in R.PERIOD_PAIRS)
    if wanted is not None and wanted < len(distinct):
        raise OptionError(
            f"--layers {wanted} cannot keep every kind of layer of {where or 'this model'} "
            f"({len(distinct)} distinct kinds); use --layers {max(len(distinct), prefix)}")
    if prefix <= max(target, R.DEFAULTS["max_layers_prefix"]) or has_int_pattern:
        if wanted is not None and has_int_pattern and wanted < prefix:
            raise OptionError(
                f"--layers {wanted} cannot keep the layer pattern of {where or 'this model'}: "
                f"the first layer of every kind appears within {prefix} layers; "
                f"use --layers {prefix}")
        return list(range(max(target, prefix, _second_tied(d, n) + 1)))
    # a long list pattern: keep the first layer of each kind, in order, then fill from the start
    firsts = sorted({kinds.index(k) for k in distinct} | {_second_tied(d, n)} - {-1})
    rest = [i for i in range(n) if i not in firsts][: max(0, target - len(firsts))]
    return sorted(firsts + rest)


def _second_tied(d: dict, n: int) -> int:
    """The second layer of a kind whose weights are tied across its layers, else -1."""
    for (mt, key), kind in R.TIED_KINDS.items():
        value = d.get(key) if d.get("model_type") == mt else None
        at = [i for i, x in enumerate(value) if x == kind] if isinstance(value, list) and len(
            value) == n else []
        if len(at) > 1:
            return at[1]
    return -1


def _apply_layers(d: dict, n: int, keep: list[int]) -> None:
    for key, value in list(d.items()):
        if isinstance(value, list) and len(value) == n and n > 1 and (
                "layer" in key or "block" in key or key in R.PER_LAYER_LISTS) and (
                key not in R.INDEX_LISTS):
            d[key] = [value[i] for i in keep]
            if key in R.LAYER_MAPS:
                d[key] = [keep.index(v) if v in keep else j for j, v in enumerate(d[key])]
    for key, value in list(d.items()):  # {"02": {…overrides}, …}: layer index -> sizes
        if _per_layer(value):
            d[key] = {type(k)(f"{keep.index(int(k)):0{len(str(k))}d}") if isinstance(k, str)
                      else keep.index(int(k)): v for k, v in value.items() if int(k) in keep}
    for key in R.INDEX_LISTS:
        if isinstance(d.get(key), list):
            d[key] = [keep.index(i) for i in d[key] if i in keep]
    for key in R.RUN_LENGTH_LAYERS:
        kinds = _run_length(d.get(key))
        if kinds is not None and len(kinds) == n:
            d[key] = [[[kinds[i] for i in keep], 1]]
    for key in R.TRAILING_COUNTS:
        if _int(d.get(key)) and d[key] > 0:
            d[key] = sum(1 for i in keep if i >= n - d[key])
    _backbone_outputs(d, keep)
    for key in R.FOLLOWED_LAYER_LISTS:
        if isinstance(d.get(key), list) and all(_int(i) for i in d[key]):
            d[key] = _follow(d[key], n, len(keep))
    for key in R.HIDDEN_STATE_INDICES:
        v = d.get(key)
        if _int(v) or isinstance(v, list):
            d[key] = _clamp_layer_index(v, len(keep))


def _run_length(value) -> list | None:
    """[[["global", "local"], 12]] -> the 24 per-layer kinds it stands for (GPT-Neo)."""
    if not isinstance(value, list) or not all(
            isinstance(e, list) and len(e) == 2 and isinstance(e[0], list) and _int(e[1])
            for e in value):
        return None
    return [kind for kinds, times in value for _ in range(times) for kind in kinds]


def _clamp_layer_index(v, n_layers: int):
    """Hidden-state indices stay inside the tiny stack (n_layers + 1 hidden states)."""
    if isinstance(v, list):
        out = [_clamp_layer_index(x, n_layers) for x in v]
        return list(dict.fromkeys(out)) if len(set(out)) < len(out) else out
    if v < 0:
        return max(v, -(n_layers + 1))
    return min(v, n_layers)


def _per_layer(value) -> bool:
    """A dict of per-layer overrides keyed by layer index (dots3 `per_layer_config`)."""
    return isinstance(value, dict) and bool(value) and all(
        (isinstance(k, int) or (isinstance(k, str) and k.isdigit())) and isinstance(v, dict)
        for k, v in value.items())


def _backbone_outputs(d: dict, keep: list[int]) -> None:
    """A ViT backbone's `out_indices` name hidden states (0 = embeddings, i = after layer i-1):
    they follow the kept layers, a dropped one moving to the last, and `out_features` with them."""
    idx = d.get("out_indices")
    if not isinstance(idx, list) or not all(_int(i) for i in idx):
        return
    new = []
    for i in idx:
        j = 0 if i == 0 else (keep.index(i - 1) + 1 if i - 1 in keep else len(keep))
        if i < 0:
            j = i
        if j not in new:
            new.append(j)
    d["out_indices"] = new
    feats = d.get("out_features")
    if isinstance(feats, list) and all(isinstance(f, str) and f.startswith(("stage", "stem"))
                                       for f in feats):
        d["out_features"] = ["stem" if j == 0 else f"stage{j}" for j in new if j >= 0]


def follow_tower_layers(d: dict, path: str, counts: dict) -> None:
    """Layer indices kept in a sibling of the tower they index (Molmo2's
    `adapter_config.vision_feature_layer` names layers of `vision_config`) follow that tower's
    tiny stack: layer i of n0 becomes the same fraction of the n kept, distinct where it can."""
    for key, tower in R.TOWER_LAYER_KEYS.items():
        n0, n = counts.get(f"{path}.{tower}" if path else tower, (None, None))
        if not n0 or n0 <= n:
            continue
        # a sibling of the tower, or the level holding it (VipLLaVA's top-level list)
        for sub in [d, *(v for k, v in d.items() if isinstance(v, dict) and k != tower)]:
            idx = sub.get(key)
            if not (isinstance(idx, list) and idx and all(_int(i) for i in idx)):
                continue
            sub[key] = _follow(idx, n0, n)
    for key, towers in R.PAIR_LAYER_KEYS.items():
        pairs = d.get(key)
        if not (isinstance(pairs, list) and pairs and all(
                isinstance(p, list) and len(p) == len(towers) and all(_int(i) for i in p)
                for p in pairs)):
            continue
        columns = [[p[c] for p in pairs] for c in range(len(towers))]
        for c, tower in enumerate(towers):
            n0, n = counts.get(f"{path}.{tower}" if path else tower, (None, None))
            if n0 and n0 > n:
                columns[c] = _follow(columns[c], n0, n)
        d[key] = [list(p) for p in zip(*columns)]


def _follow(idx: list[int], n0: int, n: int) -> list[int]:
    """Layer i of n0 becomes the same fraction of the n kept, distinct where it can."""
    out: list[int] = []
    for i in idx:
        j = max(i, -n) if i < 0 else min(n - 1, round(i * (n - 1) / max(1, n0 - 1)))
        while j in out and j > 0:
            j -= 1
        out.append(j)
    return out
