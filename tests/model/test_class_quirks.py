"""Config and model classes that do more than hold their fields: the tiny artifact must still be
plain and reload to the same outputs."""

from tinytrio.model.build import _config_object
from tinytrio.model.shrink import shrink_config
from tinytrio.sources import default_config


def test_config_class_adding_quantization_on_load_stays_unquantized():
    # Inkling-2's from_dict adds its published MXFP8 scheme; kept, save_pretrained writes FP8
    # weights and the reload differs from the model that was checked
    tiny, _ = shrink_config(default_config("inkling2"))
    config = _config_object(tiny)
    assert getattr(config, "quantization_config", None) is None
    assert "quantization_config" not in config.to_dict()


def test_depth_pro_crop_follows_its_encoders_tiny_side():
    from tinytrio.model.registry_fill import INPUT_IMAGE_HW

    tiny, _ = shrink_config(default_config("depth_pro"))
    # patch_size is the crop each ViT encoder sees whole: it follows their tiny image side
    assert tiny["patch_size"] == tiny["patch_model_config"]["image_size"] < 384
    assert tiny["intermediate_hook_ids"] == [1, 0]  # layers of the 2-layer patch encoder
    assert max(tiny["scaled_images_feature_dims"]) <= 64
    config = _config_object(tiny)
    assert config.patch_model_config.image_size == config.patch_size  # its __post_init__ agrees
    h, w = INPUT_IMAGE_HW["depth_pro"](config)  # the smallest scaled image holds one crop
    assert h == w == 4 * tiny["patch_size"]


def test_tvp_prompter_follows_the_tiny_side_and_runs_on_one_sample():
    import torch
    from transformers import TvpModel

    from tinytrio.model.inputs import make_inputs
    from tinytrio.processors.shrink import Target

    original = default_config("tvp")
    tiny, _ = shrink_config(original)
    assert tiny["max_img_size"] == 64  # ResNet 32x then a 2x max-pool: one grid cell
    assert tiny["visual_prompt_size"] == round(96 * 64 / 448)
    assert Target.of(original, tiny).image_side == 64  # the image processor's side follows
    torch.manual_seed(0)
    model = TvpModel._from_config(_config_object(tiny)).eval()
    inputs = make_inputs(model)
    assert inputs["pixel_values"].shape == (1, tiny["num_frames"], 3, 64, 64)
    with torch.no_grad():
        assert torch.isfinite(model(**inputs).last_hidden_state).all()
