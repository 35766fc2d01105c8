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
        head = book.add_format({**base, "border": 1, "bold": True, "text_wrap": True, "align": "center",
                                "valign": "vcenter", "bg_color": "#DDEBF7"})
        ws = book.add_worksheet("Sổ mô hình, điển hình"[:31])
        ws.write_string(0, 0, safe_text(title), book.add_format({**base, "bold": True, "font_size": 13}))
        ws.write_string(1, 0, safe_text(subtitle), book.add_format({**base, "italic": True}))
        for c, label in enumerate(headers):
            ws.write_string(3, c, label, head)
            ws.set_column(c, c, widths[c] if c < len(widths) else 16)
        for r, row in enumerate(rows, start=4):
            for c, value in enumerate(row):
                if value is None or value == "":
                    ws.write_blank(r, c, None, cell)
                elif isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date)
                elif isinstance(value, bool):
                    ws.write_string(r, c, "Có" if value else "Không", cell)
                elif isinstance(value, int | float):
                    ws.write_number(r, c, value, cell)
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
