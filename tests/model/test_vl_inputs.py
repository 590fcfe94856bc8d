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


def test_crop_patch_images_pool_into_image_tokens(tmp_path):
    """Molmo2: pixel_values are crops of flattened patches [crops, patches, p*p*C] (a low-res view
    and one high-res crop per image), each image token pooling a window of patch indices; the
    tower's position table is re-derived for the tiny crop (one row per patch), and the text
    holds as many image tokens as the grids' pooled cells."""
    from tinytrio.model.media_crops import pool_windows

    config, model, inputs = _model_and_inputs("molmo2", tmp_path / "molmo2")
    vc = config["vision_config"]
    side = vc["image_size"][0] // vc["patch_size"]
    assert vc["num_position_embeddings"] == side * side
    pv, grids = inputs["pixel_values"], inputs["image_grids"]
    assert pv.shape[1:] == (side * side, vc["patch_size"] ** 2 * 3)
    assert pv.shape[0] == int(inputs["image_num_crops"].sum())
    per_image = grids[:, 0] * grids[:, 1] + grids[:, 2] * grids[:, 3]
    assert inputs["image_token_pooling"].shape[0] == int(per_image.sum())
    assert int(inputs["image_token_pooling"].max()) == pv.shape[0] * pv.shape[1] - 1
    assert ((inputs["input_ids"] == config["image_patch_id"]).sum(-1) == per_image).all()
    model(**inputs).loss.backward()
    assert model.model.vision_tower.patch_embedding.weight.grad is not None  # images really used
    # an odd grid pads its windows with -1, the extra row / column after (as the processor's)
    assert pool_windows(3, 9).tolist() == [[9, 10, 12, 13], [11, -1, 14, -1],
                                           [15, 16, -1, -1], [17, -1, -1, -1]]
