"""The errors dvk raises. Findings about a submission are `Issue` values, not exceptions; only the fatal raises.

    DvkError                      base: carries a Vietnamese message for the user
    ├── RubricError               a rubric file is broken (file, criterion, problem)
    ├── ConfigError               dvk.toml or the environment is wrong (key, reason)
    ├── WorkbookError             a file cannot be read as a dvk workbook (path, sheet, cell)
    │   └── UnsafeFileError       a file refused before opening (zip bomb, XML entities, encrypted, .xls, ...)
    ├── SourceError               a source could not deliver one unit's data (unit, spreadsheet id, range)
    │   └── GoogleApiError        an HTTP error from the Google APIs, with status and Vietnamese advice
    ├── LedgerError               the SQLite ledger cannot be used (path)
    └── MasterLockedError         the master workbook is open elsewhere (path)

Every subclass keeps the original exception as ``__cause__`` when there is one.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "DvkError",
    "GoogleApiError",
    "LedgerError",
    "MasterLockedError",
    "RubricError",
    "SourceError",
    "UnsafeFileError",
    "WorkbookError",
]


class DvkError(Exception):
    """Base of every error dvk raises on purpose. ``str(err)`` is the Vietnamese message for the user."""

    def __init__(self, message: str, **context: object) -> None:
        super().__init__(message)
        self.message = message
        self.context = context

    def __str__(self) -> str:
        return self.message


class RubricError(DvkError):
    """A rubric file is broken. Context: ``file``, ``criterion``."""


class ConfigError(DvkError):
    """The configuration is wrong. Context: ``key``."""


class WorkbookError(DvkError):
    """A file cannot be read as a dvk workbook. Context: ``path``, ``sheet``, ``cell``."""


class UnsafeFileError(WorkbookError):
    """A file refused before it is opened. Context: ``path``, ``reason``."""


class SourceError(DvkError):
    """A source could not deliver one unit's data. Context: ``unit``, ``spreadsheet_id``, ``range``."""


class GoogleApiError(SourceError):
    """An error answer of the Google APIs. Context: ``status``, ``spreadsheet_id``."""

    def __init__(self, message: str, *, status: int | None = None, **context: object) -> None:
        super().__init__(message, status=status, **context)
        self.status = status


class LedgerError(DvkError):
    """The ledger cannot be used. Context: ``path``."""


class MasterLockedError(DvkError):
    """The master workbook is locked by another program. Context: ``path``."""
