"""One model type, in a worker process: build the tiny model, run the fast checks, measure."""

from __future__ import annotations

import re
import shutil
import tempfile
import time
import traceback
from pathlib import Path

# Libraries a model's import or forward may need that no PyPI install can give beside the pinned
# torch: the sweep skips such a type and names the library (docs/coverage.md says why).
UNAVAILABLE = {
    "torchvision": "PyPI's torchvision needs a different torch than the pinned 2.13.0 CPU build "
                   "(its ops do not register: 'operator torchvision::nms does not exist')",
    "torchaudio": "PyPI's torchaudio needs a different torch than the pinned 2.13.0 CPU build",
    "timm": "imports torchvision when imported (timm.layers), and PyPI's torchvision does not "
            "import beside the pinned torch 2.13.0 CPU build ('operator torchvision::nms does "
            "not exist')",
    "detectron2": "not published on PyPI",
    "natten": "PyPI has no wheel for this torch (it compiles CUDA/C++ extensions against torch)",
    "mamba_ssm": "needs CUDA to build",
    "causal_conv1d": "needs CUDA to build",
    "flash_attn": "needs CUDA to build",
}
_NEEDS = [re.compile(p, re.I) for p in (
    r"requires the (\w[\w\-]*) library", r"No module named '([\w\-]+)",
    r"requires (\w[\w\-]*) to be installed", r"pip install ([\w\-]+)")]


def init_worker() -> None:
    """Once per worker process: one thread (the sweep runs one worker per core), quiet libraries."""
    import os
    import warnings

    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    warnings.simplefilter("ignore")
    import torch

    torch.set_num_threads(1)
    from .._quiet import quiet_transformers

    quiet_transformers()


def missing_library(text: str) -> str | None:
    """The library an error message says is missing, if any."""
    for pattern in _NEEDS:
        m = pattern.search(text)
        if m:
            return m.group(1).replace("-", "_").lower()
    return None


def _reason(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {msg[-1] if msg else ''}"[:500]


def sweep_one(model_type: str, keep_dir: str | None = None) -> dict:
    """Build + check one model type; a result row for the report (never raises)."""
    from ..check import check_model
    from ..model.build import make_tiny_model

    t0 = time.perf_counter()
    row = {"model_type": model_type, "status": "fail", "reason": "", "architecture": None,
           "params": None, "bytes": None, "seconds": None, "fidelity": None, "checks": {}}
    tmp = Path(tempfile.mkdtemp(prefix=f"tinytrio-sweep-{model_type}-"))
    out = tmp / model_type
    try:
        result = make_tiny_model(model_type, out, check=False, force=True)
        row.update(architecture=result.architecture, params=result.params, bytes=result.bytes)
        kinds = result.fidelity.get("layer_kinds", {}).values()
        row["fidelity"] = {"kept": result.fidelity["kept"], "total": result.fidelity["total"],
                           "layer_kinds_kept": sum(k for k, _ in kinds),
                           "layer_kinds_total": sum(t for _, t in kinds)}
        report = check_model(out, fast=True, raise_on_fail=False)
        row["checks"] = {k: v["status"] for k, v in report["checks"].items()}
        failed = [(k, v) for k, v in report["checks"].items() if v["status"] == "fail"]
        if failed:
            row["reason"] = f"{failed[0][0]}: {failed[0][1]['detail']}"[:500]
            lib = missing_library(failed[0][1]["detail"])
            if lib in UNAVAILABLE:  # a check (RNN-T's loss: torchaudio) needs what no install gives
                row["status"] = "skip"
                row["reason"] = f"needs {lib} ({failed[0][0]}): {UNAVAILABLE[lib]}"
        else:
            row["status"] = "pass"
            row["reason"] = "; ".join(result.substitutions)  # a pass names what it substituted
        if keep_dir:
            dest = Path(keep_dir) / model_type
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(out, dest)
    except BaseException as e:  # noqa: BLE001 - one type's failure is a row, not a crash
        text = "".join(traceback.format_exception_only(type(e), e))
        lib = missing_library(text)
        row["reason"] = _reason(e)
        if lib in UNAVAILABLE:
            row["status"] = "skip"
            row["reason"] = f"needs {lib}: {UNAVAILABLE[lib]}"
        elif lib:
            row["reason"] = f"needs {lib}, not installed (pip install 'tinytrio[all]'): " + \
                row["reason"]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    row["seconds"] = round(time.perf_counter() - t0, 3)
    return row
