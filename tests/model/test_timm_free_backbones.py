"""timm backbones where timm cannot be imported (model/backbones.py): a `timm_backbone`
sub-config naming a timm architecture with a transformers equivalent becomes that transformers
backbone, same stages and feature maps, then shrinks as usual; where timm imports it is kept."""

import pytest

from tinytrio import make_tiny_model
from tinytrio.model import backbones
from tinytrio.model.registry_fill import TIMM_EQUIVALENTS
from tinytrio.model.shrink import shrink_config
from tinytrio.sources import normalized_config


def _original(model_type: str) -> dict:
    return normalized_config({"model_type": model_type})


def test_detr_backbone_becomes_a_tiny_resnet_with_its_out_indices(monkeypatch):
    monkeypatch.setattr(backbones, "timm_importable", lambda: False)
    for mt, indices in (("detr", [1, 2, 3, 4]), ("deformable_detr", [2, 3, 4])):
        original = _original(mt)
        notes = backbones.substitute_timm_backbones(original)
        assert len(notes) == 1 and "timm resnet50 -> transformers resnet" in notes[0]
        bb = original["backbone_config"]
        assert bb["model_type"] == "resnet" and bb["out_indices"] == indices
        assert bb["hidden_sizes"] == [256, 512, 1024, 2048] and bb["depths"] == [3, 4, 6, 3]
        tiny, _ = shrink_config(original)
        tb = tiny["backbone_config"]
        assert tb["model_type"] == "resnet" and tb["out_indices"] == indices
        assert len(tb["hidden_sizes"]) == 4 and max(tb["hidden_sizes"]) <= 64


def test_swin_stages_shift_by_one_and_the_parent_norm_goes(monkeypatch):
    monkeypatch.setattr(backbones, "timm_importable", lambda: False)
    original = _original("omdet-turbo")
    backbones.substitute_timm_backbones(original)
    bb = original["backbone_config"]
    # timm's features 1-3 (layers.1-3) are transformers' stages 2-4 (stage 0: patch embedding)
    assert bb["model_type"] == "swin" and bb["out_indices"] == [2, 3, 4]
    assert bb["image_size"] == 640  # timm's img_size
    assert original["apply_layernorm_after_vision_backbone"] is False  # SwinBackbone norms


def test_where_timm_imports_the_timm_backbone_is_kept(monkeypatch):
    monkeypatch.setattr(backbones, "timm_importable", lambda: True)
    original = _original("detr")
    assert backbones.substitute_timm_backbones(original) == []
    assert original["backbone_config"]["model_type"] == "timm_backbone"


def test_no_equivalent_keeps_timm(monkeypatch):
    """A dilated ResNet (DETR-DC5's output_stride) or a feature index no stage equals."""
    monkeypatch.setattr(backbones, "timm_importable", lambda: False)
    for extra in ({"output_stride": 16}, {"out_indices": [0, 1]}, {"backbone": "resnet18"}):
        d = {"backbone_config": {"model_type": "timm_backbone", "backbone": "resnet50",
                                 "features_only": True, "out_indices": [1, 2], **extra}}
        assert backbones.substitute_timm_backbones(d) == []
        assert d["backbone_config"]["model_type"] == "timm_backbone"
    assert set(TIMM_EQUIVALENTS) >= {"resnet50", "swin_tiny_patch4_window7_224"}


@pytest.mark.skipif(backbones.timm_importable(), reason="timm imports here: its backbone is kept")
def test_detr_detection_head_builds_trains_on_boxes_and_records_the_swap(tmp_path):
    from tinytrio.model.inputs import make_inputs

    r = make_tiny_model("detr", tmp_path / "detr", set=['architectures=["DetrForObjectDetection"]'])
    assert r.check["ok"], r.check
    assert r.architecture == "DetrForObjectDetection"
    assert r.substitutions and "transformers resnet" in r.substitutions[0]
    assert "Substituted: backbone_config" in (tmp_path / "detr" / "README.md").read_text()
    from transformers import DetrForObjectDetection

    model = DetrForObjectDetection.from_pretrained(tmp_path / "detr")
    inputs = make_inputs(model, labels=True)
    labels = inputs["labels"]  # DETR's targets: one dict of classes and boxes per image
    assert len(labels) == 2 and set(labels[0]) == {"class_labels", "boxes"}
    assert labels[0]["boxes"].shape[1] == 4 and 0 < labels[0]["boxes"].min() < 1
    assert model(**inputs).loss.isfinite()


def test_omdet_detector_width_stays_half_the_text_width(monkeypatch):
    """OmDet-Turbo builds task_project only when class_embed_dim (the text width) differs from
    decoder_hidden_dim: the tiny detector keeps half the text width, its channel list too."""
    monkeypatch.setattr(backbones, "timm_importable", lambda: False)
    original = _original("omdet-turbo")
    backbones.substitute_timm_backbones(original)
    tiny, _ = shrink_config(original)
    text = tiny["text_config"]["hidden_size"]
    assert tiny["class_embed_dim"] == tiny["text_projection_in_dim"] == text
    assert tiny["text_projection_out_dim"] == text
    assert tiny["d_model"] == tiny["decoder_hidden_dim"] == text // 2
    assert tiny["vision_features_channels"] == [text // 2] * 3
    assert tiny["encoder_dim_feedforward"] < 2048 and tiny["decoder_dim_feedforward"] < 2048
