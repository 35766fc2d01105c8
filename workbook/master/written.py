"""What dvk wrote into the staff cells of a master: the baseline that tells a staff edit from dvk's own output.

Every master (and every "(ban moi)" copy) dvk writes carries a write id in a custom document property
(``STAMP_PROPERTY``; Excel and LibreOffice keep custom properties when they save). The caller records, under
that id, what the file's staff cells hold (``written_cells``). When the file is read back, a cell is a staff
edit exactly when it differs from what dvk wrote there (``cell_token`` against the recorded token): a cleared
cell is an edit (kept), a cell left as dvk wrote it is not — whatever the file's modification time says.

Cells are compared as tokens: ``None`` for an empty cell, ``"=<number>"`` for a valid appraisal (the number
as Excel stores it, a float), ``"?<text>"`` for an invalid value kept as typed; a unit's note under ``NOTE``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from schemas.text import nfc

from .data import StaffCell, UnitResult
from .safe import safe_text

__all__ = ["NOTE", "STAMP_PROPERTY", "Written", "cell_token", "note_token", "value_token", "written_cells"]

#: The custom document property holding the write id (shown in Excel under File › Info › Properties › Custom).
STAMP_PROPERTY = "Mã lần ghi dvk (đừng sửa)"
#: The key of a unit's council note among its cell tokens (criterion codes never start with "#").
NOTE = "#"
#: unit code → criterion code (or ``NOTE``) → token; empty cells are left out.
Written = Mapping[str, Mapping[str, str]]


def value_token(value: Decimal) -> str:
    """A valid appraisal as the master stores it: a float (so 2.35 typed and 2.35 read back are equal)."""
    number = Decimal(repr(float(value)))
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "=" + ("0" if text in ("-0", "") else text)


def cell_token(cell: StaffCell) -> str | None:
    """The token of a staff cell read from a master."""
    if cell.raw is None:
        return None
    if cell.value is not None:
        return value_token(cell.value)
    return "?" + safe_text(str(cell.raw))


def note_token(note: str | None) -> str | None:
    """The token of a council note (``None`` for an empty note)."""
    text = nfc(safe_text(note or "")).strip()
    return text or None


def written_cells(results: Iterable[UnitResult]) -> dict[str, dict[str, str]]:
    """The staff cells of a master as the writer fills them from ``results`` (only the cells not left empty)."""
    out: dict[str, dict[str, str]] = {}
    for res in results:
        cells: dict[str, str] = {}
        for code, value in res.appraisal.items():
            if code not in res.invalid:
                cells[code] = value_token(value)
        for code, raw in res.invalid.items():
            cells[code] = "?" + safe_text(str(raw))
        if (note := note_token(res.note)) is not None:
            cells[NOTE] = note
        if cells:
            out[res.code] = cells
    return out
