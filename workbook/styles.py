"""Shared cell styles of dvk workbooks: fonts, fills, borders, and sheet print/protection helpers."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "BODY",
    "BOLD",
    "BORDER",
    "CENTER",
    "HEADER_FILL",
    "INPUT_FILL",
    "LOCKED",
    "MUTED_FILL",
    "NOTE",
    "OUTPUT_FILL",
    "SUBTITLE",
    "TITLE",
    "UNLOCKED",
    "WRAP",
    "estimate_lines",
    "print_setup",
    "protect",
]

FONT_NAME = "Times New Roman"  # a Unicode font every office suite has; Vietnamese government documents use it
TITLE = Font(name=FONT_NAME, size=14, bold=True)
SUBTITLE = Font(name=FONT_NAME, size=12, bold=True)
BODY = Font(name=FONT_NAME, size=12)
BOLD = Font(name=FONT_NAME, size=12, bold=True)
NOTE = Font(name=FONT_NAME, size=11, italic=True, color="595959")

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: the unit types here
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
OUTPUT_FILL = PatternFill("solid", fgColor="E2EFDA")  # light green: computed by a formula
MUTED_FILL = PatternFill("solid", fgColor="EDEDED")  # grey: nothing to type in this slot

_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)


def estimate_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapped column ``width`` characters wide (a generous estimate)."""
    per_line = max(int(width * 0.95), 1)
    return sum(max(1, -(-len(part) // per_line)) for part in str(text).split("\n"))


def print_setup(ws: Worksheet, *, landscape: bool, title_rows: str | None = None) -> None:
    """A4, fit to one page wide, repeated header rows, narrow margins, centred horizontally."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5, header=0.25, footer=0.25)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Trang &P / &N"
    if title_rows:
        ws.print_title_rows = title_rows


def protect(ws: Worksheet) -> None:
    """Protect the sheet without a password; unlocked (input) cells stay editable, columns and rows resizable."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.formatCells = True
    p.insertRows = True
    p.deleteRows = True
    p.insertColumns = True
    p.deleteColumns = True
    p.selectLockedCells = False
    p.selectUnlockedCells = False
