"""Lists of multimodal token ids (Ovis2's visual indicators) get one placeholder per entry, and a
padded copy of the text vocab follows the tiny vocab: pure, no model is built."""

from tinytrio.model.pairing import set_vocab
from tinytrio.model.tokenizing import _list_names, _placeholders

OVIS2 = {"model_type": "ovis2", "vocab_size": 151643, "image_token_id": 151665,
         "visual_indicator_token_ids": [151666, 151667, 151668, 151669, 151670],
         "eos_token_id": [151643, 151645],
         "text_config": {"model_type": "qwen2", "vocab_size": 151936}}


def test_each_listed_id_gets_its_published_string():
    names = _list_names(OVIS2)
    assert names[("visual_indicator_token_ids", 151666)] == "<IMG_START>"
    assert len(names) == 5  # the eos list is not a placeholder list
    assert {"<IMG_ATOM>", "<IMG_END>"} <= set(_placeholders(OVIS2))


def test_unnamed_lists_get_numbered_placeholders():
    names = _list_names({"model_type": "x", "frame_token_ids": [7, 9]})
    assert list(names.values()) == ["<|frame_0|>", "<|frame_1|>"]


def test_a_padded_text_vocab_follows_the_tiny_vocab():
    d = {"vocab_size": 151643, "text_config": {"model_type": "qwen2", "vocab_size": 151936},
         "vision_config": {"model_type": "v", "vocab_size": 16384}}
    set_vocab(d, 512, 151643)
    assert (d["vocab_size"], d["text_config"]["vocab_size"]) == (512, 512)
    assert d["vision_config"]["vocab_size"] == 16384
