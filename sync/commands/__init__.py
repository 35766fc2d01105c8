"""CLI commands, one module per command group. ``register`` wires them into the typer app."""

from __future__ import annotations

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    from . import rubric

    rubric.register(app)
    from . import init; init.register(app)  # noqa: E702, I001
    from . import addin; addin.register(app)  # noqa: E702, I001
    from . import template, check; template.register(app); check.register(app)  # noqa: E702, I001
    from . import sync, report, demo; sync.register(app); report.register(app); demo.register(app)  # noqa: E702, I001
    from . import sheets; sheets.register(app)  # noqa: E702, I001
    from . import docs; docs.register(app)  # noqa: E702, I001
    from . import google; google.register(app)  # noqa: E702, I001
    # Each command group registers itself here, one line each.
