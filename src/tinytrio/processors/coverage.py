"""Processor coverage: of the model types transformers maps to a processor, image processor,
video processor or feature extractor, how many run the processor path end to end.

    python -m tinytrio.processors.coverage [-o DIR] [--jobs 2] [--types a,b,…] [--timeout 90]

Each type is built (`make_tiny_model`, default config) and checked (`check_model` fast, whose
`processor` check runs the real path) in a worker process of the sweep's pool. A type counts
when the `processor` check passes; DIR/processor_coverage.json holds every row with the reason.
The sweep's own rows carry the same `checks["processor"]` status: `processor_coverage(rows)`
in tinytrio.processors turns them into the same figure.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path


def types_with_processor() -> list[str]:
    from ..sweep import all_model_types
    from .build import has_processor

    return [t for t in all_model_types() if has_processor(t)]


def one(model_type: str) -> dict:
    """Build and check one type; a row (never raises)."""
    from ..check import check_model
    from ..model.build import make_tiny_model

    t0 = time.perf_counter()
    row = {"model_type": model_type, "processor": "fail", "written": None, "reason": ""}
    tmp = Path(tempfile.mkdtemp(prefix=f"tinytrio-proc-{model_type}-"))
    try:
        result = make_tiny_model(model_type, tmp / "m", check=False, force=True)
        written = result.processors or {}
        row["written"] = written.get("status")
        report = check_model(tmp / "m", fast=True, raise_on_fail=False)
        entry = report["checks"].get("processor") or {}
        status = entry.get("status") or "skip"
        row["processor"] = status
        row["reason"] = entry.get("detail", "") if status != "pass" else ""
        if status == "skip" and written.get("status") not in ("written", None):
            row["reason"] = f"not written: {written.get('detail', written.get('status'))}"
        elif status == "skip" and entry.get("detail", "").endswith("did not pass"):
            failed = [f"{k}: {v['detail']}" for k, v in report["checks"].items()
                      if v["status"] == "fail"]
            row["reason"] = f"model check failed first ({failed[0] if failed else ''})"[:300]
    except Exception as e:  # the model itself cannot be built
        text = str(e).strip().splitlines()
        row["processor"] = "model"
        row["reason"] = f"model not built: {type(e).__name__}: {text[-1] if text else ''}"[:300]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    row["seconds"] = round(time.perf_counter() - t0, 2)
    return row


def run(types: list[str], jobs: int = 2, timeout: float = 90.0) -> dict:
    from ..sweep.pool import run_tasks

    rows = []
    for key, row in run_tasks([(t, (t,)) for t in types], "tinytrio.processors.coverage:one",
                              jobs=jobs, timeout=timeout,
                              init="tinytrio.sweep.worker:init_worker"):
        if "processor" not in row:  # a timeout or a dead worker
            row = {"model_type": key, "processor": "fail",
                   "reason": str(row.get("reason") or row)[:300]}
        rows.append(row)
    rows.sort(key=lambda r: r["model_type"])
    counts = Counter(r["processor"] for r in rows)
    return {"types_with_processor": len(types), "pass": counts.get("pass", 0),
            "skip": counts.get("skip", 0), "fail": counts.get("fail", 0),
            "model_not_built": counts.get("model", 0),
            "coverage": round(counts.get("pass", 0) / len(types), 4) if types else None,
            "rows": rows}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", default="processor-coverage")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=90.0)
    ap.add_argument("--types", default="")
    args = ap.parse_args(argv)
    types = [t for t in args.types.split(",") if t] or types_with_processor()
    report = run(types, args.jobs, args.timeout)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "processor_coverage.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"processor path runs for {report['pass']} of {report['types_with_processor']} types "
          f"with a processor ({100 * (report['coverage'] or 0):.1f}%); skip {report['skip']}, "
          f"fail {report['fail']}, model not built {report['model_not_built']}")
    reasons = Counter(_cluster(r["reason"]) for r in report["rows"] if r["processor"] != "pass")
    for reason, n in reasons.most_common(15):
        print(f"  {n:4}  {reason}")


def _cluster(reason: str) -> str:
    import re

    return re.sub(r"\d+", "N", reason)[:110]


if __name__ == "__main__":
    main()
