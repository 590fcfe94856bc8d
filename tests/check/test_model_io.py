"""What checks do with what models do to their inputs and outputs: generate() may write into its
inputs (BLIP sets input_ids[:, 0] to bos), so the generate check runs it on copies; a model with
no loss is backpropagated through an output gradients reach."""

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


def test_surrogate_loss_skips_outputs_gradients_cannot_reach():
    """No loss: backward goes through the first differentiable output (LightGlue's outputs lead
    with integer matches), and through the first tensor when none is differentiable."""
    import torch

    from tinytrio.check.basic import surrogate_loss

    scores = torch.full((2, 3), 0.5, requires_grad=True)
    out = {"matches": torch.zeros(2, 3, dtype=torch.long), "scores": scores * 2}
    loss = surrogate_loss(out)
    loss.backward()
    assert loss.item() == 1.0 and scores.grad is not None
    assert surrogate_loss({"matches": torch.ones(2, dtype=torch.long)}).item() == 1.0


def test_keypoint_matcher_processor_gets_an_image_pair(tiny):
    """A keypoint-matching image processor (LightGlue) takes two images, and its output feeds the
    model's forward; backward runs through the matching scores (the matches are integers)."""
    from tinytrio.check import check_model

    checks = check_model(tiny("lightglue"), fast=True, raise_on_fail=False)["checks"]
    assert checks["processor"]["status"] == "pass", checks["processor"]
    assert "image pair" in checks["processor"]["detail"]
    assert checks["backward"]["status"] == "pass", checks["backward"]


def test_transducer_generates_from_its_start_token_and_trains(tiny):
    """An RNN-T/TDT prediction network (forward takes `decoder_cache`) steps one token at a time:
    generate starts it from the decoder start token; training reads [start] + labels with the
    encoder frames counted from the feature mask (Parakeet TDT's loss runs on plain torch)."""
    from tinytrio.check import check_model

    checks = check_model(tiny("parakeet_tdt"), fast=True, raise_on_fail=False)["checks"]
    for name in ("forward", "generate", "backward"):
        assert checks[name]["status"] == "pass", (name, checks[name])


def test_masked_logit_columns_are_not_overflow():
    """-inf in whole columns, the same for every row (Grounding DINO's padded text logits), is a
    mask; a stray -inf, a +inf or a NaN is still a failure."""
    import torch

    from tinytrio.check.basic import masked_columns

    logits = torch.randn(2, 8, 6)
    logits[:, :, 4:] = float("-inf")
    logits[1, :, 3] = float("-inf")  # a masked text token of the second sample
    assert masked_columns(logits)
    stray = logits.clone()
    stray[0, 2, 0] = float("-inf")
    assert not masked_columns(stray)
    for bad in (float("inf"), float("nan")):
        other = logits.clone()
        other[0, 0, 0] = bad
        assert not masked_columns(other)
    assert not masked_columns(torch.full((2, 3), float("-inf")))


def test_ocr_processor_gets_words_and_boxes(tiny):
    """A document processor that runs OCR (LayoutLMv3: apply_ocr, which needs Tesseract) is fed
    words and boxes with its OCR off, and its image fits the tiny model (input_size shrinks)."""
    import json

    from tinytrio.check import check_model

    path = tiny("layoutlmv3")
    assert json.loads((path / "config.json").read_text())["input_size"] <= 64
    checks = check_model(path, fast=True, raise_on_fail=False)["checks"]
    assert checks["processor"]["status"] == "pass", checks["processor"]
    assert "OCR off" in checks["processor"]["detail"] and "pixel_values" in checks["processor"][
        "detail"]


def test_new_tokens_of_audio_code_frames():
    """generate() of an audio-code model (CSM) returns frames [B, frames, codebooks]: only the
    new ones after a text prompt, the prompt's frames first after a code prompt; text ids
    [B, T] count past the prompt (past the start token for an encoder-decoder)."""
    from types import SimpleNamespace

    import torch

    from tinytrio.check.core import new_token_count

    model = SimpleNamespace(config=SimpleNamespace(is_encoder_decoder=False))
    text = {"input_ids": torch.zeros(2, 12, dtype=torch.long)}
    codes = {"input_ids": torch.zeros(2, 5, 32, dtype=torch.long)}
    assert new_token_count(model, text, torch.zeros(2, 3, 32, dtype=torch.long)) == 3
    assert new_token_count(model, codes, torch.zeros(2, 8, 32, dtype=torch.long)) == 3
    assert new_token_count(model, text, torch.zeros(2, 15, dtype=torch.long)) == 3
    model.config.is_encoder_decoder = True
    assert new_token_count(model, text, torch.zeros(2, 4, dtype=torch.long)) == 3
