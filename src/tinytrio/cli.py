"""The `tinytrio` command line: one thin function per command over the Python API, no logic.

Errors: a TinyError prints one line on stderr and exits with its code (2 bad input, 1 a failed
check); TINYTRIO_DEBUG=1 shows the traceback instead.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import CheckFailed, TinyError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Tiny random models, tokenizers and datasets from real ones, offline.")

Out = Annotated[Path, typer.Option("-o", "--out", help="Output directory (written atomically).")]
Force = Annotated[bool, typer.Option("--force", help="Replace a non-empty OUT.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
TrustRemote = Annotated[bool, typer.Option("--trust-remote-code", help="Run the model code a "
                                           "checkpoint ships (config.json auto_map).")]


def _quiet_libraries() -> None:
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def _progress(msg: str) -> None:
    if sys.stderr.isatty() or os.environ.get("TINYTRIO_PROGRESS"):
        print(f"tinytrio: {msg} …", file=sys.stderr, flush=True)


@app.command("model")
def model_cmd(
    source: Annotated[str, typer.Argument(help="Hub id, model dir, config.json or model_type.")],
    out: Out,
    hidden_size: Annotated[Optional[int], typer.Option(help="Tiny hidden size (default 64).")] = None,
    layers: Annotated[Optional[int], typer.Option(help="Layers per stack (default 2, more when "
                                                       "a layer pattern needs them).")] = None,
    heads: Annotated[Optional[int], typer.Option(help="Attention heads (default 4).")] = None,
    vocab_size: Annotated[Optional[int], typer.Option(help="Tiny vocab size.")] = None,
    tokenizer: Annotated[str, typer.Option(help="auto | none | a tokenizer SOURCE.")] = "auto",
    dtype: Annotated[str, typer.Option(help="auto | float32 | float16 | bfloat16.")] = "auto",
    seed: Annotated[int, typer.Option(help="Seed of the random weights.")] = 0,
    shard_size: Annotated[Optional[str], typer.Option(help="Max shard size, e.g. 200KB.")] = None,
    set_: Annotated[Optional[list[str]], typer.Option("--set", help="key=value config override; "
                                                      "dotted keys reach sub-configs.")] = None,
    no_check: Annotated[bool, typer.Option("--no-check", help="Skip validation.")] = False,
    trust_remote_code: TrustRemote = False,
    force: Force = False,
    as_json: AsJson = False,
):
    """Build a tiny random model (+ tokenizer) from SOURCE and validate it.

    Examples: `tinytrio model llama -o tiny-llama`,
    `tinytrio model ./Llama-3.1-8B -o tiny-llama3 --dtype bfloat16`.
    """
    from .model.build import make_tiny_model

    result = make_tiny_model(source, out, hidden_size=hidden_size, layers=layers, heads=heads,
                             vocab_size=vocab_size, tokenizer=tokenizer, dtype=dtype, seed=seed,
                             shard_size=shard_size, set=set_ or [], check=not no_check,
                             force=force, progress=_progress,
                             trust_remote_code=trust_remote_code)
    if as_json:
        print(json.dumps(result.to_json(), indent=2, default=str))
        return
    orig = f" (original {result.original_params:,})" if result.original_params else ""
    print(f"{result.path}: {result.architecture}, {result.params:,} params{orig}, "
          f"{result.bytes:,} bytes, vocab {result.vocab_size}, {result.seconds:.2f}s")
    if result.check:
        from .check import format_report

        print(format_report(result.check))


@app.command("tokenizer")
def tokenizer_cmd(
    source: Annotated[str, typer.Argument(help="Hub id, dir, tokenizer.json, .model, .tiktoken, "
                                               "tekken.json or model_type.")],
    out: Out,
    vocab_size: Annotated[Optional[int], typer.Option(help="Total len(tokenizer).")] = None,
    method: Annotated[str, typer.Option(help="prune | retrain.")] = "prune",
    corpus: Annotated[Optional[Path], typer.Option(help="Text file for retrain.")] = None,
    force: Force = False,
    as_json: AsJson = False,
):
    """Shrink a tokenizer to VOCAB_SIZE tokens (or build one from scratch for a model_type)."""
    from .tokenizer import shrink_tokenizer

    result = shrink_tokenizer(source, out, vocab_size=vocab_size, method=method, corpus=corpus,
                              force=force)
    data = {k: str(v) if isinstance(v, Path) else v for k, v in vars(result).items()} if hasattr(
        result, "__dict__") else result
    if as_json:
        print(json.dumps(data, indent=2, default=str))
    else:
        print(", ".join(f"{k}={v}" for k, v in data.items()))


@app.command("check")
def check_cmd(
    path: Annotated[Path, typer.Argument(help="A model directory, tiny or real.")],
    train_steps: Annotated[str, typer.Option(metavar="N", help="Optimizer steps for train / "
                                                               "ddp.")] = "3",
    device: Annotated[str, typer.Option(help="cpu | cuda (cuda adds bf16/fp16 sdpa checks).")]
    = "cpu",
    nproc: Annotated[Optional[str], typer.Option(metavar="N", help="Also train under DDP in N "
                                                 "processes (gloo on CPU, nccl on CUDA).")] = None,
    fast: Annotated[bool, typer.Option("--fast", help="Only the fast subset `tinytrio model` "
                                                      "runs.")] = False,
    trust_remote_code: TrustRemote = False,
    as_json: AsJson = False,
):
    """Prove a model directory works end to end: load, tokenizer, forward, generate, backward,
    NaN, save/reload, sharded, dtype, meta init, device_map offload, Trainer steps, pipeline,
    and DDP with --nproc. Exit 1 when a check fails.

    Example: `tinytrio check tiny-llama --nproc 2 --json`.
    """
    from .check import check_model, dumps, format_report, parse_count

    report = check_model(path, fast=fast, raise_on_fail=False,
                         train_steps=parse_count("--train-steps", train_steps), device=device,
                         nproc=None if nproc is None else parse_count("--nproc", nproc),
                         trust_remote_code=trust_remote_code)
    print(dumps(report) if as_json else format_report(report))
    if not report["ok"]:
        raise typer.Exit(1)


@app.command("sweep")
def sweep_cmd(
    out: Annotated[Path, typer.Option("-o", "--out", help="Report directory.")] = Path("sweep"),
    model_types: Annotated[Optional[str], typer.Option(help="Comma-separated model types "
                                                            "(default: all).")] = None,
    jobs: Annotated[int, typer.Option(help="Worker processes.")] = 2,
    timeout: Annotated[float, typer.Option(help="Seconds allowed per model type.")] = 60.0,
    keep: Annotated[bool, typer.Option("--keep", help="Keep each artifact in "
                                                      "OUT/models/<model_type>/.")] = False,
    coverage: Annotated[Optional[Path], typer.Option(help="Also write the coverage page here "
                                                          "(docs/coverage.md).")] = None,
):
    """Build and check a tiny model for every transformers model type; write OUT/report.json
    and OUT/report.md."""
    from .sweep import run_sweep, summary

    types = [t.strip() for t in model_types.split(",") if t.strip()] if model_types else None
    report = run_sweep(out, types, jobs=jobs, timeout=timeout, keep=keep, coverage=coverage)
    s = summary(report)
    print(f"{s['pass']} pass, {s['fail']} fail, {s['skip']} skip of {s['types']} model types in "
          f"{s['wall_seconds']}s; report in {out / 'report.md'}")
    if s["fail"]:
        raise typer.Exit(1)


cache_app = typer.Typer(help="The cache of tiny artifacts used by tinytrio.testing and the "
                              "pytest fixtures (TINYTRIO_CACHE, default ~/.cache/tinytrio).")
app.add_typer(cache_app, name="cache")


@cache_app.command("ls")
def cache_ls(as_json: AsJson = False):
    """List cached tiny models and datasets."""
    from .cache import cache_root, list_entries

    entries = list_entries()
    if as_json:
        print(json.dumps(entries, indent=2))
        return
    print(f"{cache_root()}: {len(entries)} entries")
    for e in entries:
        print(f"  {e['kind']:8} {e['bytes']:>10,}  {e['source']}  {e['options']}  {e['path']}")


@cache_app.command("clear")
def cache_clear():
    """Remove every cached artifact."""
    from .cache import cache_root, clear

    print(f"removed {clear()} entries from {cache_root()}")


from .dataset.cli import dataset_app  # noqa: E402 - `tinytrio dataset SOURCE|unpack|pack`

app.add_typer(dataset_app, name="dataset")


def main(argv: list[str] | None = None) -> None:
    _quiet_libraries()
    try:
        code = app(args=argv, standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except TinyError as e:
        if os.environ.get("TINYTRIO_DEBUG"):
            raise
        if isinstance(e, CheckFailed) and e.report:
            from .check import format_report

            print(format_report(e.report), file=sys.stderr)
        print(f"tinytrio: error: {e}", file=sys.stderr)
        sys.exit(e.exit_code)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        print("tinytrio: aborted", file=sys.stderr)
        sys.exit(130)
    except Exception as e:  # usage errors from typer's bundled click (or plain click)
        if os.environ.get("TINYTRIO_DEBUG") or not hasattr(e, "format_message"):
            raise
        print(f"tinytrio: error: {e.format_message()}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
