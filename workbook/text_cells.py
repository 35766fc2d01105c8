"""Text written with openpyxl stays text: a unit's name, a rubric's wording, a commune's place never become formulas.

openpyxl turns any ``str`` assigned to a cell that starts with "=" into a formula (``data_type`` "f"): a unit
named ``=HYPERLINK("http://…","Hội Nông dân")`` in a registry would be a live formula in that unit's template
and, uploaded by ``dvk sheets provision``, in its Google Sheet. ``put_text`` writes a string cell whatever it
starts with, drops the characters XML cannot hold (openpyxl refuses them), and gives text that looks like a
formula (=, +, -, @, a tab or a carriage return: the CSV-injection prefixes) Excel's quote prefix, so it stays
text even when a person presses F2 and Enter on it, and Google Sheets imports it as text. The XlsxWriter
side (the master, the phase reviews) does the same in ``workbook.master.safe`` and ``cells``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMULA_START", "looks_like_formula", "put_text"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """True for text a spreadsheet could take for a formula if it were typed (CSV-injection prefixes)."""
    return text.startswith(FORMULA_START)


def put_text(cell: Any, value: object) -> None:
    """Write ``value`` into an openpyxl ``cell`` as a string (None or "" leaves the cell empty)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # here: ``looks_like_formula`` needs no openpyxl

    if value is None or value == "":
        cell.value = None
        return
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell.value = text
    cell.data_type = "s"  # openpyxl made it "f" when it starts with "="
    if looks_like_formula(text):
        cell.quotePrefix = True
