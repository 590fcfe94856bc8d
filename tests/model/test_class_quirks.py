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
