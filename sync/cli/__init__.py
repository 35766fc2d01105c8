"""The ``dvk`` command line: the entry point (``app``), the Vietnamese help, one module per command group.

Sits on top of everything; nothing imports it. A command module imports at module level only what its options
need (typer, the standard library); what the command does is imported when it runs, so ``dvk --version`` and
every ``--help`` stay quick.
"""

from .app import app, main

__all__ = ["app", "main"]
