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


def test_granite4_vision_deepstack_windows_and_pinpoints():
    """Granite-4 Vision: the filled deepstack map's [vision, decoder] pairs index the tiny towers,
    spatial_target_layers the tiny decoder; the Q-Former window "4/8" divides the tiny grid; the
    default's pinpoints (336 px for a 224 px tower) become whole tiles of the tiny tower."""
    from transformers import CONFIG_MAPPING

    from tinytrio.model.classes import complete_defaults

    original = CONFIG_MAPPING["granite4_vision"]().to_dict()
    complete_defaults(original)
    tiny, _ = shrink_config(original)
    nv = tiny["vision_config"]["num_hidden_layers"]
    nt = tiny["text_config"]["num_hidden_layers"]
    assert len(tiny["deepstack_layer_map"]) == 4
    assert all(-nv <= v <= nv and 0 <= t < nt for v, t in tiny["deepstack_layer_map"])
    assert all(0 <= t < nt for t in tiny["spatial_target_layers"])
    grid = tiny["vision_config"]["image_size"] // tiny["vision_config"]["patch_size"]
    q, w = map(int, tiny["downsample_rate"].split("/"))
    assert q * 2 == w and grid % w == 0
    side = tiny["vision_config"]["image_size"]
    assert all(x % side == 0 for p in tiny["image_grid_pinpoints"] for x in p)


def tiny_of(model_type):
    """The tiny config shrink_config makes of transformers' default config for model_type."""
    from transformers import CONFIG_MAPPING

    from tinytrio.model.classes import complete_defaults

    original = CONFIG_MAPPING[model_type]().to_dict()
    complete_defaults(original)
    return shrink_config(original)[0]


def test_processor_fixed_grids_keep_the_side_and_shrink_the_patch():
    """imagegrid.PROCESSOR_GRIDS: GOT-OCR-2's processor always writes 256 image tokens (a class
    constant) = a 64-patch side after the projector's two stride-2 convs; DeepSeek-OCR-2 learns
    144 queries = a 48-patch SAM side after its 4x neck. The tiny side stays, the patch shrinks."""
    got = tiny_of("got_ocr2")
    vc = got["vision_config"]
    assert vc["image_size"] // vc["patch_size"] == 64 and vc["image_size"] <= 64
    assert got["image_seq_length"] == 256
    sam = tiny_of("deepseek_ocr2")["vision_config"]["sam_config"]
    assert sam["image_size"] // sam["patch_size"] == 48 and sam["image_size"] <= 64


def test_processor_fixed_sides_keep_the_side_and_grow_the_patch():
    """imagegrid.PROCESSOR_SIDES: AriaImageProcessor makes only 490 / 980 px images, so Aria's
    tower (an idefics3_vision level) keeps 980 px with a 35 px patch (28 patches a side); the
    projector's patch-count table follows: 14² at 490 px, 28² at 980 px. Idefics3 itself, with
    the same tower type, still shrinks its side."""
    aria = tiny_of("aria")
    vc = aria["vision_config"]
    assert (vc["image_size"], vc["patch_size"]) == (980, 35)
    assert sorted(int(k) for k in aria["projector_patch_to_query_dict"]) == [196, 784]
    idefics3 = tiny_of("idefics3")["vision_config"]
    assert idefics3["patch_size"] == 32 and idefics3["image_size"] <= 4 * 32
