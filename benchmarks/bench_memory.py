"""Memory: peak RSS while shrinking BLOOM-176B's config (the original lives only on the meta
device), next to the RSS of merely importing torch + transformers, each in a fresh process.

    python benchmarks/bench_memory.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine, table  # noqa: E402

FIXTURES = Path(__file__).parent.parent / "tests" / "fixtures" / "configs"
PEAK = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)"


def peak_mb(code: str) -> int:
    done = subprocess.run([sys.executable, "-c", code + "\n" + PEAK], capture_output=True,
                          text=True, check=True)
    return int(done.stdout.split()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        baseline = peak_mb("import torch, transformers")
        rows = [["import torch + transformers", baseline, ""]]
        for name in ("bigscience__bloom", "deepseek-ai__DeepSeek-V3"):
            code = (f"from tinytrio import make_tiny_model\n"
                    f"r = make_tiny_model({str(FIXTURES / (name + '.json'))!r}, "
                    f"{str(Path(d) / name)!r})\n"
                    f"print(r.original_params)")
            done = subprocess.run([sys.executable, "-c", code + "\n" + PEAK], capture_output=True,
                                  text=True, check=True)
            params, mb = done.stdout.split()[-2:]
            rows.append([f"tinytrio model {name.replace('__', '/')} ({int(params) / 1e9:.0f}B)",
                         int(mb), f"+{int(mb) - baseline}"])
    print(f"machine: {machine()}\n")
    print(table(["process", "peak RSS (MB)", "over imports"], rows))


if __name__ == "__main__":
    main()
