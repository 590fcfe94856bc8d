"""Hybrid stacks keep an attention layer: a cyclic block list, an attention index list, and the
default configs that would otherwise be all Mamba-2 / recurrent (their cache then holds no
attention layer and forward fails in get_seq_length)."""

from tinytrio.model.classes import complete_defaults
from tinytrio.model.layers import choose_layers
from tinytrio.model.shrink import shrink_config
from tinytrio.sources import default_config


def test_cyclic_block_types_keep_one_cycle():
    # recurrent_gemma: layer i is block_types[i % 3]; two layers would both be recurrent
    assert choose_layers({"block_types": ["recurrent", "recurrent", "attention"]}, 26, None,
                         "") == [0, 1, 2]


def test_attention_index_list_is_a_layer_kind():
    tiny, _ = shrink_config({**default_config("bamba"), "attn_layer_indices": [2, 5]})
    assert tiny["num_hidden_layers"] == 3 and tiny["attn_layer_indices"] == [2]


def test_bamba_and_granite_hybrid_defaults_have_attention():
    bamba = default_config("bamba")
    complete_defaults(bamba)
    assert bamba["attn_layer_indices"]
    granite = default_config("granitemoehybrid")
    assert "full_attention" in granite["layer_types"]
    tiny, _ = shrink_config(granite)
    assert set(tiny["layer_types"]) == {"full_attention", "linear_attention"}


def test_ssm_state_size_shrinks_like_a_rank():
    # Mamba-2's 128-wide state (Falcon-H1's 256) was most of a tiny in_proj; Mamba-1's 16 stays
    tiny, _ = shrink_config(default_config("mamba2"))
    assert tiny["state_size"] == 32 and tiny["num_heads"] * tiny["head_dim"] == 2 * 64
    assert shrink_config(default_config("falcon_h1"))[0]["mamba_d_state"] == 32
    assert shrink_config(default_config("mamba"))[0]["state_size"] == 16


def test_wav2vec2_position_conv_kernel_is_a_window():
    # the positional conv's 128-frame kernel was an eighth of a tiny wav2vec2-conformer
    tiny, _ = shrink_config(default_config("wav2vec2"))
    assert tiny["num_conv_pos_embeddings"] == 32
