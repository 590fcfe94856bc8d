"""Zero-initialized weight matrices get seeded random values at build time (vectors keep theirs)."""

import torch

from tinytrio.model.liven import init_std, liven_zero_matrices


class _Config:
    initializer_range = 0.5


class _Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.config = _Config()
        self.proj = torch.nn.Parameter(torch.zeros(8, 4))
        self.norm = torch.nn.Parameter(torch.zeros(4))  # a (1 + w) RMSNorm scale: stays zero
        self.dense = torch.nn.Parameter(torch.ones(4, 4))


def test_zero_matrix_livened_vectors_kept():
    torch.manual_seed(0)
    m = _Model()
    assert liven_zero_matrices(m) == ["proj"]
    assert m.proj.any() and 0.2 < m.proj.std().item() < 1.0  # the config's initializer_range
    assert not m.norm.any() and torch.equal(m.dense, torch.ones(4, 4))
    torch.manual_seed(0)
    again = _Model()
    liven_zero_matrices(again)
    assert torch.equal(m.proj, again.proj)  # from the seeded RNG


def test_init_std_falls_back():
    assert init_std(_Config()) == 0.5
    assert init_std(object()) == 0.02


def test_init_std_two_text_configs():
    """MusicGen holds two text configs (text_encoder, decoder): get_text_config() alone raises
    on the ambiguity; init_std reads the decoder's instead of failing the build."""
    from transformers import MusicgenConfig

    assert init_std(MusicgenConfig()) == 0.02


def test_fan_in_convs_keep_a_deep_conv_tower_alive():
    from tinytrio.model.liven import fan_in_convs

    class Config:
        model_type, initializer_range = "align", 0.02

    convs = torch.nn.Sequential(*[torch.nn.Conv2d(8, 8, 1, bias=False) for _ in range(12)])
    for c in convs:
        torch.nn.init.normal_(c.weight, std=0.02)  # as _init_weights draws them
    convs.config = Config()
    x = torch.randn(1, 8, 2, 2)
    assert convs(x).abs().max() < 1e-12  # vanished
    torch.manual_seed(0)
    assert len(fan_in_convs(convs)) == 12
    assert convs(x).abs().max() > 1e-3
    convs.config.model_type = "efficientnet"
    assert fan_in_convs(convs) == []
