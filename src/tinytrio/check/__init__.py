"""`tinytrio check`: prove a model directory, tiny or real, works end to end with transformers.

Each check is a small function `(ctx) -> detail` (see core.py): it passes when it returns, fails
when it raises (the error is the finding, never a crash), and is skipped when it raises Skip. The
checks run along the data flow and share one context:

    basic.py        load, tokenizer, forward, generate, backward, nan, save_reload  (the FAST set)
    processor.py    processor    (AutoProcessor → chat template / pipeline → generate; FAST too)
    loading.py      sharded, dtype, meta_load, device_map
    train.py        train        (Trainer + the collator that fits the head, on the corpus)
    pipeline.py     pipeline     (the matching transformers pipeline)
    distributed.py  ddp          (--nproc N: DDP in N processes, parameters identical on all ranks)
    cuda.py         cuda_bf16, cuda_fp16  (--device cuda, sdpa attention)

`tinytrio model` runs FAST after a build; `tinytrio check` runs everything.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from ..errors import CheckFailed, OptionError, SourceError
from .core import Ctx, Skip, message

__all__ = ["check_model", "check", "format_report", "dumps", "parse_count", "Skip", "Ctx", "FAST",
           "FULL"]

DEVICES = ("cpu", "cuda")


def _fast():
    from .basic import (check_backward, check_forward, check_generate, check_load, check_nan,
                        check_save_reload, check_tokenizer)
    from .processor import check_processor

    return [("load", check_load), ("tokenizer", check_tokenizer), ("forward", check_forward),
            ("generate", check_generate), ("backward", check_backward), ("nan", check_nan),
            ("save_reload", check_save_reload), ("processor", check_processor)]


def _plan(ctx: Ctx, fast: bool):
    """The checks to run: FAST, or everything; ddp whenever nproc is given; cuda with device."""
    checks = _fast()
    if not fast:
        from .loading import check_device_map, check_dtype, check_meta_load, check_sharded
        from .pipeline import check_pipeline
        from .train import check_train

        checks += [("sharded", check_sharded), ("dtype", check_dtype),
                   ("meta_load", check_meta_load), ("device_map", check_device_map),
                   ("train", check_train), ("pipeline", check_pipeline)]
    if ctx.nproc:
        from .distributed import check_ddp

        checks.append(("ddp", check_ddp))
    if ctx.device == "cuda" and not fast:
        from .cuda import cuda_check

        checks += [("cuda_bf16", cuda_check("bfloat16")), ("cuda_fp16", cuda_check("float16"))]
    return checks


FAST = ("load", "tokenizer", "forward", "generate", "backward", "nan", "save_reload",
        "processor")
FULL = FAST + ("sharded", "dtype", "meta_load", "device_map", "train", "pipeline", "ddp",
               "cuda_bf16", "cuda_fp16")

# what a check needs to have passed; when it did not, the check is skipped rather than failed again
NEEDS = {"tokenizer": ("load",), "forward": ("load",), "generate": ("forward",),
         "backward": ("load",), "nan": ("load",), "save_reload": ("forward",),
         "processor": ("forward",),
         "sharded": ("forward",), "dtype": ("forward",), "meta_load": ("forward",),
         "device_map": ("forward",), "train": ("load",), "pipeline": ("load",),
         "ddp": ("load",), "cuda_bf16": ("load",), "cuda_fp16": ("load",)}


def parse_count(option: str, value) -> int:
    """A positive integer option given as text (the CLI parses it here: exit 2 on bad input)."""
    try:
        n = int(str(value).strip())
    except ValueError:
        raise OptionError(f"{option} must be a positive integer, got {value!r}") from None
    if n < 1:
        raise OptionError(f"{option} must be a positive integer, got {n}")
    return n


def _validate(path: Path, train_steps: int, device: str, nproc: int | None) -> None:
    if not path.exists():
        raise SourceError(f"{path} does not exist")
    if not path.is_dir() or not (path / "config.json").is_file():
        raise SourceError(f"{path} is not a model directory (no config.json)")
    if isinstance(train_steps, bool) or not isinstance(train_steps, int) or train_steps < 1:
        raise OptionError(f"--train-steps must be a positive integer, got {train_steps}")
    if device not in DEVICES:
        raise OptionError(f"--device {device!r} is not one of {', '.join(DEVICES)}")
    if nproc is not None and (not isinstance(nproc, int) or nproc < 1):
        raise OptionError(f"--nproc must be a positive integer, got {nproc}")
    if device == "cuda":
        import torch

        if not torch.cuda.is_available():
            raise OptionError("--device cuda: no CUDA device")
        if nproc and nproc > torch.cuda.device_count():
            raise OptionError(f"--nproc {nproc} --device cuda needs {nproc} GPUs, found "
                              f"{torch.cuda.device_count()}")


def _remote_code(path: Path, config: dict | None, trust: bool) -> None:
    """Import the directory's own model code when trusted; refuse a config that needs it else."""
    from ..remote import load_remote, refuse, wants_remote
    from ..sources import model_types

    if not config or not config.get("model_type"):
        return  # the load check reports it
    if wants_remote(config, trust):
        load_remote(path, config)
    elif config["model_type"] not in model_types() and wants_remote(config, trust=True):
        raise refuse(config, str(path / "config.json"))  # bad input: the flag is missing
    # an unknown model_type without remote code is a finding of the load check (exit 1)


def _read_config(path: Path) -> tuple[dict | None, str | None]:
    try:
        data = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        return None, message(e)
    if not isinstance(data, dict):
        return None, "config.json is not a JSON object"
    return data, None


def check_model(path: str | Path, fast: bool = True, raise_on_fail: bool = True, *,
                train_steps: int = 3, device: str = "cpu", nproc: int | None = None,
                timeout: float = 300.0, threads: int | None = 1,
                trust_remote_code: bool = False) -> dict:
    """Run the checks on a model directory and return the report.

    fast=True runs the FAST subset (what `tinytrio model` runs); fast=False runs them all and
    the CUDA checks with device="cuda"; `ddp` runs whenever nproc is given. Raises CheckFailed
    when a check fails and raise_on_fail; SourceError / OptionError on bad input (exit 2).

    trust_remote_code: import the directory's own model code (config.json `auto_map`); without
    it such a directory is refused (SourceError) unless its model_type is native.

    threads: torch CPU threads while the checks run (restored afterwards). One is fastest for
    tiny models and immune to a busy machine: two threads on two shared cores made the fast
    checks of a tiny llama 30x slower (2.2 s instead of 0.08 s). None leaves torch's setting.
    """
    path = Path(path)
    _validate(path, train_steps, device, nproc)
    import torch

    from .._quiet import quiet_transformers

    quiet_transformers()
    config, error = _read_config(path)
    _remote_code(path, config, trust_remote_code)
    ctx = Ctx(path, config, config_error=error, device=device, train_steps=train_steps,
              nproc=nproc, timeout=timeout, full=not fast)
    report: dict = {"path": str(path), "checks": {}}
    status: dict[str, str] = {}
    started = time.perf_counter()
    before = torch.get_num_threads()
    if threads:
        torch.set_num_threads(threads)
    try:
        for name, fn in _plan(ctx, fast):
            t0 = time.perf_counter()
            missing = [n for n in NEEDS.get(name, ()) if status.get(n) != "pass"]
            if missing:
                entry = {"status": "skip", "detail": f"{missing[0]} did not pass"}
            else:
                torch.manual_seed(0)
                try:
                    entry = {"status": "pass", "detail": fn(ctx)}
                except Skip as e:
                    entry = {"status": "skip", "detail": str(e)}
                except Exception as e:  # a check failing is a finding, not a crash
                    entry = {"status": "fail", "detail": message(e)[:500]}
            entry["seconds"] = round(time.perf_counter() - t0, 3)
            report["checks"][name] = entry
            status[name] = entry["status"]
    finally:
        torch.set_num_threads(before)
    failed = [n for n, e in report["checks"].items() if e["status"] == "fail"]
    report["ok"] = not failed
    report["seconds"] = round(time.perf_counter() - started, 3)
    if failed and raise_on_fail:
        first = report["checks"][failed[0]]
        raise CheckFailed(f"check failed: {', '.join(failed)} ({failed[0]}: {first['detail']})",
                          report)
    return report


def check(path: str | Path, **kwargs) -> dict:
    """Public API: the report of `tinytrio check PATH` (every check unless fast=True is passed).

    Raises CheckFailed when a check fails (pass raise_on_fail=False to get the report instead).
    """
    kwargs.setdefault("fast", False)
    return check_model(path, **kwargs)


def format_report(report: dict) -> str:
    lines = [f"{report['path']}"]
    for name, e in report["checks"].items():
        lines.append(f"  {e['status']:4}  {name:12} {e['seconds']:7.3f}s  {e['detail']}")
    if "seconds" in report:
        verdict = "ok" if report.get("ok") else "FAILED"
        lines.append(f"  {verdict}, {report['seconds']:.2f}s")
    return "\n".join(lines)


def dumps(report: dict) -> str:
    return json.dumps(report, indent=2)
