"""`tinytrio check`: prove a model directory works with plain transformers.

Each check is a small function `(ctx) -> detail`; it passes when it returns, fails when it raises,
and is skipped when it raises Skip. The fast subset (what `tinytrio model` runs) reloads from disk,
checks the tokenizer pairing, runs a forward, generates, backpropagates, looks for NaN/inf and
compares outputs across save → reload.
"""

from __future__ import annotations

import json
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CheckFailed, SourceError


class Skip(Exception):
    """A check that does not apply to this model; the message says why."""


@dataclass
class Ctx:
    path: Path
    config: dict
    model: object = None
    tokenizer: object = None
    inputs: dict = field(default_factory=dict)
    outputs: object = None


def _first_tensor(out):
    import torch

    if isinstance(out, torch.Tensor):
        return out
    for key in ("logits", "last_hidden_state", "pooler_output", "image_embeds", "text_embeds"):
        v = getattr(out, key, None) if not isinstance(out, dict) else out.get(key)
        if isinstance(v, torch.Tensor):
            return v
    values = out.values() if isinstance(out, dict) else (out.to_tuple() if hasattr(
        out, "to_tuple") else out)
    for v in values:
        if isinstance(v, torch.Tensor):
            return v
    raise AssertionError("the model returned no tensor")


def check_load(ctx: Ctx) -> str:
    from .model.classes import pick_model_class

    cls, _ = pick_model_class(ctx.config)
    if cls is None:
        raise AssertionError(f"no transformers class for model_type {ctx.config['model_type']}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ctx.model = cls.from_pretrained(ctx.path).eval()
    n = sum(p.numel() for p in ctx.model.parameters())
    return f"{type(ctx.model).__name__}, {n:,} params"


def check_tokenizer(ctx: Ctx) -> str:
    files = {"tokenizer.json", "tokenizer_config.json", "tokenizer.model", "vocab.txt"}
    if not any((ctx.path / f).exists() for f in files):
        raise Skip("no tokenizer files")
    from transformers import AutoTokenizer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tok = AutoTokenizer.from_pretrained(ctx.path)
    ctx.tokenizer = tok
    vocab = _vocab_rows(ctx.model)
    if vocab is not None and len(tok) > vocab:
        raise AssertionError(f"tokenizer has {len(tok)} tokens but the model's embedding has "
                             f"only {vocab} rows")
    for attr in ("bos", "eos", "pad", "unk", "sep", "cls", "mask"):
        cid = ctx.config.get(f"{attr}_token_id")
        tid = getattr(tok, f"{attr}_token_id", None)
        if isinstance(cid, int) and tid is not None and cid != tid and attr in ("bos", "pad"):
            raise AssertionError(f"config {attr}_token_id={cid} but the tokenizer says {tid}")
    ids = tok("Hello world, tiny test.")["input_ids"]
    if ids and vocab is not None and max(ids) >= vocab:
        raise AssertionError(f"tokenizer produced id {max(ids)} >= vocab {vocab}")
    return f"{len(tok)} tokens"


def _vocab_rows(model) -> int | None:
    import torch

    try:
        emb = model.get_input_embeddings()
    except (NotImplementedError, AttributeError):
        return None
    return emb.weight.shape[0] if isinstance(emb, torch.nn.Embedding) else None


def check_forward(ctx: Ctx) -> str:
    import torch

    from .model.inputs import make_inputs

    ctx.inputs = make_inputs(ctx.model)
    with torch.no_grad():
        ctx.outputs = ctx.model(**ctx.inputs)
    t = _first_tensor(ctx.outputs)
    if not torch.isfinite(t.float()).all():
        raise AssertionError("forward produced NaN or inf")
    return f"{ '+'.join(ctx.inputs)} -> {tuple(t.shape)}"


def check_generate(ctx: Ctx) -> str:
    import torch

    if not ctx.model.can_generate():
        raise Skip("not a generative model")
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = ctx.model.generate(**ctx.inputs, max_new_tokens=3, do_sample=False)
    return f"{tuple(out.shape)}"


def check_backward(ctx: Ctx) -> str:
    import torch

    from .model.inputs import make_inputs

    model = ctx.model.train()
    try:
        inputs = make_inputs(model, labels=True)
        out = model(**inputs)
        loss = getattr(out, "loss", None)
        if loss is None:
            loss = _first_tensor(out).float().pow(2).mean()
        loss.backward()
        if not torch.isfinite(loss):
            raise AssertionError(f"loss is {loss.item()}")
        grads = [p.grad for p in model.parameters() if p.grad is not None]
        if not grads:
            raise AssertionError("no parameter received a gradient")
        if not all(torch.isfinite(g).all() for g in grads):
            raise AssertionError("NaN or inf in gradients")
        return f"loss {loss.item():.4f}, {len(grads)} grads"
    finally:
        model.zero_grad(set_to_none=True)
        model.eval()


def check_nan(ctx: Ctx) -> str:
    import torch

    bad = [n for n, p in ctx.model.named_parameters() if not torch.isfinite(p).all()]
    if bad:
        raise AssertionError(f"NaN or inf in {len(bad)} weights, e.g. {bad[0]}")
    return "all weights finite"


def check_save_reload(ctx: Ctx) -> str:
    import torch

    with tempfile.TemporaryDirectory() as d, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ctx.model.save_pretrained(d)
        again = type(ctx.model).from_pretrained(d).eval()
        with torch.no_grad():
            a = _first_tensor(ctx.model(**ctx.inputs))
            b = _first_tensor(again(**ctx.inputs))
    if not torch.equal(a, b):
        raise AssertionError(f"outputs differ after save -> reload (max |diff| "
                             f"{(a.float() - b.float()).abs().max().item():.3g})")
    return "outputs equal"


FAST = [("load", check_load), ("tokenizer", check_tokenizer), ("forward", check_forward),
        ("generate", check_generate), ("backward", check_backward), ("nan", check_nan),
        ("save_reload", check_save_reload)]
# a check that others need: when it fails, those are skipped rather than failed again
NEEDS = {"tokenizer": "load", "forward": "load", "generate": "forward", "backward": "load",
         "nan": "load", "save_reload": "forward"}


def check_model(path: str | Path, fast: bool = True, raise_on_fail: bool = True) -> dict:
    """Run the checks on a model directory; return the report, raise CheckFailed if one fails."""
    import torch

    from ._quiet import quiet_transformers

    quiet_transformers()
    path = Path(path)
    if not (path / "config.json").is_file():
        raise SourceError(f"{path} is not a model directory (no config.json)")
    from .sources import read_json

    ctx = Ctx(path, read_json(path / "config.json", "config.json"))
    report = {"path": str(path), "checks": {}}
    status: dict[str, str] = {}
    torch.manual_seed(0)
    for name, fn in FAST:
        t0 = time.perf_counter()
        need = NEEDS.get(name)
        if need and status.get(need) != "pass":
            entry = {"status": "skip", "detail": f"{need} did not pass"}
        else:
            try:
                entry = {"status": "pass", "detail": fn(ctx)}
            except Skip as e:
                entry = {"status": "skip", "detail": str(e)}
            except Exception as e:  # a check failing is a finding, not a crash
                msg = str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__
                entry = {"status": "fail", "detail": f"{type(e).__name__}: {msg}"[:500]}
        entry["seconds"] = round(time.perf_counter() - t0, 3)
        report["checks"][name] = entry
        status[name] = entry["status"]
    failed = [n for n, e in report["checks"].items() if e["status"] == "fail"]
    report["ok"] = not failed
    if failed and raise_on_fail:
        first = report["checks"][failed[0]]
        raise CheckFailed(f"check failed: {', '.join(failed)} ({failed[0]}: {first['detail']})",
                          report)
    return report


def check(path: str | Path, **kwargs) -> dict:
    """Public API: the report of `tinytrio check PATH` (raises CheckFailed when a check fails)."""
    return check_model(path, **kwargs)


def format_report(report: dict) -> str:
    lines = [f"{report['path']}"]
    for name, e in report["checks"].items():
        lines.append(f"  {e['status']:4}  {name:12} {e['seconds']:7.3f}s  {e['detail']}")
    return "\n".join(lines)


def dumps(report: dict) -> str:
    return json.dumps(report, indent=2)
