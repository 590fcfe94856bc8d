"""Property: any text (unicode, emoji, whitespace runs, special strings) encodes without crashing,
and where the original round-trips, the tiny byte-level / byte-fallback tokenizer does too."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tokenizers import Tokenizer

from tinytrio.tokenizer import prune_tokenizer_json, tokenizer_from_source

SPECIALS = ["<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "<tool>", "<s>", "</s>"]
pieces = st.one_of(
    st.text(min_size=0, max_size=12),
    st.sampled_from(["😀", "👨‍👩‍👧‍👦", "🇫🇷", "你好", "Привет", "é", "\u200b", "\t", "\n"]),
    st.integers(1, 6).map(lambda n: " " * n),
    st.sampled_from(SPECIALS),
)
texts = st.lists(pieces, max_size=8).map("".join)


@pytest.fixture(scope="module")
def deepseek_pair(deepseek_json):
    tiny, _ = prune_tokenizer_json(deepseek_json, 2000)
    return Tokenizer.from_str(json.dumps(deepseek_json)), Tokenizer.from_str(json.dumps(tiny))


@pytest.fixture(scope="module")
def spm_tiny(spm_bpe):
    return tokenizer_from_source(spm_bpe, 600).tokenizer.backend_tokenizer


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts)
def test_byte_level_round_trip(deepseek_pair, text):
    orig, tiny = deepseek_pair
    ids = tiny.encode(text, add_special_tokens=False).ids
    assert all(0 <= i < 2000 for i in ids)
    if orig.decode(orig.encode(text, add_special_tokens=False).ids, skip_special_tokens=False) == text:
        assert tiny.decode(ids, skip_special_tokens=False) == text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts)
def test_byte_fallback_never_crashes(spm_tiny, text):
    ids = spm_tiny.encode(text).ids
    assert all(0 <= i < 600 for i in ids)
    spm_tiny.decode(ids)
