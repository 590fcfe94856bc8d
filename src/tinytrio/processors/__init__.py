"""Tiny processors: image processors, video processors, feature extractors and multimodal
processors that match the tiny model, written beside it.

Data flow (one call, `write_processors`, inside make_tiny_model's atomic write):

    build.source_parts / default_parts   what the source ships, else the architecture's defaults
    shrink.Target + shrink_*             every size matched to the tiny config (pure dicts)
    build.instantiate                    real classes, combined with the tiny tokenizer
    calibrate                            one tiny image through the processor: tokens per image
                                         must equal the config's
    save_pretrained                      processor_config.json (+ preprocessor_config.json,
                                         chat_template.jinja, the tokenizer)

Before the vocab is fixed, `prepare_tokenizer` (called from model/tokenizing.py) gives the tiny
tokenizer the processor's own token strings and the tokens its processor class adds at load.
"""

from __future__ import annotations

import contextlib
import json
import warnings
from pathlib import Path

from . import registry as R
from .build import (Parts, default_parts, has_processor, instantiate, mapped_names,  # noqa: F401
                    prepare_tokenizer, shrink_parts, source_parts)
from .shrink import Target, _find
from .tokens import processor_class

__all__ = ["write_processors", "prepare_tokenizer", "has_processor", "processor_coverage",
           "image_side", "Target"]

# calibrated processor knobs: llava-family processors add the vision tower's CLS tokens to the
# patch count; their default (0) is wrong for CLIP towers, the published configs say 1
CALIBRATE = ("num_additional_image_tokens",)


def write_processors(out: str | Path, resolved, original: dict, tiny: dict, tok) -> dict:
    """Write the tiny processor files into `out`; return what was written (never raises for a
    processor that cannot be built: the status says why, and the model is still written)."""
    out = Path(out)
    mt = tiny["model_type"]
    if not has_processor(mt) and not _source_has_files(resolved):
        return {"status": "none", "detail": f"transformers maps no processor to {mt}"}
    parts = source_parts(getattr(resolved, "directory", None), mt)
    if not parts.components:
        try:
            defaults = default_parts(mt)
        except Exception as e:  # a class with required arguments (TimmWrapper's pretrained_cfg)
            return {"status": "failed", "detail": f"no default processor: {_message(e)}"}
        defaults.kwargs.update(parts.kwargs)
        defaults.chat_template = parts.chat_template
        parts = defaults
    if not parts.components and parts.missing:
        return {"status": "unavailable",
                "detail": f"{', '.join(parts.missing)} needs a missing backend (torchvision)"}
    tokenizer = tok.tokenizer if tok is not None else None
    t = Target.of(original, tiny)
    try:
        shrunk = shrink_parts(parts, original, tiny)
    except Exception as e:  # the finding is the status, the model is still written
        return {"status": "failed", "detail": _message(e)}
    try:
        proc, objs = instantiate(shrunk, tokenizer)
        if proc is not None:
            calibrate(proc, t, tiny)
    except Exception as e:
        if not _needs_backend(e, parts):
            return {"status": "failed", "detail": _message(e)}
        if _unbuildable(parts):
            return _unavailable(parts)
        # transformers cannot build this processor here (no torchvision): write the shrunk
        # dicts in its own layout, for environments that can
        files = write_dicts(out, shrunk, tokenizer)
        return {"status": "written", "verified": False, "detail": _message(e),
                "from": "source" if parts.from_source else "defaults",
                "image_side": t.image_side, "tokens_per_image": t.tokens, "files": files,
                **({"missing": parts.missing} if parts.missing else {})}
    if proc is None and not objs:
        return {"status": "failed", "detail": "no processor component could be instantiated"}
    if proc is None and _unbuildable(parts) and processor_class(mt) is not None:
        return _unavailable(parts)
    before = set(p.name for p in out.iterdir())
    with warnings.catch_warnings(), _quiet():
        warnings.simplefilter("ignore")
        if proc is not None:
            proc.save_pretrained(out)
        singles = [o for k, o in objs.items() if k != "video_processor"]
        if len(singles) == 1:  # preprocessor_config.json, for AutoImageProcessor/-FeatureExtractor
            singles[0].save_pretrained(out)
        if "video_processor" in objs:
            objs["video_processor"].save_pretrained(out)
    for kind, d in shrunk.components.items():  # shipped but not loadable here: the shrunk dict
        if kind not in objs and kind == "video_processor":
            (out / "video_preprocessor_config.json").write_text(
                json.dumps(d, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    files = sorted(p.name for p in out.iterdir() if p.name not in before or p.name in (
        "processor_config.json", "preprocessor_config.json", "chat_template.jinja"))
    return {"status": "written", "processor": type(proc).__name__ if proc else None,
            "components": {k: type(o).__name__ for k, o in objs.items()},
            "from": "source" if parts.from_source else "defaults",
            "image_side": t.image_side, "tokens_per_image": t.tokens,
            "files": files, **({"missing": parts.missing} if parts.missing else {})}


def _unbuildable(parts: Parts) -> bool:
    """A component the processor needs has no class here and no dict to write (Gemma-4 unified's
    and Inkling's torchvision-only image processors, no source file): the other parts alone
    would load as a broken processor anywhere. A missing video processor is optional."""
    return any(k != "video_processor" and k not in parts.components for k in parts.missing)


def _unavailable(parts: Parts) -> dict:
    return {"status": "unavailable",
            "detail": f"{', '.join(parts.missing)} needs a missing backend (torchvision)"}


def _needs_backend(e: Exception, parts: Parts) -> bool:
    text = str(e)
    return bool(parts.missing) or "torchvision" in text.lower() or "_PROCESSOR_MAPPING" in text


def write_dicts(out: Path, parts: Parts, tokenizer) -> list[str]:
    """processor_config.json (components nested, as transformers 5 saves them) and the chat
    template, straight from the shrunk dicts."""
    from .build import fallback_template
    from .tokens import processor_class

    pcls = processor_class(parts.model_type)
    data = {k: v for k, v in parts.kwargs.items() if v is not None}
    data.update(parts.components)
    if pcls is not None:
        data["processor_class"] = pcls.__name__
    files = ["processor_config.json"]
    (out / files[0]).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n",
                                encoding="utf-8")
    template = parts.chat_template or fallback_template(None, parts.model_type, {})
    if template and not (out / "chat_template.jinja").exists():
        (out / "chat_template.jinja").write_text(template, encoding="utf-8")
        files.append("chat_template.jinja")
    return files


def _source_has_files(resolved) -> bool:
    d = getattr(resolved, "directory", None)
    return d is not None and any((Path(d) / f).is_file() for f in (
        "processor_config.json", "preprocessor_config.json"))


def image_side(parts_or_proc) -> int | None:
    """The side (pixels) of the images the tiny processor makes, from its size settings."""
    d = parts_or_proc.components.get("image_processor") if isinstance(parts_or_proc, Parts) \
        else parts_or_proc
    if not isinstance(d, dict):
        return None
    for key in ("crop_size", "size", "max_image_size"):
        v = d.get(key)
        if isinstance(v, dict):
            area = [x for k, x in v.items() if k in ("longest_edge", "max_pixels")
                    and isinstance(x, int) and x > 16384]
            if area:
                return int(area[0] ** 0.5)
            edges = [x for x in v.values() if isinstance(x, int)]
            if edges:
                return max(edges)
        elif isinstance(v, int):
            return v
    return None


def calibrate(proc, t: Target, tiny: dict | None = None) -> None:
    """Run one tiny image through the processor; where the image-token count differs from the
    config's tokens per image, move the processor's calibration knob by the difference."""
    if not t.tokens or not t.image_side or getattr(proc, "image_processor", None) is None:
        return
    knobs = [k for k in CALIBRATE if isinstance(getattr(proc, k, None), int)]
    if not knobs:
        return
    counts = {}
    for value in (0, 1):  # the knob counts CLS tokens: none or one
        setattr(proc, knobs[0], value)
        counts[value] = count_image_tokens(proc, t.image_side)
    match = [v for v, c in counts.items() if c == t.tokens]
    # anyres tiling (LLaVA-NeXT) makes a count no single number matches: the tower decides
    tower = _find(tiny or {}, "model_type", ("vision_config",))
    setattr(proc, knobs[0], match[0] if match else int(tower in R.CLS_TOWERS))


def count_image_tokens(proc, side: int) -> int | None:
    """How many image-token ids the processor puts in the text for one side×side image."""
    import numpy as np
    from PIL import Image

    token = getattr(proc, "image_token", None)
    token_id = getattr(proc, "image_token_id", None)
    if not isinstance(token, str) or not isinstance(token_id, int):
        return None
    image = Image.fromarray(np.zeros((side, side, 3), dtype=np.uint8))
    with warnings.catch_warnings(), contextlib.suppress(Exception):
        warnings.simplefilter("ignore")
        enc = proc(text=[token], images=[image], return_tensors="np")
        return int((enc["input_ids"] == token_id).sum())
    return None


def processor_coverage(rows: list[dict]) -> dict:
    """Processor coverage of a sweep: of the model types transformers maps to a processor, how
    many ran the `processor` check (pass). `rows`: [{"model_type": …, "checks": {name: status}}]."""
    with_proc = [r for r in rows if has_processor(r["model_type"])]
    passed = [r for r in with_proc if (r.get("checks") or {}).get("processor") == "pass"]
    return {"types_with_processor": len(with_proc), "processor_pass": len(passed),
            "coverage": round(len(passed) / len(with_proc), 4) if with_proc else None}


@contextlib.contextmanager
def _quiet():
    from transformers.utils import logging

    before = logging.get_verbosity()
    logging.set_verbosity(logging.CRITICAL)
    try:
        yield
    finally:
        logging.set_verbosity(before)


def _message(e: BaseException) -> str:
    text = str(e).strip()
    last = text.splitlines()[-1].strip() if text else ""
    return (f"{type(e).__name__}: {last}" if last else type(e).__name__)[:300]
