"""Python-backend subword classes (tokenizer/pyfiles.py) and `tokenizers` classes that build
their pipeline blank in __init__ (scratch._builds_blank): the architecture's own class, trained
on the corpus, reloaded by AutoTokenizer as that class."""

from __future__ import annotations

import pytest
from transformers import AutoTokenizer

from tinytrio.tokenizer import tokenizer_from_scratch


def _reloaded(tok, tmp_path):
    tok.save_pretrained(tmp_path)
    return AutoTokenizer.from_pretrained(tmp_path)


@pytest.mark.parametrize("model_type, cls, vocab_file", [
    ("siglip", "SiglipTokenizer", "spiece.model"),
    ("bert-generation", "BertGenerationTokenizer", "spiece.model"),
    ("plbart", "PLBartTokenizer", "sentencepiece.bpe.model"),
    ("tapas", "TapasTokenizer", "vocab.txt"),
    ("prophetnet", "ProphetNetTokenizer", "prophetnet.tokenizer"),
])
def test_python_class_from_a_trained_vocab_file(model_type, cls, vocab_file, tmp_path):
    t = tokenizer_from_scratch(model_type, None)
    assert t.kind == f"scratch:{cls}" and type(t.tokenizer).__name__ == cls
    back = _reloaded(t.tokenizer, tmp_path)
    assert (tmp_path / vocab_file).is_file()
    assert type(back).__name__ == cls and len(back) == len(t.tokenizer) <= 520
    ids = back("the tiny model reads a short text", add_special_tokens=False)["input_ids"]
    assert back.unk_token_id not in ids and back.decode(ids).strip() == "the tiny model reads a short text"


def test_specials_keep_their_roles():
    bg = tokenizer_from_scratch("bert-generation", None).tokenizer  # fairseq order, then its <::::>
    assert [bg.bos_token_id, bg.pad_token_id, bg.eos_token_id, bg.unk_token_id, bg.sep_token_id] == [0, 1, 2, 3, 4]
    siglip = tokenizer_from_scratch("siglip", None).tokenizer  # pad is eos: two specials, then pieces
    assert siglip.convert_ids_to_tokens([0, 1, 2]) == ["</s>", "<unk>", "▁"]
    tapas = tokenizer_from_scratch("tapas", None).tokenizer  # BERT roles, then [EMPTY]
    assert [tapas.pad_token_id, tapas.unk_token_id, tapas.cls_token_id, tapas.sep_token_id,
            tapas.mask_token_id] == [0, 1, 2, 3, 4]
    assert tapas.convert_tokens_to_ids("[EMPTY]") == 5


def test_asked_vocab_size_counts_the_tokens_the_class_adds():
    # PLBart appends its language codes and <mask> after the SentencePiece pieces
    tok = tokenizer_from_scratch("plbart", 600).tokenizer
    assert type(tok).__name__ == "PLBartTokenizer" and len(tok) <= 600


def test_class_needing_a_second_file_falls_back():
    t = tokenizer_from_scratch("marian", None)  # source.spm + target.spm + vocab.json
    assert t.kind == "scratch:GPT2Tokenizer"


@pytest.mark.parametrize("model_type, cls", [("camembert", "CamembertTokenizer"),
                                             ("barthez", "BarthezTokenizer")])
def test_blank_built_tokenizers_class(model_type, cls, tmp_path):
    tok = tokenizer_from_scratch(model_type, None).tokenizer
    back = _reloaded(tok, tmp_path)
    assert type(back).__name__ == cls and back.unk_token == "<unk>"
    ids = back("Zzz tiny", add_special_tokens=False)["input_ids"]
    # BARThez's blank vocab puts </s> where its Unigram looks for <unk>: the checkpoint order fixes it
    assert back.unk_token_id in ids and back.eos_token_id not in ids
