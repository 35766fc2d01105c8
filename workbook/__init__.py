"""Files: the layout of the template, the template itself, the reader of filled workbooks, the master.

Imports openpyxl; never talks to Google or the ledger (see ``sync/``).

Names are imported on first use (PEP 562), so importing one light submodule (``errors``) does not load
the rest; type checkers see the imports below.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .grid import Grid, to_raw_submission
    from .layout import Layout, build_layout
    from .reader import ReadResult, read_grid, read_workbook, validate_grid

_SUBMODULE = {  # exported name -> the submodule that defines it
    "Grid": "grid",
    "to_raw_submission": "grid",
    "Layout": "layout",
    "build_layout": "layout",
    "ReadResult": "reader",
    "read_grid": "reader",
    "read_workbook": "reader",
    "validate_grid": "reader",
}

__all__ = sorted(_SUBMODULE)


def __getattr__(name: str) -> Any:
    target = name
    module = _SUBMODULE.get(target)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), target)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
