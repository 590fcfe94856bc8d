"""A local cache of tiny artifacts, keyed by what decides their bytes.

Key = sha256 of (kind, source, options, fingerprint of a local source, tinytrio / transformers /
torch versions). An entry is a directory that appears only complete (the builders write atomically),
so a hit is one `stat` and needs no lock; a miss takes a file lock, so concurrent processes
(pytest-xdist, two CI jobs) build each entry once and never see half of one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Callable

ENV = "TINYTRIO_CACHE"


def cache_root() -> Path:
    return Path(os.environ.get(ENV) or Path.home() / ".cache" / "tinytrio").expanduser()


def _versions() -> dict:
    """Versions without importing torch / transformers (a cache hit must stay cheap)."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("tinytrio", "transformers", "torch", "tokenizers", "datasets"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def _fingerprint(source: str) -> list | None:
    """A local source's files (name, size, mtime): editing the source changes the key."""
    path = Path(source).expanduser()
    if not path.exists():
        return None
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return [[str(p.relative_to(path.parent)), p.stat().st_size, p.stat().st_mtime_ns]
            for p in files[:2000]]


def cache_key(kind: str, source: str, options: dict) -> str:
    blob = json.dumps({"kind": kind, "source": str(source), "options": options,
                       "fingerprint": _fingerprint(str(source)), "versions": _versions()},
                      sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


def cached(kind: str, source: str, options: dict, build: Callable[[Path], object]) -> Path:
    """The cached artifact for (kind, source, options); `build(out)` makes it on a miss."""
    from filelock import FileLock

    root = cache_root()
    key = cache_key(kind, source, options)
    entry = root / kind / key
    if (entry / ".recipe.json").is_file():
        return entry
    (root / "locks").mkdir(parents=True, exist_ok=True)
    with FileLock(str(root / "locks" / f"{key}.lock"), timeout=600):
        if (entry / ".recipe.json").is_file():  # another process built it while we waited
            return entry
        build(entry)
        recipe = {"kind": kind, "source": str(source), "options": options}
        tmp = entry / ".recipe.json.tmp"
        tmp.write_text(json.dumps(recipe, sort_keys=True, default=str))
        tmp.replace(entry / ".recipe.json")  # the entry counts as present only from here
    return entry


def list_entries() -> list[dict]:
    root = cache_root()
    out = []
    for recipe in sorted(root.glob("*/*/.recipe.json")):
        entry = recipe.parent
        size = sum(p.stat().st_size for p in entry.rglob("*") if p.is_file())
        out.append({**json.loads(recipe.read_text()), "path": str(entry), "bytes": size})
    return out


def clear() -> int:
    """Remove every entry; returns how many were removed."""
    root = cache_root()
    n = len(list(root.glob("*/*/.recipe.json")))
    for sub in ("model", "dataset", "locks"):
        shutil.rmtree(root / sub, ignore_errors=True)
    return n
