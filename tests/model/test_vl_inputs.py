"""Vision-language models get the image inputs their forward really merges: as many placeholder
tokens as the tiny tower yields features, and the companions the images need (Mllama tiles)."""

import json

from tinytrio import make_tiny_model


def _model_and_inputs(model_type, out):
    from tinytrio.model.classes import pick_model_class
    from tinytrio.model.inputs import make_inputs

    make_tiny_model(model_type, out, check=False)
    config = json.loads((out / "config.json").read_text())
    cls, _ = pick_model_class(config)
    model = cls.from_pretrained(out).train()
    return config, model, make_inputs(model, labels=True)


def test_mllama_tiles_and_concatenated_layers(tmp_path):
    """Mllama: images as [B, images, tiles, C, H, W] with their aspect-ratio id and mask, a
    cross-attention mask built after the text is final; the tower's concatenated intermediate
    layers keep their count (mapped onto the kept layers) and the projector's input width."""
    config, model, inputs = _model_and_inputs("mllama", tmp_path / "mllama")
    vc = config["vision_config"]
    assert len(vc["intermediate_layers_indices"]) == 5  # [3, 7, 15, 23, 30] of 32 layers
    assert all(0 <= i < vc["num_hidden_layers"] for i in vc["intermediate_layers_indices"])
    assert vc["vision_output_dim"] == vc["hidden_size"] * 6
    assert inputs["pixel_values"].dim() == 6
    assert inputs["cross_attention_mask"].shape[:2] == inputs["input_ids"].shape
    assert inputs["aspect_ratio_mask"].shape == inputs["pixel_values"].shape[:3]
    model(**inputs).loss.backward()
    assert model.model.vision_model.patch_embedding.weight.grad is not None  # images really used
