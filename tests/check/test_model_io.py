"""generate() may write into its inputs (BLIP sets input_ids[:, 0] to bos): the generate check
runs it on copies, so the checks after it compare against the inputs of the reference forward."""

from __future__ import annotations

import json

from tinytrio.check.basic import check_forward, check_generate, check_load, check_save_reload
from tinytrio.check.core import Ctx


def test_generate_that_writes_into_its_inputs_leaves_the_shared_inputs(tiny):
    path = tiny("llama")
    ctx = Ctx(path=path, config=json.loads((path / "config.json").read_text()))
    check_load(ctx)
    check_forward(ctx)
    before = {k: v.clone() for k, v in ctx.inputs.items()}
    generate = ctx.model.generate

    def writing_generate(input_ids=None, **kwargs):
        input_ids[:, 0] = (input_ids[:, 0] + 1) % ctx.model.config.vocab_size
        return generate(input_ids=input_ids, **kwargs)

    ctx.model.generate = writing_generate
    check_generate(ctx)
    assert all((ctx.inputs[k] == v).all() for k, v in before.items())
    assert check_save_reload(ctx) == "outputs equal"
