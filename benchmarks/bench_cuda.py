"""CUDA: the full `tinytrio check --device cuda` over a spread of architectures, and startup on the
GPU (from_pretrained onto cuda + forward + backward) for a tiny model against a 1.1B original.

Needs a GPU. Prints per-architecture check results with the bf16/fp16 detail, then the startup
table (medians of alternating runs, torch.cuda.synchronize() before each clock read).

    python benchmarks/bench_cuda.py [--runs 3] [--types llama,t5,...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import llama_1b, machine, median, table  # noqa: E402

TYPES = ("llama,mistral,mixtral,qwen2,qwen3_moe,gemma2,gemma3_text,phi3,deepseek_v3,gpt2,falcon,"
         "bloom,mamba,mamba2,jamba,t5,bart,whisper,bert,roberta,vit,clip,llava,qwen2_vl,gemma3,"
         "paligemma,siglip,wav2vec2")


def load_step(path: Path, cls_name: str) -> float:
    import torch
    import transformers

    torch.cuda.synchronize()
    t0 = time.perf_counter()
    model = getattr(transformers, cls_name).from_pretrained(path, device_map="cuda")
    ids = torch.randint(0, 500, (1, 32), device="cuda")
    model(input_ids=ids).logits.float().mean().backward()
    torch.cuda.synchronize()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--types", default=TYPES)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    import torch

    from tinytrio import make_tiny_model
    from tinytrio._quiet import quiet_transformers
    from tinytrio.check import check_model

    quiet_transformers()
    print(f"machine: {machine()}, {torch.cuda.get_device_name()}\n")
    rows, failed = [], 0
    with tempfile.TemporaryDirectory() as d:
        for mt in args.types.split(","):
            try:
                path = make_tiny_model(mt, Path(d) / mt, check=False).path
                report = check_model(path, fast=False, device="cuda", raise_on_fail=False)
            except Exception as e:  # a build error is a row, not the end of the table
                rows.append([mt, "error", "", f"{type(e).__name__}: {e}"[:110]])
                failed += 1
                continue
            checks = report["checks"]
            bad = [n for n, e in checks.items() if e["status"] == "fail"]
            failed += bool(bad)
            half = "; ".join(checks[n]["detail"] for n in ("cuda_bf16", "cuda_fp16") if n in checks)
            detail = f"{bad[0]}: {checks[bad[0]]['detail']}" if bad else half
            passed = sum(e["status"] == "pass" for e in checks.values())
            rows.append([mt, "pass" if not bad else "FAIL", f"{passed}/{len(checks)}",
                         detail[:140]])
        print("Full check with --device cuda (checks passed / run; bf16 and fp16 detail)")
        print(table(["model type", "result", "checks", "detail"], rows))
        print(f"\n{len(rows) - failed}/{len(rows)} architectures pass every check on CUDA\n")

        original = llama_1b()
        tiny = make_tiny_model(str(original), Path(d) / "tiny-1b", check=False).path
        load_step(tiny, "LlamaForCausalLM")  # warm CUDA context, kernels and imports
        big, small = [], []
        for _ in range(args.runs):
            big.append(load_step(original, "LlamaForCausalLM"))
            small.append(load_step(tiny, "LlamaForCausalLM"))
        print(f"Startup on CUDA, from_pretrained(device_map='cuda') + forward + backward, "
              f"medians of {args.runs}")
        print(table(["model", "original (s)", "tiny (s)", "speed-up"],
                    [["llama 1.1B (bf16)", f"{median(big):.3f}", f"{median(small):.4f}",
                      f"{median(big) / median(small):.0f}x"]]))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
