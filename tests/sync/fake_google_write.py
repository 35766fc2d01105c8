"""The writing half of the local Google fake: OAuth, Drive uploads/folders/permissions, Sheets writes.

Mixed into :class:`tests.sync.fake_google.FakeGoogle`. Endpoints, with the answers the real APIs give:

- OAuth: ``GET /auth`` (the consent page: answers 302 to ``redirect_uri`` with ``code`` and ``state``, as the
  browser would see after the user clicks "Allow"), ``POST /token`` with ``authorization_code``,
  ``refresh_token`` (new access token) and the service-account ``jwt-bearer`` grant.
- Drive: ``POST /upload/drive/v3/files?uploadType=multipart`` and ``uploadType=resumable`` (+ the ``PUT`` of
  the session URI; a repeated ``PUT`` of a finished session answers the file again), converting an uploaded
  .xlsx into a spreadsheet when the metadata asks for the Google Sheets mimeType (its values only: the
  importer's drop-downs and protection are not kept); ``POST /drive/v3/files`` (folders), with an ``id``
  from ``files.generateIds`` (409 once that id exists; an ``id`` is refused for a conversion, as Google's guide
  "Create and manage files" says pre-generated ids are not supported for Google Workspace files other than
  folders); ``PATCH /drive/v3/files/{id}`` (``trashed``); ``GET/POST /drive/v3/files/{id}/permissions``,
  ``PATCH/DELETE .../permissions/{pid}``; ``GET /drive/v3/about``. A service account creating a file gets
  403 ``storageQuotaExceeded`` (it has no Drive storage of its own).
- Sheets: ``POST /v4/spreadsheets/{id}/values:batchUpdate`` (a cell under a protected range that the caller
  may not edit is refused with 400, nothing written) and ``POST /v4/spreadsheets/{id}:batchUpdate`` with
  ``addSheet`` (a given ``sheetId`` must be new), ``repeatCell`` and ``updateCells`` (background colours kept
  per cell), ``setDataValidation`` (``ONE_OF_LIST``: one or more values, no formulas; ``ONE_OF_RANGE``:
  exactly one A1 range; kept per cell), ``addProtectedRange`` (a given ``protectedRangeId`` must be new;
  ``unprotectedRanges`` only on a whole protected sheet), ``updateProtectedRange``, ``deleteProtectedRange``.
  A batch is atomic: one invalid request and nothing is applied.

Identity: a bearer token maps to a caller (the service account, a signed-in user, or any e-mail via
:meth:`token_for`). Files created through the API have an owner and permissions, enforced on every call;
files added with ``add_spreadsheet`` stay open to any caller (as the read tests expect).
"""

from __future__ import annotations

import copy
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
        self.reserved: set[str] = set()  # ids handed out by files.generateIds
        self.protected: dict[str, dict[int, dict[str, Any]]] = {}  # file → protectedRangeId → ProtectedRange
        self.validations: dict[str, dict[str, dict[tuple[int, int], dict[str, Any]]]] = {}  # file → tab → cell → rule
        self.finished_uploads: dict[str, tuple[int, Any]] = {}  # resumable session → the answer it gave

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
        given = metadata.get("id")
        if given is not None:
            if given in self.files or given in self.folders:
                return _error(409, "A file already exists with the provided ID.", "duplicate")
            if given not in self.reserved:
                return _error(400, "The provided file ID is not usable.", "fileIdNotUsable")
            if metadata.get("mimeType") != FOLDER_MIME:  # Google's guide: not for Workspace files or conversions
                return _error(400, "Generated IDs are not supported for Google Workspace file creation.",
                              "fileIdNotUsable")
        with self._lock:
            file_id = str(given) if given is not None else f"1fake{next(self.write.counter):04d}" + "x" * 20
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
            session = params.get("upload_id", [""])[0]
            if session in self.finished_uploads:  # the upload is complete: Drive answers with the file again
                return (*self.finished_uploads[session], {})
            pending = self.write.uploads.pop(session, None)
            if pending is None:
                return (*_error(404, "Upload session not found.", "notFound"), {})
            answer = self.create_file(pending.metadata, body, pending.caller)
            if answer[0] == 200:
                self.finished_uploads[session] = answer
            return (*answer, {})
        return (*_error(400, f"Unsupported uploadType {kind!r}.", "badRequest"), {})

    def update_file(self, file_id: str, body: dict[str, Any], caller: str | None) -> tuple[int, Any]:
        """``files.update`` (metadata only): ``trashed`` and ``name``."""
        from tests.sync.fake_google import _drive_fields, _drive_not_found

        file = self.files.get(file_id)
        if file is None or self.role_of(file_id, caller) is None:
            return _drive_not_found(file_id)
        if self.role_of(file_id, caller) not in ("owner", "writer"):
            return _error(403, "The user does not have sufficient permissions for this file.", "insufficientFilePermissions")
        with self._lock:
            if "trashed" in body:
                file.trashed = bool(body["trashed"])
            if "name" in body:
                file.name = str(body["name"])
        return 200, _drive_fields(file, ["kind", "id", "name", "mimeType", "trashed"])

    def permission_call(self, method: str, file_id: str, perm_id: str | None, params: dict[str, list[str]],
                        body: dict[str, Any], caller: str | None) -> tuple[int, Any]:
        from tests.sync.fake_google import _drive_not_found

        file = self.files.get(file_id)
        if (file is None and file_id not in self.folders) or self.role_of(file_id, caller) is None:
            return _drive_not_found(file_id)
        if method == "GET" and perm_id is None:  # (a file added by a test without permissions lists none)
            listed = self.permissions.get(file_id, [])
            return 200, {"kind": "drive#permissionList", "permissions": [p.to_json() for p in listed]}
        perms = self.permissions.setdefault(file_id, [])
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

    def values_batch_update(self, file: Any, body: dict[str, Any], caller: str | None = None) -> tuple[int, Any]:
        from tests.sync.fake_google import _col_letters, parse_range

        total = 0
        writes: list[tuple[str, dict[str, Any]]] = []
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
                    if not self._may_edit(file, title, r1 + i, c1 + j, caller):
                        return _error(400, "You are trying to edit a protected cell or object. Please contact the "
                                      "spreadsheet owner to remove protection if you need to edit.",
                                      status="INVALID_ARGUMENT")
                    cells[f"{_col_letters(c1 + j)}{r1 + i}"] = value
            if r1 + len(entry.get("values", [])) - 1 > file.grid[title][0]:
                return _error(400, "Range exceeds grid limits.", status="INVALID_ARGUMENT")
            writes.append((title, cells))
        for title, cells in writes:
            self._write(file, title, cells)  # type: ignore[attr-defined]
            total += len(cells)
        if total:
            file.modified = self._next_time()  # type: ignore[attr-defined]
        return 200, {"spreadsheetId": file.id, "totalUpdatedCells": total}

    def _may_edit(self, file: Any, title: str, row: int, col: int, caller: str | None) -> bool:
        """Whether ``caller`` may change a cell: the owner always; others unless a protected range covers it
        (outside its unprotected ranges) and does not name them as an editor."""
        if self.permissions.get(file.id) is None or self.role_of(file.id, caller) == "owner":
            return True
        sheet_id = self.sheet_ids.get(file.id, {}).get(title)
        for rule in self.protected.get(file.id, {}).values():
            if rule.get("warningOnly") or not _covers(rule.get("range", {}), sheet_id, row, col):
                continue
            if caller in (rule.get("editors") or {}).get("users", []):
                continue
            if any(_covers(free, sheet_id, row, col) for free in rule.get("unprotectedRanges", [])):
                continue
            return False
        return True

    def batch_update(self, file: Any, body: dict[str, Any]) -> tuple[int, Any]:
        """``spreadsheets.batchUpdate``, atomic: an invalid request leaves the spreadsheet as it was."""
        saved = (dict(file.sheets), dict(file.grid), copy.deepcopy(self.sheet_ids.get(file.id)),
                 copy.deepcopy(self.formats.get(file.id)), copy.deepcopy(self.protected.get(file.id)),
                 copy.deepcopy(self.validations.get(file.id)))
        status, answer = self._batch_update(file, body)
        if status != 200:
            file.sheets, file.grid = saved[0], saved[1]
            for table, value in zip((self.sheet_ids, self.formats, self.protected, self.validations), saved[2:],
                                    strict=True):
                if value is None:
                    table.pop(file.id, None)
                else:
                    table[file.id] = value
        return status, answer

    def _batch_update(self, file: Any, body: dict[str, Any]) -> tuple[int, Any]:
        ids = self.sheet_ids.setdefault(file.id, {t: i for i, t in enumerate(file.sheets)})
        by_id = {v: k for k, v in ids.items()}
        formats = self.formats.setdefault(file.id, {})
        protected = self.protected.setdefault(file.id, {})
        validations = self.validations.setdefault(file.id, {})
        replies: list[dict[str, Any]] = []
        for n, request in enumerate(body.get("requests", [])):
            where = f"Invalid requests[{n}]"
            if "addSheet" in request:
                props = request["addSheet"].get("properties", {})
                title = str(props.get("title", f"Sheet{len(file.sheets) + 1}"))
                if title in file.sheets:
                    message = f'{where}.addSheet: A sheet with the name "{title}" already exists.'
                    return _error(400, message, status="INVALID_ARGUMENT")
                if "sheetId" in props and int(props["sheetId"]) in by_id:
                    return _error(400, f"{where}.addSheet: Sheet with id {props['sheetId']} already exists.",
                                  status="INVALID_ARGUMENT")
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
                    n_rows = len(inner.get("rows", []))
                    grid = {"sheetId": start.get("sheetId", 0), "startRowIndex": start.get("rowIndex", 0),
                            "endRowIndex": start.get("rowIndex", 0) + n_rows,
                            "startColumnIndex": start.get("columnIndex", 0),
                            "endColumnIndex": start.get("columnIndex", 0) + 1}
                title = by_id.get(int(grid.get("sheetId", 0)))
                if title is None:
                    return _error(400, f"{where}: No grid with id: {grid.get('sheetId')}", status="INVALID_ARGUMENT")
                if "userEnteredFormat" not in str(inner.get("fields", "")):
                    return _error(400, "fields must name userEnteredFormat.", status="INVALID_ARGUMENT")
                sheet = formats.setdefault(title, {})
                if "repeatCell" in request:
                    color = inner.get("cell", {}).get("userEnteredFormat", {}).get("backgroundColor")
                    for cell in _cells(grid, file.grid[title]):
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
            elif "setDataValidation" in request:
                inner = request["setDataValidation"]
                grid = inner.get("range") or {}
                title = by_id.get(int(grid.get("sheetId", 0)))
                if title is None:
                    return _error(400, f"{where}: No grid with id: {grid.get('sheetId')}", status="INVALID_ARGUMENT")
                rule = inner.get("rule")
                problem = _rule_problem(rule) if rule is not None else None
                if problem:
                    return _error(400, f"{where}.setDataValidation: {problem}", status="INVALID_ARGUMENT")
                sheet_rules = validations.setdefault(title, {})
                for cell in _cells(grid, file.grid[title]):
                    if rule is None:
                        sheet_rules.pop(cell, None)
                    else:
                        sheet_rules[cell] = copy.deepcopy(rule)
                replies.append({})
            elif "addProtectedRange" in request:
                rule = copy.deepcopy(request["addProtectedRange"].get("protectedRange") or {})
                problem = _protection_problem(rule, by_id)
                if problem:
                    return _error(400, f"{where}.addProtectedRange: {problem}", status="INVALID_ARGUMENT")
                given = rule.get("protectedRangeId")
                if given is not None and int(given) in protected:
                    return _error(400, f"{where}.addProtectedRange: Protected range with id {given} already exists.",
                                  status="INVALID_ARGUMENT")
                rule["protectedRangeId"] = int(given) if given is not None else 500_000_000 + next(self.write.counter)
                if rule.get("warningOnly"):
                    rule.pop("editors", None)
                protected[rule["protectedRangeId"]] = rule
                replies.append({"addProtectedRange": {"protectedRange": copy.deepcopy(rule)}})
            elif "updateProtectedRange" in request:
                inner = request["updateProtectedRange"]
                change = inner.get("protectedRange") or {}
                target = protected.get(int(change.get("protectedRangeId", -1)))
                if target is None:
                    return _error(400, f"{where}.updateProtectedRange: No protected range with id "
                                  f"{change.get('protectedRangeId')}.", status="INVALID_ARGUMENT")
                names = [f.strip() for f in str(inner.get("fields", "")).split(",") if f.strip()]
                if not names:
                    return _error(400, f"{where}.updateProtectedRange: fields is required.", status="INVALID_ARGUMENT")
                merged = copy.deepcopy(target)
                for name in (list(change) if names == ["*"] else names):
                    if name == "protectedRangeId":
                        continue
                    if name in change:
                        merged[name] = copy.deepcopy(change[name])
                    else:
                        merged.pop(name, None)
                problem = _protection_problem(merged, by_id)
                if problem:
                    return _error(400, f"{where}.updateProtectedRange: {problem}", status="INVALID_ARGUMENT")
                protected[int(change["protectedRangeId"])] = merged
                replies.append({})
            elif "deleteProtectedRange" in request:
                pid = int(request["deleteProtectedRange"].get("protectedRangeId", -1))
                if protected.pop(pid, None) is None:
                    return _error(400, f"{where}.deleteProtectedRange: No protected range with id {pid}.",
                                  status="INVALID_ARGUMENT")
                replies.append({})
            else:
                return _error(400, f"{where}: unsupported request.", status="INVALID_ARGUMENT")
        file.modified = self._next_time()  # type: ignore[attr-defined]
        return 200, {"spreadsheetId": file.id, "replies": replies}

    def protected_ranges(self, file_id: str) -> list[dict[str, Any]]:
        """The protected ranges set on a spreadsheet through the API (copies)."""
        return [copy.deepcopy(p) for p in self.protected.get(file_id, {}).values()]

    def validation(self, file_id: str, title: str, ref: str) -> dict[str, Any] | None:
        """The data validation rule of a cell set through the API, if any."""
        from tests.sync.fake_google import a1

        return copy.deepcopy(self.validations.get(file_id, {}).get(title, {}).get(a1(ref)))

    def background(self, file_id: str, title: str, ref: str) -> dict[str, float] | None:
        """The background colour dvk (or anyone) set on a cell through the API, if any."""
        from tests.sync.fake_google import a1

        return self.formats.get(file_id, {}).get(title, {}).get(a1(ref))


def _cells(grid: dict[str, Any], size: tuple[int, int]) -> list[tuple[int, int]]:
    """The (row, column) cells, 1-based, of a GridRange (missing indexes: unbounded)."""
    rows = range(int(grid.get("startRowIndex", 0)) + 1, int(grid.get("endRowIndex", size[0])) + 1)
    cols = range(int(grid.get("startColumnIndex", 0)) + 1, int(grid.get("endColumnIndex", size[1])) + 1)
    return [(r, c) for r in rows for c in cols]


def _covers(grid: dict[str, Any], sheet_id: int | None, row: int, col: int) -> bool:
    if sheet_id is None or int(grid.get("sheetId", 0)) != sheet_id:
        return False
    return (int(grid.get("startRowIndex", 0)) < row <= int(grid.get("endRowIndex", 10**9))
            and int(grid.get("startColumnIndex", 0)) < col <= int(grid.get("endColumnIndex", 10**9)))


def _rule_problem(rule: dict[str, Any]) -> str | None:
    """Why a DataValidationRule is refused (the condition types dvk uses), or None."""
    condition = rule.get("condition") or {}
    kind, values = condition.get("type"), condition.get("values") or []
    if kind == "ONE_OF_LIST":
        if not values:
            return "ONE_OF_LIST requires at least one value."
        if any(str(v.get("userEnteredValue", "")).startswith("=") for v in values):
            return "Formulas are not supported in ONE_OF_LIST values."
        return None
    if kind == "ONE_OF_RANGE":
        if len(values) != 1:
            return "ONE_OF_RANGE requires exactly one value."
        return None
    return f"Unsupported condition type {kind!r}." if kind is None else None


def _protection_problem(rule: dict[str, Any], by_id: dict[int, str]) -> str | None:
    grid = rule.get("range")
    if not isinstance(grid, dict) or int(grid.get("sheetId", -1)) not in by_id:
        return f"No grid with id: {grid.get('sheetId') if isinstance(grid, dict) else None}"
    whole = set(grid) == {"sheetId"}
    if rule.get("unprotectedRanges") and not whole:
        return "Unprotected ranges are only supported on protected sheets."
    for free in rule.get("unprotectedRanges") or []:
        if int(free.get("sheetId", -1)) != int(grid["sheetId"]):
            return "An unprotected range must be on the protected sheet."
    return None


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
