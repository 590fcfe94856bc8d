"""`tinytrio sweep`: build and check a tiny model for every transformers model type.

Each type runs in a spawned worker process with a timeout (a hang or crash in one type is a row
in the report, not the end of the sweep); results go to DIR/report.json and DIR/report.md.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from .pool import run_tasks
from .report import coverage_page, markdown, summary, write_json

__all__ = ["run_sweep", "all_model_types", "summary"]


def all_model_types() -> list[str]:
    from transformers.models.auto.modeling_auto import MODEL_MAPPING_NAMES

    return sorted(MODEL_MAPPING_NAMES)


def run_sweep(out: str | Path = "sweep", model_types: list[str] | None = None, *, jobs: int = 2,
              timeout: float = 60.0, keep: bool = False, coverage: str | Path | None = None,
              progress: bool = True) -> dict:
    """Sweep `model_types` (default: all); write report.json/report.md under `out`; return the
    report dict."""
    import torch
    import transformers

    from ..errors import OptionError

    known = all_model_types()
    types = list(dict.fromkeys(model_types)) if model_types else known
    unknown = [t for t in types if t not in known]
    if unknown:
        raise OptionError(f"unknown model type(s): {', '.join(unknown)} (not in transformers' "
                          f"MODEL_MAPPING_NAMES)")
    if jobs < 1:
        raise OptionError(f"--jobs must be at least 1, got {jobs}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    keep_dir = str((out / "models").absolute()) if keep else None
    bar = _bar(len(types), progress)
    rows: dict[str, dict] = {}
    t0 = time.perf_counter()
    tasks = [(t, (t, keep_dir)) for t in types]
    partial = (out / "results.jsonl").open("w")  # rows as they finish, for a sweep in progress
    for key, row in run_tasks(tasks, "tinytrio.sweep.worker:sweep_one", jobs=jobs,
                              timeout=timeout, init="tinytrio.sweep.worker:init_worker"):
        row.setdefault("model_type", key)
        if row.get("seconds") is None and "timeout" in row.get("reason", ""):
            row["seconds"] = timeout
        rows[key] = _complete(row)
        partial.write(json.dumps(rows[key]) + "\n")
        partial.flush()
        bar.update(key, row["status"])
    bar.close()
    partial.close()
    (out / "results.jsonl").unlink()
    report = {"transformers_version": transformers.__version__,
              "torch_version": torch.__version__.split("+")[0], "jobs": jobs,
              "wall_seconds": round(time.perf_counter() - t0, 1),
              "results": [rows[t] for t in sorted(rows)]}
    write_json(report, out / "report.json")
    (out / "report.md").write_text(markdown(report))
    if coverage:
        Path(coverage).parent.mkdir(parents=True, exist_ok=True)
        Path(coverage).write_text(coverage_page(report))
    return report


def _complete(row: dict) -> dict:
    base = {"model_type": None, "status": "fail", "reason": "", "architecture": None,
            "params": None, "bytes": None, "seconds": None, "fidelity": None, "checks": {}}
    base.update(row)
    return base


class _bar:
    """tqdm on stderr when available, else a counter line."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.n, self.enabled = total, 0, enabled
        self.counts = {"pass": 0, "fail": 0, "skip": 0}
        self.tqdm = None
        if enabled:
            try:
                from tqdm import tqdm

                self.tqdm = tqdm(total=total, file=sys.stderr, unit="type", dynamic_ncols=True)
            except ImportError:
                pass

    def update(self, key: str, status: str) -> None:
        self.n += 1
        self.counts[status] = self.counts.get(status, 0) + 1
        if not self.enabled:
            return
        c = self.counts
        text = f"{key} {status} | pass {c['pass']} fail {c['fail']} skip {c['skip']}"
        if self.tqdm is not None:
            self.tqdm.set_postfix_str(text, refresh=False)
            self.tqdm.update(1)
        else:
            print(f"\r[{self.n}/{self.total}] {text}", end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.tqdm is not None:
            self.tqdm.close()
        elif self.enabled:
            print(file=sys.stderr)
