"""pin_token: a token moves to a fixed id (code that reads it by number: ProphetNet's pad 0,
VoxtralProcessor's audio token 24); every string tokenizes to the same tokens as before."""

from __future__ import annotations

import pytest

from tinytrio.errors import TokenizerError
from tinytrio.tokenizer import tokenizer_from_scratch
from tinytrio.tokenizer.pin import pin_token

from .conftest import TEXTS


def _pieces(tok, text):
    return tok.convert_ids_to_tokens(tok(text)["input_ids"])


# (model_type, token, id): an added-only special into a byte-level BPE vocab (the GPT-2 style
# fallback's <|pad|>), an extra into a WordPiece vocab whose post-processor names [CLS]/[SEP],
# and an extra into a Unigram vocab
@pytest.mark.parametrize("model_type, token, new_id", [
    ("marian", "<|pad|>", 0), ("bert", "<image>", 1), ("t5", "<image>", 5),
    ("bert", "[CLS]", 0)])
def test_pin_moves_only_ids(model_type, token, new_id):
    tiny = tokenizer_from_scratch(model_type, 600, ["<image>"])
    before = tiny.tokenizer
    size, pieces = len(before), [_pieces(before, t) for t in TEXTS]
    pin_token(tiny, token, new_id)
    tok = tiny.tokenizer
    assert tok.convert_tokens_to_ids(token) == new_id and len(tok) == size
    assert sorted(tok.get_vocab().values()) == list(range(size))
    assert [_pieces(tok, t) for t in TEXTS] == pieces  # same tokens, specials included
    for attr in ("pad_token", "cls_token", "sep_token", "eos_token"):
        if getattr(before, attr, None) is not None:
            assert getattr(tok, attr + "_id") == tok.convert_tokens_to_ids(getattr(tok, attr))


def test_pin_updates_id_map_and_refuses_native_files():
    tiny = tokenizer_from_scratch("marian", 600)
    tiny.id_map = {7: tiny.tokenizer.pad_token_id, 8: 0}
    pad = tiny.tokenizer.pad_token_id
    other = tiny.tokenizer.convert_ids_to_tokens(0)
    pin_token(tiny, "<|pad|>", 0)
    assert tiny.id_map[7] == 0 and tiny.id_map[8] == tiny.tokenizer.convert_tokens_to_ids(other)
    assert pad != 0
    tiny.native_files = {"tokenizer.model": b""}
    with pytest.raises(TokenizerError):
        pin_token(tiny, tiny.tokenizer.convert_ids_to_tokens(5), 3)
