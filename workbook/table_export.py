"""A plain table exported for staff (`dvk models --out FILE.xlsx|.csv`): a title, a header row, the rows.

Text from submissions never becomes a formula: in .xlsx every text is written as a string (with Excel's quote
prefix when it looks like a formula, ``master.safe``); in .csv such a text gets a leading apostrophe, the usual
guard against CSV injection. The .csv is UTF-8 with a byte-order mark so Excel on Windows reads the accents.
Both are saved atomically (``master.atomic``): beside the target when it is open in Excel.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from math import ceil
from pathlib import Path
from typing import Any

import xlsxwriter

from .master.atomic import save_atomic
from .master.safe import looks_like_formula, safe_text

__all__ = ["csv_cell", "write_table_csv", "write_table_xlsx"]

_FONT = "Times New Roman"


def csv_cell(value: Any) -> str:
    """A cell of the CSV: dates dd/mm/yyyy, numbers as they are, text that looks like a formula quoted."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    text = str(value)
    return "'" + text if isinstance(value, str) and looks_like_formula(text) else text


def _shown(value: Any) -> str:
    return "" if value is None else f"{value:%d/%m/%Y}" if isinstance(value, dt.date) else str(value)


def _height(texts: Sequence[str], widths: Sequence[float], *, bold: bool = False) -> float:
    """The row height (points) its wrapped texts need: about one character per unit of column width at 11 pt."""
    per_unit = 0.9 if bold else 1.2
    lines = 1
    for text, w in zip(texts, widths, strict=False):
        fit = max(1, int(w * per_unit))
        lines = max(lines, sum(max(1, ceil(len(part) / fit)) for part in str(text).split("\n")))
    return 15.0 * lines + 2


def write_table_csv(path: Path, headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
                    when: dt.datetime) -> tuple[Path, str]:
    """Write the table as CSV; returns (path written, a Vietnamese note when it went beside an open file)."""
    def save(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(headers)
            writer.writerows([csv_cell(v) for v in row] for row in rows)

    return save_atomic(save, Path(path), when=when)


def write_table_xlsx(path: Path, title: str, subtitle: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                     *, when: dt.datetime, widths: Sequence[float] = ()) -> tuple[Path, str]:
    """Write the table as one sheet (title, subtitle, header with a filter, frozen panes); (path, note)."""
    def save(tmp: Path) -> None:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        base = {"font_name": _FONT, "font_size": 11, "valign": "top"}
        cell = book.add_format({**base, "border": 1, "text_wrap": True})
        quoted = book.add_format({**base, "border": 1, "text_wrap": True, "quote_prefix": True})
        date = book.add_format({**base, "border": 1, "num_format": "dd/mm/yyyy", "align": "center"})
        number = book.add_format({**base, "border": 1, "align": "center"})
        head = book.add_format({**base, "border": 1, "bold": True, "text_wrap": True, "align": "center",
                                "valign": "vcenter", "bg_color": "#DDEBF7"})
        ws = book.add_worksheet("Sổ mô hình, điển hình"[:31])
        ws.write_string(0, 0, safe_text(title), book.add_format({**base, "bold": True, "font_size": 13}))
        ws.write_string(1, 0, safe_text(subtitle), book.add_format({**base, "italic": True}))
        width = [widths[c] if c < len(widths) else 16.0 for c in range(len(headers))]
        for c, label in enumerate(headers):
            ws.write_string(3, c, label, head)
            ws.set_column(c, c, width[c])
        ws.set_row(3, _height(headers, width, bold=True))
        for r, row in enumerate(rows, start=4):
            ws.set_row(r, _height([_shown(v) for v in row], width))  # LibreOffice does not grow rows on opening
            for c, value in enumerate(row):
                if value is None or value == "":
                    ws.write_blank(r, c, None, cell)
                elif isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date)
                elif isinstance(value, bool):
                    ws.write_string(r, c, "Có" if value else "Không", cell)
                elif isinstance(value, int | float):
                    ws.write_number(r, c, value, number)
                else:
                    text = safe_text(value)
                    ws.write_string(r, c, text, quoted if looks_like_formula(text) else cell)
        ws.autofilter(3, 0, 3 + len(rows), max(len(headers) - 1, 0))
        ws.freeze_panes(4, 1)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(3)
        book.close()

    return save_atomic(save, Path(path), when=when)
