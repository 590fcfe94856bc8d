"""Every token string a processor reads by attribute is a token of the tiny tokenizer, also where
registry.TOKEN_STRINGS names it (Emu3 reads five, its model finds "<image>" by string)."""

from tinytrio.processors.tokens import name_tokens
from tinytrio.tokenizer import tokenizer_from_scratch


def test_named_processor_strings_become_tokens():
    tok = tokenizer_from_scratch("emu3", 512).tokenizer
    name_tokens(tok, "emu3")
    vocab = tok.get_vocab()
    for attr, string in (("image_token", "<image>"), ("boi_token", "<|image start|>"),
                         ("eof_token", "<|extra_201|>")):
        assert getattr(tok, attr) == string and string in vocab


def test_a_processor_missing_a_required_component_is_unavailable():
    from tinytrio.processors import _unbuildable
    from tinytrio.processors.build import Parts

    assert _unbuildable(Parts("x", components={"feature_extractor": {}},
                              missing=["image_processor"]))
    assert not _unbuildable(Parts("x", components={"image_processor": {}},
                                  missing=["video_processor"]))


def test_default_edges_unrelated_to_a_non_square_config_take_the_tiny_side():
    from tinytrio.processors.shrink import Target, shrink_image_processor

    t = Target(image_side=16, hw0=(32, 128))  # MGP-STR: ViT's 224 default, config 32 x 128
    assert shrink_image_processor({"size": {"height": 224, "width": 224}}, t)["size"] == \
        {"height": 16, "width": 16}


def test_default_and_literal_processor_strings_become_tokens():
    """Molmo2's processor reads `getattr(tokenizer, "image_token", "<|image|>")` (a default it
    always uses) and looks up <im_col> by literal: both are tokens of the tiny tokenizer."""
    tok = tokenizer_from_scratch("molmo2", 512).tokenizer
    name_tokens(tok, "molmo2")
    vocab = tok.get_vocab()
    assert tok.image_token == "<|image|>" and tok.video_token == "<|video|>"
    assert all(s in vocab for s in ("<|image|>", "<|video|>", "<im_col>", "<im_low>"))
