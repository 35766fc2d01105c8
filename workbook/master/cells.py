"""Cells and sheets of the master and the phase reviews, written with XlsxWriter.

Rows stream to disk (``constant_memory``), so memory stays flat at thousands of units; a table row is written
as one string (``sheetxml.FormWorksheet.write_items``). Every formula is
written together with the value Python computed (``write_formula(..., value=...)``): Excel's Protected View,
phone previews and pandas show the numbers without recalculating. Every format names its font (Times New
Roman, OFFICE.md) and every row gets an explicit height for its wrapped text (LibreOffice does not grow rows
on opening a file). The page layout (heading, signature block, scale, page breaks) lives in ``form``.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from math import ceil
from typing import Any, cast

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.format import Format
from xlsxwriter.worksheet import CellFormulaTuple

from schemas.office import Letterhead

from .safe import FORMULA_START as _FORMULA_START
from .safe import looks_like_formula, safe_text
from .sheetxml import FormWorksheet

__all__ = ["FONT", "HEADER_ROW", "NUMBER_FORMAT", "Book", "CellItem", "Sheet", "Value"]

#: Every table sheet: the official heading in rows 1–9, the header in row 10 (1-based), data from row 11.
HEADER_ROW = 10
FONT = "Times New Roman"
NUMBER_FORMAT = "#,##0.00"  # shown with the reader's locale: 1.234,50 in Vietnamese Excel
_DATE_FORMAT = "dd/mm/yyyy"
_DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
_BODY = 11  # table text; never below 8 pt after the print scale (which is at least 75 %)
_GREY = "#A6A6A6"
_CELL = {"font_name": FONT, "font_size": _BODY, "border": 1, "border_color": _GREY, "valign": "top", "text_wrap": True}
_STAFF = {"bg_color": "#FFF2CC", "locked": False}

_STYLES: dict[str, dict[str, Any]] = {
    # the official form (OFFICE.md): heading, annex number, title, date line, signatures
    "body_left": {"font_size": 12, "align": "center", "valign": "top", "text_wrap": True},
    "body_left_bold": {"font_size": 12, "bold": True, "align": "center", "valign": "top", "text_wrap": True},
    "nation": {"font_size": 12, "bold": True, "align": "center", "valign": "top", "text_wrap": True},
    "motto": {"font_size": 13, "bold": True, "align": "center", "valign": "top", "text_wrap": True},
    "annex": {"font_size": 14, "bold": True, "align": "center", "valign": "vcenter"},
    "working": {"font_size": 13, "bold": True, "italic": True, "align": "center", "valign": "vcenter"},
    "rule": {"font_size": 8, "align": "center", "valign": "top"},
    "title": {"font_size": 13, "bold": True, "align": "center", "valign": "vcenter", "text_wrap": True},
    "attached": {"font_size": 13, "italic": True, "align": "center", "valign": "top", "text_wrap": True},
    "subtitle": {"font_size": 11, "italic": True, "align": "left", "valign": "top", "text_wrap": True},
    "date_line": {"font_size": 12, "italic": True, "align": "center", "valign": "top", "text_wrap": True},
    "sign": {"font_size": 12, "bold": True, "align": "center", "valign": "top", "text_wrap": True},
    "sign_note": {"font_size": 11, "italic": True, "align": "center", "valign": "top", "text_wrap": True},
    "plain": {"font_size": 11},
    # table cells
    "header": {**_CELL, "bold": True, "bg_color": "#DDEBF7", "align": "center", "valign": "vcenter"},
    "text": dict(_CELL),
    "center": {**_CELL, "align": "center"},
    "num": {**_CELL, "num_format": NUMBER_FORMAT, "text_wrap": False},
    "total": {**_CELL, "num_format": NUMBER_FORMAT, "bold": True, "text_wrap": False},
    "int": {**_CELL, "num_format": "0", "align": "center", "text_wrap": False},
    "date": {**_CELL, "num_format": _DATE_FORMAT, "align": "center", "text_wrap": False},
    "datetime": {**_CELL, "num_format": _DATETIME_FORMAT, "align": "center"},
    "staff_num": {**_CELL, **_STAFF, "num_format": NUMBER_FORMAT, "text_wrap": False},
    "staff_text": {**_CELL, **_STAFF},
    "staff_bad": {**_CELL, **_STAFF, "bg_color": "#F8CBAD", "bold": True, "font_color": "#9C0006"},
    "link": {**_CELL, "font_color": "#0563C1", "underline": 1},
    "flag": {**_CELL, "bold": True, "font_color": "#C00000", "align": "center"},
    "warn": {**_CELL, "font_color": "#C00000"},
    "muted": {**_CELL, "italic": True, "font_color": "#7F7F7F"},
    "helper": {**_CELL, "font_color": "#7F7F7F", "text_wrap": False},
}

# how many characters of a style fit in one unit of column width (the width of a digit), conservatively
_PER_UNIT = {"header": 1.0, "nation": 0.7, "body_left": 0.75, "body_left_bold": 0.7, "motto": 0.8, "title": 0.72,
             "annex": 0.8, "sign": 0.75}
_LINE = 1.32  # line height / font size (LibreOffice and Excel, Times New Roman)

Value = str | int | float | Decimal | Fraction | dt.date | dt.datetime | None
#: A cell ready to write: (kind, value, format, style name, cached value of a formula). Kinds: "s" text, "n"
#: number, "f" formula, "F" formula filled down (value: (text, first row, last row)), "b" blank, "d" date,
#: "u" link, "o" boolean.
CellItem = tuple[str, Any, Format, str, Any]


class Book:
    """One XlsxWriter workbook being built, its formats, and what its printed pages show.

    ``reference``: the italic line under each annex title, "(Kèm theo Báo cáo số … ngày … của UBND …)";
    ``annexes``: the sheets printed as annexes of that report, by title, with their number in the report's
    Roman series ("IV"); every other sheet is a working sheet ("Biểu tổng hợp (tài liệu làm việc)").
    """

    def __init__(self, letterhead: Letterhead, *, title: str, reference: str = "",
                 annexes: Mapping[str, str] | None = None) -> None:
        self.letterhead = letterhead
        self.reference = reference
        self.annexes: Mapping[str, str] = dict(annexes or {})
        self.wb = xlsxwriter.Workbook(
            "unsaved.xlsx",  # the real path is given at save time (save_atomic's temporary file)
            {
                "constant_memory": True,
                "default_format_properties": {"font_name": FONT, "font_size": _BODY},
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        self.wb.calc_on_load = False  # the cached values are right: no recalculation, no "save changes?"
        self.wb.set_calc_mode("auto", calc_id=191029)  # as Excel 2016+ writes it
        self.wb.set_properties({"title": title, "author": "dvk", "comments": "Lập bằng dvk"})
        self.formats: dict[str, Format] = {}
        self._quoted: dict[str, Format] = {}
        self.sizes: dict[str, float] = {}
        for name, props in _STYLES.items():
            self.formats[name] = self.wb.add_format({"font_name": FONT, **props})
            self.sizes[name] = float(props.get("font_size", _BODY))

    def fmt(self, style: str) -> Format:
        return self.formats[style]

    def quoted(self, style: str) -> Format:
        """The style with Excel's quote prefix: text that looks like a formula stays text even after F2+Enter."""
        if style not in self._quoted:
            self._quoted[style] = self.wb.add_format({"font_name": FONT, **_STYLES[style], "quote_prefix": True})
        return self._quoted[style]

    def set_stamp(self, name: str, value: str) -> None:
        """A custom document property (text), kept by Excel and LibreOffice when they save the file."""
        self.wb.set_custom_property(name, value, "text")

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the workbook to ``path`` (once; pass it to ``save_atomic``).

        The zip is assembled in memory and written to ``path`` with one plain write, so a full disk is an
        ordinary ``OSError`` about ``path``: XlsxWriter writing the file itself wraps it in ``FileCreateError``
        and leaves a half-closed ``ZipFile`` that prints "Exception ignored in ZipFile.__del__" on stderr.
        """
        buffer = io.BytesIO()
        self.wb.filename = buffer  # XlsxWriter accepts a file object
        try:
            self.wb.close()
        except FileCreateError as err:  # its own temporary files (the system's temp folder) could not be written
            cause = err.args[0] if err.args and isinstance(err.args[0], OSError) else None
            if cause is not None:
                raise cause from err
            raise
        try:
            with open(path, "wb") as fh:
                fh.write(buffer.getbuffer())
        except OSError as err:  # a write error does not name its file: name it
            if err.filename is not None or err.errno is None:
                raise
            raise type(err)(err.errno, err.strerror or os.strerror(err.errno), os.fspath(path)) from err


def _lines(text: str, units: float) -> int:
    """Lines a wrapped text takes in a column ``units`` characters wide (each paragraph at least one)."""
    if units <= 0:
        return 1
    if "\n" not in text:
        return max(1, ceil(len(text) / units))
    return sum(max(1, ceil(len(part) / units)) for part in text.split("\n"))


class Sheet:
    """A sheet being written row by row (0-based row indexes here; Excel rows are 1-based)."""

    def __init__(
        self, book: Book, title: str, widths: Sequence[float], *, freeze: bool = True, landscape: bool = True,
        hidden: Sequence[int] = (),
    ) -> None:
        self.book = book
        self.ws = cast(FormWorksheet, book.wb.add_worksheet(title, worksheet_class=FormWorksheet))
        self.title = title
        self.widths = list(widths)
        self.hidden = frozenset(hidden)
        self.landscape = landscape
        self.freeze = freeze
        self.ncols = len(widths)
        self.row = 0  # the next row to write
        self.heights: list[float] = []
        self.keep: list[tuple[int, int]] = []  # row ranges that must stay on one page
        self.header_index: int | None = None
        self.signature_from = 0  # first column of the signature block (2: keep column A free of text)
        self._fits: dict[tuple[int, str], tuple[float, float]] = {}
        #: (first, last) 1-based rows where each column's formula is one formula filled down (see ``formula``)
        self.fill_down: tuple[int, int] | None = None
        for i, width in enumerate(widths):
            self.ws.set_column(i, i, width, None, {"hidden": True} if i in self.hidden else None)

    # -- cells ---------------------------------------------------------------------------------------

    def cell(self, value: Value, style: str = "text") -> CellItem:
        """A styled cell; text is always text (see ``safe``), numbers are floats, Fractions exact to a float."""
        fmt = self.book.formats[style]
        kind = type(value)  # the exact types first: this runs for every cell of the master
        if kind is str:
            if not value:
                return ("b", None, fmt, style, None)
            text = safe_text(value)
            if text.startswith(_FORMULA_START):
                fmt = self.book.quoted(style)
            return ("s", text, fmt, style, None)
        if value is None:
            return ("b", None, fmt, style, None)
        if kind is float or kind is int:
            return ("n", value, fmt, style, None)
        if kind is Fraction or kind is Decimal:
            return ("n", float(value), fmt, style, None)  # type: ignore[arg-type]
        if value == "":
            return ("b", None, fmt, style, None)
        if isinstance(value, str):
            text = safe_text(value)
            if looks_like_formula(text):
                fmt = self.book.quoted(style)
            return ("s", text, fmt, style, None)
        if isinstance(value, bool):
            return ("o", value, fmt, style, None)
        if isinstance(value, int | float):
            return ("n", value, fmt, style, None)
        if isinstance(value, Fraction | Decimal):
            return ("n", float(value), fmt, style, None)
        if isinstance(value, dt.date):  # the style gives the date format
            return ("d", value, fmt, style, None)
        raise TypeError(f"unsupported cell value {value!r}")  # pragma: no cover - the Value type admits nothing else

    def formula(self, text: str, value: Value, style: str = "num") -> CellItem:
        """A formula we built (never text from a submission) with the value Python computed for it.

        Within ``fill_down`` the formula is written as a shared formula (as Excel stores a formula filled down):
        the caller promises that each row of that block has, in this column, the same formula shifted by rows.
        """
        if isinstance(value, Fraction | Decimal):
            cached: Any = float(value)
        elif value is None:
            cached = ""
        else:
            cached = value
        formula = text if text.startswith("=") else "=" + text
        down = self.fill_down
        if down is not None and down[0] <= self.row + 1 <= down[1]:
            return ("F", (formula, down[0], down[1]), self.book.formats[style], style, cached)
        return ("f", formula, self.book.formats[style], style, cached)

    def link(self, text: str, url: str) -> CellItem:
        """A cell hyperlink (not the HYPERLINK function: nothing of the URL is ever parsed as a formula)."""
        return ("u", url, self.book.formats["link"], "link", safe_text(text))

    # -- rows ----------------------------------------------------------------------------------------

    def height_of(self, cells: Sequence[CellItem | None], spans: dict[int, float] | None = None) -> float:
        """The row height (points) the wrapped texts of ``cells`` need; ``spans``: widths of merged cells."""
        best = 15.0
        fits = self._fits
        for c, item in enumerate(cells):
            if item is None:
                continue
            kind = item[0]
            if kind == "s":
                text = item[1]
            elif (kind == "f" or kind == "F") and type(item[4]) is str:
                text = item[4]
            else:
                continue
            if not text:
                continue
            style = item[3]
            if spans and c in spans:
                if c in self.hidden:
                    continue
                size = self.book.sizes[style]
                units = (spans[c] - 0.6) * _PER_UNIT.get(style, 1.15) * _BODY / size
            else:
                fit = fits.get((c, style))
                if fit is None:
                    fit = fits[(c, style)] = self._fit(c, style)
                units, size = fit
                if size == 0.0:  # a hidden column
                    continue
            if len(text) <= units and "\n" not in text:
                h = size * _LINE + 3  # one line: the common case
            else:
                h = _lines(text, units) * size * _LINE + 3
            if h > best:
                best = h
        return min(best, 409.0)

    def _fit(self, c: int, style: str) -> tuple[float, float]:
        """(characters per line, font size) of ``style`` in column ``c``; (0, 0) for a hidden column."""
        if c in self.hidden:
            return 0.0, 0.0
        size = self.book.sizes[style]
        return (self.widths[c] - 0.6) * _PER_UNIT.get(style, 1.15) * _BODY / size, size

    def append(self, cells: Iterable[CellItem | None], height: float | None = None) -> int:
        """Write one row; returns its 0-based index."""
        items = list(cells)
        r = self.row
        h = self.height_of(items) if height is None else height
        ws = self.ws
        if ws.write_items(r, items, h):  # the fast path: the row as one string (``sheetxml``)
            self.heights.append(h)
            self.row += 1
            return r
        ws.set_row(r, h)
        table = ws.table
        for c, item in enumerate(items):
            if item is None:
                continue
            kind, value, fmt, _, extra = item
            if kind == "s":
                ws.write_string(r, c, value, fmt)
            elif kind == "n":
                ws.write_number(r, c, value, fmt)
            elif kind == "f" or kind == "F":
                if kind == "F":
                    value = value[0]
                # ``write_formula`` without its rewriting of future functions (some thirty regular expressions
                # per formula, most of the time of a large master): dvk's formulas use none of them
                ws._check_dimensions(r, c)
                if ws.constant_memory and r > ws.previous_row:
                    ws._write_single_row(r)
                table[r][c] = CellFormulaTuple(value[1:], fmt, extra)
            elif kind == "b":
                ws.write_blank(r, c, None, fmt)
            elif kind == "d":
                ws.write_datetime(r, c, value, fmt)
            elif kind == "u":
                ws.write_url(r, c, value, fmt, extra)
            else:
                ws.write_boolean(r, c, value, fmt)
        self.heights.append(h)
        self.row += 1
        return r

    def merged(self, parts: Sequence[tuple[int, int, str, str]], height: float | None = None) -> int:
        """A row of merged text blocks: (first column, last column, text, style)."""
        r = self.row
        spans = {first: sum(self.widths[first : last + 1]) for first, last, _, _ in parts}
        probe: list[CellItem | None] = [None] * self.ncols
        for first, _, text, style in parts:
            probe[first] = ("s", text, self.book.formats[style], style, None)
        h = self.height_of(probe, spans) if height is None else height
        self.ws.set_row(r, h)
        for first, last, text, style in parts:
            # configured text (the committee, the council, the signers, the place) is text like a unit's
            text = safe_text(text)
            fmt = self.book.quoted(style) if looks_like_formula(text) else self.book.formats[style]
            if last > first:
                self.ws.merge_range(r, first, r, last, "", fmt)  # blank cells, then the text as a string
            self.ws.write_string(r, first, text, fmt)
        self.heights.append(h)
        self.row += 1
        return r

    def blank(self, height: float = 15.0) -> int:
        r = self.row
        self.ws.set_row(r, height)
        self.ws.write_blank(r, 0, None, self.book.formats["plain"])  # a row with no cell loses its height
        self.heights.append(height)
        self.row += 1
        return r

    def header(self, labels: Sequence[str], *, repeat: bool = True) -> None:
        """The table's header row (repeated on every printed page)."""
        assert self.row == HEADER_ROW - 1, f"{self.title}: the header belongs on row {HEADER_ROW}"
        self.header_index = self.row if repeat else None
        self.append(self.cell(label, "header") for label in labels)
