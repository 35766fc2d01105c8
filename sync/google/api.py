"""The two Google calls a sync makes, over gspread's HTTP client, each failure explained in Vietnamese.

- :meth:`GoogleApi.modified_times`: the Drive ``modifiedTime`` of the registered spreadsheets, to skip the
  ones that did not change. With a folder id: one ``files.list`` (all pages) of the spreadsheets in that
  folder. Drive's query language cannot select files by id (``q`` has no ``id = ...`` term), so ids outside
  the folder, or all ids when no folder is configured, cost one ``files.get`` each.
- :meth:`GoogleApi.batch_get`: one ``values:batchGet`` per spreadsheet carrying every range, with
  ``UNFORMATTED_VALUE`` and ``SERIAL_NUMBER``; no metadata request (``open_by_key`` would make one).

Outside a sync, :meth:`GoogleApi.sheet_titles` (one metadata read) serves ``dvk sheets check``; ``client`` is
a ``gspread.Client`` sharing the same retrying HTTP client for anything else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import google.auth.exceptions
import gspread
import requests
from gspread.http_client import ParamsType
from gspread.urls import DRIVE_FILES_API_V3_URL

from schemas.errors import ConfigError, GoogleApiError

from .errors import MalformedResponse, explain
from .http import RequestCounts, RetryingHTTPClient

__all__ = ["SPREADSHEET_MIME", "GoogleApi", "pad", "spreadsheet_id_from"]

SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
BATCH_GET_PARAMS: dict[str, str] = {
    "valueRenderOption": "UNFORMATTED_VALUE",
    "dateTimeRenderOption": "SERIAL_NUMBER",
    "majorDimension": "ROWS",
}
_FAILURES = (
    GoogleApiError,
    gspread.exceptions.APIError,
    ValueError,
    requests.RequestException,
    google.auth.exceptions.GoogleAuthError,
)
_ID = r"[A-Za-z0-9_-]+"
_URL_ID = re.compile(rf"/(?:spreadsheets|file)(?:/u/\d+)?/d/({_ID})|[?&](?:id|key)=({_ID})")
_BARE_ID = re.compile(rf"{_ID}")


def spreadsheet_id_from(url_or_id: str) -> str:
    """The spreadsheet id in a Google Sheets/Drive link (``.../spreadsheets/d/ID/edit#gid=0``) or a bare id."""
    text = url_or_id.strip()
    if _BARE_ID.fullmatch(text):
        return text
    if text.startswith(("http://", "https://", "docs.google.com/", "drive.google.com/")):
        match = _URL_ID.search(text)
        if match:
            return match.group(1) or match.group(2)
    raise ConfigError(
        f"Không nhận ra mã bảng tính Google trong “{url_or_id}”: hãy dán đường dẫn dạng "
        "https://docs.google.com/spreadsheets/d/<mã>/edit hoặc chính mã bảng tính.",
        key="units.sheet",
        value=url_or_id,
    )


def pad(rows: Sequence[Sequence[Any]], n_rows: int, n_cols: int, fill: Any = None) -> list[list[Any]]:
    """``rows`` as returned by the API (ragged, trailing empties dropped) padded to ``n_rows`` × ``n_cols``."""
    if len(rows) > n_rows or any(len(row) > n_cols for row in rows):
        raise ValueError(f"rows do not fit in {n_rows}x{n_cols}")
    padded = [[*row, *([fill] * (n_cols - len(row)))] for row in rows]
    padded.extend([fill] * n_cols for _ in range(n_rows - len(rows)))
    return padded


class GoogleApi:
    """The Google side of a sync: built by :func:`sync.google.build_client`, shared by the whole run."""

    def __init__(
        self,
        http: RetryingHTTPClient,
        *,
        service_account: str | None = None,
        page_size: int = 1000,
        max_pages: int = 100,
        user: str | None = None,
    ):
        self.http = http
        self.service_account = service_account
        self.user = user  # the signed-in Google account when the client runs as the commune (OAuth)
        self.page_size = page_size
        self.max_pages = max_pages
        self.client = gspread.Client(http.auth, session=http.session)
        self.client.http_client = http  # gspread's own calls go through the same retry, pacing and counters

    @property
    def counts(self) -> dict[str, int]:
        """HTTP requests sent per API (every attempt): ``{"sheets": n, "drive": m}``."""
        return self.http.counts

    @property
    def request_counts(self) -> RequestCounts:
        """Every request sent: Sheets and Drive reads and writes apart, and token refreshes."""
        return self.http.request_counts

    @property
    def throttled(self) -> dict[str, int]:
        """429 answers received per API."""
        return self.http.throttled

    def reset_counts(self) -> None:
        self.http.reset_counts()

    def cancel(self) -> None:
        """Ctrl-C: waiting retries stop now, no further request is sent."""
        self.http.cancel()

    def close(self) -> None:
        """Close the HTTP connections."""
        self.http.session.close()

    def __enter__(self) -> GoogleApi:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def modified_times(self, ids: Sequence[str] | None = None, folder_id: str | None = None) -> dict[str, str]:
        """Spreadsheet id → Drive ``modifiedTime`` (RFC 3339) for ``ids`` and/or the spreadsheets in a folder.

        With ``folder_id``: one paged ``files.list`` of the folder's spreadsheets (not trashed); when ``ids``
        are also given the result keeps only those, and ids not in the folder are looked up one by one.
        Without ``folder_id``: one ``files.get`` per id. An id the service account cannot see (Drive answers
        404 for both deleted and not-shared files, 403 for some) is left out of the result, so the caller
        fetches it and :meth:`batch_get` reports why. Any other failure raises ``GoogleApiError``.
        """
        if ids is None and folder_id is None:
            raise ValueError("modified_times needs ids or a folder_id")
        wanted = None if ids is None else list(dict.fromkeys(ids))
        listed: dict[str, str] = {} if folder_id is None else self._list_folder(folder_id)
        if wanted is None:
            return listed
        times: dict[str, str] = {}
        for file_id in wanted:
            modified = listed.get(file_id)
            if modified is None:
                modified = self._file_modified(file_id)
            if modified is not None:
                times[file_id] = modified
        return times

    def batch_get(self, spreadsheet_id: str, ranges: Sequence[str]) -> list[list[list[Any]]]:
        """One ``values:batchGet``: for each range, in request order, its rows as the API sent them.

        Rows are ragged (trailing empty cells and rows dropped; ``[]`` when the API omitted ``values``);
        pad them to the layout's shape with :func:`pad` or the Grid. Failures raise ``GoogleApiError``.
        """
        ranges = list(ranges)
        if not ranges:
            return []
        params: ParamsType = dict(BATCH_GET_PARAMS)
        try:
            body = self.http.values_batch_get(spreadsheet_id, ranges, params=params)
            return _value_ranges(body, len(ranges))
        except _FAILURES as exc:
            raise explain(exc, spreadsheet_id=spreadsheet_id, service_account=self.service_account) from exc

    def sheet_titles(self, spreadsheet_id: str) -> list[str]:
        """The tab titles in order: one metadata read (``spreadsheets.get``), for ``dvk sheets check``.

        A sync never calls this; failures raise ``GoogleApiError`` like :meth:`batch_get`.
        """
        params: ParamsType = {"fields": "sheets.properties.title"}
        try:
            body = self.http.fetch_sheet_metadata(spreadsheet_id, params=params)
            sheets = body.get("sheets") if isinstance(body, dict) else None
            if not isinstance(sheets, list):
                raise MalformedResponse("spreadsheets.get: no sheets list")
            titles = [sheet.get("properties", {}).get("title") for sheet in sheets if isinstance(sheet, dict)]
            if len(titles) != len(sheets) or not all(isinstance(title, str) for title in titles):
                raise MalformedResponse("spreadsheets.get: a sheet without a title")
            return [str(title) for title in titles]
        except _FAILURES as exc:
            raise explain(exc, spreadsheet_id=spreadsheet_id, service_account=self.service_account) from exc

    def _list_folder(self, folder_id: str) -> dict[str, str]:
        escaped = folder_id.replace("\\", "\\\\").replace("'", "\\'")
        params: ParamsType = {
            "q": f"'{escaped}' in parents and mimeType='{SPREADSHEET_MIME}' and trashed=false",
            "fields": "nextPageToken,files(id,name,modifiedTime)",
            "pageSize": self.page_size,
            "supportsAllDrives": True,
            "includeItemsFromAllDrives": True,
        }
        times: dict[str, str] = {}
        seen: set[str] = set()
        try:
            for _page in range(self.max_pages):
                body = self.http.request("get", DRIVE_FILES_API_V3_URL, params=params).json()
                if not isinstance(body, dict) or not isinstance(body.get("files", []), list):
                    raise MalformedResponse("files.list: no files list")
                for entry in body.get("files", []):
                    file_id, modified = _file_entry(entry)
                    times[file_id] = modified
                token = body.get("nextPageToken")
                if not token:
                    return times
                if str(token) in seen:  # Drive handed back a token it already gave: it would loop forever
                    raise MalformedResponse(f"files.list: nextPageToken {token!r} repeated")
                seen.add(str(token))
                params["pageToken"] = str(token)
            raise MalformedResponse(f"files.list: more than {self.max_pages} pages")
        except _FAILURES as exc:
            raise explain(exc, folder_id=folder_id, service_account=self.service_account) from exc

    def _file_modified(self, file_id: str) -> str | None:
        params: ParamsType = {"fields": "id,name,modifiedTime", "supportsAllDrives": True}
        try:
            body = self.http.request("get", f"{DRIVE_FILES_API_V3_URL}/{file_id}", params=params).json()
            return _file_entry(body)[1]
        except gspread.exceptions.APIError as exc:
            if exc.response.status_code in (403, 404):
                return None
            raise explain(exc, spreadsheet_id=file_id, service_account=self.service_account) from exc
        except _FAILURES as exc:
            raise explain(exc, spreadsheet_id=file_id, service_account=self.service_account) from exc


def _file_entry(entry: object) -> tuple[str, str]:
    if not isinstance(entry, dict):
        raise MalformedResponse("Drive file entry is not an object")
    file_id, modified = entry.get("id"), entry.get("modifiedTime")
    if not isinstance(file_id, str) or not isinstance(modified, str):
        raise MalformedResponse("Drive file entry without id or modifiedTime")
    return file_id, modified


def _value_ranges(body: object, expected: int) -> list[list[list[Any]]]:
    if not isinstance(body, dict) or not isinstance(body.get("valueRanges"), list):
        raise MalformedResponse("values:batchGet: no valueRanges list")
    value_ranges: list[object] = body["valueRanges"]
    if len(value_ranges) != expected:
        raise MalformedResponse(f"values:batchGet: {len(value_ranges)} ranges for {expected} requested")
    result: list[list[list[Any]]] = []
    for value_range in value_ranges:
        if not isinstance(value_range, dict):
            raise MalformedResponse("values:batchGet: a value range is not an object")
        rows = value_range.get("values", [])
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise MalformedResponse("values:batchGet: values is not a list of rows")
        if any(isinstance(cell, dict | list) for row in rows for cell in row):
            raise MalformedResponse("values:batchGet: a cell is not a scalar")
        result.append([list(row) for row in rows])
    return result
