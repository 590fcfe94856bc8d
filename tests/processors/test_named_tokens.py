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
