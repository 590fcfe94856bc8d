"""prune_tokenizer_json on real tokenizers: sizes, contiguous ids, specials, post-processors."""

from __future__ import annotations

import json

import pytest
from tokenizers import Tokenizer

from tinytrio.errors import TokenizerError
from tinytrio.tokenizer import minimum_vocab_size, prune_tokenizer_json
from tinytrio.tokenizer.scratch import corpus_lines

from .conftest import TEXTS


def _load(tj: dict) -> Tokenizer:
    return Tokenizer.from_str(json.dumps(tj))


def _contiguous(tok: Tokenizer) -> bool:
    return sorted(tok.get_vocab(with_added_tokens=True).values()) == list(range(tok.get_vocab_size(True)))


@pytest.fixture(scope="module")
def deepseek_tiny(deepseek_json):
    return prune_tokenizer_json(deepseek_json, 3000)


def test_deepseek_exact_size_contiguous_specials(deepseek_json, deepseek_tiny):
    tiny, id_map = deepseek_tiny
    tok = _load(tiny)
    assert tok.get_vocab_size(True) == 3000 and _contiguous(tok)
    # every added token kept with the same string; BOS stays at 0, the top special at the last id
    old = {t["id"]: t["content"] for t in deepseek_json["added_tokens"]}
    assert {id_map[i]: s for i, s in old.items()} == {t["id"]: t["content"] for t in tiny["added_tokens"]}
    assert tok.token_to_id("<｜begin▁of▁sentence｜>") == 0
    assert tok.token_to_id("<｜image｜>") == 2999
    for s in old.values():
        assert tok.encode(s, add_special_tokens=False).ids == [tok.token_to_id(s)]
    assert all(isinstance(m, list) and len(m) == 2 for m in tiny["model"]["merges"])


def test_deepseek_round_trips_and_minimum(deepseek_json, deepseek_tiny):
    tok = _load(deepseek_tiny[0])
    for text in TEXTS:
        assert tok.decode(tok.encode(text).ids) == text
    assert minimum_vocab_size(deepseek_json) == 1539
    with pytest.raises(TokenizerError, match=r"minimum 1539 \(256 bytes \+ 1283 special.*--vocab-size 1539"):
        prune_tokenizer_json(deepseek_json, 100)


def test_deterministic(deepseek_json, deepseek_tiny):
    again = prune_tokenizer_json(deepseek_json, 3000)
    assert json.dumps(again[0], ensure_ascii=False) == json.dumps(deepseek_tiny[0], ensure_ascii=False)
    assert again[1] == deepseek_tiny[1]


def test_input_not_modified_and_string_merges(deepseek_json):
    small = json.loads(json.dumps(deepseek_json))
    small["model"]["merges"] = [" ".join(m) if isinstance(m, list) else m for m in small["model"]["merges"][:5000]]
    before = json.dumps(small)
    tiny, _ = prune_tokenizer_json(small, 2000)
    assert json.dumps(small) == before
    assert _load(tiny).get_vocab_size(True) == 2000
    assert all(isinstance(m, list) for m in tiny["model"]["merges"])


@pytest.fixture(scope="module")
def gpt2_like() -> dict:
    """Byte-level BPE whose `<|endoftext|>` lives at the last id, inside the vocab, like gpt2."""
    from tokenizers import models, pre_tokenizers, trainers, decoders

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(corpus_lines(), trainers.BpeTrainer(
        vocab_size=800, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False))
    tj = json.loads(tok.to_str())
    tj["model"]["vocab"]["<|endoftext|>"] = 800
    tj["added_tokens"] = [{"id": 800, "content": "<|endoftext|>", "single_word": False, "lstrip": False,
                           "rstrip": False, "normalized": True, "special": True}]
    return tj


def test_gpt2_endoftext_stays_last(gpt2_like):
    tiny, id_map = prune_tokenizer_json(gpt2_like, 500)
    tok = _load(tiny)
    assert tok.get_vocab_size(True) == 500 and _contiguous(tok)
    assert tok.token_to_id("<|endoftext|>") == 499 and id_map[800] == 499
    assert tok.decode(tok.encode(TEXTS[2]).ids) == TEXTS[2]


def test_bert_post_processor_and_padding(minilm_dir):
    tj = json.loads((minilm_dir / "tokenizer.json").read_text(encoding="utf-8"))
    tiny, id_map = prune_tokenizer_json(tj, 1000)
    tok = _load(tiny)
    assert tok.get_vocab_size(True) == 1000 and _contiguous(tok)
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    assert (cls_id, sep_id) == (id_map[101], id_map[102])
    specials = tiny["post_processor"]["special_tokens"]
    assert specials["[CLS]"]["ids"] == [cls_id] and specials["[SEP]"]["ids"] == [sep_id]
    enc = tok.encode("hello world")
    assert enc.ids[0] == cls_id and sep_id in enc.ids
    assert tiny["padding"]["pad_id"] == tok.token_to_id("[PAD]")
    assert tok.token_to_id("[unused5]") is None  # placeholders are filled last
    # the older BertProcessing form stores (token, id) tuples
    tj2 = dict(tj, post_processor={"type": "BertProcessing", "sep": ["[SEP]", 102], "cls": ["[CLS]", 101]})
    tiny2, _ = prune_tokenizer_json(tj2, 1000)
    assert tiny2["post_processor"]["sep"] == ["[SEP]", sep_id] and tiny2["post_processor"]["cls"] == ["[CLS]", cls_id]
    seq = dict(tj, post_processor={"type": "Sequence", "processors": [tj2["post_processor"]]})
    assert prune_tokenizer_json(seq, 1000)[0]["post_processor"]["processors"][0]["cls"] == ["[CLS]", cls_id]


def test_wordpiece_minimum(minilm_dir):
    tj = json.loads((minilm_dir / "tokenizer.json").read_text(encoding="utf-8"))
    with pytest.raises(TokenizerError, match="use --vocab-size"):
        prune_tokenizer_json(tj, 50)
    # '##a' forms of printable ASCII are kept for WordPiece continuations
    tiny, _ = prune_tokenizer_json(tj, minimum_vocab_size(tj))
    assert "##a" in tiny["model"]["vocab"] and "a" in tiny["model"]["vocab"]


def test_larger_than_original_keeps_everything(gpt2_like):
    tiny, id_map = prune_tokenizer_json(gpt2_like, 10_000)
    assert _load(tiny).get_vocab_size(True) == 801 and len(id_map) == 801
