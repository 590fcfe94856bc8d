"""The fast checks (what `tinytrio model` runs after a build): load, tokenizer, forward, generate,
backward, nan and save → reload."""

from __future__ import annotations

import inspect
import math
import tempfile

from .core import (Ctx, Skip, assert_same, copied, first_tensor, forward, fresh, own_memory, quiet,
                   tensors, to_device)

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "tokenizer.model", "vocab.txt",
                   "vocab.json", "spiece.model")


def check_load(ctx: Ctx) -> str:
    if ctx.config is None:
        raise AssertionError(f"config.json cannot be read: {ctx.config_error}")
    if "model_type" not in ctx.config:
        raise AssertionError("config.json has no model_type")
    from ..model.classes import pick_model_class

    cls, _ = pick_model_class(ctx.config)
    if cls is None:
        raise AssertionError(f"no transformers class for model_type {ctx.config['model_type']!r}")
    ctx.cls = cls
    with quiet():
        model, info = cls.from_pretrained(ctx.path, output_loading_info=True)
    ctx.model = own_memory(model.to(ctx.device)).eval()
    missing = info.get("missing_keys") or []
    mismatched = info.get("mismatched_keys") or []
    if missing or mismatched:
        bad = sorted(missing) + [str(k[0] if isinstance(k, tuple) else k) for k in mismatched]
        kind = "missing" if missing else "mismatched"
        raise AssertionError(f"{len(bad)} weights {kind} in the checkpoint and initialized at "
                             f"random, e.g. {bad[0]}")
    n = sum(p.numel() for p in ctx.model.parameters())
    unexpected = info.get("unexpected_keys") or []
    extra = f", {len(unexpected)} unused checkpoint keys" if unexpected else ""
    return f"{cls.__name__}, {n:,} params{extra}"


def vocab_rows(model) -> int | None:
    import torch

    try:
        emb = model.get_input_embeddings()
    except (NotImplementedError, AttributeError):
        return None
    return emb.weight.shape[0] if isinstance(emb, torch.nn.Embedding) else None


def encode_sample(tok, text: str):
    """`text` as the tokenizer's own call takes it: document tokenizers (LayoutLMv2/3, UDOP,
    MarkupLM) take pretokenized words with one box / xpath each."""
    import inspect

    params = inspect.signature(tok.__call__).parameters
    words = text.split()
    if "boxes" in params:
        return tok(words, boxes=[[10 * i, 0, 10 * i + 8, 10] for i in range(len(words))])
    if "xpaths" in params:
        return tok(words, xpaths=["/html/body/div/p"] * len(words))
    return tok(text)


def check_tokenizer(ctx: Ctx) -> str:
    if not any((ctx.path / f).exists() for f in TOKENIZER_FILES):
        raise Skip("no tokenizer files")
    from transformers import AutoTokenizer

    with quiet():
        tok = AutoTokenizer.from_pretrained(ctx.path)
    ctx.tokenizer = tok
    vocab = vocab_rows(ctx.model)
    if vocab is not None and len(tok) > vocab:
        raise AssertionError(f"tokenizer has {len(tok)} tokens but the model's embedding has "
                             f"only {vocab} rows")
    for attr in ("bos", "pad"):
        cid = ctx.config.get(f"{attr}_token_id")
        tid = getattr(tok, f"{attr}_token_id", None)
        if isinstance(cid, int) and tid is not None and cid != tid:
            raise AssertionError(f"config {attr}_token_id={cid} but the tokenizer says {tid}")
    ids = encode_sample(tok, "Hello world, tiny test.")["input_ids"]
    if ids and vocab is not None and max(ids) >= vocab:
        raise AssertionError(f"tokenizer produced id {max(ids)} >= vocab {vocab}")
    return f"{len(tok)} tokens"


def check_forward(ctx: Ctx) -> str:
    import torch

    from ..model.entry import call, entry_name
    from ..model.inputs import make_inputs

    ctx.inputs = to_device(make_inputs(ctx.model), ctx.device)
    with torch.no_grad():
        ctx.outputs = call(ctx.model, fresh(ctx.inputs))
    ctx.reference = first_tensor(ctx.outputs)
    if not torch.isfinite(ctx.reference.float()).all():
        raise AssertionError("forward produced NaN or inf")
    entry = entry_name(ctx.model)
    via = "" if entry == "forward" else f" (via {entry}: the class implements no forward)"
    return f"{'+'.join(ctx.inputs)} -> {tuple(ctx.reference.shape)}{via}"


# config / generation_config fields that hold token ids the decoder will embed
ID_LISTS = ("forced_decoder_ids", "suppress_tokens", "begin_suppress_tokens", "bad_words_ids",
            "forced_bos_token_id", "forced_eos_token_id")


def _ids(value) -> list[int]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, (list, tuple)):
        return [i for v in value for i in _ids(v)]
    return []


def out_of_vocab_ids(model) -> str | None:
    """The first token id in the config or generation config that the embedding cannot hold."""
    vocab = vocab_rows(model)
    if vocab is None:
        return None
    sources = [("config", model.config.to_dict())]
    if getattr(model, "generation_config", None) is not None:
        sources.append(("generation_config", model.generation_config.to_dict()))
    for where, data in sources:
        for key, value in data.items():
            if key.endswith("_token_id") or key in ID_LISTS:
                bad = [i for i in _ids(value) if i >= vocab]
                if key == "forced_decoder_ids":  # [position, id] pairs
                    bad = [pair[1] for pair in value or [] if pair[1] >= vocab]
                if bad:
                    return f"{where} {key} holds id {bad[0]} >= vocab {vocab}"
    return None


def check_generate(ctx: Ctx) -> str:
    import torch

    if not ctx.model.can_generate():
        raise Skip("not a generative model")
    from ..model.entry import entry_name

    if entry_name(ctx.model) == "generate":
        raise Skip(f"generate() is {type(ctx.model).__name__}'s entry point, with its own "
                   "arguments: the forward check ran it")
    from ..model.inputs import ONE_STEP_DECODERS
    from ..model.media_av import room_to_generate

    # on copies: some generate() write into their inputs (BLIP sets input_ids[:, 0] to bos), and
    # the later checks compare against the reference forward on ctx.inputs
    inputs = room_to_generate(ctx.model.config, copied(ctx.inputs), 3)
    if "decoder_input_ids" in inputs and any(  # a transducer generates from its start token
            a in inspect.signature(ctx.model.forward).parameters for a in ONE_STEP_DECODERS):
        inputs["decoder_input_ids"] = inputs["decoder_input_ids"][:, :1]
    with torch.no_grad(), quiet():
        out = ctx.model.generate(**inputs, max_new_tokens=3, do_sample=False)
    out = out if isinstance(out, torch.Tensor) else first_tensor(out)
    detail = f"{tuple(out.shape)}"
    if ctx.full and "decoder_input_ids" in ctx.inputs:
        # as users and pipelines call it: encoder inputs only, the decoder prompt from the configs
        bad = out_of_vocab_ids(ctx.model)
        if bad:
            raise AssertionError(bad)
        inputs = {k: v for k, v in copied(ctx.inputs).items() if not k.startswith("decoder_")}
        with torch.no_grad(), quiet():
            plain = ctx.model.generate(**inputs, max_new_tokens=3, do_sample=False)
        plain = plain if isinstance(plain, torch.Tensor) else first_tensor(plain)
        detail += f"; from encoder inputs alone {tuple(plain.shape)}"
    return detail


def surrogate_loss(out):
    """A loss for a model that computes none: the mean square of the head's logits, else of the
    first output gradients reach (LightGlue leads with its integer matches, then the
    differentiable scores; a transducer's output leads with its encoder states)."""
    import torch

    logits = getattr(out, "logits", None)
    first = [logits] if isinstance(logits, torch.Tensor) else []
    target = next((t for t in first + list(tensors(out)) if t.requires_grad), None)
    return (first_tensor(out) if target is None else target).float().pow(2).mean()


def check_backward(ctx: Ctx) -> str:
    import torch

    from ..model.entry import call, not_trainable
    from ..model.inputs import make_inputs

    if not_trainable(ctx.model):
        raise Skip(not_trainable(ctx.model))
    # the forward check runs under no_grad; an inference tensor means the model's own forward
    # is decorated with torch.inference_mode (video trackers): it has no training path
    if ctx.reference is not None and ctx.reference.is_inference():
        raise Skip("the forward runs under torch.inference_mode: inference only, no gradients")
    model = ctx.model.train()
    # a training-mode forward updates BatchNorm statistics; put them back so the checks after
    # this one compare against the reference the forward check took
    buffers = {n: b.detach().clone() for n, b in model.named_buffers()}
    try:
        inputs = to_device(make_inputs(model, labels=True), ctx.device)
        out = call(model, inputs)
        loss = getattr(out, "loss", None)
        if loss is None:
            loss = surrogate_loss(out)
        elif loss.dim():  # a loss per sample (DAC's quantizer losses, masked per row)
            loss = loss.mean()
        loss.backward()
        if not torch.isfinite(loss):
            raise AssertionError(f"loss is {loss.item()}")
        grads = [p.grad for p in model.parameters() if p.grad is not None]
        if not grads:
            raise AssertionError("no parameter received a gradient")
        if not all(torch.isfinite(g).all() for g in grads):
            raise AssertionError("NaN or inf in gradients")
        norm = torch.nn.utils.get_total_norm([g.float() for g in grads]).item()
        if not math.isfinite(norm):  # finite entries whose norm overflows: clipping zeroes them
            raise AssertionError(f"gradient norm is {norm}: a clipped optimizer step does nothing")
        return f"loss {loss.item():.4f}, {len(grads)} grads, norm {norm:.3g}"
    finally:
        model.zero_grad(set_to_none=True)
        model.eval()
        with torch.no_grad():
            for n, b in model.named_buffers():
                if n in buffers:
                    b.copy_(buffers[n])


def open_bound(b) -> bool:
    """A buffer that is one infinity throughout: a clamp bound left open (Gemma-4's
    ClippableLinear initializes its input/output bounds to -inf/+inf), not a broken weight."""
    import torch

    return b.numel() > 0 and bool(torch.isinf(b).all()) and b.unique().numel() == 1


def masked_columns(t) -> bool:
    """Logits whose only non-finite entries are whole columns of -inf, the same for every row:
    classes masked out by design (Grounding DINO pads its text logits to max_text_len with
    -inf), not an overflow, which would not line up column by column."""
    import torch

    if t.dim() < 2 or torch.isnan(t).any() or torch.isposinf(t).any():
        return False
    neg = torch.isneginf(t)
    return bool(neg.any()) and not bool(neg.all()) and bool(
        (neg == neg.all(dim=-2, keepdim=True)).all()) and bool(torch.isfinite(t).any())


def check_nan(ctx: Ctx) -> str:
    import torch

    bad = [n for n, p in ctx.model.named_parameters() if not torch.isfinite(p).all()]
    bad += [n for n, b in ctx.model.named_buffers()
            if b.is_floating_point() and not torch.isfinite(b).all() and not open_bound(b)]
    if bad:
        raise AssertionError(f"NaN or inf in {len(bad)} weights, e.g. {bad[0]}")
    outs = [t for t in tensors(ctx.outputs) if t.is_floating_point()]
    bad_out = sum(1 for t in outs if not torch.isfinite(t).all() and not masked_columns(t))
    if bad_out:
        raise AssertionError(f"NaN or inf in {bad_out} of {len(outs)} output tensors")
    checked = f", {len(outs)} output tensors" if outs else ""
    return f"all weights finite{checked}"


def check_save_reload(ctx: Ctx) -> str:
    with tempfile.TemporaryDirectory(prefix="tinytrio-check-") as d, quiet():
        ctx.model.save_pretrained(d)
        again = ctx.load(d)
        return assert_same(ctx.reference, forward(again, ctx.inputs), "save -> reload")
