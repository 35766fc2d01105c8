"""A local fake of the Google Sheets v4 and Drive v3 HTTP APIs, faithful where dvk depends on them.

Served by ``http.server.ThreadingHTTPServer`` on 127.0.0.1 (port 0) in a background thread::

    with FakeGoogle() as fake:
        fake.add_spreadsheet("sheet-1", {"Chấm điểm": {"E6": 10, "F6": "x"}}, folder="folder-1")
        api = build_client(credentials_file=None, api_endpoint=fake.base_url)

Endpoints: ``GET /v4/spreadsheets/{id}/values:batchGet`` (ranges, valueRenderOption, dateTimeRenderOption,
majorDimension), ``GET /v4/spreadsheets/{id}`` (sheet properties; ``protectedRanges`` and, for ``ranges`` with
``includeGridData`` or a ``fields`` mask naming ``data``, the cells' ``effectiveValue`` and ``dataValidation``:
only the sheets the ranges name), ``GET /drive/v3/files`` (``q`` with ``'FOLDER' in parents``,
``mimeType=...``, ``trashed=...``, ``appProperties has { key='K' and value='V' }``; ``pageSize``/``pageToken``;
``fields``), ``GET /drive/v3/files/{id}`` and ``GET /drive/v3/files/generateIds`` (``count``).

Faithful behaviour: A1 ranges with quoted titles (``'Chấm điểm'!E6:H27``, ``''`` escaping), open ranges
(``A:B``, ``5:7``, ``A5:B``), the range echoed in canonical form, trailing empty cells and rows dropped,
inner empty cells as ``""``, ``values`` omitted for an empty range, dates returned as serial numbers, 400
"Unable to parse range" for a missing tab and "exceeds grid limits" past the grid, 403/404 per spreadsheet
(Drive answers 404 for a file it cannot see), ``modifiedTime`` per file bumped by every edit.

Injected trouble: :class:`Fault` rules (status, ``Retry-After``, delay, raw body; N times or forever; per
API and/or spreadsheet; ``applied``: a write takes effect and then its answer is lost — held past the client's
timeout, or replaced by the fault's status), a latency on every request, and a read quota (at most N Sheets
requests in any W seconds of ``clock`` time, else 429 with or without ``Retry-After``). Every request is logged
and counted (:meth:`FakeGoogle.request_counts`: reads and writes per API, token requests).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import openpyxl

from tests.sync.fake_google_write import FOLDER_MIME, SERVICE_ACCOUNT, USER_EMAIL, WriteMixin

__all__ = [
    "FAKE_TOKEN",
    "SERVICE_ACCOUNT",
    "USER_EMAIL",
    "FakeFile",
    "FakeGoogle",
    "Fault",
    "Logged",
    "a1",
    "endpoint_of",
    "parse_range",
    "quote_title",
]

SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
FAKE_TOKEN = "fake-access-token"
_EPOCH = datetime(1899, 12, 30)
_BASE_TIME = datetime(2025, 3, 1, 8, 0, 0, tzinfo=UTC)
_CELL = re.compile(r"^([A-Za-z]{0,3})(\d*)$")
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LOOKS_LIKE_REF = re.compile(r"^[A-Za-z]{1,3}\d+$|^R\d*C\d*$", re.IGNORECASE)


@dataclass
class Fault:
    """An injected answer: the next ``times`` matching requests (``None``: all of them) get it."""

    status: int | None = 503
    api: str | None = None  # "sheets", "drive" or None for both
    spreadsheet_id: str | None = None
    times: int | None = 1
    retry_after: str | None = None
    delay: float = 0.0  # seconds before answering (longer than the client timeout: a timeout)
    body: bytes | None = None  # raw body instead of a Google error JSON (e.g. malformed JSON with 200)
    endpoint: str | None = None  # only this API method (``Logged.endpoint``), e.g. "drive.files.create.multipart"
    body_contains: bytes | None = None  # only requests whose body contains this (e.g. a unit's code)
    applied: bool = False  # a write: it takes effect, then the fault answers (the answer is lost)


@dataclass(frozen=True)
class Logged:
    method: str
    api: str
    path: str
    params: dict[str, list[str]]
    status: int
    spreadsheet_id: str | None
    at: float  # the fake's clock when the request arrived
    authorization: str | None = None
    body: Any = None  # the JSON body of a write (or the form of a token request)
    caller: str | None = None  # who the bearer token belongs to (None: anonymous)

    @property
    def endpoint(self) -> str:
        """A stable name of the API method, e.g. ``drive.permissions.create``, ``sheets.values.batchUpdate``."""
        return endpoint_of(self.method, self.path, self.params)


def endpoint_of(method: str, path: str, params: Mapping[str, list[str]]) -> str:
    """The API method a request calls (what the tests count)."""
    if path.startswith("/upload/drive/v3/files"):
        return "drive.files.create." + params.get("uploadType", ["media"])[0] + ("" if method == "POST" else ".put")
    if path in ("/token", "/auth", "/revoke"):
        return f"oauth{path.replace('/', '.')}"
    if path == "/drive/v3/about":
        return "drive.about.get"
    if path == "/drive/v3/files/generateIds":
        return "drive.files.generateIds"
    if path == "/drive/v3/files":
        return "drive.files.list" if method == "GET" else "drive.files.create"
    if re.match(r"^/drive/v3/files/[^/]+/permissions$", path):
        return "drive.permissions.list" if method == "GET" else "drive.permissions.create"
    if re.match(r"^/drive/v3/files/[^/]+/permissions/[^/]+$", path):
        return {"GET": "drive.permissions.get", "PATCH": "drive.permissions.update"}.get(method, "drive.permissions.delete")
    if path.startswith("/drive/v3/files/"):
        return {"GET": "drive.files.get", "PATCH": "drive.files.update"}.get(method, "drive.files.delete")
    if path.endswith("/values:batchGet"):
        return "sheets.values.batchGet"
    if path.endswith("/values:batchUpdate"):
        return "sheets.values.batchUpdate"
    if path.endswith(":batchUpdate"):
        return "sheets.batchUpdate"
    if path.startswith("/v4/spreadsheets/"):
        return "sheets.get"
    return f"{method} {path}"


@dataclass
class FakeFile:
    id: str
    name: str
    parents: list[str]
    modified: datetime
    sheets: dict[str, dict[tuple[int, int], Any]] = field(default_factory=dict)
    grid: dict[str, tuple[int, int]] = field(default_factory=dict)  # title → (rows, cols)
    access: int | None = None  # None: readable; 403 or 404
    trashed: bool = False
    created: datetime | None = None

    @property
    def modified_time(self) -> str:
        return self.modified.strftime("%Y-%m-%dT%H:%M:%S.") + f"{self.modified.microsecond // 1000:03d}Z"


def a1(ref: str) -> tuple[int, int]:
    """``"E6"`` → ``(6, 5)`` (1-based row, column)."""
    match = _CELL.match(ref)
    if not match or not match.group(1) or not match.group(2):
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(match.group(2)), _col_index(match.group(1))


def _col_index(letters: str) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index


def _col_letters(index: int) -> str:
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def quote_title(title: str) -> str:
    if _PLAIN_TITLE.match(title) and not _LOOKS_LIKE_REF.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


Bounds = tuple[int | None, int | None, int | None, int | None]  # row1, col1, row2, col2 (None: open)


def parse_range(text: str) -> tuple[str | None, Bounds | None]:
    """Split an A1 range into (sheet title or None, bounds or None for the whole sheet). ValueError if bad."""
    title: str | None = None
    rest = text
    if text.startswith("'"):
        end = 1
        while True:
            end = text.find("'", end)
            if end < 0:
                raise ValueError(text)
            if text[end + 1 : end + 2] == "'":
                end += 2
                continue
            break
        title = text[1:end].replace("''", "'")
        rest = text[end + 1 :]
        if not rest:
            return title, None
        if not rest.startswith("!"):
            raise ValueError(text)
        rest = rest[1:]
    elif "!" in text:
        title, rest = text.split("!", 1)
    elif _cell_range(text) is None:
        return text, None  # a bare sheet title
    bounds = _cell_range(rest)
    if bounds is None:
        raise ValueError(text)
    return title, bounds


def _cell_range(text: str) -> Bounds | None:
    parts = text.split(":")
    if not text or len(parts) > 2:
        return None
    refs: list[tuple[str, str]] = []
    for part in parts:
        match = _CELL.match(part)
        if match is None or not (match.group(1) or match.group(2)):
            return None
        refs.append((match.group(1), match.group(2)))
    if len(refs) == 1:
        refs.append(refs[0])
        if not all(refs[0]):
            return None  # "A" or "5" alone is a sheet title, not a range
    (c1, r1), (c2, r2) = refs
    full_first = bool(c1 and r1)
    columns = bool(c1 and c2)
    rows = bool(r1 and r2 and not c1 and not c2)
    if not (full_first or columns or rows):
        return None
    return (
        int(r1) if r1 else None,
        _col_index(c1) if c1 else None,
        int(r2) if r2 else None,
        _col_index(c2) if c2 else None,
    )


def _to_json_value(value: Any, render: str, dates: str) -> Any:
    if isinstance(value, datetime):
        serial = (value - _EPOCH) / timedelta(days=1)
        if dates != "SERIAL_NUMBER":
            return value.strftime("%d/%m/%Y %H:%M:%S")
        return int(serial) if serial.is_integer() else serial  # Google writes 45659, not 45659.0
    if isinstance(value, date):
        serial_day = (value - _EPOCH.date()).days
        return serial_day if dates == "SERIAL_NUMBER" else value.strftime("%d/%m/%Y")
    if isinstance(value, dtime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return seconds / 86400 if dates == "SERIAL_NUMBER" else value.strftime("%H:%M:%S")
    if render == "FORMATTED_VALUE":
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    return value


class FakeGoogle(WriteMixin):
    """The fake server and its state. Use as a context manager, or ``start()`` / ``close()``."""

    def __init__(self, *, latency: float = 0.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.latency = latency
        self.clock = clock
        self.files: dict[str, FakeFile] = {}
        self.folders: set[str] = set()
        self.faults: list[Fault] = []
        self.log: list[Logged] = []
        self.quota: tuple[int, float, str | None] | None = None
        self._reads: deque[float] = deque()
        self._writes: deque[float] = deque()
        self.write_quota: tuple[int, float] | None = None
        self._edits = 0
        self._in_flight = 0
        self._idle = threading.Condition()
        self._lock = threading.RLock()
        self._closing = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._init_write()

    # --- lifecycle -------------------------------------------------------------------------------------

    def start(self) -> FakeGoogle:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.fake = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self._closing.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeGoogle:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # --- state ------------------------------------------------------------------------------------------

    def add_spreadsheet(
        self,
        spreadsheet_id: str,
        sheets: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        name: str | None = None,
        folder: str | None = "folder-1",
        grid: tuple[int, int] = (1000, 26),
    ) -> FakeFile:
        """A spreadsheet with ``{sheet title: {A1: value}}`` (insertion order is the tab order)."""
        with self._lock:
            made = self._next_time()
            file = FakeFile(spreadsheet_id, name or spreadsheet_id, [folder] if folder else [], made, created=made)
            for title, cells in (sheets or {"Sheet1": {}}).items():
                file.sheets[title] = {}
                file.grid[title] = grid
                self._write(file, title, cells)
            self.files[spreadsheet_id] = file
            if folder:
                self.folders.add(folder)
            return file

    def add_workbook(self, spreadsheet_id: str, path: Path, **kwargs: Any) -> FakeFile:
        """A spreadsheet holding the cell values of an .xlsx (as if uploaded to Drive and converted).

        Formula cells carry their cached values (a file recalculated by Excel or LibreOffice).
        """
        workbook = openpyxl.load_workbook(path, data_only=True)
        try:
            sheets = {
                ws.title: {
                    cell.coordinate: cell.value for row in ws.iter_rows() for cell in row if cell.value is not None
                }
                for ws in workbook.worksheets
            }
        finally:
            workbook.close()
        return self.add_spreadsheet(spreadsheet_id, sheets, **kwargs)

    def set_cells(self, spreadsheet_id: str, sheet: str, cells: Mapping[str, Any]) -> None:
        """Write cells (``None`` or ``""`` clears) and bump the file's ``modifiedTime``."""
        with self._lock:
            file = self.files[spreadsheet_id]
            self._write(file, sheet, cells)
            file.modified = self._next_time()

    def rename_sheet(self, spreadsheet_id: str, old: str, new: str) -> None:
        with self._lock:
            file = self.files[spreadsheet_id]
            file.sheets = {new if t == old else t: c for t, c in file.sheets.items()}
            file.grid = {new if t == old else t: g for t, g in file.grid.items()}
            file.modified = self._next_time()

    def touch(self, spreadsheet_id: str) -> str:
        """Bump ``modifiedTime`` without changing content; returns the new value."""
        with self._lock:
            file = self.files[spreadsheet_id]
            file.modified = self._next_time()
            return file.modified_time

    def delete(self, spreadsheet_id: str) -> None:
        """The owner deletes the file for good (emptied from the trash): 404 everywhere from now on."""
        with self._lock:
            self.files.pop(spreadsheet_id)
            for table in (self.permissions, self.owners, self.app_properties, self.protected, self.validations):
                table.pop(spreadsheet_id, None)

    def trash(self, spreadsheet_id: str) -> None:
        """The owner moves the file to the trash (Sheets still reads it; Drive lists it as trashed)."""
        with self._lock:
            self.files[spreadsheet_id].trashed = True

    def set_access(self, spreadsheet_id: str, status: int | None) -> None:
        """403 (not shared), 404 (deleted) or None (readable) for this spreadsheet."""
        self.files[spreadsheet_id].access = status

    def fail(self, status: int | None = 503, **kwargs: Any) -> Fault:
        """Add a :class:`Fault` (keyword arguments as its fields)."""
        fault = Fault(status=status, **kwargs)
        with self._lock:
            self.faults.append(fault)
        return fault

    def set_write_quota(self, writes: int, window: float) -> None:
        """At most ``writes`` Sheets write requests in any ``window`` seconds (of ``clock``); beyond → 429."""
        with self._lock:
            self.write_quota = (writes, window)
            self._writes.clear()

    def _over_write_quota(self) -> bool:
        with self._lock:
            if self.write_quota is None:
                return False
            writes, window = self.write_quota
            now = self.clock()
            while self._writes and now - self._writes[0] >= window:
                self._writes.popleft()
            if len(self._writes) >= writes:
                return True
            self._writes.append(now)
            return False

    def set_quota(self, reads: int, window: float, *, retry_after: str | None = None) -> None:
        """At most ``reads`` Sheets requests in any ``window`` seconds (of ``clock``); beyond → 429."""
        with self._lock:
            self.quota = (reads, window, retry_after)
            self._reads.clear()

    # --- observations ----------------------------------------------------------------------------------

    @property
    def counts(self) -> dict[str, int]:
        with self._lock:
            return {api: sum(1 for e in self.log if e.api == api) for api in ("sheets", "drive")}

    def request_counts(self, since: int = 0) -> dict[str, int]:
        """What Google counted from log position ``since``: requests per API (``sheets``, ``drive``), reads
        (``GET``) and writes (any other method) of each, and requests to the token endpoint."""
        with self._lock:
            log = self.log[since:]
        counts = {"sheets": 0, "drive": 0, "sheets_reads": 0, "sheets_writes": 0, "drive_reads": 0, "drive_writes": 0,
                  "token_refreshes": 0}
        for entry in log:
            if entry.api == "oauth":
                counts["token_refreshes"] += entry.path == "/token"
                continue
            counts[entry.api] += 1
            counts[f"{entry.api}_{'reads' if entry.method == 'GET' else 'writes'}"] += 1
        return counts

    @property
    def throttled(self) -> dict[str, int]:
        with self._lock:
            return {api: sum(1 for e in self.log if e.api == api and e.status == 429) for api in ("sheets", "drive")}

    def requests(self, api: str | None = None, spreadsheet_id: str | None = None) -> list[Logged]:
        with self._lock:
            return [
                e
                for e in self.log
                if (api is None or e.api == api) and (spreadsheet_id is None or e.spreadsheet_id == spreadsheet_id)
            ]

    def endpoint_counts(self, since: int = 0) -> dict[str, int]:
        """Requests per API method (``Logged.endpoint``) from log position ``since`` on."""
        with self._lock:
            counts: dict[str, int] = {}
            for entry in self.log[since:]:
                counts[entry.endpoint] = counts.get(entry.endpoint, 0) + 1
            return counts

    def settle(self, timeout: float = 30.0) -> None:
        """Wait until no request is being answered (an answer held by a fault is logged when it is sent)."""
        with self._idle:
            self._idle.wait_for(lambda: self._in_flight == 0, timeout=timeout)

    def reset_log(self) -> None:
        with self._lock:
            self.log.clear()

    # --- internals -------------------------------------------------------------------------------------

    def _next_time(self) -> datetime:
        self._edits += 1
        return _BASE_TIME + timedelta(seconds=self._edits, milliseconds=self._edits % 1000)

    @staticmethod
    def _write(file: FakeFile, title: str, cells: Mapping[str, Any]) -> None:
        sheet = file.sheets[title]
        for ref, value in cells.items():
            if value is None or value == "":
                sheet.pop(a1(ref), None)
            else:
                sheet[a1(ref)] = value

    def _take_fault(self, api: str, spreadsheet_id: str | None, endpoint: str | None = None,
                    body: bytes = b"") -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.endpoint is not None and fault.endpoint != endpoint:
                    continue
                if fault.body_contains is not None and fault.body_contains not in body:
                    continue
                if fault.times is not None and fault.times <= 0:
                    continue
                if fault.api not in (None, api):
                    continue
                if fault.spreadsheet_id not in (None, spreadsheet_id):
                    continue
                if fault.times is not None:
                    fault.times -= 1
                return fault
            return None

    def _over_quota(self) -> tuple[bool, str | None]:
        with self._lock:
            if self.quota is None:
                return False, None
            reads, window, retry_after = self.quota
            now = self.clock()
            while self._reads and now - self._reads[0] >= window:
                self._reads.popleft()
            if len(self._reads) >= reads:
                return True, retry_after
            self._reads.append(now)
            return False, None

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            self._closing.wait(seconds)

    def _record(self, entry: Logged) -> None:
        with self._lock:
            self.log.append(entry)

    # --- API behaviour ---------------------------------------------------------------------------------

    def batch_get(self, file: FakeFile, params: dict[str, list[str]]) -> tuple[int, Any]:
        render = params.get("valueRenderOption", ["FORMATTED_VALUE"])[0]
        dates = params.get("dateTimeRenderOption", ["SERIAL_NUMBER"])[0]
        major = params.get("majorDimension", ["ROWS"])[0]
        value_ranges = []
        for raw in params.get("ranges", []):
            try:
                title, bounds = parse_range(raw)
            except ValueError:
                return _error(400, f"Unable to parse range: {raw}", "INVALID_ARGUMENT")
            titles = list(file.sheets)
            title = titles[0] if title is None else title
            if title not in file.sheets:
                return _error(400, f"Unable to parse range: {raw}", "INVALID_ARGUMENT")
            n_rows, n_cols = file.grid[title]
            r1, c1, r2, c2 = bounds or (1, 1, n_rows, n_cols)
            r1, c1 = r1 or 1, c1 or 1
            r2, c2 = r2 or n_rows, c2 or n_cols
            r1, r2, c1, c2 = min(r1, r2), max(r1, r2), min(c1, c2), max(c1, c2)
            canonical = f"{quote_title(title)}!{_col_letters(c1)}{r1}"
            if (r1, c1) != (r2, c2):
                canonical += f":{_col_letters(c2)}{r2}"
            if r2 > n_rows or c2 > n_cols:
                message = f"Range ({canonical}) exceeds grid limits. Max rows: {n_rows}, max columns: {n_cols}"
                return _error(400, message, "INVALID_ARGUMENT")
            cells = file.sheets[title]
            if major == "COLUMNS":
                lines = [[cells.get((r, c), "") for r in range(r1, r2 + 1)] for c in range(c1, c2 + 1)]
            else:
                lines = [[cells.get((r, c), "") for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]
            trimmed = [_trim(line) for line in lines]
            while trimmed and not trimmed[-1]:
                trimmed.pop()
            entry: dict[str, Any] = {"range": canonical, "majorDimension": major}
            if trimmed:
                entry["values"] = [[_to_json_value(v, render, dates) for v in line] for line in trimmed]
            value_ranges.append(entry)
        return 200, {"spreadsheetId": file.id, "valueRanges": value_ranges}

    def metadata(self, file: FakeFile, params: dict[str, list[str]] | None = None) -> tuple[int, Any]:
        """``spreadsheets.get``: every sheet's properties and protected ranges; with ``ranges``, only the sheets
        they name, and their cells (``effectiveValue``, ``dataValidation``) when ``includeGridData`` is true or
        the ``fields`` mask asks for ``data``. A ``fields`` mask without ``protectedRanges`` leaves them out."""
        params = params or {}
        fields = params.get("fields", [""])[0]
        ranges = params.get("ranges", [])
        with_data = params.get("includeGridData", ["false"])[0] == "true" or re.search(r"(^|[(,.])data\b", fields)
        wanted: dict[str, list[tuple[int, int, int, int]]] = {}
        for raw in ranges:
            try:
                title, bounds = parse_range(raw)
            except ValueError:
                return _error(400, f"Unable to parse range: {raw}", "INVALID_ARGUMENT")
            title = title if title is not None else next(iter(file.sheets))
            if title not in file.sheets:
                return _error(400, f"Unable to parse range: {raw}", "INVALID_ARGUMENT")
            n_rows, n_cols = file.grid[title]
            r1, c1, r2, c2 = bounds or (1, 1, n_rows, n_cols)
            wanted.setdefault(title, []).append((r1 or 1, c1 or 1, r2 or n_rows, c2 or n_cols))
        ids = self.sheet_ids.get(file.id, {})
        sheets = []
        for index, (title, (rows, cols)) in enumerate(file.grid.items()):
            if ranges and title not in wanted:
                continue
            sheet_id = ids.get(title, index)
            sheet: dict[str, Any] = {"properties": {
                "sheetId": sheet_id, "title": title, "index": index, "sheetType": "GRID",
                "gridProperties": {"rowCount": rows, "columnCount": cols},
            }}
            protected = [dict(p) for p in self.protected.get(file.id, {}).values()
                         if p.get("range", {}).get("sheetId") == sheet_id]
            if protected and (not fields or "protectedRanges" in fields):
                sheet["protectedRanges"] = protected
            if with_data and title in wanted:
                sheet["data"] = [self._grid_data(file, title, box, fields) for box in wanted[title]]
            sheets.append(sheet)
        body = {"spreadsheetId": file.id, "properties": {"title": file.name}, "sheets": sheets}
        return 200, body

    def _grid_data(self, file: FakeFile, title: str, box: tuple[int, int, int, int], fields: str) -> dict[str, Any]:
        r1, c1, r2, c2 = box
        rules = self.validations.get(file.id, {}).get(title, {})
        cells = file.sheets[title]
        row_data: list[dict[str, Any]] = []
        for r in range(r1, r2 + 1):
            values: list[dict[str, Any]] = []
            for c in range(c1, c2 + 1):
                cell: dict[str, Any] = {}
                value = cells.get((r, c))
                if value is not None and (not fields or "effectiveValue" in fields):
                    cell["effectiveValue"] = _extended_value(value)
                if (r, c) in rules and (not fields or "dataValidation" in fields):
                    cell["dataValidation"] = json.loads(json.dumps(rules[(r, c)]))
                values.append(cell)
            while values and not values[-1]:
                values.pop()
            row_data.append({"values": values} if values else {})
        while row_data and not row_data[-1]:
            row_data.pop()
        return {"startRow": r1 - 1, "startColumn": c1 - 1, "rowData": row_data}

    def drive_list(self, params: dict[str, list[str]], caller: str | None = None) -> tuple[int, Any]:
        query = params.get("q", [""])[0]
        parent = re.search(r"'((?:[^'\\]|\\.)*)'\s+in\s+parents", query)
        mime = re.search(r"mimeType\s*=\s*'([^']*)'", query)
        named = re.search(r"name\s*=\s*'((?:[^'\\]|\\.)*)'", query)
        if mime is not None and mime.group(1) == FOLDER_MIME:
            return self._folder_list(None, named.group(1).replace("\\'", "'") if named else None)
        trashed = re.search(r"trashed\s*=\s*(true|false)", query)
        tags = {k.replace("\\'", "'"): v.replace("\\'", "'") for k, v in re.findall(
            r"appProperties\s+has\s+\{\s*key\s*=\s*'((?:[^'\\]|\\.)*)'\s+and\s+value\s*=\s*'((?:[^'\\]|\\.)*)'\s*\}", query)}
        folder = parent.group(1).replace("\\'", "'") if parent else None
        if folder is not None and folder not in self.folders:
            return _drive_not_found(folder)
        page_size = min(int(params.get("pageSize", ["100"])[0]), 1000)
        offset = int(params.get("pageToken", ["0"])[0])
        with self._lock:
            matching = [
                f
                for f in sorted(self.files.values(), key=lambda f: f.id)
                if f.access is None
                and self.role_of(f.id, caller) is not None
                and (folder is None or folder in f.parents)
                and (mime is None or mime.group(1) == SPREADSHEET_MIME)
                and (trashed is None or f.trashed == (trashed.group(1) == "true"))
                and all(self.app_properties.get(f.id, {}).get(k) == v for k, v in tags.items())
            ]
        page = matching[offset : offset + page_size]
        fields = params.get("fields", ["files(id,name,mimeType,kind)"])[0]
        inner = re.search(r"files\(([^)]*)\)", fields)
        wanted = inner.group(1).split(",") if inner else ["id", "name", "mimeType", "kind"]
        body: dict[str, Any] = {"files": [self._fields(f, wanted) for f in page]}
        if offset + page_size < len(matching):
            body["nextPageToken"] = str(offset + page_size)
        return 200, body

    def generate_ids(self, params: dict[str, list[str]]) -> tuple[int, Any]:
        """``files.generateIds``: ids the caller may give ``files.create`` (default 10, at most 1,000)."""
        count = int(params.get("count", ["10"])[0])
        if not 1 <= count <= 1000:
            return _error(400, "Invalid value for count.", "INVALID_ARGUMENT")
        with self._lock:
            ids = [f"1gen{next(self.write.counter):05d}" + "y" * 24 for _ in range(count)]
            self.reserved.update(ids)
        return 200, {"kind": "drive#generatedIds", "space": params.get("space", ["drive"])[0], "ids": ids}

    def drive_get(self, file_id: str, params: dict[str, list[str]], caller: str | None = None) -> tuple[int, Any]:
        if file_id == "generateIds":
            return self.generate_ids(params)
        file = self.files.get(file_id)
        if file is None or file.access is not None or self.role_of(file_id, caller) is None:
            return _drive_not_found(file_id)
        fields = params.get("fields", ["id,name,mimeType,kind"])[0].split(",")
        return 200, self._fields(file, fields)

    def _fields(self, file: FakeFile, wanted: list[str]) -> dict[str, Any]:
        body = _drive_fields(file, wanted)
        if "appProperties" in [w.strip() for w in wanted]:
            body["appProperties"] = dict(self.app_properties.get(file.id, {}))
        if "owners" in [w.strip() for w in wanted] and file.id in self.owners:
            body["owners"] = [{"emailAddress": self.owners[file.id]}]
        return body

    def _folder_list(self, parent: str | None, name: str | None) -> tuple[int, Any]:
        with self._lock:
            found = [
                {"id": fid, "name": fname, "mimeType": FOLDER_MIME}
                for fid, fname in sorted(self.folder_names.items())
                if name is None or fname == name
            ]
        del parent
        return 200, {"files": found}


def _extended_value(value: Any) -> dict[str, Any]:
    """A cell value as the Sheets API's ExtendedValue (dates as serial numbers)."""
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int | float):
        return {"numberValue": value}
    if isinstance(value, datetime | date | dtime):
        return {"numberValue": _to_json_value(value, "UNFORMATTED_VALUE", "SERIAL_NUMBER")}
    return {"stringValue": str(value)}


def _trim(line: list[Any]) -> list[Any]:
    end = len(line)
    while end and line[end - 1] == "":
        end -= 1
    return line[:end]


def _drive_fields(file: FakeFile, wanted: list[str]) -> dict[str, Any]:
    everything = {
        "kind": "drive#file",
        "id": file.id,
        "name": file.name,
        "mimeType": SPREADSHEET_MIME,
        "modifiedTime": file.modified_time,
        "createdTime": (file.created or _BASE_TIME).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "parents": list(file.parents),
        "trashed": file.trashed,
    }
    return {key.strip(): everything[key.strip()] for key in wanted if key.strip() in everything}


def _error(code: int, message: str, status: str) -> tuple[int, Any]:
    return code, {"error": {"code": code, "message": message, "status": status}}


def _drive_not_found(file_id: str) -> tuple[int, Any]:
    message = f"File not found: {file_id}."
    detail = {
        "message": message,
        "domain": "global",
        "reason": "notFound",
        "location": "fileId",
        "locationType": "parameter",
    }
    return 404, {"error": {"code": 404, "message": message, "errors": [detail]}}


_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    408: "DEADLINE_EXCEEDED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
_SHEETS_MESSAGES = {
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    429: "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' "
    "of service 'sheets.googleapis.com' for consumer 'project_number:000000000000'.",
    503: "The service is currently unavailable.",
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = 10
    server: ThreadingHTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        fake: FakeGoogle = self.server.fake  # type: ignore[attr-defined]
        with fake._idle:
            fake._in_flight += 1
        try:
            self._serve(fake, method)
        finally:
            with fake._idle:
                fake._in_flight -= 1
                fake._idle.notify_all()

    def _serve(self, fake: FakeGoogle, method: str) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        params = parse_qs(parts.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length", "0") or 0)
        raw = self.rfile.read(length) if length else b""
        headers: dict[str, str] = {}
        arrived = fake.clock()
        authorization = self.headers.get("Authorization")
        caller = fake.caller(authorization)
        if path in ("/token", "/revoke") and method == "POST":
            form = parse_qs(raw.decode(), keep_blank_values=True)
            status, body = fake.oauth_token(form) if path == "/token" else fake.revoke(form)
            fake._record(Logged(method, "oauth", path, form, status, None, arrived, None, form, None))
            self._send(status, body, {})
            return
        if path == "/auth" and method == "GET":
            status, headers = fake.oauth_authorize(params)
            fake._record(Logged(method, "oauth", path, params, status, None, arrived, None, None, None))
            self._send(status, b"", headers)
            return
        api = "sheets" if path.startswith("/v4/") else "drive"
        spreadsheet_id = _spreadsheet_id(path)
        payload: Any = None
        if raw and "json" in self.headers.get("Content-Type", ""):
            try:
                payload = json.loads(raw)
            except ValueError:
                payload = None
        if not fake.token_valid(authorization):
            status, body = _error(401, "Request had invalid authentication credentials.", "UNAUTHENTICATED")
        elif method == "GET":
            status, body = self._answer(fake, api, path, params, spreadsheet_id, headers, caller)
        else:
            status, body = self._write_answer(fake, method, api, path, params, spreadsheet_id, headers, caller,
                                              raw, payload)
        fake._record(Logged(method, api, path, params, status, spreadsheet_id, arrived, authorization, payload, caller))
        self._send(status, body, headers)

    def _write_answer(
        self, fake: FakeGoogle, method: str, api: str, path: str, params: dict[str, list[str]],
        spreadsheet_id: str | None, headers: dict[str, str], caller: str | None, raw: bytes, payload: Any,
    ) -> tuple[int, Any]:
        fault = fake._take_fault(api, spreadsheet_id, endpoint_of(method, path, params), raw)
        if fault is not None and fault.applied:  # it takes effect; then the answer is held or replaced
            answer = self._write_effect(fake, method, api, path, params, spreadsheet_id, headers, caller, raw, payload)
            fake._pause(fault.delay)
            if fault.status is None:
                return answer
            return _error(fault.status, _SHEETS_MESSAGES.get(fault.status, "Error"), _status_name(fault.status))
        if fault is not None and fault.status is not None:
            fake._pause(fault.delay)
            if fault.retry_after is not None:
                headers["Retry-After"] = fault.retry_after
            if fault.body is not None:
                return fault.status, fault.body
            return _error(fault.status, _SHEETS_MESSAGES.get(fault.status, "Error"), _status_name(fault.status))
        fake._pause(fake.latency)
        return self._write_effect(fake, method, api, path, params, spreadsheet_id, headers, caller, raw, payload)

    def _write_effect(
        self, fake: FakeGoogle, method: str, api: str, path: str, params: dict[str, list[str]],
        spreadsheet_id: str | None, headers: dict[str, str], caller: str | None, raw: bytes, payload: Any,
    ) -> tuple[int, Any]:
        body = payload if isinstance(payload, dict) else {}
        if path.startswith("/upload/drive/v3/files"):
            status, answer, extra = fake.upload(method, params, self.headers, raw, caller)
            headers.update(extra)
            return status, answer
        if path == "/drive/v3/files" and method == "POST":
            return fake.create_file(body, None, caller)
        if re.match(r"^/drive/v3/files/[^/]+$", path) and method == "PATCH":
            return fake.update_file(path.removeprefix("/drive/v3/files/"), body, caller)
        perm = re.match(r"^/drive/v3/files/([^/]+)/permissions(?:/([^/]+))?$", path)
        if perm:
            return fake.permission_call(method, perm.group(1), perm.group(2), params, body, caller)
        if api == "sheets" and method == "POST" and fake._over_write_quota():
            return _error(429, "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute "
                          "per user' of service 'sheets.googleapis.com'.", "RESOURCE_EXHAUSTED")
        if api == "sheets" and method == "POST":
            file = fake.files.get(spreadsheet_id or "")
            if file is None or file.access == 404 or fake.role_of(file.id, caller) is None:
                return _error(404, _SHEETS_MESSAGES[404], "NOT_FOUND")
            if file.access == 403 or fake.role_of(file.id, caller) not in ("owner", "writer"):
                return _error(403, _SHEETS_MESSAGES[403], "PERMISSION_DENIED")
            with fake._lock:
                if path.endswith("/values:batchUpdate"):
                    return fake.values_batch_update(file, body, caller)
                if path.endswith(":batchUpdate"):
                    return fake.batch_update(file, body)
        return _error(404, "Not Found", "NOT_FOUND")

    def _send(self, status: int, body: Any, headers: dict[str, str]) -> None:
        payload = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        with suppress(BrokenPipeError, ConnectionResetError):
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

    def _answer(
        self,
        fake: FakeGoogle,
        api: str,
        path: str,
        params: dict[str, list[str]],
        spreadsheet_id: str | None,
        headers: dict[str, str],
        caller: str | None = None,
    ) -> tuple[int, Any]:
        fault = fake._take_fault(api, spreadsheet_id, endpoint_of("GET", path, params))
        if fault is not None:
            fake._pause(fault.delay)
            if fault.status is not None:
                if fault.retry_after is not None:
                    headers["Retry-After"] = fault.retry_after
                if fault.body is not None:
                    return fault.status, fault.body
                return _error(fault.status, _SHEETS_MESSAGES.get(fault.status, "Error"), _status_name(fault.status))
        if api == "sheets":
            over, retry_after = fake._over_quota()
            if over:
                if retry_after is not None:
                    headers["Retry-After"] = retry_after
                fake._pause(fake.latency)
                return _error(429, _SHEETS_MESSAGES[429], "RESOURCE_EXHAUSTED")
        fake._pause(fake.latency)
        if api == "drive":
            if path == "/drive/v3/about":
                return fake.about(caller)
            if path == "/drive/v3/files":
                return fake.drive_list(params, caller)
            perm = re.match(r"^/drive/v3/files/([^/]+)/permissions(?:/([^/]+))?$", path)
            if perm:
                return fake.permission_call("GET", perm.group(1), perm.group(2), params, {}, caller)
            if path.startswith("/drive/v3/files/"):
                return fake.drive_get(path.removeprefix("/drive/v3/files/"), params, caller)
            return _error(404, "Not Found", "NOT_FOUND")
        file = fake.files.get(spreadsheet_id or "")
        if file is None or file.access == 404 or fake.role_of(file.id, caller) is None:
            return _error(404, _SHEETS_MESSAGES[404], "NOT_FOUND")
        if file.access == 403:
            return _error(403, _SHEETS_MESSAGES[403], "PERMISSION_DENIED")
        with fake._lock:
            if path.endswith("/values:batchGet"):
                return fake.batch_get(file, params)
            if path == f"/v4/spreadsheets/{file.id}":
                return fake.metadata(file, params)
        return _error(404, "Requested entity was not found.", "NOT_FOUND")


def _status_name(code: int) -> str:
    return _STATUS_NAMES.get(code, "UNKNOWN")


def _spreadsheet_id(path: str) -> str | None:
    if path == "/drive/v3/files/generateIds":
        return None
    match = re.match(r"^/v4/spreadsheets/([^/:]+)", path) or re.match(r"^/drive/v3/files/([^/]+)", path)
    return match.group(1) if match else None
