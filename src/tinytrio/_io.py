"""Atomic artifact directories: write into a temporary sibling, rename into place on success.

A crash (even `kill -9`) leaves either no OUT or the previous complete one, plus a stale
`.OUT.tinytrio-tmp-*` sibling that the next run removes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from pathlib import Path

from .errors import OutputError

TMP_MARK = ".tinytrio-tmp-"
STALE_SECONDS = 3600  # a temp dir older than this belongs to a dead run


def check_output_dir(out: str | os.PathLike, force: bool = False) -> Path:
    """Validate OUT before any work is done, so bad output paths fail fast with nothing written."""
    out = Path(out).expanduser().absolute()
    if out.exists() and not out.is_dir():
        raise OutputError(f"OUT {out} is a file; give a directory path")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise OutputError(f"OUT {out} exists and is not empty; pass --force to replace it")
    parent = out.parent
    probe = parent
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write to {parent}: permission denied; choose another OUT")
    return out


def _clean_stale(parent: Path, name: str) -> None:
    now = time.time()
    for p in parent.glob(f".{name}{TMP_MARK}*"):
        with contextlib.suppress(OSError):
            pid = int(p.name.rsplit("-", 1)[-1])
            alive = _pid_alive(pid)
            if not alive or now - p.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(p, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def atomic_output_dir(out: str | os.PathLike, force: bool = False):
    """Yield a fresh temporary directory; on success it replaces OUT, on error it vanishes.

    >>> with atomic_output_dir("tiny") as tmp:   # doctest: +SKIP
    ...     (tmp / "config.json").write_text("{}")
    """
    out = check_output_dir(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(out.parent, out.name)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}{TMP_MARK}", dir=out.parent))
    # the pid suffix lets the next run tell a dead writer's leftovers from a live one's
    tagged = tmp.with_name(f"{tmp.name}-{os.getpid()}")
    tmp.rename(tagged)
    tmp = tagged
    try:
        yield tmp
        if out.exists():
            old = out.with_name(f".{out.name}{TMP_MARK}old-{os.getpid()}")
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
