"""The writing half of the local Google fake: OAuth, Drive uploads/folders/permissions, Sheets writes.

Mixed into :class:`tests.sync.fake_google.FakeGoogle`. Endpoints, with the answers the real APIs give:

- OAuth: ``GET /auth`` (the consent page: answers 302 to ``redirect_uri`` with ``code`` and ``state``, as the
  browser would see after the user clicks "Allow"), ``POST /token`` with ``authorization_code``,
  ``refresh_token`` (new access token) and the service-account ``jwt-bearer`` grant.
- Drive: ``POST /upload/drive/v3/files?uploadType=multipart`` and ``uploadType=resumable`` (+ the ``PUT`` of
  the session URI), converting an uploaded .xlsx into a spreadsheet when the metadata asks for the
  Google Sheets mimeType; ``POST /drive/v3/files`` (folders); ``GET/POST /drive/v3/files/{id}/permissions``,
  ``PATCH/DELETE .../permissions/{pid}``; ``GET /drive/v3/about``. A service account creating a file gets
  403 ``storageQuotaExceeded`` (it has no Drive storage of its own).
- Sheets: ``POST /v4/spreadsheets/{id}/values:batchUpdate`` and ``POST /v4/spreadsheets/{id}:batchUpdate``
  with ``addSheet``, ``repeatCell`` and ``updateCells`` (background colours kept per cell).

Identity: a bearer token maps to a caller (the service account, a signed-in user, or any e-mail via
:meth:`token_for`). Files created through the API have an owner and permissions, enforced on every call;
files added with ``add_spreadsheet`` stay open to any caller (as the read tests expect).
"""

from __future__ import annotations

import io
import itertools
import json
import re
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs, urlencode

import openpyxl

__all__ = ["FOLDER_MIME", "SERVICE_ACCOUNT", "USER_EMAIL", "Permission", "WriteMixin"]

FOLDER_MIME = "application/vnd.google-apps.folder"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
USER_EMAIL = "vanphong.caominh@gmail.com"
SERVICE_ACCOUNT = "dvk-sync@dvk-test.iam.gserviceaccount.com"
_ROLES = ("owner", "writer", "commenter", "reader")


@dataclass
class Permission:
    id: str
    role: str
    type: str
    email: str | None

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"kind": "drive#permission", "id": self.id, "type": self.type, "role": self.role}
        if self.email:
            body["emailAddress"] = self.email
        return body


@dataclass
class Upload:
    metadata: dict[str, Any]
    caller: str | None


@dataclass
class WriteState:
    tokens: dict[str, str] = field(default_factory=dict)  # access token → caller e-mail
    refresh: dict[str, str] = field(default_factory=dict)  # refresh token → caller e-mail
    codes: dict[str, tuple[str, str]] = field(default_factory=dict)  # code → (e-mail, scope)
    uploads: dict[str, Upload] = field(default_factory=dict)
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))


def _error(code: int, message: str, reason: str | None = None, status: str | None = None) -> tuple[int, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if reason:
        error["errors"] = [{"domain": "global", "reason": reason, "message": message}]
    if status:
        error["status"] = status
    return code, {"error": error}


class WriteMixin:
    """OAuth, Drive writes and Sheets writes for the fake (state lives on the FakeGoogle instance)."""

    files: dict[str, Any]
    folders: set[str]
    _lock: Any
    user_email: str = USER_EMAIL
    write: WriteState

    def _init_write(self) -> None:
        self.write = WriteState()
        self.permissions: dict[str, list[Permission]] = {}
        self.owners: dict[str, str] = {}
        self.folder_names: dict[str, str] = {}
        self.app_properties: dict[str, dict[str, str]] = {}
        self.formats: dict[str, dict[str, dict[tuple[int, int], dict[str, float]]]] = {}
        self.sheet_ids: dict[str, dict[str, int]] = {}
        self.expired: set[str] = set()

    # --- identities ---------------------------------------------------------------------------------------

    def token_for(self, email: str) -> str:
        """An access token for ``email`` (a unit writing its sheet in the tests)."""
        with self._lock:
            token = f"ya29.fake-{next(self.write.counter)}"
            self.write.tokens[token] = email
            return token

    def expire_tokens(self) -> None:
        """Every access token issued so far answers 401 from now on (refresh tokens keep working)."""
        with self._lock:
            self.expired.update(self.write.tokens)

    def caller(self, authorization: str | None) -> str | None:
        """The e-mail behind a bearer token; the service account for its token; None when anonymous."""
        from tests.sync.fake_google import FAKE_TOKEN

        if not authorization or not authorization.startswith("Bearer "):
            return None
        token = authorization.removeprefix("Bearer ").strip()
        if token == FAKE_TOKEN:
            return SERVICE_ACCOUNT
        return self.write.tokens.get(token, "?unknown")

    def token_valid(self, authorization: str | None) -> bool:
        if not authorization or not authorization.startswith("Bearer "):
            return True
        token = authorization.removeprefix("Bearer ").strip()
        return token not in self.expired and self.caller(authorization) != "?unknown"

    def role_of(self, file_id: str, caller: str | None) -> str | None:
        """The caller's role on a file created through the API; "owner" for files without permissions."""
        perms = self.permissions.get(file_id)
        if perms is None:
            return "owner"  # added by the test with add_spreadsheet: open to anyone
        best = None
        for perm in perms:
            mine = perm.type == "anyone" or (caller is not None and perm.email == caller)
            if mine and (best is None or _ROLES.index(perm.role) < _ROLES.index(best)):
                best = perm.role
        return best

    # --- OAuth --------------------------------------------------------------------------------------------

    def oauth_authorize(self, params: dict[str, list[str]]) -> tuple[int, dict[str, str]]:
        """The consent page after "Allow": a redirect to the app's loopback address with a code."""
        redirect = params.get("redirect_uri", [""])[0]
        if not redirect.startswith(("http://localhost", "http://127.0.0.1")):
            return 400, {}
        code = f"code-{next(self.write.counter)}"
        scope = params.get("scope", [""])[0]
        with self._lock:
            self.write.codes[code] = (self.user_email, scope)
        query = urlencode({"state": params.get("state", [""])[0], "code": code, "scope": scope})
        return 302, {"Location": f"{redirect}?{query}"}

    def oauth_token(self, form: dict[str, list[str]]) -> tuple[int, Any]:
        from tests.sync.fake_google import FAKE_TOKEN

        grant = form.get("grant_type", [""])[0]
        bad = {"error": "invalid_grant", "error_description": "Bad Request"}
        with self._lock:
            if grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
                return 200, {"access_token": FAKE_TOKEN, "expires_in": 3600, "token_type": "Bearer"}
            if grant == "authorization_code":
                found = self.write.codes.pop(form.get("code", [""])[0], None)
                if found is None:
                    return 400, bad
                email, scope = found
                refresh = f"1//fake-refresh-{next(self.write.counter)}"
                self.write.refresh[refresh] = email
                access = self.token_for(email)
                return 200, {"access_token": access, "refresh_token": refresh, "expires_in": 3599,
                             "scope": scope, "token_type": "Bearer"}
            if grant == "refresh_token":
                email_or_none = self.write.refresh.get(form.get("refresh_token", [""])[0])
                if email_or_none is None:
                    return 400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
                return 200, {"access_token": self.token_for(email_or_none), "expires_in": 3599, "token_type": "Bearer"}
        return 400, bad

    def revoke(self, form: dict[str, list[str]]) -> tuple[int, Any]:
        token = form.get("token", [""])[0]
        with self._lock:
            self.write.refresh.pop(token, None)
            self.write.tokens.pop(token, None)
        return 200, {}

    # --- Drive --------------------------------------------------------------------------------------------

    def about(self, caller: str | None) -> tuple[int, Any]:
        email = caller or "anonymous@example.com"
        return 200, {"user": {"kind": "drive#user", "displayName": email.split("@")[0], "emailAddress": email,
                              "me": True}}

    def create_file(self, metadata: dict[str, Any], media: bytes | None, caller: str | None) -> tuple[int, Any]:
        from tests.sync.fake_google import SPREADSHEET_MIME

        if caller == SERVICE_ACCOUNT and metadata.get("mimeType") != FOLDER_MIME:
            message = (
                "Service Accounts do not have storage quota. Leverage shared drives "
                "(https://developers.google.com/workspace/drive/api/guides/about-shareddrives), or use OAuth "
                "delegation (http://support.google.com/a/answer/7281227) instead."
            )
            return _error(403, message, "storageQuotaExceeded")
        parents = [str(p) for p in metadata.get("parents", [])]
        for parent in parents:
            if parent not in self.folders:
                return _error(404, f"File not found: {parent}.", "notFound")
        with self._lock:
            file_id = f"1fake{next(self.write.counter):04d}" + "x" * 20
            name = str(metadata.get("name", "Untitled"))
            owner = caller or "anonymous@example.com"
            if metadata.get("mimeType") == FOLDER_MIME:
                self.folders.add(file_id)
                self.folder_names[file_id] = name
                self.permissions[file_id] = [Permission(f"p-{owner}", "owner", "user", owner)]
                self.owners[file_id] = owner
                return 200, {"kind": "drive#file", "id": file_id, "name": name, "mimeType": FOLDER_MIME}
            if metadata.get("mimeType") != SPREADSHEET_MIME or media is None:
                return _error(400, "Only conversions to Google Sheets are faked.", "badRequest")
            try:
                sheets = _xlsx_cells(media)
            except Exception:
                return _error(400, "The file could not be converted.", "cannotConvert")
            file = self.add_spreadsheet(file_id, sheets, name=name, folder=parents[0] if parents else None)  # type: ignore[attr-defined]
            self.permissions[file_id] = [Permission(f"p-{owner}", "owner", "user", owner)]
            self.owners[file_id] = owner
            self.app_properties[file_id] = {str(k): str(v) for k, v in (metadata.get("appProperties") or {}).items()}
            self.sheet_ids[file_id] = {title: 1000 + i for i, title in enumerate(file.sheets)}
            return 200, {"kind": "drive#file", "id": file_id, "name": name, "mimeType": SPREADSHEET_MIME,
                         "webViewLink": f"https://docs.google.com/spreadsheets/d/{file_id}/edit?usp=drivesdk"}

    def upload(self, method: str, params: dict[str, list[str]], headers: Any, body: bytes,
               caller: str | None) -> tuple[int, Any, dict[str, str]]:
        kind = params.get("uploadType", [""])[0]
        if method == "POST" and kind == "multipart":
            content_type = headers.get("Content-Type", "")
            message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
            parts = [p for p in message.iter_parts()] if message.is_multipart() else []
            if len(parts) != 2:
                return (*_error(400, "Malformed multipart body.", "badContent"), {})
            metadata = json.loads(parts[0].get_payload(decode=True) or b"{}")
            media = parts[1].get_payload(decode=True)
            return (*self.create_file(metadata, media, caller), {})
        if method == "POST" and kind == "resumable":
            if caller == SERVICE_ACCOUNT:
                return (*self.create_file({}, None, caller), {})
            upload_id = f"up-{next(self.write.counter)}"
            self.write.uploads[upload_id] = Upload(json.loads(body or b"{}"), caller)
            base = headers.get("Host", "")
            return 200, {}, {"Location": f"http://{base}/upload/drive/v3/files?uploadType=resumable&upload_id={upload_id}"}
        if method == "PUT" and kind == "resumable":
            pending = self.write.uploads.pop(params.get("upload_id", [""])[0], None)
            if pending is None:
                return (*_error(404, "Upload session not found.", "notFound"), {})
            return (*self.create_file(pending.metadata, body, pending.caller), {})
        return (*_error(400, f"Unsupported uploadType {kind!r}.", "badRequest"), {})

    def permission_call(self, method: str, file_id: str, perm_id: str | None, params: dict[str, list[str]],
                        body: dict[str, Any], caller: str | None) -> tuple[int, Any]:
        from tests.sync.fake_google import _drive_not_found

        file = self.files.get(file_id)
        if (file is None and file_id not in self.folders) or self.role_of(file_id, caller) is None:
            return _drive_not_found(file_id)
        perms = self.permissions.setdefault(file_id, [])
        if method == "GET" and perm_id is None:
            return 200, {"kind": "drive#permissionList", "permissions": [p.to_json() for p in perms]}
        if self.role_of(file_id, caller) not in ("owner", "writer"):
            return _error(403, "The user does not have sufficient permissions for this file.", "insufficientFilePermissions")
        if method == "POST":
            role, kind = str(body.get("role", "")), str(body.get("type", ""))
            if role not in _ROLES[1:] or kind not in ("user", "group", "domain", "anyone"):
                return _error(400, "Invalid permission.", "invalid")
            email = body.get("emailAddress")
            if kind in ("user", "group") and not (isinstance(email, str) and re.fullmatch(r"[^@\s]+@[^@\s]+\.\w+", email)):
                return _error(400, f"Invalid value for: emailAddress {email}", "invalid")
            with self._lock:
                existing = next((p for p in perms if p.email == email and email), None)
                if existing is not None:  # Drive updates the role of an existing grant
                    existing.role = role
                    return 200, existing.to_json()
                perm = Permission(f"p-{email or kind}", role, kind, email if isinstance(email, str) else None)
                perms.append(perm)
                return 200, perm.to_json()
        target = next((p for p in perms if p.id == perm_id), None)
        if target is None:
            return _error(404, f"Permission not found: {perm_id}.", "notFound")
        if method == "PATCH":
            role = str(body.get("role", ""))
            if role not in _ROLES[1:] or target.role == "owner":
                return _error(400, "Invalid permission role.", "invalid")
            target.role = role
            return 200, target.to_json()
        if method == "DELETE":
            if target.role == "owner":
                return _error(403, "The owner of a file cannot be removed.", "cannotRemoveOwner")
            perms.remove(target)
            return 204, b""
        return _error(405, "Method not allowed.", "badRequest")

    # --- Sheets writes ------------------------------------------------------------------------------------

    def values_batch_update(self, file: Any, body: dict[str, Any]) -> tuple[int, Any]:
        from tests.sync.fake_google import _col_letters, parse_range

        total = 0
        for entry in body.get("data", []):
            try:
                title, bounds = parse_range(str(entry.get("range", "")))
            except ValueError:
                return _error(400, f"Unable to parse range: {entry.get('range')}", status="INVALID_ARGUMENT")
            title = title or next(iter(file.sheets))
            if title not in file.sheets:
                return _error(400, f"Unable to parse range: {entry.get('range')}", status="INVALID_ARGUMENT")
            r1, c1 = (bounds[0] or 1, bounds[1] or 1) if bounds else (1, 1)
            cells: dict[str, Any] = {}
            for i, row in enumerate(entry.get("values", [])):
                for j, value in enumerate(row):
                    cells[f"{_col_letters(c1 + j)}{r1 + i}"] = value
            if r1 + len(entry.get("values", [])) - 1 > file.grid[title][0]:
                return _error(400, "Range exceeds grid limits.", status="INVALID_ARGUMENT")
            self._write(file, title, cells)  # type: ignore[attr-defined]
            total += len(cells)
        if total:
            file.modified = self._next_time()  # type: ignore[attr-defined]
        return 200, {"spreadsheetId": file.id, "totalUpdatedCells": total}

    def batch_update(self, file: Any, body: dict[str, Any]) -> tuple[int, Any]:
        ids = self.sheet_ids.setdefault(file.id, {t: i for i, t in enumerate(file.sheets)})
        by_id = {v: k for k, v in ids.items()}
        formats = self.formats.setdefault(file.id, {})
        replies: list[dict[str, Any]] = []
        for request in body.get("requests", []):
            if "addSheet" in request:
                props = request["addSheet"].get("properties", {})
                title = str(props.get("title", f"Sheet{len(file.sheets) + 1}"))
                if title in file.sheets:
                    message = f'Invalid requests[{len(replies)}].addSheet: A sheet with the name "{title}" already exists.'
                    return _error(400, message, status="INVALID_ARGUMENT")
                sheet_id = int(props.get("sheetId", max(ids.values(), default=0) + 1))
                file.sheets[title] = {}
                file.grid[title] = (1000, 26)
                ids[title] = sheet_id
                by_id[sheet_id] = title
                replies.append({"addSheet": {"properties": {"sheetId": sheet_id, "title": title, "index": len(ids) - 1,
                                                            "sheetType": "GRID"}}})
            elif "repeatCell" in request or "updateCells" in request:
                inner = request.get("repeatCell") or request["updateCells"]
                grid = inner.get("range") or {}
                if "start" in inner:
                    start = inner["start"]
                    n = len(inner.get("rows", []))
                    grid = {"sheetId": start.get("sheetId", 0), "startRowIndex": start.get("rowIndex", 0),
                            "endRowIndex": start.get("rowIndex", 0) + n, "startColumnIndex": start.get("columnIndex", 0),
                            "endColumnIndex": start.get("columnIndex", 0) + 1}
                title = by_id.get(int(grid.get("sheetId", 0)))
                if title is None:
                    return _error(400, f"Invalid requests[{len(replies)}]: No grid with id: {grid.get('sheetId')}",
                                  status="INVALID_ARGUMENT")
                if "userEnteredFormat" not in str(inner.get("fields", "")):
                    return _error(400, "fields must name userEnteredFormat.", status="INVALID_ARGUMENT")
                sheet = formats.setdefault(title, {})
                if "repeatCell" in request:
                    color = inner.get("cell", {}).get("userEnteredFormat", {}).get("backgroundColor")
                    cells = [(r + 1, c + 1) for r in range(grid["startRowIndex"], grid["endRowIndex"])
                             for c in range(grid["startColumnIndex"], grid["endColumnIndex"])]
                    for cell in cells:
                        if color is None:
                            sheet.pop(cell, None)
                        else:
                            sheet[cell] = dict(color)
                else:
                    for i, row in enumerate(inner.get("rows", [])):
                        for j, value in enumerate(row.get("values", [])):
                            cell = (grid["startRowIndex"] + i + 1, grid["startColumnIndex"] + j + 1)
                            color = value.get("userEnteredFormat", {}).get("backgroundColor")
                            if color is None:
                                sheet.pop(cell, None)
                            else:
                                sheet[cell] = dict(color)
                replies.append({})
            else:
                return _error(400, f"Invalid requests[{len(replies)}]: unsupported request.", status="INVALID_ARGUMENT")
        file.modified = self._next_time()  # type: ignore[attr-defined]
        return 200, {"spreadsheetId": file.id, "replies": replies}

    def background(self, file_id: str, title: str, ref: str) -> dict[str, float] | None:
        """The background colour dvk (or anyone) set on a cell through the API, if any."""
        from tests.sync.fake_google import a1

        return self.formats.get(file_id, {}).get(title, {}).get(a1(ref))


def _xlsx_cells(media: bytes) -> dict[str, dict[str, Any]]:
    """What Drive keeps of an uploaded .xlsx converted to a Google Sheet: its tabs and non-formula values."""
    workbook = openpyxl.load_workbook(io.BytesIO(media))
    try:
        return {
            ws.title: {
                cell.coordinate: cell.value
                for row in ws.iter_rows()
                for cell in row
                if cell.value is not None and cell.data_type != "f"  # a string cell is text, whatever it starts with
            }
            for ws in workbook.worksheets
        }
    finally:
        workbook.close()


def form_of(body: bytes) -> dict[str, list[str]]:
    return parse_qs(body.decode(), keep_blank_values=True)
