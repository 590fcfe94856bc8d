"""A processor whose call takes a task beside the images (OneFormer's task_inputs) gets one from
processors.registry.PROCESSOR_ARGS, and its tokenizer encodes that task instead of free text."""

from tinytrio import make_tiny_model
from tinytrio.check import check_model


def test_oneformer_processor_gets_its_task(tmp_path):
    out = tmp_path / "oneformer"
    make_tiny_model("oneformer", out, check=False)
    checks = check_model(out, fast=True, raise_on_fail=False)["checks"]
    assert checks["forward"]["status"] == "pass"  # task_inputs of task_seq_len ids
    assert checks["processor"]["status"] == "pass", checks["processor"]["detail"]
    assert "task_inputs" in checks["processor"]["detail"]
