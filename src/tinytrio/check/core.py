"""What every check shares: the context passed along the checks, Skip, and output helpers.

A check is a function `(ctx) -> detail`: it passes when it returns, fails when it raises, and is
skipped when it raises Skip. Checks read what earlier ones left in the context (the loaded model,
the tokenizer, the inputs and the reference outputs) and never mutate the reference model's weights.
"""

from __future__ import annotations

import contextlib
import warnings
from dataclasses import dataclass, field
from pathlib import Path


class Skip(Exception):
    """A check that does not apply to this model; the message says why."""


@dataclass
class Ctx:
    path: Path
    config: dict | None
    config_error: str | None = None
    device: str = "cpu"
    train_steps: int = 3
    nproc: int | None = None
    timeout: float = 180.0
    full: bool = False  # the whole `tinytrio check`, not the fast subset a build runs
    cls: type | None = None
    model: object = None
    tokenizer: object = None
    inputs: dict = field(default_factory=dict)
    outputs: object = None
    reference: object = None  # first output tensor of the reference model on ctx.inputs

    def load(self, path: str | Path | None = None, **kwargs):
        """A fresh copy of the model from `path` (default: the checked directory), in eval mode."""
        with quiet():
            model = self.cls.from_pretrained(path or self.path, **kwargs)
        if "device_map" not in kwargs:
            model = own_memory(model.to(self.device))
        return model.eval()


def own_memory(model):
    """The model with every tensor still in the mmapped checkpoint copied into memory of its own.
    safetensors places a tensor at any 8-byte offset of the file; BLAS rounds a small matmul
    differently at another alignment (Voxtral-Realtime's [1, hidden] t_cond projection by 1e-7),
    so two loads of the same weights from different offsets (sharded, meta -> assign) would
    differ by where the bytes sit, not by what they are."""
    import torch

    with torch.no_grad():
        for t in list(model.parameters()) + list(model.buffers()):
            if t.device.type == "cpu" and t.numel() and t.data_ptr() % 64:
                t.data = t.data.clone()
    return model


@contextlib.contextmanager
def quiet():
    """No warnings, no transformers or accelerate logging below CRITICAL while a check runs."""
    import logging as std_logging

    from transformers.utils import logging

    before = logging.get_verbosity()
    acc = std_logging.getLogger("accelerate")
    acc_before = acc.level
    logging.set_verbosity(logging.CRITICAL)
    acc.setLevel(std_logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logging.set_verbosity(before)
        acc.setLevel(acc_before)


def tensors(out) -> list:
    """Every tensor in a model output (ModelOutput, dict, tuple or tensor), depth first."""
    import torch

    if isinstance(out, torch.Tensor):
        return [out]
    if isinstance(out, dict):
        values = list(out.values())
    elif isinstance(out, (list, tuple)):
        values = list(out)
    elif hasattr(out, "to_tuple"):
        values = list(out.to_tuple())
    else:
        return []
    found = []
    for v in values:
        found += tensors(v)
    return found


def generated_ids(model, inputs: dict, out, **kwargs):
    """The token ids a generate() call returned: its tensor, its `.sequences`, or, from a
    generate that returns the decoded audio (VibeVoice), the sequences it gives on request."""
    import torch

    if isinstance(out, torch.Tensor) or hasattr(out, "sequences"):
        return out if isinstance(out, torch.Tensor) else out.sequences
    with torch.no_grad(), quiet():
        return model.generate(**inputs, **kwargs, return_dict_in_generate=True).sequences


def new_token_count(model, inputs: dict, out) -> int:
    """Positions generate() added: to [B, T] text ids (the prompt included, an encoder-decoder's
    from its start token), or frames of audio codes [B, frames, codebooks] (CSM's generate
    returns only the new frames after a text prompt, the prompt's frames after a code prompt)."""
    ids = inputs.get("input_ids")
    if out.dim() == 3 and not out.is_floating_point():
        return out.shape[1] - (ids.shape[1] if ids is not None and ids.dim() == 3 else 0)
    return out.shape[-1] - (1 if model.config.is_encoder_decoder else ids.shape[-1])


def first_tensor(out):
    import torch

    if isinstance(out, torch.Tensor):
        return out
    for key in ("logits", "last_hidden_state", "pooler_output", "image_embeds", "text_embeds"):
        v = out.get(key) if isinstance(out, dict) else getattr(out, key, None)
        if isinstance(v, torch.Tensor):
            return v
    found = tensors(out)
    if not found:
        raise AssertionError("the model returned no tensor")
    return found[0]


def forward(model, inputs: dict):
    """One no-grad forward with the RNG reseeded, so models that draw random numbers in forward
    (noise, sampled masks) give comparable outputs run after run."""
    import torch

    from ..model.entry import call

    with torch.no_grad(), torch.random.fork_rng():
        torch.manual_seed(0)
        return first_tensor(call(model, fresh(inputs)))


def fresh(inputs: dict) -> dict:
    """The inputs with every stateful object (a video tracker's inference session, which the
    forward writes its outputs into and reuses on the next call) deep-copied, so that every
    forward starts from the state the inputs were built in."""
    import copy

    return {k: copy.deepcopy(v) if hasattr(v, "__dict__") and not hasattr(v, "clone") else v
            for k, v in inputs.items()}


def to_device(inputs: dict, device) -> dict:
    return {k: v.to(device) if hasattr(v, "to") else v for k, v in inputs.items()}


def copied(inputs: dict) -> dict:
    """The inputs with every tensor cloned, for a call that may write into its arguments."""
    return {k: v.clone() if hasattr(v, "clone") else v for k, v in inputs.items()}


def assert_same(reference, got, what: str, exact: bool = True) -> str:
    """Raise when `got` differs from `reference`; exact equality unless exact=False."""
    import torch

    got = got.to(reference.device)
    if reference.shape != got.shape:
        raise AssertionError(f"{what}: output shape {tuple(got.shape)} != {tuple(reference.shape)}")
    if exact and torch.equal(reference, got):
        return "outputs equal"
    diff = (reference.float() - got.float()).abs().max().item()
    if not exact and torch.allclose(reference.float(), got.float(), rtol=1e-4, atol=1e-5):
        return f"outputs match (max |diff| {diff:.2g})"
    raise AssertionError(f"{what}: outputs differ (max |diff| {diff:.3g})")


def message(e: BaseException) -> str:
    text = str(e).strip()
    if isinstance(e, ImportError):  # transformers wraps "X requires the Y library" over lines
        text = " ".join(text.split())
    last = text.splitlines()[-1].strip() if text else ""
    return f"{type(e).__name__}: {last}" if last else type(e).__name__


def nbytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f}{unit}" if unit == "B" else f"{n:.1f}{unit}"
        n /= 1024
    return f"{n}"
