"""Check that a saved tiny tokenizer directory is usable without tinytrio.

Checks, each failing with a TokenizerError that says which: `tokenizers.Tokenizer.from_file`
loads `tokenizer.json`; `AutoTokenizer` loads the directory; the vocab ids are exactly
`range(len(tokenizer))` in both; every special token encodes to one id, its own; a save / reload
round trip keeps the vocab and the encoding of a sample text.

Left out: decode round trips (a pruned WordPiece / Unigram vocab legitimately maps dropped
characters to unk) and any check of segmentation quality.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

from ..errors import TokenizerError

SAMPLE = "Hello, world! Tiny tokenizers 123 — naïve café, Привет, 你好, 😀\n\tdef f(x): return x"


def _contiguous(ids, n: int, where: str) -> None:
    ids = sorted(set(ids))
    if ids != list(range(n)):
        missing = sorted(set(range(n)) - set(ids))[:5]
        raise TokenizerError(f"{where}: vocab ids are not 0..{n - 1} (missing {missing}, max {ids[-1] if ids else None})")


def validate_tokenizer(directory: Path) -> None:
    """Raise TokenizerError unless `directory` holds a sound tokenizer (see module docstring)."""
    from tokenizers import Tokenizer
    from transformers import AutoTokenizer

    directory = Path(directory)
    tj = directory / "tokenizer.json"
    if not tj.is_file():
        raise TokenizerError(f"{directory} has no tokenizer.json")
    try:
        raw = Tokenizer.from_file(str(tj))
    except Exception as e:  # noqa: BLE001 - the Rust error type is not exported
        raise TokenizerError(f"tokenizers cannot load {tj}: {e}") from None
    _contiguous(raw.get_vocab(with_added_tokens=True).values(), raw.get_vocab_size(True), "tokenizer.json")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tok = AutoTokenizer.from_pretrained(str(directory))
        except Exception as e:  # noqa: BLE001
            raise TokenizerError(f"AutoTokenizer cannot load {directory}: {e}") from None
    _contiguous(tok.get_vocab().values(), len(tok), "AutoTokenizer")
    for special in tok.all_special_tokens:
        ids = tok.encode(special, add_special_tokens=False)
        if ids != [tok.convert_tokens_to_ids(special)]:
            raise TokenizerError(f"special token {special!r} encodes to {ids}, not to its own single id")
    expected = tok(SAMPLE)["input_ids"]
    with tempfile.TemporaryDirectory(prefix="tinytrio-validate-") as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tok.save_pretrained(tmp)
        again = AutoTokenizer.from_pretrained(tmp)
        if again.get_vocab() != tok.get_vocab() or again(SAMPLE)["input_ids"] != expected:
            raise TokenizerError("the tokenizer changes when saved and reloaded")
