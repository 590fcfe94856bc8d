"""The check fails (exit 1) on broken models and refuses bad input (exit 2, one line)."""

from __future__ import annotations

import json
import shutil

import pytest

from tinytrio.check import check_model
from tinytrio.errors import CheckFailed, OptionError, SourceError

from .conftest import cli


def _copy(tiny, name, tmp_path):
    out = tmp_path / name
    shutil.copytree(tiny(name), out)
    return out


def test_nan_weights_fail(tiny, tmp_path):
    from safetensors.torch import load_file, save_file

    model = _copy(tiny, "llama", tmp_path)
    weights = load_file(model / "model.safetensors")
    name = next(k for k in weights if "layers.0" in k and k.endswith("proj.weight"))
    weights[name][0, 0] = float("nan")
    save_file(weights, model / "model.safetensors", metadata={"format": "pt"})
    with pytest.raises(CheckFailed) as err:
        check_model(model)
    report = err.value.report
    assert not report["ok"] and report["checks"]["nan"]["status"] == "fail"
    assert name in report["checks"]["nan"]["detail"]
    assert report["checks"]["forward"]["status"] == "fail"  # NaN reaches the logits


def test_vocab_smaller_than_tokenizer_fails(tiny, tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model_dir = _copy(tiny, "llama", tmp_path)
    n_tokens = len(AutoTokenizer.from_pretrained(model_dir))
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    model.resize_token_embeddings(n_tokens // 2)
    model.save_pretrained(model_dir)
    report = check_model(model_dir, fast=False, raise_on_fail=False)
    checks = report["checks"]
    assert not report["ok"]
    assert checks["tokenizer"]["status"] == "fail"
    assert f"tokenizer has {n_tokens} tokens" in checks["tokenizer"]["detail"]
    # the corpus the tokenizer encodes does not fit the embedding either
    assert checks["train"]["status"] == "fail"


@pytest.mark.parametrize("config, expect", [
    ('{"model_type": "llama", "hidden_size": 63, "num_attention_heads": 4}',
     "not a multiple of the number of attention heads"),
    ('{"model_type": "not_a_model"}', "no transformers class"),
    ('{"hidden_size": 64}', "no model_type"),
    ('{"model_type": "llama", ', "cannot be read"),
])
def test_config_that_cannot_load_fails(tiny, tmp_path, config, expect):
    model = _copy(tiny, "llama", tmp_path)
    if config.startswith('{"model_type": "llama", "hidden'):
        data = json.loads((model / "config.json").read_text())
        data.update(json.loads(config))
        config = json.dumps(data)
    (model / "config.json").write_text(config)
    report = check_model(model, fast=False, raise_on_fail=False)
    assert report["checks"]["load"]["status"] == "fail"
    assert expect in report["checks"]["load"]["detail"]
    # everything downstream is skipped, not failed again
    others = {n: e["status"] for n, e in report["checks"].items() if n != "load"}
    assert set(others.values()) == {"skip"}, others


def test_cli_exit_1_on_failed_check(tiny, tmp_path):
    model = _copy(tiny, "vit", tmp_path)
    (model / "config.json").write_text('{"model_type": "vit", "hidden_size": 30, '
                                       '"num_attention_heads": 4}')
    done = cli("check", model, "--json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert set(report) >= {"path", "checks", "ok"} and not report["ok"]
    assert report["checks"]["load"]["status"] == "fail"


def test_bad_input_exit_2(tiny, tmp_path):
    import torch

    not_model = tmp_path / "empty"
    not_model.mkdir()
    vit = tiny("vit")
    cases = {
        "missing": [tmp_path / "nothing"],
        "not a model dir": [not_model],
        "a file": [vit / "config.json"],
        "bad device": [vit, "--device", "tpu"],
        "nproc 0": [vit, "--nproc", "0"],
        "nproc text": [vit, "--nproc", "two"],
        "train steps 0": [vit, "--train-steps", "0"],
        "train steps text": [vit, "--train-steps", "x"],
    }
    if not torch.cuda.is_available():
        cases["no cuda"] = [vit, "--device", "cuda"]
    failures = []
    for name, args in cases.items():
        done = cli("check", *args, timeout=120)
        lines = [x for x in done.stderr.splitlines() if x.strip()]
        if not (done.returncode == 2 and len(lines) == 1 and
                lines[0].startswith("tinytrio: error:") and not done.stdout.strip()):
            failures.append((name, done.returncode, done.stderr[-300:]))
    assert not failures, failures


def test_bad_input_raises_from_the_api(tiny, tmp_path):
    import torch

    with pytest.raises(SourceError):
        check_model(tmp_path / "nothing")
    with pytest.raises(OptionError):
        check_model(tiny("vit"), nproc=0)
    with pytest.raises(OptionError):
        check_model(tiny("vit"), train_steps=0)
    if not torch.cuda.is_available():
        with pytest.raises(OptionError, match="no CUDA device"):
            check_model(tiny("vit"), device="cuda")


def test_zero_projection_overflows_the_gradient_norm(tiny, tmp_path):
    """gemma3 zero-initializes mm_input_projection_weight: the image tokens embed to zero and
    RMSNorm of zeros sends the projection's gradient norm to inf, so Trainer's clipping zeroes
    every step. The build gives such matrices random values; a checkpoint that still holds the
    zero matrix fails backward and train with the cause named."""
    import torch
    from safetensors.torch import load_file, save_file

    from tinytrio.check.basic import check_backward, check_load, check_tokenizer
    from tinytrio.check.core import Ctx
    from tinytrio.check.train import check_train

    model = _copy(tiny, "gemma3", tmp_path)
    weights = load_file(model / "model.safetensors")
    name = next(k for k in weights if k.endswith("mm_input_projection_weight"))
    assert weights[name].any()  # the build livened it
    weights[name] = torch.zeros_like(weights[name])
    save_file(weights, model / "model.safetensors", metadata={"format": "pt"})
    ctx = Ctx(model, json.loads((model / "config.json").read_text()), full=True)
    check_load(ctx)
    check_tokenizer(ctx)
    with pytest.raises(AssertionError, match="gradient norm is inf"):
        check_backward(ctx)
    with pytest.raises(AssertionError, match="gradient norm not finite"):
        check_train(ctx)


def test_open_clamp_bound_is_not_a_nan_weight():
    """An all-infinite buffer is an open clamp bound (Gemma-4 ClippableLinear); a partly
    infinite or NaN one is still a broken weight."""
    import torch

    from tinytrio.check.basic import open_bound

    assert open_bound(torch.tensor(float("inf"))) and open_bound(torch.full((3,), -float("inf")))
    assert not open_bound(torch.tensor([1.0, float("inf")]))
    assert not open_bound(torch.tensor([float("inf"), -float("inf")]))
    assert not open_bound(torch.tensor(float("nan")))
