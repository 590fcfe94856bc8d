"""One exception hierarchy: every error a user can cause is a TinyError with a message that says
what went wrong and what to do. The CLI prints it as one line and exits 2."""

from __future__ import annotations


class TinyError(Exception):
    """Base of every tinytrio error a user can act on."""

    exit_code = 2


class SourceError(TinyError):
    """SOURCE cannot be found, read or understood (missing path, corrupt JSON, unknown model_type)."""


class OfflineError(SourceError):
    """A Hub id was given, the network is off (HF_HUB_OFFLINE) or unreachable, and nothing is cached."""


class OptionError(TinyError):
    """An option is impossible or contradicts another (`--hidden-size 63 --heads 4`, a bad `--dtype`)."""


class ShrinkError(TinyError):
    """The config cannot be shrunk into a valid tiny config (a constraint cannot be met)."""


class TokenizerError(TinyError):
    """A tokenizer cannot be read, shrunk or built (truncated tokenizer.json, vocab below the minimum)."""


class DatasetError(TinyError):
    """A tiny dataset cannot be made: zero usable rows, splits that disagree, unusable records."""


class OutputError(TinyError):
    """OUT cannot be written: not empty without --force, a file, or not writable."""


class CheckFailed(TinyError):
    """A validation check failed; the report says which. Exit code 1, not 2."""

    exit_code = 1

    def __init__(self, message: str, report: dict | None = None):
        super().__init__(message)
        self.report = report or {}
