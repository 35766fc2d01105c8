"""Cells and sheets for write-only workbooks: precomputed styles, safe text cells, print-ready sheets.

The master is written with openpyxl's write-only mode (rows stream to disk, memory stays flat). Styles are
resolved once per workbook into a ``StyleArray`` and copied into each cell, which is as cheap as a plain
value. Column widths and frozen panes must be set before the first row; print setup, filters, validations
and charts may be set any time before saving.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from fractions import Fraction
from math import ceil

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.hyperlink import Hyperlink

from .safe import looks_like_formula, safe_text

__all__ = ["HEADER_ROW", "NUMBER_FORMAT", "Sheet", "Styles"]

#: Every table sheet: title lines in rows 1–3, a blank row, the header in row 5, data from row 6.
HEADER_ROW = 5
NUMBER_FORMAT = "#,##0.00"  # shown with the reader's locale: 1.234,50 in Vietnamese Excel
_INTEGER_FORMAT = "#,##0"
_DATE_FORMAT = "dd/mm/yyyy"
_DATETIME_FORMAT = "dd/mm/yyyy hh:mm"

_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TOP = Alignment(vertical="top", wrap_text=True)
_STAFF_FILL = PatternFill("solid", fgColor="FFF2CC")
_BAD_FILL = PatternFill("solid", fgColor="F8CBAD")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

_STYLES: dict[str, dict[str, object]] = {
    "title": {"font": Font(bold=True, size=14, color="1F4E79")},
    "subtitle": {"font": Font(italic=True, size=11)},
    "header": {
        "font": Font(bold=True),
        "fill": _HEADER_FILL,
        "border": _BORDER,
        "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True),
    },
    "text": {"border": _BORDER, "alignment": _TOP},
    "center": {"border": _BORDER, "alignment": Alignment(horizontal="center", vertical="top", wrap_text=True)},
    "num": {"border": _BORDER, "number_format": NUMBER_FORMAT, "alignment": Alignment(vertical="top")},
    "total": {"border": _BORDER, "number_format": NUMBER_FORMAT, "font": Font(bold=True), "alignment": Alignment(vertical="top")},
    "int": {"border": _BORDER, "number_format": _INTEGER_FORMAT, "alignment": Alignment(horizontal="center", vertical="top")},
    "date": {"border": _BORDER, "number_format": _DATE_FORMAT, "alignment": Alignment(horizontal="center", vertical="top")},
    "datetime": {"border": _BORDER, "number_format": _DATETIME_FORMAT, "alignment": Alignment(horizontal="center", vertical="top")},
    "staff_num": {
        "border": _BORDER, "number_format": NUMBER_FORMAT, "fill": _STAFF_FILL,
        "protection": Protection(locked=False), "alignment": Alignment(vertical="top"),
    },
    "staff_text": {"border": _BORDER, "fill": _STAFF_FILL, "protection": Protection(locked=False), "alignment": _TOP},
    "staff_bad": {
        "border": _BORDER, "fill": _BAD_FILL, "protection": Protection(locked=False),
        "font": Font(bold=True, color="9C0006"), "alignment": _TOP,
    },
    "link": {"border": _BORDER, "font": Font(color="0563C1", underline="single"), "alignment": _TOP},
    "flag": {"border": _BORDER, "font": Font(bold=True, color="C00000"), "alignment": Alignment(horizontal="center", vertical="top")},
    "warn": {"border": _BORDER, "font": Font(color="C00000"), "alignment": _TOP},
    "muted": {"border": _BORDER, "font": Font(italic=True, color="7F7F7F"), "alignment": _TOP},
}

Value = str | int | float | Decimal | Fraction | dt.date | dt.datetime | None


_new = Cell.__new__


def _new_cell(ws: WriteOnlyWorksheet, style: StyleArray) -> Cell:
    """``Cell(ws)`` without its generic set-up: the write-only writer only needs these slots."""
    c = _new(Cell)
    c.parent = ws
    c.row = c.column = 1
    c._value = None
    c.data_type = "n"
    c._hyperlink = None
    c._comment = None
    c._style = style  # shared, never mutated
    return c


def _place(values: Iterable[Cell | None], row_idx: int) -> Iterator[Cell]:
    for col_idx, cell in enumerate(values, 1):
        if cell is None:
            continue
        cell.column = col_idx
        cell.row = row_idx
        if cell.hyperlink is not None:
            cell.hyperlink.ref = cell.coordinate
        yield cell


class _SharedStyle(StyleArray):
    """A style array shared by many cells (never mutated), with its hash computed once.

    openpyxl looks every cell's style up by hash when it writes the cell; a shared array with a cached hash
    makes that lookup an identity hit instead of hashing nine integers per cell.
    """

    def __new__(cls, values: StyleArray) -> _SharedStyle:
        return array.__new__(cls, "i", values)

    def __init__(self, values: StyleArray) -> None:
        self._hash = hash(tuple(self))

    def __hash__(self) -> int:
        return self._hash


class Styles:
    """The master's cell styles, resolved once for one workbook."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self._arrays: dict[str, _SharedStyle] = {}
        for name, attrs in _STYLES.items():
            proto = Cell(ws, 1, 1)
            for attr, value in attrs.items():
                setattr(proto, attr, value)
            self._arrays[name] = _SharedStyle(proto._style)

    def array(self, name: str) -> StyleArray:
        return self._arrays[name]


class Sheet:
    """A write-only sheet being written row by row, with the master's look and print setup."""

    def __init__(
        self,
        wb: Workbook,
        title: str,
        widths: Sequence[float],
        *,
        styles: Styles | None = None,
        freeze: str | None = None,
        landscape: bool = True,
    ) -> None:
        ws = wb.create_sheet(title)
        assert isinstance(ws, WriteOnlyWorksheet)
        # Rows are lists of ready cells: place them directly instead of openpyxl's per-value conversion
        # (which raises and formats an exception for every Cell it is given).
        ws._values_to_row = _place
        self.ws = ws
        self.styles = styles or Styles(ws)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        if freeze:
            ws.freeze_panes = freeze
        setup = ws.page_setup
        setup.paperSize = "9"  # A4
        setup.orientation = "landscape" if landscape else "portrait"
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.5
        ws.oddFooter.center.text = "Trang &P/&N"
        ws.oddFooter.right.text = "&A"
        self.row = 0
        self.ncols = len(widths)

    # -- cells ---------------------------------------------------------------------------------------

    def cell(self, value: Value, style: str = "text") -> Cell:
        """A styled cell; text is always text (see ``safe``), numbers are floats, Fractions exact to a float."""
        c = _new_cell(self.ws, self.styles.array(style))
        if value is None:
            return c
        if isinstance(value, str):
            text = safe_text(value)
            c._value = text
            c.data_type = "s"
            if looks_like_formula(text):
                c._style = StyleArray(c._style)
                c._style.quotePrefix = 1
        elif isinstance(value, bool):
            c.value = value
        elif isinstance(value, int | float):
            c._value = value
        elif isinstance(value, Fraction | Decimal):
            c._value = float(value)
        elif isinstance(value, dt.date):  # the style gives the date format
            c._value = value
            c.data_type = "d"
        else:  # pragma: no cover - the Value type admits nothing else
            c.value = value
        return c

    def formula(self, text: str, style: str = "num") -> Cell:
        """A cell holding a formula we built (never text from a submission)."""
        c = _new_cell(self.ws, self.styles.array(style))
        c._value = text if text.startswith("=") else "=" + text
        c.data_type = "f"
        return c

    def link(self, text: str, url: str) -> Cell:
        """A cell hyperlink (not the HYPERLINK function: nothing of the URL is ever parsed as a formula)."""
        c = self.cell(text, "link")
        c._hyperlink = Hyperlink(ref="", target=url)
        return c

    # -- rows ----------------------------------------------------------------------------------------

    def append(self, cells: Iterable[Cell | None]) -> int:
        self.ws.append(list(cells))
        self.row += 1
        return self.row

    def title_block(self, lines: Sequence[str]) -> None:
        """Title lines (rows 1–3, the first bold), then a blank row, so the header lands on ``HEADER_ROW``."""
        padded = [*lines, "", "", ""][: HEADER_ROW - 2]
        for i, line in enumerate(padded):
            self.append([self.cell(line, "title" if i == 0 else "subtitle")] if line else [])
        self.append([])

    def header(self, labels: Sequence[str], *, repeat: bool = True) -> None:
        # wrapped headers need a row tall enough for their longest label (neither Excel nor LibreOffice
        # grows a row on opening a file)
        widths = [self.ws.column_dimensions[get_column_letter(i)].width or 10 for i in range(1, len(labels) + 1)]
        lines = max((ceil(len(label) / max(width - 1, 4)) for label, width in zip(labels, widths, strict=True)), default=1)
        self.ws.row_dimensions[self.row + 1].height = 15 * min(max(lines, 1), 5) + 4
        self.append(self.cell(label, "header") for label in labels)
        if repeat:
            self.ws.print_title_rows = f"{self.row}:{self.row}"

    def finish(self, *, ncols: int | None = None, autofilter: bool = True) -> None:
        """Autofilter over the table (header row to last row) and the print area."""
        last_col = get_column_letter(ncols or self.ncols)
        last_row = max(self.row, HEADER_ROW)
        if autofilter:
            self.ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{last_row}"
        self.ws.print_area = f"A1:{last_col}{last_row}"
