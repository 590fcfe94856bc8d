#!/usr/bin/env python
"""Benchmark: a 100-row tiny dataset from local parquet vs `load_dataset(...).select(range(100))`.

Writes two deterministic synthetic parquet sources (about 0.07 GB and 0.7 GB: an id, a
1,000-character text of random letters that snappy cannot squeeze, a label; row groups of 10,000
rows) into a temporary directory, then times, in this one process, for each source (median of
`--repeat` runs, each `datasets` run with a fresh cache):

- tinytrio: `make_tiny_dataset(source, out, rows=100)` — reads footers and the first row group;
- datasets: `load_dataset("parquet", data_files=source, split="train", cache_dir=fresh)
  .select(range(100)).to_parquet(out)` — converts the whole source to Arrow first.

Both write a 100-row parquet; `datasets` is imported before timing. The OS page cache is warm
for both (the sources were just written). Prints a table and the two ratios the issue asks for:
speed-up at 0.7 GB (>= 5x) and tinytrio's 0.7 GB / 0.07 GB time (<= 2x).

    python benchmarks/bench_dataset.py [--sizes 0.07,0.7] [--rows 100] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

TEXT_CHARS = 1000
ROW_GROUP = 10_000


def make_source(path: Path, gigabytes: float, seed: int = 0) -> int:
    """Write about `gigabytes` of parquet; return the row count. Same arguments, same bytes."""
    rows = int(gigabytes * 1e9 / (TEXT_CHARS + 16))
    rng = np.random.default_rng(seed)
    schema = pa.schema([("id", pa.int64()), ("text", pa.string()), ("label", pa.int64())])
    with pq.ParquetWriter(path, schema, compression="snappy") as w:
        for start in range(0, rows, ROW_GROUP):
            n = min(ROW_GROUP, rows - start)
            letters = (rng.integers(0, 26, size=n * TEXT_CHARS, dtype=np.uint8) + 97).tobytes()
            offsets = np.arange(0, (n + 1) * TEXT_CHARS, TEXT_CHARS, dtype=np.int32)
            text = pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets.tobytes()),
                                                          pa.py_buffer(letters)])
            ids = pa.array(np.arange(start, start + n, dtype=np.int64))
            labels = pa.array(rng.integers(0, 5, size=n, dtype=np.int64))
            w.write_table(pa.table([ids, text, labels], schema=schema), row_group_size=ROW_GROUP)
    return rows


def time_tinytrio(source: Path, out: Path, rows: int) -> float:
    from tinytrio.dataset import make_tiny_dataset

    t = time.perf_counter()
    result = make_tiny_dataset(source, out, rows=rows, force=True)
    elapsed = time.perf_counter() - t
    assert result.splits == {"train": rows}, result.splits
    return elapsed


def time_datasets(source: Path, out: Path, rows: int, cache: Path) -> float:
    import datasets

    datasets.disable_progress_bars()
    t = time.perf_counter()
    ds = datasets.load_dataset("parquet", data_files=str(source), split="train",
                               cache_dir=str(cache))
    ds.select(range(rows)).to_parquet(str(out))
    elapsed = time.perf_counter() - t
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="0.07,0.7", help="source sizes in GB")
    ap.add_argument("--rows", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3, help="runs per cell; the median is shown")
    ap.add_argument("--keep", type=Path, help="keep the sources in this directory")
    args = ap.parse_args()
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    import datasets  # noqa: F401 - imported before any timing

    work = Path(tempfile.mkdtemp(prefix="tinytrio-bench-"))
    table = []
    try:
        for gb in (float(s) for s in args.sizes.split(",")):
            src = (args.keep or work) / f"source-{gb}GB.parquet"
            if not src.exists():
                src.parent.mkdir(parents=True, exist_ok=True)
                t = time.perf_counter()
                n = make_source(src, gb)
                print(f"wrote {src.name}: {n:,} rows, {src.stat().st_size / 1e9:.3f} GB in "
                      f"{time.perf_counter() - t:.1f}s", flush=True)
            if not table:  # warm-up: imports and first-call costs, untimed
                time_tinytrio(src, work / "warm", args.rows)
            tinies, fulls = [], []
            for r in range(args.repeat):
                tinies.append(time_tinytrio(src, work / f"tiny-{gb}", args.rows))
                fulls.append(time_datasets(src, work / f"sel-{gb}.parquet", args.rows,
                                           work / f"cache-{gb}-{r}"))
                shutil.rmtree(work / f"cache-{gb}-{r}", ignore_errors=True)
            tiny, full = statistics.median(tinies), statistics.median(fulls)
            table.append((gb, src.stat().st_size, tiny, full))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(f"| source | bytes | tinytrio make_tiny_dataset | load_dataset().select({args.rows}) "
          f"| speed-up |")
    print("|---|---|---|---|---|")
    for gb, size, tiny, full in table:
        print(f"| {gb} GB | {size:,} | {tiny:.3f} s | {full:.3f} s | {full / tiny:.0f}x |")
    if len(table) >= 2:
        small, big = table[0], table[-1]
        print(f"\nspeed-up at {big[0]} GB: {big[3] / big[2]:.0f}x (want >= 5x); tinytrio time "
              f"{big[0]} GB / {small[0]} GB: {big[2] / small[2]:.2f}x (want <= 2x)")


if __name__ == "__main__":
    main()
