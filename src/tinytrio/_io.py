"""Atomic artifact directories: write into a temporary sibling, rename into place on success.

A crash (even `kill -9`) leaves either no OUT or the previous complete one, plus a stale
`.OUT.tinytrio-tmp-*` sibling that the next run removes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from .errors import OutputError

TMP_MARK = ".tinytrio-tmp-"


def check_output_dir(out: str | os.PathLike, force: bool = False) -> Path:
    """Validate OUT before any work is done, so bad output paths fail fast with nothing written."""
    out = Path(out).expanduser().absolute()
    if out.exists() and not out.is_dir():
        raise OutputError(f"OUT {out} is a file; give a directory path")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise OutputError(f"OUT {out} exists and is not empty; pass --force to replace it")
    probe = out.parent
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise OutputError(f"cannot write OUT {out}: {probe} is a file, not a directory")
    try:  # a real probe: permissions, read-only and special filesystems all answer here
        os.rmdir(tempfile.mkdtemp(prefix=".tinytrio-probe-", dir=probe))
    except OSError as e:
        raise OutputError(f"cannot write to {probe} ({e.strerror}); choose another OUT") from None
    return out


def _clean_stale(parent: Path, name: str) -> None:
    """Remove temporaries of dead writers; put back an OUT a dead writer had moved aside."""
    for p in parent.glob(f".{name}{TMP_MARK}*"):
        rest = p.name[len(f".{name}{TMP_MARK}"):]
        pid_text, _, tail = rest.partition("-")
        try:
            pid = int(pid_text)
        except ValueError:
            pid = -1
        if pid != os.getpid() and _pid_alive(pid):
            continue
        out = parent / name
        if tail == "old":
            if not out.exists():  # killed between moving OUT aside and renaming the new one in
                with contextlib.suppress(OSError):
                    p.rename(out)
            continue  # never delete what was a complete OUT
        shutil.rmtree(p, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
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
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _clean_stale(out.parent, out.name)
        # the pid in the name lets the next run tell a dead writer's leftovers from a live one's
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}{TMP_MARK}{os.getpid()}-",
                                    dir=out.parent))
    except OSError as e:
        raise OutputError(f"cannot write to {out.parent} ({e.strerror}); choose another OUT") \
            from None
    try:
        yield tmp
        try:
            if out.exists():
                old = out.with_name(f".{out.name}{TMP_MARK}{os.getpid()}-old")
                out.rename(old)
                tmp.rename(out)
                shutil.rmtree(old, ignore_errors=True)
            else:
                tmp.rename(out)
        except OSError as e:
            raise OutputError(f"cannot move the finished artifact into {out} ({e.strerror})") \
                from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
