"""Reading staff edits back from an existing master: the "<code> thẩm định" cells and "Ghi chú của hội đồng".

Columns are found by header name (they move when the rubric changes) and rows by "Mã đơn vị" (staff may
sort). Numbers typed as Vietnamese text ("2,5") are accepted; anything else — text, a value outside 0 … the
criterion's maximum — becomes an Issue and is not applied, but is kept so the next master writes it back as
typed. A penalty may be typed as a negative number: its size is what counts. Cells are read as typed, not as
computed: a formula typed into a staff cell (``=2+3``) is kept as its text and reported, never silently lost.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from schemas import Criterion, Issue, Rubric, Severity, WorkbookError
from schemas.text import canonical_code, clean_text, fold
from schemas.values import ValueProblem, is_blank, parse_number

from ..preflight import preflight
from .data import StaffCell, StaffEdits, UnitStaffEdits
from .sheets_scores import DETAIL_SHEET, HELPERS, NOTE_HEADER, appraisal_header, self_header
from .written import STAMP_PROPERTY

__all__ = ["DETAIL_FIXED_HEADERS", "appraisal_issue", "check_appraisal", "master_year", "read_staff_edits"]

_HEADER_SCAN = 30
_MAX_ROWS = 20_000  # data rows of "Chi tiết tiêu chí" read back (a province has a few hundred units)
#: Headers of "Chi tiết tiêu chí" that dvk writes besides "<code> tự chấm"/"<code> thẩm định", the note and the
#: rubric's field names. A column with another header was inserted by a person: its content is not carried
#: into the rebuilt master, so the old file is kept. The master writer adds any new column of its own here.
DETAIL_FIXED_HEADERS: tuple[str, ...] = (
    "Mã đơn vị", "Tên đơn vị", "Điểm thưởng", "Điểm trừ", "Tổng điểm", "Xếp loại", "Tạm tính", "Đủ điều kiện",
    "Cần xem lại", "Lý do", "Xếp hạng", *HELPERS,
)
_YEAR_RE = re.compile(r"(?:NĂM|năm|Năm|khéo)\s+(20\d\d)\b")
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
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.strftime("%d/%m/%Y")  # a date typed into an appraisal cell: kept as the date it shows
    if isinstance(value, dt.date | dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if isinstance(value, dt.datetime) else value.strftime("%d/%m/%Y")
    return str(value)


def master_year(wb: object) -> int | None:
    """The year of a dvk master: from its document title ("Dân vận khéo 2026 – …"), else the title row of
    "Chi tiết tiêu chí" ("… NĂM 2026")."""
    title = getattr(getattr(wb, "properties", None), "title", None) or ""
    found = _YEAR_RE.search(str(title))
    if found:
        return int(found[1])
    sheetnames = getattr(wb, "sheetnames", [])
    if DETAIL_SHEET in sheetnames:
        for values in wb[DETAIL_SHEET].iter_rows(max_row=_HEADER_SCAN, values_only=True):  # type: ignore[index]
            for v in values:
                if isinstance(v, str) and (found := _YEAR_RE.search(v)):
                    return int(found[1])
    return None


def _stamp(wb: object) -> str | None:
    """The write id dvk put in the file's custom properties, if it is there (a person may delete it)."""
    for prop in getattr(wb, "custom_doc_props", None) or ():
        if getattr(prop, "name", None) == STAMP_PROPERTY:
            value = getattr(prop, "value", None)
            text = str(value).strip() if value is not None else ""
            return text or None
    return None


def _refuse(path: Path, what: str) -> WorkbookError:
    return WorkbookError(
        f"Tệp tổng hợp {path.name}: {what}, nên dvk không đọc lại được điểm thẩm định đã nhập. dvk không ghi đè "
        "tệp này (để không mất dữ liệu). Hãy đặt lại đúng tên như dvk đã ghi, hoặc đổi tên/chuyển tệp đi rồi chạy "
        "lại để dvk lập tệp mới.",
        path=str(path),
    )


def read_staff_edits(path: Path, rubric: Rubric) -> StaffEdits:
    """Every appraisal value and council note of the master at ``path`` (empty when there is no master)."""
    path = Path(path)
    if not path.exists():
        return StaffEdits()
    try:  # a master is a workbook like any other: bombs, huge or fake files are refused before opening
        preflight(path, max_uncompressed=200 * 2**20, max_cells=20_000_000, max_shared_strings=1_000_000,
                  max_shared_bytes=128 * 2**20)  # a master of thousands of units: its own, larger limits
    except WorkbookError as err:
        raise WorkbookError(
            f"Không đọc được tệp tổng hợp {path.name} để lấy điểm thẩm định đã nhập: {err} dvk không ghi đè tệp "
            "này; hãy kiểm tra tệp hoặc đổi tên nó rồi chạy lại.",
            path=str(path),
        ) from err
    try:
        wb = load_workbook(path, read_only=True, data_only=False)  # formulas as typed: never lost
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as err:
        raise WorkbookError(
            f"Không đọc được tệp tổng hợp {path.name} để lấy điểm thẩm định đã nhập: {err}. "
            "Hãy kiểm tra tệp (có thể đã hỏng) hoặc đổi tên nó rồi chạy lại.",
            path=str(path),
        ) from err
    try:
        year = master_year(wb)
        stamp = _stamp(wb)
        if DETAIL_SHEET not in wb.sheetnames:
            others = ", ".join(f"“{n}”" for n in wb.sheetnames[:6])
            raise _refuse(path, f"không có trang “{DETAIL_SHEET}” (tệp có: {others})")
        rows = wb[DETAIL_SHEET].iter_rows(values_only=True)
        header_row, columns = 0, {}
        headers: tuple[object, ...] = ()
        for n, values in enumerate(rows, start=1):
            labels = {fold(clean_text(str(v))): i for i, v in enumerate(values) if isinstance(v, str)}
            if fold("Mã đơn vị") in labels:
                header_row, columns, headers = n, labels, values
                break
            if n >= _HEADER_SCAN:
                break
        if not header_row:
            raise _refuse(path, f"trang “{DETAIL_SHEET}” không có cột “Mã đơn vị” ở dòng tiêu đề")
        renamed = [
            appraisal_header(c.code) for c in rubric.criteria
            if fold(self_header(c.code)) in columns and fold(appraisal_header(c.code)) not in columns
        ]
        if renamed:
            raise _refuse(path, "trang “" + DETAIL_SHEET + "” thiếu cột " + ", ".join(f"“{h}”" for h in renamed)
                          + " (tiêu đề cột đã bị sửa?)")
        known = {fold(h) for h in DETAIL_FIXED_HEADERS} | {fold(NOTE_HEADER)} | {fold(f) for f in rubric.fields}
        known |= {fold(self_header(c.code)) for c in rubric.criteria} | {fold(appraisal_header(c.code)) for c in rubric.criteria}
        foreign = {
            i: clean_text(str(h)) if h is not None else get_column_letter(i + 1)
            for i, h in enumerate(headers) if h is None or fold(clean_text(str(h))) not in known
        }
        filled: dict[int, int] = {}
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
            if n - header_row > _MAX_ROWS:
                raise _refuse(path, f"trang “{DETAIL_SHEET}” có hơn {_MAX_ROWS} dòng (xã chỉ có vài chục đơn vị)")

            def at(i: int, values: tuple[object, ...] = values) -> object:
                return values[i] if i < len(values) else None

            for i in foreign:
                if not (at(i) is None or (isinstance(at(i), str) and is_blank(str(at(i))))):
                    filled[i] = filled.get(i, 0) + 1
            code_value = at(code_col)
            if code_value is None or not str(code_value).strip():
                continue
            code = canonical_code(code_value)
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
            units[code] = UnitStaffEdits(values=cells, note=note, row=n)
        return StaffEdits(
            units=units, issues=tuple(issues), criteria=frozenset(crit_cols), has_note=note_col is not None,
            year=year, unkept=tuple((foreign[i], k) for i, k in sorted(filled.items())), stamp=stamp,
        )
    finally:
        wb.close()
