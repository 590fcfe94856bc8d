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


def test_kosmos2_image_positions_by_mask(tmp_path):
    """Kosmos-2 marks image positions with image_embeds_position_mask (no image token id): one
    run of latent_query_num positions per image, filled by the image features."""
    config, model, inputs = _model_and_inputs("kosmos-2", tmp_path / "kosmos2")
    mask = inputs["image_embeds_position_mask"]
    assert mask.shape == inputs["input_ids"].shape == inputs["attention_mask"].shape
    assert (mask.sum(-1) == config["latent_query_num"]).all()
    model(**inputs).loss.backward()


def test_stack_pixel_mask_per_tile_and_features_count(tmp_path):
    """Granite-Docling: a stack of tiles with a per-tile pixel_attention_mask (the layout probe
    finds it); HunYuan-VL: as many image tokens as its features (row separators included), which
    the model's get_image_features counts, not the flat grid's merged patches."""
    _, model, inputs = _model_and_inputs("granite_docling", tmp_path / "docling")
    assert inputs["pixel_attention_mask"].shape == inputs["pixel_values"].shape[:2]
    model(**inputs).loss.backward()
    config, model, inputs = _model_and_inputs("hunyuan_vl", tmp_path / "hunyuan")
    n = (inputs["input_ids"] == config["image_token_id"]).sum(-1)
    assert (n > 4).all()  # 2 x 2 merged patches, + 1 row separator per row + 2 boundaries
    model(**inputs).loss.backward()
