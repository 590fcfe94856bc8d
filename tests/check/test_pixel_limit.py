"""The processor check's pixel limit: pixels wider than TINY_PIXELS fail, unless the tiny config's
own image side is that wide (Aria's tower keeps the 980 px its processor always makes)."""

from types import SimpleNamespace

import pytest
import torch

from tinytrio.check.processor import _tiny


def _ctx(vision: dict):
    config = {"model_type": "x_vl", "vision_config": vision}
    return SimpleNamespace(model=SimpleNamespace(config=SimpleNamespace(to_dict=lambda: config)))


def test_pixels_may_reach_the_tiny_configs_own_side_and_no_further():
    big = {"pixel_values": torch.zeros(1, 3, 980, 980)}
    assert "980" in _tiny(big, _ctx({"image_size": 980, "patch_size": 35}))
    with pytest.raises(AssertionError, match="not tiny"):
        _tiny(big, _ctx({"image_size": 56, "patch_size": 14}))
    assert _tiny({"pixel_values": torch.zeros(1, 3, 64, 64)}, _ctx({"image_size": 56,
                                                                    "patch_size": 14}))
