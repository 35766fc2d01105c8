"""The ``dvk`` command line: the entry point (``app``), the Vietnamese help, one module per command group.

Sits on top of everything; nothing imports it. A command module imports at module level only what its options
need (typer, the standard library); what the command does is imported when it runs, so every ``--help`` stays
quick. ``dvk --version`` answers before the command-line framework is even loaded.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .entry import app

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script (``sync.cli.entry.main``); returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:
        from .. import __version__

        sys.stdout.write(f"dvk {__version__}\n")
        return 0
    from .entry import main as run

    return run(argv)


def __getattr__(name: str) -> Any:
    if name == "app":
        from .entry import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
