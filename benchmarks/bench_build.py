"""Build speed: per architecture from the committed sweep report, plus `tinytrio --help` and a
whole `tinytrio model llama` (build + fast checks) measured here, imports included and excluded.

    python benchmarks/bench_build.py [--report docs/sweep/report.json] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine, median, table, timed  # noqa: E402

ROOT = Path(__file__).parent.parent


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--report", default=str(ROOT / "docs" / "sweep" / "report.json"))
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    rows = []
    report = Path(args.report)
    if report.exists():
        data = json.loads(report.read_text())
        ok = [r for r in data["results"] if r["status"] == "pass"]
        secs = [r["seconds"] for r in ok if r.get("seconds") is not None]
        size = [r["bytes"] / 1e6 for r in ok if r.get("bytes")]
        rows += [["sweep: seconds per type (build + checks), median / p95",
                  f"{median(secs):.2f} / {pct(secs, 0.95):.2f}", f"{len(secs)} passing types"],
                 ["sweep: artifact MB, median / p95",
                  f"{median(size):.2f} / {pct(size, 0.95):.2f}", "goal <= 1 / <= 5"]]
    helps = [timed(subprocess.run, [sys.executable, "-m", "tinytrio.cli", "--help"],
                   capture_output=True, check=True)[0] for _ in range(args.runs)]
    rows.append(["`tinytrio --help` wall seconds (median)", f"{median(helps):.3f}",
                 "torch not imported"])
    with tempfile.TemporaryDirectory() as d:
        whole = [timed(subprocess.run, [sys.executable, "-m", "tinytrio.cli", "model", "llama",
                                        "-o", f"{d}/w{i}"], capture_output=True, check=True)[0]
                 for i in range(args.runs)]
        from tinytrio import make_tiny_model

        make_tiny_model("llama", f"{d}/warm")  # imports and first-call caches out of the way
        inproc = [make_tiny_model("llama", f"{d}/p{i}").seconds for i in range(args.runs)]
    rows.append(["`tinytrio model llama` whole process (median)", f"{median(whole):.2f}",
                 "imports of torch + transformers included"])
    rows.append(["make_tiny_model('llama') in process (median)", f"{median(inproc):.3f}",
                 f"stdev {statistics.pstdev(inproc):.3f}"])
    print(f"machine: {machine()}\n")
    print(table(["measure", "value", "note"], rows))


if __name__ == "__main__":
    main()
