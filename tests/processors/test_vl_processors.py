"""Processors that the auto mapping misses (Kosmos-2) or that refuse placeholders the plain
fallback chat template writes (HunYuan-VL: image tokens must sit between image start/end)."""

from tinytrio import make_tiny_model
from tinytrio.check import check_model
from tinytrio.processors.tokens import processor_class


def test_processor_class_the_checkpoints_name():
    assert processor_class("kosmos-2").__name__ == "Kosmos2Processor"


def test_fallback_template_wraps_where_the_processor_requires_it(tmp_path):
    out = tmp_path / "hunyuan_vl"
    make_tiny_model("hunyuan_vl", out, check=False)
    template = (out / "chat_template.jinja").read_text()
    assert "<|image_start|><|image|><|image_end|>" in template
    entry = check_model(out, raise_on_fail=False)["checks"]["processor"]
    assert entry["status"] == "pass", entry
