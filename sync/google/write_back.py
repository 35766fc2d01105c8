"""Results written back into each unit's Google Sheet after a sync, and the Google side of the sync pass.

The seam of :func:`sync.service.run_sync`:

- :func:`google_units`: the registry with the sheets recorded by ``dvk sheets provision`` (a ``sheet`` in the
  registry wins), and the locked units;
- :func:`write_back_pass`: after the pass, for every unit with a sheet whose result changed, one
  ``spreadsheets:batchUpdate`` (add the "Kết quả kiểm tra" tab the first time, protected: only dvk writes it;
  colour the error cells, restore the template's colour of the fixed ones; skipped when nothing to format) and
  one ``values:batchUpdate`` (the time of the check, the version received, the score, the rating and its
  reasons, every issue with its tab, cell, message and a link to the cell). Paced under the write quota by
  the client. Nothing is written when the result did not change (a hash in the ledger); the unit's inputs are
  never written.

No re-read after dvk's own write: just before writing, one Drive ``files.get`` confirms the sheet's
``modifiedTime`` is still the one whose content the ledger holds; after writing, one more gives the new
``modifiedTime``, recorded as seen, so the next pass skips the sheet unless the unit changes it. If the unit
edited in between (the first check differs) nothing is recorded and the next pass reads the sheet. Both are
Drive reads (Drive's quota, not the Sheets read quota).

The tab is added with a ``sheetId`` of dvk's and its protected range with an id of dvk's: a repeat of a
batch that was applied is refused (400) rather than doubled; dvk then reads the tab ids and goes on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from schemas.errors import ConfigError, DvkError
from schemas.models import Issue, Unit
from workbook.master.data import UnitResult
from workbook.template import write_template
from workbook.text_cells import looks_like_formula

from ..config import Settings
from ..ledger import Ledger
from ..ledger.sheets import SheetRecord, get_write_back, save_write_back, sheets_for
from .api import GoogleApi, spreadsheet_id_from
from .protection import protection
from .writes import batch_update, file_info, sheet_ids, values_batch_update

__all__ = ["RESULT_TAB", "google_units", "listing_folder", "result_rows", "write_back_pass"]

RESULT_TAB = "Kết quả kiểm tra"
RESULT_SHEET_ID = 1_984_000_001  # the tab's id, dvk's own: a repeated addSheet is refused, never doubled
ERROR_COLOR = {"red": 0.957, "green": 0.8, "blue": 0.8}  # #F4CCCC
_A1 = re.compile(r"^[A-Z]{1,3}[1-9]\d*$")


def google_units(ledger: Ledger, registry: Mapping[str, Unit], year: int) -> tuple[dict[str, Unit], dict[str, SheetRecord]]:
    """(every unit with its sheet, the recorded sheets) — a ``sheet`` in the registry wins over a recorded one."""
    recorded = sheets_for(ledger, year)
    units = {
        code: unit if unit.sheet or code not in recorded else unit.model_copy(update={"sheet": recorded[code].spreadsheet_id})
        for code, unit in registry.items()
    }
    return units, recorded


def listing_folder(recorded: Mapping[str, SheetRecord]) -> str | None:
    """The Drive folder dvk provisioned the year's sheets into (one ``files.list`` covers them all)."""
    folders = {rec.folder_id for rec in recorded.values() if rec.folder_id}
    return folders.pop() if len(folders) == 1 else None


def _local(moment: dt.datetime | None) -> str:
    return (moment or dt.datetime.now(dt.UTC)).astimezone().strftime("%H:%M ngày %d/%m/%Y")


def _number(value: Any) -> str:
    if value is None:
        return ""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _quote(text: str) -> str:
    return text.replace('"', '""')


def _tab_ref(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _errors(issues: Sequence[Issue], tabs: Mapping[str, int]) -> list[tuple[str, str]]:
    cells = {(i.sheet, i.cell) for i in issues if i.is_error and i.sheet in tabs and i.cell and _A1.match(i.cell)}
    return sorted((str(s), str(c)) for s, c in cells)


def _typed(text: str) -> str:
    """``text`` as a person types it to get text: with ``USER_ENTERED`` a value starting with =, +, - or @
    would be parsed as a formula, so it gets the apostrophe that keeps it text (Google does not show it)."""
    return "'" + text if looks_like_formula(text) else text


def result_rows(result: UnitResult, spreadsheet_id: str, tabs: Mapping[str, int], checked: str) -> list[list[str]]:
    """What the unit sees on "Kết quả kiểm tra" (values as typed: links are HYPERLINK formulas, every other
    text is kept text whatever it starts with)."""
    rows = _result_rows(result, spreadsheet_id, tabs, checked)
    return [[cell if cell.startswith('=HYPERLINK("https://docs.google.com/') and j == 5 else _typed(cell)
             for j, cell in enumerate(r)] for r in rows]


def _result_rows(result: UnitResult, spreadsheet_id: str, tabs: Mapping[str, int], checked: str) -> list[list[str]]:
    row = result.row
    issues = list(row.issues)
    n_err = sum(1 for i in issues if i.is_error)
    version = f"Lần {row.version}, nhận lúc {_local(row.received_at)}" if row.version else "Chưa nhận được phiếu"
    rows: list[list[str]] = [
        [f"Kết quả kiểm tra phiếu tự đánh giá – {row.unit.name} ({row.unit.code})"],
        ["Trang này do dvk ghi sau mỗi lần xã tổng hợp. Không sửa ở đây: hãy sửa các ô tô đỏ ở các trang nhập liệu."],
        ["Thời điểm kiểm tra", checked],
        ["Phiên bản đã nhận", version],
        ["Điểm tự chấm", _number(result.self_total)],
        ["Xếp loại (tạm tính)", result.rating_label],  # or why not rated yet ("Chưa nộp (còn hạn)" …)
        ["Lý do", "; ".join(result.reasons)],
        ["Số lỗi, cảnh báo", f"{n_err} lỗi, {len(issues) - n_err} cảnh báo" if issues else "Không có lỗi"],
        [],
        ["STT", "Trang", "Ô", "Mức độ", "Nội dung", "Mở ô"],
    ]
    base = f"https://docs.google.com/spreadsheets/d/{spreadsheet_id}/edit"
    for n, issue in enumerate(issues, start=1):
        link = ""
        if issue.sheet is not None and issue.sheet in tabs and issue.cell:
            url = f"{base}#gid={tabs[issue.sheet]}&range={issue.cell}"
            link = f'=HYPERLINK("{_quote(url)}","{_quote(f"{issue.sheet}!{issue.cell}")}")'
        rows.append([str(n), issue.sheet or "", issue.cell or "", "Lỗi" if issue.is_error else "Cảnh báo",
                     issue.message, link])
    return rows


def _hash(rows: Sequence[Sequence[str]], errors: Sequence[tuple[str, str]]) -> str:
    stable = [r for i, r in enumerate(rows) if i != 2]  # everything but the time of the check
    return hashlib.sha256(json.dumps([stable, list(errors)], ensure_ascii=False).encode()).hexdigest()


class _TemplateColors:
    """The template's own background of a cell (what a cleared highlight goes back to), read once if needed."""

    def __init__(self, settings: Settings, year: int) -> None:
        self._settings, self._year = settings, year
        self._colors: dict[tuple[str, str], dict[str, float] | None] | None = None

    def get(self, sheet: str, cell: str) -> dict[str, float] | None:
        if self._colors is None:
            self._colors = {}
            with tempfile.TemporaryDirectory(prefix="dvk-colors-") as tmp:
                path = write_template(Path(tmp) / "mau.xlsx", self._settings.load_rubric(), year=self._year)
                wb = load_workbook(path)
                try:
                    for ws in wb.worksheets:
                        for line in ws.iter_rows():
                            for c in line:
                                rgb = c.fill.fgColor.rgb if c.fill and c.fill.fill_type == "solid" else None
                                if isinstance(rgb, str) and len(rgb) >= 6:
                                    h = rgb[-6:]
                                    self._colors[(ws.title, c.coordinate)] = {
                                        k: round(int(h[i:i + 2], 16) / 255, 3)
                                        for k, i in (("red", 0), ("green", 2), ("blue", 4))
                                    }
                finally:
                    wb.close()
        return self._colors.get((sheet, cell))


def _grid_range(tabs: Mapping[str, int], sheet: str, cell: str) -> dict[str, int]:
    letters = re.match(r"[A-Z]+", cell).group(0)  # type: ignore[union-attr]
    row = int(cell[len(letters):])
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return {"sheetId": tabs[sheet], "startRowIndex": row - 1, "endRowIndex": row,
            "startColumnIndex": col - 1, "endColumnIndex": col}


def _paint(tabs: Mapping[str, int], sheet: str, cell: str, color: dict[str, float] | None) -> dict[str, Any]:
    fmt: dict[str, Any] = {"backgroundColor": color} if color else {}
    return {"repeatCell": {"range": _grid_range(tabs, sheet, cell), "cell": {"userEnteredFormat": fmt},
                           "fields": "userEnteredFormat.backgroundColor"}}


def _modified(api: GoogleApi, sid: str) -> str | None:
    """The sheet's Drive ``modifiedTime``; None when it cannot be had (then the next pass simply reads it)."""
    try:
        info = file_info(api, sid)
    except DvkError:
        return None
    modified = info.get("modifiedTime") if info is not None else None
    return modified if isinstance(modified, str) else None


def _format_requests(tabs: Mapping[str, int], highlighted: Sequence[tuple[str, str]], errors: Sequence[tuple[str, str]],
                     colors: _TemplateColors, editor: str | None) -> list[dict[str, Any]]:
    """The batch: the result tab (with dvk's ids, protected) if missing; cells fixed since → the template's
    colour; new error cells → red."""
    requests: list[dict[str, Any]] = []
    if RESULT_TAB not in tabs:
        requests.append({"addSheet": {"properties": {"sheetId": RESULT_SHEET_ID, "title": RESULT_TAB, "index": 0,
                                                     "gridProperties": {"rowCount": 1000, "columnCount": 8}}}})
        requests.append({"addProtectedRange": {"protectedRange": protection(RESULT_SHEET_ID, (), editor)}})
    before = set(highlighted)
    requests += [_paint(tabs, s, c, colors.get(s, c)) for s, c in sorted(before - set(errors)) if s in tabs]
    requests += [_paint(tabs, s, c, ERROR_COLOR) for s, c in errors if (s, c) not in before]
    return requests


def _apply_formats(api: GoogleApi, sid: str, requests: list[dict[str, Any]], tabs: dict[str, int],
                   highlighted: Sequence[tuple[str, str]], errors: Sequence[tuple[str, str]], colors: _TemplateColors,
                   lock: threading.Lock) -> dict[str, int]:
    """Send the batch; the tabs afterwards. Refused (400) while adding the tab: an earlier attempt added it,
    or the tab exists under that name: read the tab ids and send what is still to do."""
    try:
        reply = batch_update(api, sid, requests)
    except DvkError as err:
        if err.context.get("status") != 400 or RESULT_TAB in tabs:
            raise
        tabs = sheet_ids(api, sid)
        if RESULT_TAB not in tabs:
            raise
        with lock:
            again = _format_requests(tabs, highlighted, errors, colors, api.user)
        if again:
            batch_update(api, sid, again)
        return tabs
    tabs = dict(tabs)
    for answer in reply.get("replies", []):
        props = (answer or {}).get("addSheet", {}).get("properties", {})
        if props.get("title") == RESULT_TAB:
            tabs[RESULT_TAB] = int(props["sheetId"])
    return tabs


def write_back_pass(
    settings: Settings,
    ledger: Ledger,
    results: Sequence[UnitResult],
    units: Mapping[str, Unit],
    *,
    notices: list[str],
    api: GoogleApi | None = None,
    connect: Callable[[], GoogleApi | None] | None = None,
    now: dt.datetime | None = None,
    workers: int = 8,
) -> int:
    """Write the changed results into the units' sheets; returns how many sheets were written. Failures
    become ``notices`` (one line per unit); a quota "come back later" stops the pass's writes."""
    enabled = settings.sources.google.write_back
    with_sheet = [r for r in results if units.get(r.code) is not None and units[r.code].sheet and r.row.version]
    if enabled is False or not with_sheet:
        return 0
    if api is None and connect is not None:
        try:
            api = connect()
        except DvkError as err:
            notices.append(f"Không ghi được kết quả vào bảng tính của đơn vị: {err}")
            return 0
    if api is None:
        if enabled:
            notices.append("Chưa ghi kết quả vào bảng tính của đơn vị: chưa đăng nhập tài khoản Google của xã "
                           "(dvk google login).")
        return 0
    year = settings.year
    recorded = sheets_for(ledger, year)
    colors = _TemplateColors(settings, year)
    checked = _local(now)
    stop = threading.Event()  # a quota "later", a cancel or a refused sign-in: no further unit is written
    lock = threading.Lock()

    def one(result: UnitResult) -> bool:
        if stop.is_set():
            return False
        try:
            sid = spreadsheet_id_from(str(units[result.code].sheet))
        except ConfigError:
            return False
        state = get_write_back(ledger, sid)
        rec = recorded.get(result.code)
        tabs: dict[str, int] = dict(state.tabs if state else {}) or dict(
            rec.tabs if rec and rec.spreadsheet_id == sid else {}
        )
        try:
            if not tabs:
                tabs = sheet_ids(api, sid)
            errors = _errors(result.row.issues, tabs)
            rows = result_rows(result, sid, tabs, checked)
            digest = _hash(rows, errors)
            if state is not None and state.result_hash == digest and RESULT_TAB in tabs:
                return False
            seen = ledger.get_source_state(result.code, year, "google")
            ours = seen is not None and _modified(api, sid) == seen  # still as read? then only dvk's write follows
            with lock:  # the template's colours are read once
                requests = _format_requests(tabs, state.highlighted if state else (), errors, colors, api.user)
            if requests:
                tabs = _apply_formats(api, sid, requests, tabs, state.highlighted if state else (), errors, colors,
                                      lock)
            height = max(len(rows), state.rows if state else 0)
            padded = [[*r, *[""] * (6 - len(r))] for r in rows] + [[""] * 6] * (height - len(rows))
            values_batch_update(api, sid, [{"range": f"{_tab_ref(RESULT_TAB)}!A1:F{height}", "values": padded}])
            save_write_back(ledger, sid, result_hash=digest, rows=len(rows), highlighted=errors, tabs=tabs)
            after = _modified(api, sid) if ours else None
            if after is not None:  # the next pass need not read the sheet for dvk's own write
                ledger.set_source_state(result.code, year, "google", after)
            return True
        except DvkError as err:
            with lock:
                notices.append(f"{result.code}: không ghi được kết quả vào bảng tính — {err}")
            if err.context.get("retry_after") or err.context.get("reason") in ("cancelled", "unauthorized"):
                stop.set()
            return False

    # a few units in flight hide the network latency (four requests each, two of them Drive's); the client's
    # write pacer keeps them under the quota
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="dvk-write-back")
    try:
        written = sum(pool.map(one, with_sheet))
    except BaseException:
        api.cancel()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return written
