"""`--set key=value` overrides (dotted paths reach sub-configs) and `--shard-size` parsing."""

from __future__ import annotations

import json
import re

from ..errors import OptionError

UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9,
         "KIB": 2**10, "MIB": 2**20, "GIB": 2**30}


def parse_size(text: str | int) -> int:
    """'200KB' → 200000 bytes.

    >>> parse_size("200KB"), parse_size("1MiB")
    (200000, 1048576)
    """
    if isinstance(text, int):
        return text
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?I?B?)\s*", str(text).upper())
    if not m or float(m.group(1)) <= 0:
        raise OptionError(f"--shard-size {text!r} is not a size; write e.g. 200KB or 1MB")
    return int(float(m.group(1)) * UNITS[m.group(2)])


def parse_value(text: str):
    """JSON when it parses (numbers, true, null, lists), else the plain string."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def apply_overrides(config: dict, items: list[str]) -> None:
    """Apply `key=value` items in place; the key (or its dotted path) must already exist."""
    for item in items:
        if "=" not in item:
            raise OptionError(f"--set {item!r} is not key=value; write e.g. --set rms_norm_eps=1e-5")
        key, _, raw = item.partition("=")
        path = key.strip().split(".")
        d = config
        for i, part in enumerate(path[:-1]):
            if not isinstance(d.get(part), dict):
                raise OptionError(f"--set {key}: {'.'.join(path[:i + 1])} is not a sub-config "
                                  f"of this model")
            d = d[part]
        if path[-1] not in d:
            near = [k for k in d if path[-1].split("_")[0] in k][:5]
            hint = f" (similar: {', '.join(near)})" if near else ""
            raise OptionError(f"--set {key}: no such config key{hint}")
        d[path[-1]] = parse_value(raw)
