"""Files: the layout of the template, the template itself, the reader of filled workbooks, the master.

Imports openpyxl; never talks to Google or the ledger (see ``sync/``).
"""

from .grid import Grid, to_raw_submission
from .layout import Layout, build_layout
from .reader import ReadResult, read_grid, read_workbook, validate_grid

__all__ = [
    "Grid",
    "Layout",
    "ReadResult",
    "build_layout",
    "read_grid",
    "read_workbook",
    "to_raw_submission",
    "validate_grid",
]
