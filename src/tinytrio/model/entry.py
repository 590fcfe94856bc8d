"""Classes that implement no `forward`: the method users call instead, as data.

A few transformers classes leave nn.Module.forward unimplemented (calling the model raises
`_forward_unimplemented() got an unexpected keyword argument`): their entry point is another
method. The dummy inputs are built from *that* method's signature (by argument name, as for a
forward), and the checks call it wherever they would call the model.
"""

from __future__ import annotations

import inspect

import torch

# class name -> the method that is its entry point (one-line reason each)
ENTRY_METHODS: dict[str, str] = {
    # text -> semantic -> coarse -> fine codes -> EnCodec audio: the sub-models run in generate()
    "BarkModel": "generate",
    # GLM-Image's frozen VQ tokenizer: vision features -> quantized map + codebook ids
    "GlmImageVQVAE": "encode",
}
# entry classes with no training path -> why (backward and train report it as not applicable)
NO_TRAINING: dict[str, str] = {
    "BarkModel": "generate() runs under torch.no_grad and every Bark sub-model raises "
                 "NotImplementedError on labels ('Training is not implemented yet for Bark')",
}
# keyword arguments that keep an entry call small: class -> kwargs. Bark: 3 semantic tokens make
# a few coarse frames; unbounded, the semantic model samples up to its 768-token cap
ENTRY_KWARGS: dict[str, dict] = {"BarkModel": {"semantic_max_new_tokens": 3}}
# inputs an entry reads at a length the generation config names, as its processor pads them:
# class -> (argument, path in the generation config). BarkProcessor pads text to 256 = the
# semantic model's max_input_semantic_length, which generate() adds position by position
ENTRY_LENGTHS: dict[str, tuple[str, tuple[str, ...]]] = {
    "BarkModel": ("input_ids", ("semantic_config", "max_input_semantic_length")),
}

# entry outputs whose leading field is not the result: class -> (result field, its loss field or
# None, fields to drop). GLM-Image's encode() returns its input features as last_hidden_state
# (what first_tensor would compare) and its codebook + commitment loss as embedding_loss
ENTRY_OUTPUTS: dict[str, tuple[str, str | None, tuple[str, ...]]] = {
    "GlmImageVQVAE": ("quantized_last_hidden_state", "embedding_loss", ("last_hidden_state",)),
}


class EntryOutput(dict):
    """An entry's output as a dict, result first, with its loss as `.loss`."""

    def __getattr__(self, name):
        return self.get(name)


def has_forward(model) -> bool:
    return type(model).forward is not torch.nn.Module.forward


def entry_name(model) -> str:
    """"forward", or the entry method ENTRY_METHODS names for a class without one."""
    if has_forward(model):
        return "forward"
    name = ENTRY_METHODS.get(type(model).__name__)
    if name is None:
        raise TypeError(f"{type(model).__name__} implements no forward, and ENTRY_METHODS names "
                        "no entry method for it")
    return name


def entry_params(model) -> dict:
    """The parameters of the model's entry method (its forward, for nearly every model)."""
    return dict(inspect.signature(getattr(model, entry_name(model))).parameters)


def call(model, inputs: dict):
    """The model run on `inputs` through its entry point: model(**inputs), or the entry method
    with its bounding keyword arguments."""
    name = entry_name(model)
    if name == "forward":
        return model(**inputs)
    kwargs = ENTRY_KWARGS.get(type(model).__name__, {})
    out = getattr(model, name)(**inputs, **kwargs)
    rule = ENTRY_OUTPUTS.get(type(model).__name__)
    if rule is None:
        return out
    result, loss, dropped = rule
    rest = {k: v for k, v in out.items() if k not in (result, loss, *dropped)}
    return EntryOutput({result: out[result], **rest, **({"loss": out[loss]} if loss else {})})


def not_trainable(model) -> str | None:
    """Why the model has no training path, or None."""
    reason = NO_TRAINING.get(type(model).__name__)
    return f"{type(model).__name__} has no training path: {reason}" if reason else None


def padded(model, inputs: dict) -> dict:
    """Inputs an entry reads at a fixed length, right-padded with 0 (and masked) to it."""
    rule = ENTRY_LENGTHS.get(type(model).__name__)
    if rule is None or rule[0] not in inputs:
        return inputs
    arg, path = rule
    length = getattr(model, "generation_config", None)
    for key in path:
        length = length.get(key) if isinstance(length, dict) else getattr(length, key, None)
    ids = inputs[arg]
    if not isinstance(length, int) or ids.shape[-1] >= length:
        return inputs
    pad = length - ids.shape[-1]
    mask = inputs.get("attention_mask", torch.ones_like(ids))
    return {**inputs, arg: torch.nn.functional.pad(ids, (0, pad)),
            "attention_mask": torch.nn.functional.pad(mask, (0, pad))}
