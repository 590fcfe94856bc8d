"""The `tinytrio dataset` command group: `dataset SOURCE` (make), `dataset unpack`, `dataset pack`.

A group whose first word, when it is not a subcommand, is taken as SOURCE of `make` — so both
`tinytrio dataset ./corpus -o tiny` and `tinytrio dataset unpack tiny -o records` work. Only
typer is imported here; the work (and `datasets`) is imported when a command runs.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup


class _SourceFirst(TyperGroup):
    """`dataset X …` means `dataset make X …` unless X names a subcommand or asks for help."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["make", *args]
        return super().parse_args(ctx, args)


dataset_app = typer.Typer(
    cls=_SourceFirst, no_args_is_help=True, add_completion=False,
    help="Tiny datasets: `tinytrio dataset SOURCE -o OUT [--rows 100]` (the `make` command), "
         "plus `unpack` into editable records and `pack` them back to any size.")

Out = Annotated[Path, typer.Option("-o", "--out", help="Output directory (written atomically).")]
Force = Annotated[bool, typer.Option("--force", help="Replace a non-empty OUT.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def _say(msg: str) -> None:
    if sys.stderr.isatty() or os.environ.get("TINYTRIO_PROGRESS"):
        print(f"tinytrio: {msg} …", file=sys.stderr, flush=True)


def _report(result, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result.to_json(), indent=2, default=str))
        return
    splits = ", ".join(f"{n} {r:,} rows" for n, r in result.splits.items())
    print(f"{result.path}: {splits}, {result.bytes:,} bytes, {result.seconds:.2f}s")
    for note in result.notes:
        print(f"tinytrio: note: {note}", file=sys.stderr)


@dataset_app.command("make")
def make_cmd(
    source: Annotated[str, typer.Argument(help="Hub id; parquet / jsonl / json / csv / txt file "
                                               "or glob; dataset folder; save_to_disk dir.")],
    out: Out,
    rows: Annotated[int, typer.Option(help="Rows per split.")] = 100,
    split: Annotated[str | None, typer.Option(help="Only this split (default: all).")] = None,
    config: Annotated[str | None, typer.Option(help="Config name (Hub / folder).")] = None,
    sample: Annotated[str, typer.Option(help="first | random | diverse.")] = "first",
    image_size: Annotated[int, typer.Option(help="Longest image side, pixels.")] = 32,
    audio_seconds: Annotated[float, typer.Option(help="Audio kept per clip, seconds.")] = 1.0,
    max_chars: Annotated[int | None, typer.Option(help="Cut texts to this length.")] = None,
    seed: Annotated[int, typer.Option(help="Seed of random sampling.")] = 0,
    force: Force = False,
    as_json: AsJson = False,
):
    """Make a tiny dataset from SOURCE: ROWS rows per split, media shrunk, Hub layout."""
    from .subset import make_tiny_dataset

    _report(make_tiny_dataset(source, out, rows=rows, split=split, config=config, sample=sample,
                              image_size=image_size, audio_seconds=audio_seconds,
                              max_chars=max_chars, seed=seed, force=force, progress=_say),
            as_json)


@dataset_app.command("unpack")
def unpack_cmd(
    source: Annotated[str, typer.Argument(help="Any dataset SOURCE, e.g. a tiny dataset.")],
    out: Out,
    rows: Annotated[str | None, typer.Option(help="Row indices, e.g. 0,4-10 (default all).")]
    = None,
    split: Annotated[str | None, typer.Option(help="Only this split.")] = None,
    config: Annotated[str | None, typer.Option(help="Config name (Hub / folder).")] = None,
    force: Force = False,
    as_json: AsJson = False,
):
    """Write one editable folder per record: text.txt, image.png, <field>.null, meta.json."""
    from .unpack import unpack_dataset

    _report(unpack_dataset(source, out, rows=rows, force=force, split=split, config=config),
            as_json)


@dataset_app.command("pack")
def pack_cmd(
    directory: Annotated[Path, typer.Argument(help="A folder written by `dataset unpack`.")],
    out: Out,
    rows: Annotated[int, typer.Option(help="Rows per split, cycling the records.")] = 100,
    unique_text: Annotated[bool, typer.Option("--unique-text",
                                              help="Make repeated texts unique.")] = False,
    force: Force = False,
    as_json: AsJson = False,
):
    """Build a dataset of ROWS rows per split from unpacked records, same features."""
    from .unpack import pack_dataset

    _report(pack_dataset(directory, out, rows=rows, unique_text=unique_text, force=force),
            as_json)
