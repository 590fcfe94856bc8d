"""The sweep's outputs: report.json, report.md and the coverage page (docs/coverage.md)."""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter
from pathlib import Path

REGENERATE = "tinytrio sweep -o docs/sweep --jobs 2 --coverage docs/coverage.md"


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def summary(report: dict) -> dict:
    rows = report["results"]
    counts = Counter(r["status"] for r in rows)
    built = [r for r in rows if r["status"] == "pass"]
    sizes = [r["bytes"] for r in built if r.get("bytes")]
    secs = [r["seconds"] for r in rows if r.get("seconds") is not None]
    fid = [r["fidelity"] for r in built if r.get("fidelity")]
    return {
        "types": len(rows), "pass": counts["pass"], "fail": counts["fail"],
        "skip": counts["skip"],
        "median_bytes": statistics.median(sizes) if sizes else None,
        "p95_bytes": _pct(sizes, 0.95), "max_bytes": max(sizes) if sizes else None,
        "median_seconds": statistics.median(secs) if secs else None,
        "p95_seconds": _pct(secs, 0.95),
        "wall_seconds": report.get("wall_seconds"),
        "config_keys_kept": sum(f["kept"] for f in fid), "config_keys": sum(f["total"] for f in fid),
        "layer_kinds_kept": sum(f.get("layer_kinds_kept", 0) for f in fid),
        "layer_kinds": sum(f.get("layer_kinds_total", 0) for f in fid),
        **_processors(rows),
    }


def _processors(rows: list[dict]) -> dict:
    """Processor coverage beside model coverage: the types whose `processor` check passed, of
    those transformers maps to a processor, image/video processor or feature extractor."""
    from ..processors import processor_coverage

    cov = processor_coverage(rows)
    return {"processor_pass": cov["processor_pass"], "types_with_processor":
            cov["types_with_processor"]}


def cluster(reason: str) -> str:
    """A failure reason without its numbers and names, to group failures by cause."""
    text = re.sub(r"\d+", "N", reason)
    text = re.sub(r"'[^']*'", "'…'", text)
    return text[:120]


def _fmt_bytes(n) -> str:
    if n is None:
        return "–"
    return f"{n / 1e6:.2f} MB" if n >= 1e5 else f"{n / 1e3:.0f} kB"


def _cell(text) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def write_json(report: dict, path: Path) -> None:
    path.write_text(json.dumps(report, indent=1, sort_keys=False) + "\n")


def markdown(report: dict, title: str = "tinytrio sweep") -> str:
    s = summary(report)
    lines = [f"# {title}", "",
             f"transformers {report['transformers_version']}, torch {report['torch_version']}: "
             f"**{s['pass']} pass, {s['fail']} fail, {s['skip']} skip** of {s['types']} model "
             f"types.", "",
             "| measure | value |", "| --- | --- |",
             f"| artifact size, median / p95 / max (passing types) | {_fmt_bytes(s['median_bytes'])}"
             f" / {_fmt_bytes(s['p95_bytes'])} / {_fmt_bytes(s['max_bytes'])} |",
             f"| seconds per type (build + checks), median / p95 | {s['median_seconds']} / "
             f"{s['p95_seconds']} |",
             f"| whole sweep, wall seconds (jobs {report.get('jobs')}) | {s['wall_seconds']} |",
             f"| non-size config keys kept (passing types) | {s['config_keys_kept']} / "
             f"{s['config_keys']} |",
             f"| distinct layer kinds kept (passing types) | {s['layer_kinds_kept']} / "
             f"{s['layer_kinds']} |",
             f"| processor path runs end to end (types transformers gives a processor) | "
             f"{s['processor_pass']} / {s['types_with_processor']} |", ""]
    fails = [r for r in report["results"] if r["status"] == "fail"]
    if fails:
        lines += ["## Failures by cause", "", "| types | cause | examples |", "| --- | --- | --- |"]
        groups: dict[str, list[str]] = {}
        for r in fails:
            groups.setdefault(cluster(r["reason"]), []).append(r["model_type"])
        for cause, types in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            lines.append(f"| {len(types)} | {_cell(cause)} | {', '.join(types[:6])} |")
        lines.append("")
    skips = [r for r in report["results"] if r["status"] == "skip"]
    if skips:
        lines += ["## Skipped", "", "| model type | reason |", "| --- | --- |"]
        lines += [f"| {r['model_type']} | {_cell(r['reason'])} |" for r in skips]
        lines.append("")
    lines += ["## Every model type", "",
              "| model type | status | architecture | params | size | seconds | config kept | "
              "layer kinds | reason |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in report["results"]:
        f = r.get("fidelity") or {}
        kept = f"{f['kept']}/{f['total']}" if f else "–"
        kinds = f"{f.get('layer_kinds_kept')}/{f.get('layer_kinds_total')}" if f else "–"
        lines.append(f"| {r['model_type']} | {r['status']} | {r.get('architecture') or '–'} | "
                     f"{r.get('params') or '–'} | {_fmt_bytes(r.get('bytes'))} | "
                     f"{r.get('seconds')} | {kept} | {kinds} | {_cell(r.get('reason'))[:160]} |")
    return "\n".join(lines) + "\n"


def coverage_page(report: dict) -> str:
    """docs/coverage.md: how it is made, then the sweep's markdown."""
    head = ("<!-- generated by `" + REGENERATE + "`; do not edit by hand -->\n\n")
    body = markdown(report, "Coverage of transformers model types")
    intro = (
        "Every model type in transformers' `MODEL_MAPPING_NAMES` is turned into a tiny random "
        "model from its default config (`tinytrio model <model_type>`), then checked with plain "
        "transformers: reload, tokenizer pairing, a real forward pass with inputs right for the "
        "head (text, image, audio, video, multimodal placeholders …), generate where the model "
        "generates, a backward pass, NaN/inf, and save → reload equality. A type *passes* when "
        "no check fails; it is *skipped* only when its import needs a library that cannot be "
        "installed from PyPI beside the pinned torch (the reason names the library).\n\n"
        "Regenerate (about ten minutes on two cores; needs `pip install -e '.[all]'`):\n\n"
        f"```\n{REGENERATE}\n```\n\n"
        "`docs/sweep/report.json` is the machine-readable report; CI builds a stratified sample "
        "and fails when a type that passes there newly fails (`tests/test_sweep.py`).\n\n"
        "**timm, torchvision, torchaudio.** PyPI's torchvision builds for torch 2.13.0 are CUDA "
        "builds whose operators do not register beside the pinned CPU torch (`operator "
        "torchvision::nms does not exist`, measured with torchvision 0.28.0), and timm imports "
        "torchvision when it is imported, so the types whose modeling code needs timm are "
        "skipped with that reason; moving to a torch/torchvision pair that imports (torch 2.14.1 "
        "+ torchvision 0.29.1, a 5.5 GB CUDA build) would lift them. Types whose code runs "
        "without timm but whose default config names a timm backbone (the DETR family's "
        "ResNet-50, OmDet-Turbo's Swin-T) are built with the equal transformers backbone "
        "instead, which their row's reason names. `tinytrio[all]` holds the "
        "optional libraries that do install (diffusers). Where they do import (a GPU machine "
        "with torch 2.11), the skipped types were swept too: "
        "[docs/sweep/optional-libraries.md](sweep/optional-libraries.md).\n\n")
    title, rest = body.split("\n", 1)
    return head + title + "\n\n" + intro + rest.lstrip("\n")
