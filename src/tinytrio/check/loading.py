"""Loading paths: sharded checkpoints, device_map offload, dtype="auto" and bf16, meta-device init.

Each reloads the model another way and compares its outputs on the same inputs with the reference
model that `load` put in the context.
"""

from __future__ import annotations

import copy
import json
import struct
import tempfile
from collections import Counter
from pathlib import Path

from .core import Ctx, Skip, assert_same, forward, nbytes, quiet


def _state_bytes(model) -> int:
    return sum(t.numel() * t.element_size() for t in model.state_dict().values())


def check_sharded(ctx: Ctx) -> str:
    total = _state_bytes(ctx.model)
    shard = max(total // 4, 1)
    with tempfile.TemporaryDirectory(prefix="tinytrio-check-") as d, quiet():
        ctx.model.save_pretrained(d, max_shard_size=shard)
        index = Path(d) / "model.safetensors.index.json"
        shards = sorted(Path(d).glob("model-*-of-*.safetensors"))
        if not index.is_file() or len(shards) < 2:
            raise AssertionError(f"max_shard_size={shard} wrote {len(shards)} shard(s) and "
                                 f"{'an' if index.is_file() else 'no'} index")
        files = set(json.loads(index.read_text())["weight_map"].values())
        if files != {p.name for p in shards}:
            raise AssertionError(f"the index names {sorted(files)} but the shards are "
                                 f"{[p.name for p in shards]}")
        again = ctx.load(d)
        same = assert_same(ctx.reference, forward(again, ctx.inputs), "sharded reload")
    return f"{len(shards)} shards of <= {nbytes(shard)} + index, {same}"


# safetensors header dtype names -> torch dtype names
ST_DTYPES = {"F64": "float64", "F32": "float32", "F16": "float16", "BF16": "bfloat16",
             "F8_E4M3": "float8_e4m3fn", "F8_E5M2": "float8_e5m2"}


def saved_dtype(path: Path) -> str | None:
    """The floating dtype most of the checkpoint's elements are stored in (from the headers)."""
    counts: Counter = Counter()
    for f in sorted(path.glob("*.safetensors")):
        with open(f, "rb") as fh:
            (size,) = struct.unpack("<Q", fh.read(8))
            header = json.loads(fh.read(size))
        for name, meta in header.items():
            if name != "__metadata__" and meta["dtype"] in ST_DTYPES:
                n = 1
                for s in meta["shape"]:
                    n *= s
                counts[ST_DTYPES[meta["dtype"]]] += n
    return counts.most_common(1)[0][0] if counts else None


def _param_dtype(model) -> str:
    counts: Counter = Counter()
    for p in model.parameters():
        if p.is_floating_point():
            counts[str(p.dtype).replace("torch.", "")] += p.numel()
    return counts.most_common(1)[0][0]


def check_dtype(ctx: Ctx) -> str:
    import torch

    saved = saved_dtype(ctx.path)
    if saved is None:
        raise Skip("no safetensors weights to read the saved dtype from")
    auto = ctx.load(dtype="auto")
    got = _param_dtype(auto)
    if got != saved:
        raise AssertionError(f"dtype='auto' loaded {got} but the checkpoint holds {saved}")
    del auto
    with tempfile.TemporaryDirectory(prefix="tinytrio-check-") as d, quiet():
        bf16 = ctx.load(dtype=torch.bfloat16)
        bf16.save_pretrained(d)
        del bf16
        again = ctx.load(d, dtype="auto")
        if _param_dtype(again) != "bfloat16":
            raise AssertionError(f"a bfloat16 checkpoint reloaded with dtype='auto' as "
                                 f"{_param_dtype(again)}")
        inputs = {k: v.to(torch.bfloat16) if v.is_floating_point() else v
                  for k, v in ctx.inputs.items()}
        out = forward(again, inputs)
    if not torch.isfinite(out.float()).all():
        raise AssertionError("bf16 forward produced NaN or inf")
    return f"auto keeps {saved}; bf16 save -> auto reload -> bf16 forward {tuple(out.shape)}"


def check_meta_load(ctx: Ctx) -> str:
    """Build on the meta device (no memory), then materialize from a state dict with assign=True,
    the path FSDP / DeepSpeed / low_cpu_mem_usage loading takes."""
    from accelerate import init_empty_weights

    with init_empty_weights(include_buffers=False), quiet():
        empty = ctx.cls._from_config(ctx.model.config)
    real = [n for n, p in empty.named_parameters() if p.device.type != "meta"]
    if real:
        raise AssertionError(f"{len(real)} parameters were allocated under init_empty_weights, "
                             f"e.g. {real[0]}")
    # tied parameters are listed under every name, so tying need not have happened yet
    shapes = {n: tuple(p.shape) for n, p in empty.named_parameters(remove_duplicate=False)}
    want = {n: tuple(p.shape) for n, p in ctx.model.named_parameters(remove_duplicate=False)}
    if shapes != want:
        diff = sorted(set(shapes.items()) ^ set(want.items()))
        raise AssertionError(f"the meta model's parameters differ from the loaded one's: {diff[0]}")
    state = {k: v.detach().cpu().clone() for k, v in ctx.model.state_dict().items()}
    result = empty.load_state_dict(state, strict=False, assign=True)
    with quiet():
        empty.tie_weights()
    left = [n for n, p in empty.named_parameters() if p.device.type == "meta"]
    left += [n for n, b in empty.named_buffers() if b.device.type == "meta"]
    if left:
        raise AssertionError(f"{len(left)} tensors still on meta after loading, e.g. {left[0]}")
    if result.unexpected_keys:
        raise AssertionError(f"unexpected keys: {result.unexpected_keys[:3]}")
    model = empty.to(ctx.device).eval()
    if getattr(ctx.model, "generation_config", None) is not None:  # what from_pretrained loads
        model.generation_config = copy.deepcopy(ctx.model.generation_config)  # beside the weights
    same = assert_same(ctx.reference, forward(model, ctx.inputs), "meta init -> assign")
    mb = sum(p.numel() * p.element_size() for p in ctx.model.parameters())
    return f"{len(shapes)} params built on meta (0 of {nbytes(mb)} allocated), assigned, {same}"


def _plan_budgets(ctx: Ctx, total: int) -> list[dict]:
    """max_memory candidates for device_map="auto": first one that splits the model between
    devices (some of it offloaded), then half the model's size (most or all of it on disk)."""
    from accelerate import infer_auto_device_map, init_empty_weights

    def budget(frac: float) -> dict:
        b = int(total * frac)
        return {0: b, "cpu": b} if ctx.device == "cuda" else {"cpu": b}

    with init_empty_weights(), quiet():
        empty = ctx.cls._from_config(ctx.model.config)
        empty.tie_weights()  # as from_pretrained plans it: a tied head costs nothing extra
    no_split = list(getattr(empty, "_no_split_modules", None) or [])
    for frac in (0.5, 0.65, 0.8, 0.9, 1.0):
        with quiet():
            placed = set(infer_auto_device_map(empty, max_memory=budget(frac),
                                               no_split_module_classes=no_split).values())
        if len(placed) >= 2:
            return [budget(frac)] + ([budget(0.5)] if frac != 0.5 else [])
    return [budget(0.5)]


def _offload_unsupported(e: BaseException) -> bool:
    """An error of accelerate's offload hooks (a weight left on meta), not of the model's maths."""
    text = str(e)
    return isinstance(e, (RuntimeError, ValueError, NotImplementedError, TypeError)) and (
        "meta" in text or "device_map" in text)


def check_device_map(ctx: Ctx) -> str:
    if not getattr(ctx.model, "_no_split_modules", None):
        raise Skip(f"{ctx.cls.__name__} declares no _no_split_modules, so accelerate cannot "
                   f"split it across devices safely")
    total = sum(p.numel() * p.element_size() for p in ctx.model.parameters())
    for mem in _plan_budgets(ctx, total):
        with tempfile.TemporaryDirectory(prefix="tinytrio-offload-") as d:
            try:
                model = ctx.load(device_map="auto", max_memory=mem, offload_folder=d)
                out = forward(model, ctx.inputs)
            except Exception as e:
                if _offload_unsupported(e):
                    lines = str(e).strip().splitlines()
                    raise Skip(f"accelerate cannot offload {ctx.cls.__name__}: "
                               f"{lines[-1].strip() if lines else type(e).__name__}") from None
                raise
            placement = Counter(str(v) for v in
                                (getattr(model, "hf_device_map", None) or {}).values())
        if placement:
            break
    else:
        raise Skip(f"device_map='auto' kept all of {ctx.cls.__name__} on one device with "
                   f"max_memory {mem}: nothing offloaded")
    same = assert_same(ctx.reference, out, "device_map='auto'", exact=False)
    where = ", ".join(f"{n} on {dev}" for dev, n in sorted(placement.items()))
    budget = ", ".join(f"{k}: {nbytes(v)}" for k, v in mem.items())
    return f"max_memory {{{budget}}} of {nbytes(total)}: {where}; {same}"
