"""SentencePiece, tiktoken and Tekken sources, shrunk in their own format and as tokenizer.json."""

from __future__ import annotations

import json

import pytest
import sentencepiece as spm
from tokenizers import Tokenizer

from tinytrio.errors import TokenizerError
from tinytrio.tokenizer import shrink_tokenizer, tokenizer_from_source
from tinytrio.tokenizer.tiktoken import parse_tiktoken

from .conftest import TEXTS


def test_spm_bpe_byte_fallback(spm_bpe, tmp_path):
    r = shrink_tokenizer(spm_bpe, tmp_path / "o", 600)
    assert r.vocab_size == 600 and r.kind == "bpe-bytefallback" and r.original_vocab_size == 2000
    sp = spm.SentencePieceProcessor(model_file=str(tmp_path / "o" / "tokenizer.model"))
    hf = Tokenizer.from_file(str(tmp_path / "o" / "tokenizer.json"))
    assert sp.get_piece_size() == 600 == hf.get_vocab_size(True)
    for text in TEXTS:
        assert hf.encode(text).ids == sp.encode(text)  # both formats agree id for id
    assert "<0x00>" in hf.get_vocab() and hf.token_to_id("<tool>") is not None
    plain = "Hello wörld 你好 😀 x"
    assert hf.decode(hf.encode(plain).ids) == plain == sp.decode(sp.encode(plain))


def test_spm_unigram(spm_unigram, tmp_path):
    tiny = tokenizer_from_source(spm_unigram, 500)
    assert len(tiny.tokenizer) == 500 and tiny.kind == "unigram"
    proto = tiny.native_files["tokenizer.model"]
    sp = spm.SentencePieceProcessor(model_proto=proto)
    assert sp.get_piece_size() == 500
    raw = tiny.tokenizer.backend_tokenizer
    for text in TEXTS[:2]:
        assert raw.encode(text).ids == sp.encode(text)


def test_spm_minimum(spm_bpe):
    with pytest.raises(TokenizerError, match="256 bytes"):
        tokenizer_from_source(spm_bpe, 100)


def test_tiktoken(tiktoken_file, tmp_path):
    r = shrink_tokenizer(tiktoken_file, tmp_path / "o", 700)
    assert r.vocab_size == 700 and r.kind == "tiktoken"
    ranks = parse_tiktoken((tmp_path / "o" / "tiny.tiktoken").read_bytes())
    assert len(ranks) == 699  # + <|endoftext|>
    hf = Tokenizer.from_file(str(tmp_path / "o" / "tokenizer.json"))
    assert hf.token_to_id("<|endoftext|>") == 699
    for text in TEXTS:
        assert hf.decode(hf.encode(text).ids) == text


def test_tekken(tekken_file, tmp_path):
    r = shrink_tokenizer(tekken_file, tmp_path / "o", 600)
    assert r.vocab_size == 600 and r.kind == "tekken"
    tek = json.loads((tmp_path / "o" / "tekken.json").read_text())
    assert tek["config"]["default_vocab_size"] == 600 and len(tek["vocab"]) == 580
    assert [v["rank"] for v in tek["vocab"]] == list(range(580))
    hf = Tokenizer.from_file(str(tmp_path / "o" / "tokenizer.json"))
    assert hf.token_to_id("<s>") == 1 and hf.token_to_id("[INST]") == 3 and hf.token_to_id("<SPECIAL_19>") == 19
    for text in TEXTS:
        assert hf.decode(hf.encode(text).ids) == text
