"""Small predicates on config values, shared by the shrinker, the input builders and the processors."""

from __future__ import annotations


def is_int(v) -> bool:
    """An int that is not a bool (config flags are bools, and True == 1)."""
    return isinstance(v, int) and not isinstance(v, bool)
