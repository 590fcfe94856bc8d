"""timm towers: their sizes live in `model_args` (kwargs of timm.create_model), and the key a
config class's own from_dict reads back (TimmWrapper's `num_classes`) survives normalization."""

from tinytrio.model.registry_fill import TIMM_MODEL_ARGS
from tinytrio.model.shrink import shrink_config
from tinytrio.sources import _derived_keys, config_class


def test_unset_model_args_get_the_architectures_tiny_kwargs():
    tiny, _ = shrink_config({"model_type": "timm_wrapper", "architecture": "resnet50",
                             "model_args": None})
    assert tiny["model_args"] == TIMM_MODEL_ARGS["resnet50"]
    nested, _ = shrink_config({"model_type": "gemma3n", "vision_config": {
        "model_type": "gemma3n_vision", "architecture": "mobilenetv5_300m_enc",
        "hidden_size": 2048, "model_args": None}})
    assert nested["vision_config"]["model_args"] == TIMM_MODEL_ARGS["mobilenetv5_300m_enc"]
    assert nested["vision_config"]["hidden_size"] == 2048  # timm's fixed output width


def test_published_model_args_are_kept():
    args = {"embed_dim": 1024, "depth": 23}
    tiny, _ = shrink_config({"model_type": "timm_wrapper", "architecture": "resnet50",
                             "model_args": args})
    assert tiny["model_args"] == args


def test_a_key_the_own_from_dict_needs_is_not_derived():
    assert "num_classes" not in _derived_keys(config_class("timm_wrapper"))
