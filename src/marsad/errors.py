"""The error hierarchy. Every user-facing error has a stable code (`E` + three digits).

Messages say what was expected, what came, and how to fix it.
"""

from __future__ import annotations


class MarsadError(Exception):
    """Base of all marsad errors."""

    code = "E000"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return f"[{self.code}] {self.args[0]}"


class InputError(MarsadError):
    """A record or file that cannot be read as a news document."""

    code = "E100"


class ConfigError(MarsadError):
    """A configuration value that is missing or out of range."""

    code = "E200"


class StoreError(MarsadError):
    """The store cannot be opened, migrated or written."""

    code = "E300"


class MissingExtraError(MarsadError):
    """An optional dependency is not installed; the message names the pip extra to install."""

    code = "E400"

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(
            f"the optional module {module!r} is not installed; install it with: pip install 'marsad[{extra}]'"
        )


class TaskFailedError(MarsadError):
    """A batch task failed after its retries; finished tasks keep their done-markers."""

    code = "E600"


# Code families: E1xx input, E2xx config, E3xx store, E4xx missing extra, E5xx API problems,
# E6xx batch execution.

# Stable codes for input rejections; the store keeps them in `rejected.code`.
EMPTY = "E101"
NOT_TEXT = "E102"
TOO_LARGE = "E103"
BAD_JSON = "E104"
BAD_RECORD = "E105"
UNREADABLE = "E106"
NO_ARTICLE = "E107"
FETCH_FAILED = "E108"
# A document that took longer than the per-document time budget (`ingest.time_budget`).
OVER_BUDGET = "E109"
# Extracted text too short to be an article (a few bytes of binary, a navigation-only page).
TOO_SHORT = "E110"
# A record cut short: a truncated or mis-sized WARC record, a corrupt gzip stream past some point.
TRUNCATED = "E111"
# Hidden files and directories (names starting with '.') found while walking a directory: not read,
# but reported (pass one by name to ingest it).
HIDDEN = "E112"
# An exception marsad did not expect (a bug, not a bad input): the document is rejected with the
# exception's type, message and place, the batch goes on, and the run counts it apart.
UNEXPECTED = "E190"
# The store is being written by another process and the writer lock was not free in time.
STORE_LOCKED = "E302"

# Stable store codes.
NO_STORE = "E301"  # a read command named a store file that does not exist
