"""A macro-enabled copy of the master beside it ("tong-hop-2026.xlsm"): dvk never reads it, so say what it holds.

The master is always .xlsx. A clerk who saved it as .xlsm (as an older guide for the Excel functions said) and
typed appraisals there would see them vanish from every rebuild, silently (new-commune review, defect 8).
``unread_macro_copies`` reads the staff columns of each such copy and names the appraisal values and notes
that differ from what dvk read from the master itself, with what to do; a copy that holds nothing new is not
mentioned.
"""

from __future__ import annotations

import glob
from decimal import Decimal
from pathlib import Path

from schemas.errors import WorkbookError
from schemas.rubric import Rubric

from .data import StaffCell, UnitStaffEdits
from .staff import read_staff_edits

__all__ = ["macro_copies", "unread_macro_copies"]

_SHOWN = 6  # values named in the message; the rest are counted


def macro_copies(master: Path) -> list[Path]:
    """The .xlsm files beside ``master`` whose name starts with the master's ("… (ban moi).xlsm" too)."""
    folder = master.parent
    if not folder.is_dir():
        return []
    pattern = glob.escape(master.stem) + "*"
    return sorted(p for p in folder.glob(pattern) if p.suffix.lower() == ".xlsm" and p.is_file())


def _same(a: StaffCell | None, b: StaffCell | None) -> bool:
    raw_a = a.raw if a is not None else None
    raw_b = b.raw if b is not None else None
    if raw_a is None or raw_b is None:
        return raw_a is None and raw_b is None
    if a is not None and b is not None and a.value is not None and b.value is not None:
        return Decimal(a.value) == Decimal(b.value)
    return str(raw_a).strip() == str(raw_b).strip()


def _show(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).replace(".", ",") if isinstance(raw, float) else str(raw)


def unread_macro_copies(master: Path, rubric: Rubric, *, year: int | None = None) -> list[str]:
    """Vietnamese notices for the .xlsm copies beside ``master`` holding appraisals or notes that the master
    itself does not hold (its staff cells as they are in the file; read only when such a copy exists)."""
    out: list[str] = []
    copies = macro_copies(master)
    if not copies:
        return out
    mine: dict[str, UnitStaffEdits] = {}
    if master.is_file():
        try:
            mine = dict(read_staff_edits(master, rubric).units)
        except WorkbookError:
            mine = {}
    for copy in copies:
        try:
            edits = read_staff_edits(copy, rubric)
        except WorkbookError:
            out.append(
                f"Cạnh tệp tổng hợp có tệp “{copy.name}” (dạng .xlsm, có macro). dvk chỉ đọc tệp .xlsx nên không đọc "
                f"tệp này: điểm thẩm định gõ vào đó không được lưu. Hãy nhập điểm vào “{master.name}”; các hàm Excel "
                "của dvk đặt trong sổ riêng dvk-ham.xlsm (xem dvk addin classic)."
            )
            continue
        if year is not None and edits.year is not None and edits.year != year:
            continue  # a copy of another year's master: not this master's business
        typed: list[str] = []
        notes = 0
        for code, unit in edits.units.items():
            theirs = mine.get(code)
            for criterion, cell in unit.values.items():
                if cell.raw is None:
                    continue
                if not _same(cell, theirs.values.get(criterion) if theirs is not None else None):
                    typed.append(f"{code} {criterion}={_show(cell.raw)}")
            if unit.note and (theirs is None or (theirs.note or "").strip() != unit.note.strip()):
                notes += 1
        if not typed and not notes:
            continue
        shown = ", ".join(typed[:_SHOWN]) + (f" và {len(typed) - _SHOWN} ô khác" if len(typed) > _SHOWN else "")
        parts = []
        if typed:
            parts.append(f"{len(typed)} điểm thẩm định ({shown})")
        if notes:
            parts.append(f"{notes} ghi chú")
        out.append(
            f"Tệp “{copy.name}” cạnh tệp tổng hợp có {' và '.join(parts)} không có trong “{master.name}”. dvk chỉ đọc "
            f"tệp .xlsx nên chưa lưu các giá trị này. Hãy đóng bản .xlsm, gõ lại chúng vào “{master.name}” rồi chạy "
            "lại dvk report; sau đó đổi tên hoặc xóa bản .xlsm. Các hàm Excel của dvk đặt trong sổ riêng "
            "dvk-ham.xlsm (xem dvk addin classic), không lưu tệp tổng hợp thành .xlsm."
        )
    return out
