"""The tiny image grid and what follows it: patch-count-keyed tables (Aria's projector queries)
and square [p, p] patch lists (InternViT), shrink-only."""

from tinytrio.model.shrink import shrink_config


def _vl(vision: dict, **top) -> dict:
    return {"model_type": "x_vl", "vision_config": {"model_type": "x_vision", "hidden_size": 1152,
                                                    "num_attention_heads": 16, **vision},
            "text_config": {"model_type": "llama", "hidden_size": 2048,
                            "num_attention_heads": 16}, **top}


def test_patch_count_table_follows_the_tiny_grid():
    """Aria: {1225: 128, 4900: 256} queries by the tower's patches (490 / 980 px at 14 px); the
    largest key is the full tiny grid, the other keeps its side's ratio; queries shrink in ratio."""
    tiny, _ = shrink_config(_vl({"image_size": 980, "patch_size": 14},
                                projector_patch_to_query_dict={"1225": 128, "4900": 256}))
    grid = tiny["vision_config"]["image_size"] // 14
    table = tiny["projector_patch_to_query_dict"]
    assert table == {str((grid // 2) ** 2): 4, str(grid * grid): 8}


def test_square_patch_list_is_a_patch_side():
    """InternViT / Qianfan-OCR: image [448, 448], patch [14, 14]: the grid shrinks in patches and
    the image-token count (16² after the 0.5 pixel shuffle) follows it."""
    tiny, _ = shrink_config(_vl({"image_size": [448, 448], "patch_size": [14, 14]},
                                image_seq_length=256, downsample_ratio=0.5))
    side = tiny["vision_config"]["image_size"]
    assert side[0] == side[1] and side[0] % 14 == 0
    grid = side[0] // 14
    assert tiny["image_seq_length"] == (grid // 2) ** 2
