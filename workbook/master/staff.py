"""Reading staff edits back from an existing master: the "<code> thẩm định" cells and "Ghi chú của hội đồng".

Columns are found by header name (they move when the rubric changes) and rows by "Mã đơn vị" (staff may
sort). Numbers typed as Vietnamese text ("2,5") are accepted; anything else — text, a value outside 0 … the
criterion's maximum — becomes an Issue and is not applied, but is kept so the next master writes it back as
typed. A penalty may be typed as a negative number: its size is what counts. Cells are read as typed, not as
computed: a formula typed into a staff cell (``=2+3``) is kept as its text and reported, never silently lost.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from schemas import Criterion, Issue, Rubric, Severity, WorkbookError
from schemas.text import clean_text, fold
from schemas.values import ValueProblem, is_blank, parse_number

from .data import StaffCell, StaffEdits, UnitStaffEdits
from .sheets_scores import DETAIL_SHEET, NOTE_HEADER, appraisal_header

__all__ = ["appraisal_issue", "check_appraisal", "read_staff_edits"]

_HEADER_SCAN = 30
RawStaff = str | float | int


def check_appraisal(criterion: Criterion, raw: object) -> tuple[Decimal | None, str | None]:
    """(the appraisal value, None) for a valid typed value, or (None, problem slug)."""
    if isinstance(raw, bool | dt.date | dt.time):
        return None, "appraisal-not-a-number"
    try:
        value = parse_number(raw)  # type: ignore[arg-type]
    except ValueProblem:
        return None, "appraisal-not-a-number"
    if criterion.is_penalty:
        value = abs(value)
    if not Decimal(0) <= value <= criterion.max_points:
        return None, "appraisal-out-of-range"
    return value, None


def appraisal_issue(criterion: Criterion, raw: object, slug: str, unit_code: str, cell: str) -> Issue:
    """The Issue for an invalid appraisal cell (sheet "Chi tiết tiêu chí")."""
    top = criterion.max_points
    what = "số điểm bị trừ" if criterion.is_penalty else "điểm thẩm định"
    if slug == "appraisal-out-of-range":
        problem = f"{raw} nằm ngoài khoảng 0 đến {top} điểm của tiêu chí"
    else:
        problem = f"“{raw}” không phải là số điểm"
    return Issue(
        code=slug,
        severity=Severity.ERROR,
        message=(
            f"{criterion.code} thẩm định của đơn vị {unit_code}: {problem}, nên chưa được tính (đang giữ điểm tự "
            f"chấm). Hãy nhập {what} từ 0 đến {top}, ví dụ 2,5; để trống nếu giữ điểm tự chấm."
        ),
        sheet=DETAIL_SHEET,
        cell=cell,
        criterion=criterion.code,
        value=str(raw),
    )


def _raw(value: object) -> RawStaff | None:
    if value is None or (isinstance(value, str) and is_blank(value)):
        return None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return value
    return str(value)


def read_staff_edits(path: Path, rubric: Rubric) -> StaffEdits:
    """Every appraisal value and council note of the master at ``path`` (empty when there is no master)."""
    path = Path(path)
    if not path.exists():
        return StaffEdits()
    try:
        wb = load_workbook(path, read_only=True, data_only=False)  # formulas as typed: never lost
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as err:
        raise WorkbookError(
            f"Không đọc được tệp tổng hợp {path.name} để lấy điểm thẩm định đã nhập: {err}. "
            "Hãy kiểm tra tệp (có thể đã hỏng) hoặc đổi tên nó rồi chạy lại.",
            path=str(path),
        ) from err
    try:
        if DETAIL_SHEET not in wb.sheetnames:
            return StaffEdits()
        rows = wb[DETAIL_SHEET].iter_rows(values_only=True)
        header_row, columns = 0, {}
        for n, values in enumerate(rows, start=1):
            labels = {fold(clean_text(str(v))): i for i, v in enumerate(values) if isinstance(v, str)}
            if fold("Mã đơn vị") in labels:
                header_row, columns = n, labels
                break
            if n >= _HEADER_SCAN:
                break
        if not header_row:
            return StaffEdits()
        code_col = columns[fold("Mã đơn vị")]
        crit_cols = {
            c.code: columns[fold(appraisal_header(c.code))]
            for c in rubric.criteria
            if fold(appraisal_header(c.code)) in columns
        }
        note_col = columns.get(fold(NOTE_HEADER))
        units: dict[str, UnitStaffEdits] = {}
        issues: list[Issue] = []
        for n, values in enumerate(rows, start=header_row + 1):
            def at(i: int, values: tuple[object, ...] = values) -> object:
                return values[i] if i < len(values) else None

            code_value = at(code_col)
            if code_value is None or not str(code_value).strip():
                continue
            code = clean_text(str(code_value)).upper()
            if code in units:
                issues.append(
                    Issue(
                        code="duplicate-unit-row", severity=Severity.WARNING, sheet=DETAIL_SHEET,
                        cell=f"{get_column_letter(code_col + 1)}{n}", value=code,
                        message=f"Mã đơn vị {code} xuất hiện nhiều lần trong trang “{DETAIL_SHEET}”; "
                        "dvk chỉ lấy dòng đầu tiên. Hãy xóa dòng trùng.",
                    )
                )
                continue
            cells: dict[str, StaffCell] = {}
            for criterion_code, i in crit_cols.items():
                raw = _raw(at(i))
                if raw is None:
                    cells[criterion_code] = StaffCell(None, None)
                    continue
                criterion = rubric.criterion(criterion_code)
                value, slug = check_appraisal(criterion, raw)
                if slug is not None:
                    issues.append(appraisal_issue(criterion, raw, slug, code, f"{get_column_letter(i + 1)}{n}"))
                cells[criterion_code] = StaffCell(raw, value)
            note = None
            if note_col is not None:
                note_value = at(note_col)
                note = "" if note_value is None else str(note_value).strip()
            units[code] = UnitStaffEdits(values=cells, note=note)
        return StaffEdits(
            units=units, issues=tuple(issues), criteria=frozenset(crit_cols), has_note=note_col is not None
        )
    finally:
        wb.close()
