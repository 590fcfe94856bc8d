"""Write a tiny dataset the way the Hub lays one out, loadable by plain `datasets`.

`data/<split>-00000-of-00001.parquet` per split (features in the parquet schema metadata, as
`datasets` writes them), a `README.md` dataset card whose YAML holds `configs:` and
`dataset_info` (features, split sizes), and a `make_tiny_dataset.py` that rebuilds it.
Nothing here depends on the clock or the machine, so the same rows give byte-identical files.

Left out: sharding — a tiny split is always one file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .. import __version__

SCRIPT = '''#!/usr/bin/env python
"""Rebuild this tiny dataset: python make_tiny_dataset.py OUTDIR

Made by tinytrio {version} (datasets {datasets}, pyarrow {pyarrow}, pillow {pillow}); the same
source, options and versions rebuild byte-identical parquet files.
"""
import sys

from tinytrio.dataset import {function}

RECIPE = {recipe}

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python make_tiny_dataset.py OUTDIR")
    result = {function}(out=sys.argv[1], force=True, **RECIPE)
    print(f"{{result.path}}: {{result.splits}}, {{result.bytes:,}} bytes")
'''


def versions() -> dict:
    import datasets
    import PIL

    return {"version": __version__, "datasets": datasets.__version__,
            "pyarrow": pa.__version__, "pillow": PIL.__version__}


def build_table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema)


def parquet_name(split: str) -> str:
    return f"data/{split}-00000-of-00001.parquet"


def write_dataset(directory: Path, tables: dict[str, pa.Table], features, *, title: str,
                  how: list[str], function: str, recipe: dict, command: str) -> int:
    """Write parquet files, card and script into `directory`; return the bytes written."""
    (directory / "data").mkdir(parents=True, exist_ok=True)
    split_info, sizes = [], {}
    for name, table in tables.items():
        path = directory / parquet_name(name)
        pq.write_table(table, path, compression="snappy", use_dictionary=True)
        sizes[name] = path.stat().st_size
        split_info.append({"name": name, "num_bytes": int(table.nbytes),
                           "num_examples": table.num_rows})
    v = versions()
    card = _card(tables, features, split_info, sizes, title=title, how=how, command=command, v=v)
    (directory / "README.md").write_text(card, encoding="utf-8")
    script = SCRIPT.format(recipe=json.dumps(recipe, indent=4), function=function, **v)
    (directory / "make_tiny_dataset.py").write_text(script, encoding="utf-8")
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


def _card(tables, features, split_info, sizes, *, title, how, command, v) -> str:
    import yaml

    meta = {
        "configs": [{"config_name": "default",
                     "data_files": [{"split": n, "path": f"data/{n}-*"} for n in tables]}],
        "dataset_info": {"features": features._to_yaml_list(), "splits": split_info,
                         "download_size": sum(sizes.values()),
                         "dataset_size": sum(s["num_bytes"] for s in split_info)},
        "tags": ["tiny", "testing", "tinytrio"],
    }
    head = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)
    rows = "\n".join(f"| {n} | {t.num_rows} | {sizes[n]:,} |" for n, t in tables.items())
    cols = ", ".join(f"`{k}` ({_describe(f)})" for k, f in features.items())
    bullets = "\n".join(f"- {h}" for h in how)
    return f"""---
{head}---

# {title}

A **tiny** dataset for tests and debugging, made by tinytrio {v['version']} (datasets
{v['datasets']}, pyarrow {v['pyarrow']}, pillow {v['pillow']}). Its rows are real but few and
their media small: use it to exercise code paths, never to measure quality.

| split | rows | parquet bytes |
|---|---|---|
{rows}

Columns: {cols}.

## How it was made

{bullets}

## Rebuild

```
{command}
```

or `python make_tiny_dataset.py OUT` beside this card (same versions give byte-identical parquet).

```python
from datasets import load_dataset
ds = load_dataset("path/to/this/directory")
```
"""


def _describe(feature) -> str:
    k = type(feature).__name__
    if k == "Value":
        return feature.dtype
    if k == "ClassLabel":
        return f"ClassLabel, {feature.num_classes} names"
    if k == "Audio":
        return f"Audio, {feature.sampling_rate} Hz"
    if isinstance(feature, dict):
        return "struct"
    return k
