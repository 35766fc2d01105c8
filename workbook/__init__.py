"""Files: the layout of the template, the template itself, the reader of filled workbooks, the master.

Imports openpyxl; never talks to Google or the ledger (see ``sync/``).

Names are imported on first use (PEP 562), so importing one light submodule (``errors``) does not load
the rest; type checkers see the imports below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from schemas.lazy import lazy_exports

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

__all__, __getattr__, __dir__ = lazy_exports(__name__, _SUBMODULE)
