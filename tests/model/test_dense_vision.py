"""Dense-prediction / OCR vision models: per-layer kv-head lists shrink per entry, bare-type defaults
that fuse every backbone stage, and inputs the model's downsampling or task MLP fixes."""

import json

import torch

from tinytrio import make_tiny_model
from tinytrio.model.shrink import shrink_config
from tinytrio.sources import default_config


def test_per_layer_kv_heads_follow_the_kv_rule():
    """Sapiens2: one kv-head count per layer (MHA 16 and GQA 8 of 16 heads) -> 4 and 2 of 4."""
    tiny, _ = shrink_config({"model_type": "sapiens2", "hidden_size": 1024,
                             "num_attention_heads": 16, "num_hidden_layers": 2,
                             "num_key_value_heads_per_layer": [16, 8]})
    assert tiny["num_attention_heads"] == 4
    assert tiny["num_key_value_heads_per_layer"] == [4, 2]


def test_bare_defaults_return_every_stage_the_head_fuses():
    """UVDoc's bare default merges all six stages into its backbone (the rest kept); the PP-OCRv6
    detectors get their released det backbones, whose stage widths the small neck repeats."""
    uv = default_config("uvdoc")["backbone_config"]
    assert uv["out_features"] == [f"stage{i}" for i in range(1, 7)]
    assert uv["stage_configs"] and uv["resnet_configs"]  # merged, not replaced
    det = default_config("pp_ocrv6_small_det")
    tiny, _ = shrink_config(det)
    widths = [stage[-1][2] for stage in tiny["backbone_config"]["block_configs"]]
    assert tiny["layer_list_out_channels"] == widths
    assert all(stage[0][3] == 2 for stage in tiny["backbone_config"]["block_configs"][1:])


def _model_and_inputs(model_type, out):
    from tinytrio.model.classes import pick_model_class
    from tinytrio.model.inputs import make_inputs

    make_tiny_model(model_type, out, check=False)
    cls, _ = pick_model_class(json.loads((out / "config.json").read_text()))
    model = cls.from_pretrained(out).eval()
    return model, make_inputs(model)


def test_recogniser_gets_the_image_height_its_pooling_needs(tmp_path):
    """PP-OCRv6 tiny rec: 16x height downsampling then a (3, 2) pool needs 48-pixel lines."""
    model, inputs = _model_and_inputs("pp_ocrv6_tiny_rec", tmp_path / "rec")
    assert tuple(inputs["pixel_values"].shape[-2:]) == (48, 64)
    with torch.no_grad():
        model(**inputs)


def test_task_inputs_have_the_task_mlp_width():
    """OneFormer: task_inputs is a padded task prompt of task_seq_len ids (its task MLP's input)."""
    from types import SimpleNamespace

    from transformers import OneFormerConfig

    from tinytrio.model.args import ARGS

    ctx = SimpleNamespace(config=OneFormerConfig(), batch=2, gen=torch.Generator().manual_seed(0))
    assert ARGS["task_inputs"](ctx).shape == (2, 77)
