"""Model cards and rebuild scripts written beside each artifact."""

from __future__ import annotations

import json
from pathlib import Path

from . import __version__

SCRIPT = '''#!/usr/bin/env python
"""Rebuild this tiny model: python make_tiny_model.py OUTDIR

Made by tinytrio {version} with transformers {transformers} and torch {torch}; the same versions
rebuild byte-identical weights, config and tokenizer.
"""
import sys

from tinytrio import make_tiny_model

RECIPE = {recipe}

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python make_tiny_model.py OUTDIR")
    result = make_tiny_model(out=sys.argv[1], **RECIPE)
    print(f"{{result.path}}: {{result.params:,}} params, {{result.bytes:,}} bytes")
'''


def _versions() -> dict:
    import torch
    import transformers

    return {"version": __version__, "transformers": transformers.__version__,
            "torch": torch.__version__.split("+")[0]}


def _human(n: int | None) -> str:
    if n is None:
        return "?"
    for unit, size in (("B", 10**9), ("M", 10**6), ("K", 10**3)):
        if n >= size:
            return f"{n / size:.2f}{unit}"
    return str(n)


def write_model_card(directory: Path, result, recipe, base_model: str | None) -> None:
    v = _versions()
    from dataclasses import asdict

    fields = {k: val for k, val in asdict(recipe).items() if val not in (None, (), "auto", 0)
              or k == "source"}
    fields["set"] = list(recipe.set) if recipe.set else None
    fields = {k: val for k, val in fields.items() if val is not None}
    fields.setdefault("seed", recipe.seed)
    args = dict(fields)
    args["source"] = recipe.source
    script = SCRIPT.format(recipe=json.dumps(args, indent=4), **v)
    (directory / "make_tiny_model.py").write_text(script, encoding="utf-8")

    rows = [f"| parameters | {_human(result.original_params)} | {_human(result.params)} |",
            f"| vocab | {result.original_vocab_size} | {result.vocab_size} |"]
    rows += [f"| {k} | {o} | {t} |" for k, (o, t) in result.sizes.items()]
    fid = result.fidelity
    base = base_model or recipe.source
    subs = "".join(f"\nSubstituted: {line}." for line in getattr(result, "substitutions", []))
    card = f"""---
library_name: transformers
base_model: {base}
pipeline_tag: {result.task}
tags: [tiny, random, testing]
---

# Tiny random {result.model_type}

A **random** {result.architecture} shrunk from the config of `{base}` by
tinytrio {v['version']} (transformers {v['transformers']}, torch {v['torch']}). Its weights are
random: use it to test code paths, never to judge quality. The original weights were never read.

| | original | tiny |
|---|---|---|
{chr(10).join(rows)}

Artifact size: {result.bytes:,} bytes. Non-size config keys kept: {fid.get('kept')}/{fid.get('total')}.
Layers (original → tiny): {fid.get('layers')}; distinct layer kinds kept: {fid.get('layer_kinds')}.
Tokenizer: {result.tokenizer or 'none'}.{subs}

## Rebuild

```
{recipe.command('OUT')}
```

or `python make_tiny_model.py OUT` beside this card (same tinytrio / transformers / torch versions
give byte-identical files).
"""
    (directory / "README.md").write_text(card, encoding="utf-8")
