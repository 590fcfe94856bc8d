"""Sizes that kept tiny models above 1 MB although the shrinker should have shrunk them."""

from tinytrio.model.shrink import shrink_config
from tinytrio.sources import default_config


def test_perceiver_latents_shrink_like_queries():
    tiny, _ = shrink_config(default_config("perceiver"))  # 256 learned latents of the width
    assert tiny["num_latents"] == 8 and tiny["d_latents"] == 64
