"""Invariants of a tiny config, checked before any model is built, each failing with the
constraint it names: heads divide the width, kv heads divide heads, rotary head dims are even,
top-k routes to fewer experts than exist. transformers' own validators run after these."""

from __future__ import annotations

from .._values import is_int as _int
from ..errors import OptionError
from .shrink import is_subconfig

ROPE_KEYS = ("rope_parameters", "rope_scaling", "rope_theta")


def validate_tiny(d: dict, path: str = "") -> None:
    """Raise OptionError naming the first broken constraint of `d` or a sub-config."""
    where = f" in {path}" if path else ""
    for key, value in d.items():
        if is_subconfig(key, value):
            validate_tiny(value, f"{path}.{key}" if path else key)
    hidden = next((d[k] for k in ("hidden_size", "d_model", "n_embd") if _int(d.get(k))), None)
    heads = next((d[k] for k in ("num_attention_heads", "n_head", "num_heads")
                  if _int(d.get(k))), None)
    kv = next((d[k] for k in ("num_key_value_heads", "num_kv_heads") if _int(d.get(k))), None)
    head_dim = d.get("head_dim") if _int(d.get("head_dim")) else None
    if heads is not None and heads < 1:
        raise OptionError(f"attention heads must be >= 1{where}, got {heads}")
    if hidden and heads and head_dim is None:
        if hidden % heads:
            raise OptionError(f"hidden size {hidden} is not divisible by {heads} heads{where}; "
                              f"heads must divide the hidden size")
        head_dim = hidden // heads
    if kv and heads and heads % kv:
        raise OptionError(f"{kv} key/value heads do not divide {heads} attention heads{where}")
    partial = (d.get("rope_parameters") or {}).get("partial_rotary_factor", 1.0) if isinstance(
        d.get("rope_parameters"), dict) else d.get("partial_rotary_factor", 1.0)
    if head_dim and any(k in d for k in ROPE_KEYS) and int(head_dim * (partial or 1.0)) % 2:
        raise OptionError(f"rotary embeddings need an even head dim{where}, got {head_dim} "
                          f"(hidden {hidden} / {heads} heads); choose sizes with an even quotient")
    for ek in ("num_experts", "num_local_experts", "n_routed_experts", "moe_num_experts"):
        experts, topk = d.get(ek), d.get("num_experts_per_tok")
        if _int(experts) and _int(topk) and experts > 1 and topk > experts:
            raise OptionError(f"top-k {topk} routes to more experts than the {experts} there are"
                              f"{where}")
