"""The reader: a filled .xlsx/.xlsm → Grid → validation → Submission and Issues with sheet and cell.

``read_grid`` checks the file before opening it (``preflight``: .xls, CSV renamed, password, zip bomb,
absurd dimension, XML entities), then reads only the Layout's ranges with openpyxl in read-only mode: it
stops after the last row it needs, so a sheet with a million rows below the table costs nothing. It
reports what only a file shows: formulas and merged cells in input cells, text typed in the legacy TCVN3
(``.Vn*`` fonts) or VNI (``VNI-*``) encodings (converted to Unicode), renamed or deleted sheets.
``validate_grid`` adds the structure checks and the core's validation; the Google source calls it too.

Measured on the template (7 sheets, ~30 KB): preflight ≈ 4 ms, read-only load of the five ranges ≈ 30 ms;
a full (non-read-only) load is no faster on such files and reads every row of every sheet, so read-only
it is. Merged ranges, which read-only mode does not parse, come from a byte scan of the sheet part.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

from schemas.errors import WorkbookError
from schemas.models import Issue, Severity, Submission, Unit
from schemas.rubric import Rubric
from schemas.validate import Validated, validate, without_invalid
from schemas.values import ValueProblem, parse_number, vn_decimal

from .grid import CellKey, Grid, check_structure, to_raw_submission
from .layout import META_VERSION, Layout, a1, build_layout
from .legacy_text import looks_legacy, to_unicode_for_font
from .preflight import preflight

__all__ = ["ReadResult", "read_grid", "read_workbook", "validate_grid"]

_MERGE_RE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")


@dataclass(frozen=True)
class ReadResult:
    """One file read: its Grid, the validation (Submission or None) and every Issue (reader's and core's)."""

    path: Path
    grid: Grid
    validated: Validated
    issues: tuple[Issue, ...]

    @property
    def submission(self) -> Submission | None:
        return self.validated.submission

    @property
    def ok(self) -> bool:
        return self.validated.ok


@dataclass
class _Cell:
    value: Any
    font: str | None
    formula: str | None


def _issue(code: str, severity: Severity, message: str, sheet: str | None = None, cell: str | None = None,
           value: Any = None, criterion: str | None = None) -> Issue:
    return Issue(code=code, severity=severity, message=message, sheet=sheet, cell=cell, value=value, criterion=criterion)


def _open_error(path: Path, err: Exception) -> WorkbookError:
    return WorkbookError(
        f"Không mở được tệp “{path.name}” như một sổ Excel: tệp hỏng hoặc đang được ghi dở ({type(err).__name__}). "
        "Nếu tệp vừa được lưu, dvk sẽ đọc lại ở lượt sau; nếu không, hãy mở tệp bằng Excel hoặc LibreOffice, "
        "lưu lại thành .xlsx rồi gửi lại.",
        path=str(path),
    )


def _scan(ws: Any, box: tuple[str, str]) -> dict[str, _Cell]:
    min_col, min_row, max_col, max_row = range_boundaries(f"{box[0]}:{box[1]}")
    out: dict[str, _Cell] = {}
    for r, row in enumerate(ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col)):
        for c, cell in enumerate(row):
            value = getattr(cell, "value", None)
            if value is None:
                continue
            formula = None
            if isinstance(value, ArrayFormula):
                formula, value = value.text or "=", None
            elif getattr(cell, "data_type", None) == "f" and isinstance(value, str):
                formula, value = value, None
            font = cell.font.name if getattr(cell, "has_style", False) else None
            out[a1(min_col + c, min_row + r)] = _Cell(value, font, formula)
    return out


def _merged(path: Path, part: str | None) -> list[str]:
    """The merged ranges of a sheet part, by a byte scan (read-only openpyxl does not parse them)."""
    if not part:
        return []
    found: list[str] = []
    tail = b""
    with zipfile.ZipFile(path) as archive, archive.open(part.lstrip("/")) as fh:
        while chunk := fh.read(1 << 16):
            data = tail + chunk
            found.extend(m.decode() for m in _MERGE_RE.findall(data))
            tail = data[-512:]  # a tag cut between two chunks is found whole in the next; repeats are dropped
    return list(dict.fromkeys(found))


def read_grid(path: Path, layout: Layout) -> tuple[Grid, list[Issue]]:
    """Read the Layout's ranges of a workbook into a Grid, with the issues only the file can show."""
    path = Path(path)
    preflight(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as err:  # openpyxl raises many kinds on a damaged file; all mean "cannot open"
        raise _open_error(path, err) from err
    issues: list[Issue] = []
    cells: dict[CellKey, _Cell] = {}
    parts: dict[str, str | None] = {}
    try:
        present = list(wb.sheetnames)
        boxes = layout.boxes()
        for sheet, box in boxes.items():
            if sheet not in present:
                others = ", ".join(f"“{s}”" for s in present if s not in layout.sheets)
                issues.append(_issue(
                    "sheet-missing", Severity.ERROR,
                    f"Không tìm thấy trang “{sheet}” trong tệp “{path.name}”"
                    + (f" (tệp có các trang khác: {others})" if others else "")
                    + f". Hãy đặt lại đúng tên trang “{sheet}” hoặc dùng lại mẫu phiếu gốc.",
                    sheet=sheet,
                ))
                continue
            ws = wb[sheet]
            parts[sheet] = getattr(ws, "_worksheet_path", None)
            for ref, cell in _scan(ws, box).items():
                cells[(sheet, ref)] = cell
    except Exception as err:
        raise _open_error(path, err) from err
    finally:
        wb.close()
    formulas = {key for key, cell in cells.items() if cell.formula is not None}
    if formulas:
        try:
            _cached_values(path, layout, cells, formulas)
        except Exception as err:  # the file changed between the two reads (still being saved): this file's error
            raise _open_error(path, err) from err
    inputs = layout.input_labels
    values: dict[CellKey, Any] = {}
    for key, cell in cells.items():
        value = cell.value
        if isinstance(value, str) and key in inputs:
            value = _legacy(key, value, cell.font, inputs[key], issues)
        values[key] = value
    criteria = {(i.sheet, i.cell): i.criterion for i in layout.inputs}
    for key in sorted(formulas, key=_order(layout)):
        if key in inputs:
            used = (
                "tệp không lưu sẵn kết quả của công thức (thường do lưu bằng chương trình không tính công thức), nên "
                "dvk coi ô này là chưa nhập" if values.get(key) is None else f"dvk dùng giá trị nó tính ra ({values[key]})"
            )
            issues.append(_issue(
                "formula-in-input", Severity.WARNING,
                f"Ô {key[1]} (“{inputs[key]}”) chứa công thức {cells[key].formula}; {used}. "
                "Hãy nhập trực tiếp giá trị, không dùng công thức.",
                sheet=key[0], cell=key[1], value=cells[key].formula, criterion=criteria.get(key),
            ))
    try:
        issues.extend(_merge_issues(path, layout, parts, inputs))
    except Exception as err:  # the file changed while it was read
        raise _open_error(path, err) from err
    return Grid.from_cells(layout, values), issues


def _order(layout: Layout) -> Any:
    sheets = {s: i for i, s in enumerate(layout.sheets)}

    def key(k: CellKey) -> tuple[int, int, int]:
        col, row, _, _ = range_boundaries(k[1])
        return (sheets.get(k[0], 99), row or 0, col or 0)

    return key


def _cached_values(path: Path, layout: Layout, cells: dict[CellKey, _Cell], formulas: set[CellKey]) -> None:
    """The values a spreadsheet computed for the formula cells (what the unit saw, and what Sheets returns)."""
    wb = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        for sheet, box in layout.boxes().items():
            if sheet not in wb.sheetnames or not any(k[0] == sheet for k in formulas):
                continue
            scanned = _scan(wb[sheet], box)
            for key in formulas:
                if key[0] == sheet:
                    got = scanned.get(key[1])
                    cells[key].value = got.value if got else None
    finally:
        wb.close()


def _legacy(key: CellKey, value: str, font: str | None, label: str, issues: list[Issue]) -> str:
    converted = to_unicode_for_font(value, font)
    if converted is not None and converted != value:
        issues.append(_issue(
            "legacy-encoding-converted", Severity.WARNING,
            f"Ô {key[1]} (“{label}”) được gõ bằng phông cũ {font} (bảng mã TCVN3/VNI); dvk đã chuyển sang Unicode "
            f"thành “{converted}”. Hãy kiểm tra lại và dùng phông Unicode (Times New Roman) với bộ gõ Unicode.",
            sheet=key[0], cell=key[1], value=value,
        ))
        return converted
    if converted is None and looks_legacy(value):
        issues.append(_issue(
            "legacy-encoding-suspected", Severity.WARNING,
            f"Ô {key[1]} (“{label}”): “{value}” có vẻ là chữ gõ theo bảng mã cũ TCVN3/VNI nhưng ô không dùng phông "
            "tương ứng nên dvk không chuyển được. Nếu chữ hiển thị sai, hãy gõ lại bằng bộ gõ Unicode.",
            sheet=key[0], cell=key[1], value=value,
        ))
    return value


def _merge_issues(path: Path, layout: Layout, parts: Mapping[str, str | None], inputs: Mapping[CellKey, str]) -> list[Issue]:
    issues: list[Issue] = []
    for sheet, part in parts.items():
        try:
            ranges = _merged(path, part)
        except (KeyError, OSError, zipfile.BadZipFile):
            continue
        for ref in ranges:
            if ":" not in ref:
                continue
            min_col, min_row, max_col, max_row = range_boundaries(ref)
            hit = [
                a1(c, r) for r in range(min_row or 1, (max_row or 1) + 1) for c in range(min_col or 1, (max_col or 1) + 1)
                if (sheet, a1(c, r)) in inputs
            ]
            if hit:
                issues.append(_issue(
                    "merged-input-cell", Severity.ERROR,
                    f"Trang “{sheet}”: các ô {ref} đã bị gộp (Merge) nên dvk chỉ đọc được ô đầu. Hãy bỏ gộp ô "
                    "(Unmerge) và nhập mỗi giá trị vào đúng ô của nó.",
                    sheet=sheet, cell=hit[0], value=ref,
                ))
    return issues


def validate_grid(
    layout: Layout,
    grid: Mapping[CellKey, Any],
    rubric: Rubric,
    registry: Mapping[str, Unit] | None = None,
    extra_issues: Iterable[Issue] = (),
) -> Validated:
    """Validate a Grid like a file: template version, structure checks, then the core's validation.

    ``extra_issues`` (the reader's or a source's own findings) come first; a "sheet-missing" issue among them
    silences the checks of that sheet. A workbook of another template version is not validated further.
    """
    extra = list(extra_issues)
    missing = frozenset(i.sheet for i in extra if i.code == "sheet-missing" and i.sheet)
    meta = layout.input(META_VERSION)
    issues = list(extra)
    if meta.sheet not in missing:
        seen = grid.get((meta.sheet, meta.cell))
        shown = "" if seen is None else str(seen).strip()
        blank = not shown
        if not blank and not layout.is_current(shown):
            issues.append(_issue(
                "template-version-mismatch", Severity.ERROR,
                f"Phiếu này làm theo mẫu “{shown}”, khác mẫu đang dùng “{layout.template_version}”. Hãy "
                "chép số liệu sang mẫu phiếu mới (lệnh dvk template) rồi gửi lại.",
                sheet=meta.sheet, cell=meta.cell, value=seen,
            ))
            return Validated(None, tuple(issues))
        if blank:
            issues.append(_issue(
                "template-version-missing", Severity.WARNING,
                f"Ô {meta.cell} của trang “{meta.sheet}” không ghi phiên bản mẫu phiếu; dvk đọc theo mẫu "
                f"“{layout.template_version}”. Nên dùng mẫu phiếu gốc do xã phát hành.",
                sheet=meta.sheet, cell=meta.cell, value=seen,
            ))
    issues.extend(check_structure(layout, grid, skip_sheets=missing))
    issues.extend(_numbers_as_text(layout, grid, missing))
    core = validate(rubric, to_raw_submission(layout, grid), registry=registry)
    issues.extend(i for i in core.issues if i.sheet not in missing)
    # a criterion in error scores 0, whichever check found the error
    counted = without_invalid(rubric, core.submission, issues) if core.submission is not None else None
    return Validated(counted, tuple(issues))


def _numbers_as_text(layout: Layout, grid: Mapping[CellKey, Any], missing: frozenset[str]) -> list[Issue]:
    """Numbers stored as text ("85,5" typed in a sheet whose locale uses a decimal point, "'12"): the sheet's
    own formulas count them as 0, so for a criterion this is an error and dvk counts the criterion 0 too until
    the unit retypes it (the sheet the unit signs and dvk never disagree); elsewhere (the year) a warning."""
    issues: list[Issue] = []
    for item in layout.inputs:
        if item.type not in ("number", "integer") or item.sheet in missing:
            continue
        value = grid.get((item.sheet, item.cell))
        if not isinstance(value, str) or not value.strip():
            continue
        try:
            number = parse_number(value)
        except ValueProblem:
            continue
        counted = (f"công thức tính điểm trong phiếu coi là 0 nên dvk cũng chưa tính tiêu chí {item.criterion}"
                   if item.criterion else "công thức trong phiếu không coi là số")
        issues.append(_issue(
            "number-as-text", Severity.ERROR if item.criterion else Severity.WARNING,
            f"Ô {item.cell} (“{item.criterion + ' – ' if item.criterion else ''}{item.label}”): “{value.strip()}” được "
            f"lưu dạng chữ (đọc được là {vn_decimal(number)}) nhưng {counted}. Hãy xóa ô và gõ lại "
            "con số (không có dấu ' ở đầu, không kèm chữ; dấu thập phân theo cài đặt của máy, ví dụ 95,5 hoặc 95.5).",
            sheet=item.sheet, cell=item.cell, value=value, criterion=item.criterion,
        ))
    return issues


def read_workbook(path: Path, rubric: Rubric, *, registry: Mapping[str, Unit] | None = None) -> ReadResult:
    """Read and validate one filled workbook. File-level problems raise ``WorkbookError`` (Vietnamese)."""
    layout = build_layout(rubric)
    grid, issues = read_grid(Path(path), layout)
    validated = validate_grid(layout, grid, rubric, registry, issues)
    return ReadResult(path=Path(path), grid=grid, validated=validated, issues=validated.issues)

