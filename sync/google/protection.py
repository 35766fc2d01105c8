"""Drop-downs and protection of a unit's Google Sheet, set through the Sheets API from the layout.

Google's importer is not relied on: what it keeps of an .xlsx's list validations and sheet protection is
not documented (list validations pointing at another sheet are reported dropped). After the upload, one
``spreadsheets.batchUpdate`` sets

- every drop-down of the template (the 19 of the default rubric: levels on "Thông tin đơn vị" and "Chấm điểm",
  the list columns of the three tables) as ``setDataValidation`` with a ``ONE_OF_LIST`` condition holding the
  layout's choices (strict, shown as a drop-down). ``ONE_OF_LIST`` rather than ``ONE_OF_RANGE``: the list
  then does not depend on the hidden "Danh mục" tab surviving the conversion or staying intact;
- a protected range per tab (``addProtectedRange`` of the whole sheet, the commune account as its editor)
  whose ``unprotectedRanges`` are exactly the input cells the template unlocks (every input but the template
  version, every row of the tables). Google allows ``unprotectedRanges`` only on a protected whole sheet.

Each protected range dvk adds carries an id of dvk's (:func:`range_id`): repeating a batch that was applied is
refused whole (the id exists) instead of protecting twice. :func:`inspect` compares what a spreadsheet holds
(``spreadsheets.get``) with the layout, cell by cell, for ``dvk sheets check``; :func:`repair_requests`
reapplies what is missing or changed (``--repair``).

Pure functions first (the layout → requests, a spreadsheet → problems), then the two calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gspread.http_client import ParamsType

from workbook.layout import META_VERSION, Layout, split_a1

from .api import _FAILURES, GoogleApi
from .errors import MalformedResponse, explain
from .writes import batch_update, explain_write

__all__ = [
    "DESCRIPTION",
    "Dropdown",
    "SheetState",
    "apply_requests",
    "dropdowns",
    "editable",
    "grid_range",
    "inspect",
    "protect_requests",
    "protection",
    "range_id",
    "read_state",
    "repair_requests",
]

DESCRIPTION = "dvk: chỉ sửa các ô nhập liệu (ô nền vàng)"
_ID_BASE = 1_700_000_000  # dvk's protected range ids: 1.7e9 + sheetId mod 4e8 (int32, apart from Google's)


@dataclass(frozen=True)
class Dropdown:
    """A drop-down of the template: its tab, A1 range and choices."""

    sheet: str
    cells: str  # "F6" or "D5:D34"
    choices: tuple[str, ...]


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _letters(index: int) -> str:
    out = ""
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _box(cells: str) -> tuple[int, int, int, int]:
    """"F6" or "D5:D34" → (row1, col1, row2, col2), 1-based, inclusive."""
    first, _, last = cells.partition(":")
    (c1, r1), (c2, r2) = split_a1(first), split_a1(last or first)
    return r1, _col(c1), r2, _col(c2)


def grid_range(sheet_id: int, cells: str) -> dict[str, int]:
    """An A1 range of one tab as a Sheets ``GridRange`` (0-based, end exclusive)."""
    r1, c1, r2, c2 = _box(cells)
    return {"sheetId": sheet_id, "startRowIndex": r1 - 1, "endRowIndex": r2,
            "startColumnIndex": c1 - 1, "endColumnIndex": c2}


def range_id(sheet_id: int) -> int:
    """The id dvk gives the protected range of a tab."""
    return _ID_BASE + sheet_id % 400_000_000


def dropdowns(layout: Layout) -> list[Dropdown]:
    """Every drop-down of the template, from the layout: inputs with choices, table columns with choices."""
    out = [Dropdown(i.sheet, i.cell, i.choices) for i in layout.inputs if i.choices]
    for table in layout.tables:
        for column in table.columns:
            if column.choices:
                out.append(Dropdown(table.sheet, f"{column.letter}{table.first_row}:{column.letter}{table.last_row}",
                                    column.choices))
    return out


def _merge(cells: Iterable[tuple[int, int]]) -> list[str]:
    """Cells (row, col) as few A1 rectangles: runs along each row, then equal runs of consecutive rows."""
    by_row: dict[int, list[int]] = {}
    for row, col in sorted(set(cells)):
        by_row.setdefault(row, []).append(col)
    runs: list[tuple[int, int, int]] = []  # (row, col1, col2)
    for row, cols in by_row.items():
        start = prev = cols[0]
        for col in cols[1:]:
            if col != prev + 1:
                runs.append((row, start, prev))
                start = col
            prev = col
        runs.append((row, start, prev))
    boxes: list[list[int]] = []  # [row1, col1, row2, col2]
    for row, c1, c2 in sorted(runs, key=lambda r: (r[1], r[2], r[0])):
        last = boxes[-1] if boxes else None
        if last is not None and last[1] == c1 and last[3] == c2 and last[2] == row - 1:
            last[2] = row
        else:
            boxes.append([row, c1, row, c2])
    out = []
    for r1, c1, r2, c2 in sorted(boxes, key=lambda b: (b[0], b[1])):
        first, last_cell = f"{_letters(c1)}{r1}", f"{_letters(c2)}{r2}"
        out.append(first if first == last_cell else f"{first}:{last_cell}")
    return out


def editable(layout: Layout) -> dict[str, list[str]]:
    """Per tab, the A1 ranges a unit may edit: the cells the template unlocks (every input but the template
    version; every data row of the tables)."""
    cells: dict[str, set[tuple[int, int]]] = {}
    for item in layout.inputs:
        if item.name == META_VERSION:
            continue
        letters, row = split_a1(item.cell)
        cells.setdefault(item.sheet, set()).add((row, _col(letters)))
    for table in layout.tables:
        for column in table.columns:
            for row in range(table.first_row, table.last_row + 1):
                cells.setdefault(table.sheet, set()).add((row, _col(column.letter)))
    return {sheet: _merge(found) for sheet, found in cells.items()}


def _rule(choices: Sequence[str], label: str = "") -> dict[str, Any]:
    return {
        "condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": c} for c in choices]},
        "inputMessage": label or "Chọn trong danh sách: " + "; ".join(choices) + ".",
        "strict": True,
        "showCustomUi": True,
    }


def protection(sheet_id: int, free: Sequence[str], editor: str | None) -> dict[str, Any]:
    """dvk's ProtectedRange of a whole tab: only ``free`` (A1 ranges) stay editable; ``editor`` may edit all."""
    body: dict[str, Any] = {
        "protectedRangeId": range_id(sheet_id),
        "range": {"sheetId": sheet_id},
        "description": DESCRIPTION,
        "warningOnly": False,
        "unprotectedRanges": [grid_range(sheet_id, cells) for cells in free],
    }
    if editor:
        body["editors"] = {"users": [editor]}
    return body


def protect_requests(layout: Layout, tabs: Mapping[str, int], editor: str | None) -> list[dict[str, Any]]:
    """The batch after an upload: every drop-down, then one protected range per tab of ``tabs`` (title →
    sheetId) leaving the unit only its input cells. ``editor``: the commune account."""
    requests: list[dict[str, Any]] = [
        {"setDataValidation": {"range": grid_range(tabs[d.sheet], d.cells), "rule": _rule(d.choices)}}
        for d in dropdowns(layout) if d.sheet in tabs
    ]
    free = editable(layout)
    for title, sheet_id in tabs.items():
        requests.append({"addProtectedRange": {"protectedRange": protection(sheet_id, free.get(title, []), editor)}})
    return requests


# --- what a spreadsheet holds ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetState:
    """What ``spreadsheets.get`` says of a unit's sheet: its tabs, protected ranges, and per cell of the
    layout's ranges the value and the data validation."""

    tabs: dict[str, int]  # title → sheetId, in tab order
    protected: tuple[dict[str, Any], ...]
    values: dict[tuple[str, int, int], Any]  # (tab, row, col) → effective value
    rules: dict[tuple[str, int, int], dict[str, Any]]  # (tab, row, col) → DataValidationRule

    def value(self, sheet: str, cell: str) -> Any:
        letters, row = split_a1(cell)
        return self.values.get((sheet, row, _col(letters)))


_BOUNDS = ("startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex")


def _cells_of(grid: Mapping[str, Any]) -> set[tuple[int, int]] | None:
    """The cells of a bounded GridRange; None for an unbounded one (whole rows or columns: never dvk's)."""
    if not all(isinstance(grid.get(k), int) for k in _BOUNDS) or grid["endRowIndex"] - grid["startRowIndex"] > 5000:
        return None
    r1, r2 = grid["startRowIndex"] + 1, grid["endRowIndex"]
    c1, c2 = grid["startColumnIndex"] + 1, grid["endColumnIndex"]
    return {(r, c) for r in range(r1, r2 + 1) for c in range(c1, min(c2, c1 + 1000) + 1)}


def _ours(rule: Mapping[str, Any], sheet_id: int) -> bool:
    grid = rule.get("range") or {}
    return int(grid.get("sheetId", -1)) == sheet_id and (
        rule.get("protectedRangeId") == range_id(sheet_id) or str(rule.get("description", "")).startswith("dvk")
    )


def _protection_problem(rule: Mapping[str, Any] | None, sheet_id: int, free: Sequence[str],
                        editor: str | None) -> str | None:
    if rule is None:
        return "không còn được khoá"
    if set(rule.get("range") or {}) != {"sheetId"} or rule.get("warningOnly"):
        return "chỉ còn khoá một phần hoặc chỉ cảnh báo"
    want: set[tuple[int, int]] = set()
    for cells in free:
        want |= _cells_of(grid_range(sheet_id, cells)) or set()
    have: set[tuple[int, int]] | None = set()
    for grid in rule.get("unprotectedRanges") or []:
        found = _cells_of(grid) if int(grid.get("sheetId", -1)) == sheet_id else None
        have = None if found is None or have is None else have | found
    if have != want:
        return "các ô được phép sửa không đúng như mẫu phiếu"
    users = [str(u).lower() for u in (rule.get("editors") or {}).get("users", [])]
    if editor and editor.lower() not in users:
        return f"tài khoản của xã {editor} không còn quyền sửa vùng khoá"
    return None


def inspect(layout: Layout, state: SheetState, editor: str | None) -> list[str]:
    """What differs from the drop-downs and protection dvk sets (Vietnamese, one line per kind of problem)."""
    problems: list[str] = []
    missing: list[str] = []
    for d in dropdowns(layout):
        if d.sheet not in state.tabs:
            continue
        want = [{"userEnteredValue": c} for c in d.choices]
        r1, c1, r2, c2 = _box(d.cells)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                rule = state.rules.get((d.sheet, r, c)) or {}
                condition = rule.get("condition") or {}
                if condition.get("type") != "ONE_OF_LIST" or condition.get("values") != want or not rule.get("strict"):
                    missing.append(f"{d.sheet}!{_letters(c)}{r}")
    if missing:
        shown = ", ".join(missing[:3]) + (f" và {len(missing) - 3} ô khác" if len(missing) > 3 else "")
        problems.append(f"{len(missing)} ô chọn trong danh sách không còn danh sách thả xuống đúng như mẫu ({shown}).")
    free = editable(layout)
    for title, sheet_id in state.tabs.items():
        ours = next((r for r in state.protected if _ours(r, sheet_id)), None)
        problem = _protection_problem(ours, sheet_id, free.get(title, []), editor)
        if problem:
            problems.append(f"Trang “{title}” {problem}: đơn vị có thể sửa nhầm ô công thức hoặc ô của xã.")
    return problems


def repair_requests(layout: Layout, state: SheetState, editor: str | None) -> list[dict[str, Any]]:
    """The batch that puts back what :func:`inspect` found missing or changed (nothing when all is well)."""
    requests: list[dict[str, Any]] = []
    for d in dropdowns(layout):
        if d.sheet in state.tabs:
            requests.append({"setDataValidation": {"range": grid_range(state.tabs[d.sheet], d.cells),
                                                   "rule": _rule(d.choices)}})
    free = editable(layout)
    protections: list[dict[str, Any]] = []
    for title, sheet_id in state.tabs.items():
        rule = next((r for r in state.protected if _ours(r, sheet_id)), None)
        if _protection_problem(rule, sheet_id, free.get(title, []), editor) is None:
            continue
        wanted = protection(sheet_id, free.get(title, []), editor)
        if rule is None:
            protections.append({"addProtectedRange": {"protectedRange": wanted}})
        else:
            wanted["protectedRangeId"] = rule["protectedRangeId"]
            protections.append({"updateProtectedRange": {
                "protectedRange": wanted, "fields": "range,description,warningOnly,unprotectedRanges,editors"}})
    if not protections and not inspect(layout, state, editor):
        return []
    return requests + protections


# --- the two calls ---------------------------------------------------------------------------------------


def _extended(value: Mapping[str, Any]) -> Any:
    for key in ("stringValue", "numberValue", "boolValue", "formulaValue"):
        if key in value:
            return value[key]
    return None


def read_state(api: GoogleApi, spreadsheet_id: str, layout: Layout, *, what: str = "kiểm tra bảng tính") -> SheetState:
    """Two Sheets reads: every tab with its protected ranges; then the layout's ranges with each cell's value
    and data validation (skipped when a tab of the layout is missing: :func:`inspect` needs the tabs)."""
    try:
        params: ParamsType = {"fields": "sheets(properties(sheetId,title),protectedRanges)"}
        body = api.http.fetch_sheet_metadata(spreadsheet_id, params=params)
        tabs: dict[str, int] = {}
        protected: list[dict[str, Any]] = []
        for sheet in body.get("sheets", []):
            props = sheet.get("properties") or {}
            if not isinstance(props.get("title"), str):
                raise MalformedResponse("spreadsheets.get: a sheet without a title")
            tabs[str(props["title"])] = int(props.get("sheetId", 0))
            protected.extend(p for p in sheet.get("protectedRanges") or [] if isinstance(p, dict))
        values: dict[tuple[str, int, int], Any] = {}
        rules: dict[tuple[str, int, int], dict[str, Any]] = {}
        if all(t in tabs for t in layout.sheets):
            grid_params: ParamsType = {
                "ranges": list(layout.ranges()),
                "fields": "sheets(properties(title),data(startRow,startColumn,rowData(values(effectiveValue,dataValidation))))",
            }
            body = api.http.fetch_sheet_metadata(spreadsheet_id, params=grid_params)
            for sheet in body.get("sheets", []):
                title = str((sheet.get("properties") or {}).get("title"))
                for data in sheet.get("data") or []:
                    row0, col0 = int(data.get("startRow", 0)), int(data.get("startColumn", 0))
                    for i, row in enumerate(data.get("rowData") or []):
                        for j, cell in enumerate((row or {}).get("values") or []):
                            key = (title, row0 + i + 1, col0 + j + 1)
                            if isinstance(cell, dict) and isinstance(cell.get("effectiveValue"), dict):
                                values[key] = _extended(cell["effectiveValue"])
                            if isinstance(cell, dict) and isinstance(cell.get("dataValidation"), dict):
                                rules[key] = cell["dataValidation"]
        return SheetState(tabs, tuple(protected), values, rules)
    except (KeyError, TypeError, ValueError) as exc:
        raise explain(MalformedResponse(str(exc)), spreadsheet_id=spreadsheet_id) from exc
    except _FAILURES as exc:
        if api.user is None:  # the service account reads: say whom to share with
            raise explain(exc, spreadsheet_id=spreadsheet_id, service_account=api.service_account) from exc
        raise explain_write(exc, what=what, api=api, spreadsheet_id=spreadsheet_id) from exc


def apply_requests(api: GoogleApi, spreadsheet_id: str, requests: Sequence[Mapping[str, Any]]) -> None:
    """One ``spreadsheets.batchUpdate`` of drop-downs and protection (a Sheets write)."""
    batch_update(api, spreadsheet_id, requests, what="đặt danh sách thả xuống và khoá ô")
