"""Tokenizer classes that cannot be built blank without arguments (scratch.CLASS_ARGS), and the
document tokenizers the tokenizer check calls with words plus boxes / xpaths."""

from tinytrio.check.basic import encode_sample
from tinytrio.tokenizer import tokenizer_from_scratch


def test_pegasus_blank_vocab_finds_unk():
    # PegasusTokenizer() itself fails: its default vocab has <unk> at 0, looked up from index 1
    tok = tokenizer_from_scratch("pegasus", 1024).tokenizer
    assert len(tok) == 1024
    assert (tok.pad_token_id, tok.eos_token_id) == (0, 1)  # the checkpoints' ids
    assert tok.unk_token_id is not None and tok("tiny test")["input_ids"]


def test_document_tokenizers_encode_words_with_layout():
    markup = tokenizer_from_scratch("markuplm", 1024).tokenizer
    enc = encode_sample(markup, "Hello tiny world")
    assert enc["input_ids"] and len(enc["xpath_tags_seq"]) == len(enc["input_ids"])
    layout = tokenizer_from_scratch("layoutlmv3", 1024).tokenizer
    enc = encode_sample(layout, "Hello tiny world")
    assert enc["input_ids"] and len(enc["bbox"]) == len(enc["input_ids"])


def test_bpe_unk_is_in_the_model_vocab():
    # ReformerTokenizer's blank BPE model names <unk> but holds an empty vocab: unknown characters
    # must map to an id, not raise "Unk token not found in the vocabulary"
    tok = tokenizer_from_scratch("reformer", 1024).tokenizer
    assert len(tok) == 1024
    assert tok.convert_tokens_to_ids("<unk>") == tok.unk_token_id == 0
    assert tok("Hello world, tiny test. ☃ 😀")["input_ids"]
