"""`cuda_bf16` / `cuda_fp16` (with --device cuda): load in the half dtype with sdpa attention on the
GPU, then forward, generate and one optimizer step; everything must stay finite."""

from __future__ import annotations

from .core import Ctx, first_tensor, quiet, to_device


def _load_sdpa(ctx: Ctx, dtype):
    with quiet():
        try:
            model = ctx.cls.from_pretrained(ctx.path, dtype=dtype, attn_implementation="sdpa")
        except (ValueError, ImportError, NotImplementedError) as e:
            if "sdpa" not in str(e).lower() and "attention" not in str(e).lower():
                raise
            model = ctx.cls.from_pretrained(ctx.path, dtype=dtype)
    return model.to("cuda")


def cuda_check(dtype_name: str):
    def check(ctx: Ctx) -> str:
        import torch

        from ..model.inputs import make_inputs

        dtype = getattr(torch, dtype_name)
        model = _load_sdpa(ctx, dtype).eval()
        attn = getattr(model.config, "_attn_implementation", None) or "default"
        inputs = to_device(make_inputs(model), "cuda")
        with torch.no_grad():
            out = first_tensor(model(**inputs))
        if not torch.isfinite(out.float()).all():
            raise AssertionError(f"{dtype_name} forward produced NaN or inf")
        done = ["forward"]
        if model.can_generate():
            with torch.no_grad(), quiet():
                model.generate(**inputs, max_new_tokens=3, do_sample=False)
            done.append("generate")
        model.train()
        batch = to_device(make_inputs(model, labels=True), "cuda")
        loss = getattr(model(**batch), "loss", None)
        if loss is None:
            loss = first_tensor(model(**batch)).float().pow(2).mean()
        if not torch.isfinite(loss):
            raise AssertionError(f"{dtype_name} loss is {loss.item()}")
        loss.backward()
        bad = [n for n, p in model.named_parameters()
               if p.grad is not None and not torch.isfinite(p.grad).all()]
        if bad:
            raise AssertionError(f"{dtype_name} NaN or inf gradient in {bad[0]}")
        torch.optim.SGD(model.parameters(), lr=1e-3).step()
        torch.cuda.synchronize()
        done.append(f"train step (loss {loss.item():.3f})")
        return f"{attn} attention, {dtype_name}: {', '.join(done)}"

    check.__name__ = f"check_cuda_{dtype_name}"
    return check
