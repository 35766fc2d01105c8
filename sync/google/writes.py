"""The Google calls that create, share, write and lock: run as the commune's signed-in account (OAuth).

Each function takes the :class:`~sync.google.api.GoogleApi` of that account and raises ``GoogleApiError``
with a Vietnamese message saying what to do (see :func:`explain_write`). Requests go through the same
retrying, paced HTTP client as the reads (Sheets writes: the write pacer; Drive: the Drive pacer).

Nothing is created twice by a retry. A folder's id is reserved first (``files.generateIds``) and given in the
metadata, so a repeated ``files.create`` answers 409 (it exists: done). An upload converted to a Google Sheet
cannot use a reserved id (Google's guide "Create and manage files": pre-generated ids are not supported for
Google Workspace files other than folders, nor for uploads converted to them), so it is never repeated
blindly: a lost answer raises ``unknown-outcome`` and the caller looks for the unit's tag before it uploads
again (:func:`find_tagged`). A share whose answer is lost is looked up in the file's permissions before it is
sent again. Sheets writes are safe to repeat: the same values, and ids reserved for what a batch adds.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import gspread
from gspread.http_client import ParamsType
from gspread.urls import DRIVE_FILES_API_V3_URL

from schemas.errors import GoogleApiError

from .api import _FAILURES, SPREADSHEET_MIME, GoogleApi
from .errors import MalformedResponse, explain, upper_first

__all__ = [
    "FOLDER_MIME",
    "XLSX_MIME",
    "about",
    "batch_update",
    "create_folder",
    "explain_write",
    "file_info",
    "find_folder",
    "find_tagged",
    "generate_ids",
    "list_created",
    "permissions",
    "set_trashed",
    "share",
    "sheet_ids",
    "update_permission",
    "upload_spreadsheet",
    "values_batch_update",
]

FOLDER_MIME = "application/vnd.google-apps.folder"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_URL = "https://www.googleapis.com/upload/drive/v3/files"
RESUMABLE_ABOVE = 5 * 1024 * 1024  # Drive's advice: multipart up to 5 MB, resumable beyond
SHEETS_URL = "https://sheets.googleapis.com/v4/spreadsheets"


def explain_write(exc: BaseException, *, what: str, api: GoogleApi, spreadsheet_id: str | None = None) -> GoogleApiError:
    """A failure of a create/share/write call, in Vietnamese, with what to do."""
    context: dict[str, Any] = {"spreadsheet_id": spreadsheet_id} if spreadsheet_id else {}
    if isinstance(exc, gspread.exceptions.APIError):
        status = exc.response.status_code
        error = exc.error if isinstance(exc.error, dict) else {}
        reasons = {str(e.get("reason")) for e in error.get("errors", []) if isinstance(e, dict)}
        if status == 403 and "storageQuotaExceeded" in reasons:
            message = (
                f"Không {what} được: Google từ chối vì tài khoản dịch vụ không có dung lượng lưu trữ riêng "
                "(403 storageQuotaExceeded) nên không thể tạo tệp trong Google Drive cá nhân. Việc tạo, chia sẻ, "
                "ghi kết quả và khoá bảng tính phải chạy bằng tài khoản Google của xã: hãy chạy "
                "“dvk google login” (cần tệp OAuth client khai báo ở sources.google.oauth_client); tài khoản "
                "dịch vụ vẫn dùng được để đọc."
            )
            return GoogleApiError(message, status=status, reason="storage-quota", **context)
        account = api.user or "đang đăng nhập"
        if status == 401:
            message = f"Google không chấp nhận phiên đăng nhập khi {what}: hãy chạy lại “dvk google login”."
            return GoogleApiError(message, status=status, reason="unauthorized", **context)
        if status == 403:
            message = (
                f"Tài khoản Google {account} không có quyền {what}"
                + (f" (bảng tính {spreadsheet_id})" if spreadsheet_id else "")
                + ": hãy đăng nhập bằng tài khoản chủ sở hữu của bảng tính (dvk google login), hoặc nhờ chủ sở "
                "hữu chia sẻ cho tài khoản này quyền Người chỉnh sửa."
            )
            return GoogleApiError(message, status=status, reason="not-shared", **context)
        if status == 404:
            message = (
                f"Không {what} được: Google không tìm thấy "
                + (f"bảng tính {spreadsheet_id}" if spreadsheet_id else "thư mục hoặc tệp cần dùng")
                + " (đã bị xoá, hoặc tài khoản đăng nhập không thấy được). Hãy kiểm tra sources.google."
                "drive_folder_id và tài khoản đã đăng nhập (dvk google status)."
            )
            return GoogleApiError(message, status=status, reason="not-found", **context)
        if status == 400:
            message = f"Google từ chối yêu cầu {what} (mã 400: {error.get('message', '')})."
            return GoogleApiError(message, status=status, reason="bad-request", **context)
    err = explain(exc, spreadsheet_id=spreadsheet_id, service_account=api.service_account)
    if isinstance(exc, GoogleApiError) and spreadsheet_id is None:
        extra = {k: v for k, v in exc.context.items() if k != "status"}
        return GoogleApiError(f"Khi {what}: {exc.message}", status=exc.status, **extra)
    extra = {k: v for k, v in err.context.items() if k != "status"}
    return GoogleApiError(upper_first(f"khi {what}: {err.message}"), status=err.status, **extra)


def _json(response: Any, what: str) -> dict[str, Any]:
    body = response.json() if response.content else {}
    if not isinstance(body, dict):
        raise MalformedResponse(f"{what}: the answer is not an object")
    return body


def about(api: GoogleApi) -> dict[str, Any]:
    """Who the client runs as: Drive ``about.get`` (``user.emailAddress``, ``user.displayName``)."""
    params: ParamsType = {"fields": "user(displayName,emailAddress)"}
    try:
        body = _json(api.http.request("get", "https://www.googleapis.com/drive/v3/about", params=params), "about")
        user = body.get("user")
        return user if isinstance(user, dict) else {}
    except _FAILURES as exc:
        raise explain_write(exc, what="xem tài khoản đang đăng nhập", api=api) from exc


def find_folder(api: GoogleApi, name: str) -> str | None:
    """The id of a folder with this exact name that dvk created (``drive.file`` sees only those), or None."""
    escaped = name.replace("\\", "\\\\").replace("'", "\\'")
    params: ParamsType = {"q": f"name = '{escaped}' and mimeType = '{FOLDER_MIME}' and trashed = false",
                          "fields": "files(id,name)", "pageSize": 10}
    try:
        body = _json(api.http.request("get", DRIVE_FILES_API_V3_URL, params=params), "files.list")
        files = body.get("files") or []
        return str(files[0]["id"]) if files else None
    except (KeyError, TypeError) as exc:
        raise explain_write(MalformedResponse(str(exc)), what="tìm thư mục Drive", api=api) from exc
    except _FAILURES as exc:
        raise explain_write(exc, what="tìm thư mục Drive", api=api) from exc


def generate_ids(api: GoogleApi, count: int = 1) -> list[str]:
    """Drive ``files.generateIds``: ids reserved for files this account creates (a retried create is then safe)."""
    try:
        body = _json(api.http.request("get", f"{DRIVE_FILES_API_V3_URL}/generateIds",
                                      params={"count": count, "space": "drive", "type": "files"}), "generateIds")
        ids = body.get("ids")
        if not isinstance(ids, list) or len(ids) < count or not all(isinstance(i, str) for i in ids):
            raise MalformedResponse("generateIds: no ids")
        return [str(i) for i in ids[:count]]
    except _FAILURES as exc:
        raise explain_write(exc, what="đặt trước mã tệp trên Drive", api=api) from exc


def create_folder(api: GoogleApi, name: str) -> str:
    """A folder with a reserved id: a retry after a lost answer meets 409 (the folder exists) and succeeds."""
    folder_id = generate_ids(api)[0]
    try:
        _json(api.http.request("post", DRIVE_FILES_API_V3_URL, params={"fields": "id"},
                               json={"id": folder_id, "name": name, "mimeType": FOLDER_MIME}, retry=True), "files.create")
        return folder_id
    except gspread.exceptions.APIError as exc:
        if exc.response.status_code == 409:  # an earlier attempt created it: its answer was lost
            return folder_id
        raise explain_write(exc, what="tạo thư mục Drive", api=api) from exc
    except _FAILURES as exc:
        raise explain_write(exc, what="tạo thư mục Drive", api=api) from exc


def _tag_query(folder_id: str, tags: Mapping[str, str]) -> str:
    escaped = folder_id.replace("\\", "\\\\").replace("'", "\\'")
    terms = [f"'{escaped}' in parents", f"mimeType='{SPREADSHEET_MIME}'", "trashed=false"]
    for key, value in tags.items():
        k, v = (t.replace("\\", "\\\\").replace("'", "\\'") for t in (key, value))
        terms.append(f"appProperties has {{ key='{k}' and value='{v}' }}")
    return " and ".join(terms)


def _list_files(api: GoogleApi, query: str, what: str) -> list[dict[str, Any]]:
    params: ParamsType = {"q": query, "pageSize": api.page_size,
                          "fields": "nextPageToken,files(id,name,appProperties,webViewLink,createdTime)"}
    files: list[dict[str, Any]] = []
    seen: set[str] = set()
    try:
        for _page in range(api.max_pages):
            body = _json(api.http.request("get", DRIVE_FILES_API_V3_URL, params=params), "files.list")
            entries = body.get("files") or []
            if not isinstance(entries, list):
                raise MalformedResponse("files.list: no files list")
            files.extend(e for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str))
            token = body.get("nextPageToken")
            if not token:
                return sorted(files, key=lambda e: (str(e.get("createdTime", "")), str(e["id"])))
            if str(token) in seen:
                raise MalformedResponse(f"files.list: nextPageToken {token!r} repeated")
            seen.add(str(token))
            params["pageToken"] = str(token)
        raise MalformedResponse(f"files.list: more than {api.max_pages} pages")
    except _FAILURES as exc:
        raise explain_write(exc, what=what, api=api) from exc


def list_created(api: GoogleApi, folder_id: str) -> dict[str, list[dict[str, Any]]]:
    """The spreadsheets of a folder that carry dvk's ``appProperties`` (``dvk_unit``, ``dvk_year``), by
    ``unit:year``, oldest first: what an interrupted provisioning created, and any duplicate an older version
    of dvk left. Pages bounded, a repeated token refused."""
    found: dict[str, list[dict[str, Any]]] = {}
    for entry in _list_files(api, _tag_query(folder_id, {}), "liệt kê bảng tính trong thư mục Drive"):
        props = entry.get("appProperties") or {}
        if isinstance(props, dict) and props.get("dvk_unit"):
            found.setdefault(f"{props['dvk_unit']}:{props.get('dvk_year', '')}", []).append(entry)
    return found


def find_tagged(api: GoogleApi, folder_id: str, tags: Mapping[str, str]) -> list[dict[str, Any]]:
    """The spreadsheets of a folder carrying all these ``appProperties`` (not trashed), oldest first."""
    return _list_files(api, _tag_query(folder_id, tags), "tìm bảng tính theo nhãn đơn vị")


def file_info(api: GoogleApi, file_id: str) -> dict[str, Any] | None:
    """Drive ``files.get`` (``id``, ``name``, ``trashed``, ``modifiedTime``, ``appProperties``), or None when
    Drive answers 404 (deleted for good, or not visible to this account)."""
    params: ParamsType = {"fields": "id,name,trashed,modifiedTime,appProperties", "supportsAllDrives": True}
    try:
        return _json(api.http.request("get", f"{DRIVE_FILES_API_V3_URL}/{file_id}", params=params), "files.get")
    except gspread.exceptions.APIError as exc:
        if exc.response.status_code == 404:
            return None
        raise explain_write(exc, what="xem thông tin bảng tính", api=api, spreadsheet_id=file_id) from exc
    except _FAILURES as exc:
        raise explain_write(exc, what="xem thông tin bảng tính", api=api, spreadsheet_id=file_id) from exc


def set_trashed(api: GoogleApi, file_id: str, trashed: bool) -> None:
    """Drive ``files.update``: move a file dvk created to the trash, or take it back out."""
    what = "chuyển bảng tính vào thùng rác" if trashed else "khôi phục bảng tính từ thùng rác"
    try:
        api.http.request("patch", f"{DRIVE_FILES_API_V3_URL}/{file_id}", params={"fields": "id,trashed"},
                         json={"trashed": trashed})
    except _FAILURES as exc:
        raise explain_write(exc, what=what, api=api, spreadsheet_id=file_id) from exc


def upload_spreadsheet(
    api: GoogleApi, *, name: str, data: bytes, folder_id: str | None, app_properties: Mapping[str, str],
    resumable_above: int = RESUMABLE_ABOVE,
) -> dict[str, Any]:
    """Upload an .xlsx converted to a native Google Sheet (values and tabs; the drop-downs and protection are
    set afterwards through the Sheets API, :mod:`sync.google.protection`): multipart when small, resumable
    beyond ``resumable_above`` bytes. Returns the file (``id``, ``webViewLink``).

    The creating request is never repeated blindly: when its answer is lost it raises ``GoogleApiError``
    with reason ``unknown-outcome`` and the caller looks for the file by its tag first."""
    metadata: dict[str, Any] = {"name": name, "mimeType": SPREADSHEET_MIME, "appProperties": dict(app_properties)}
    if folder_id:
        metadata["parents"] = [folder_id]
    fields = "id,name,webViewLink"
    try:
        if len(data) <= resumable_above:
            boundary = f"dvk-{uuid.uuid4().hex}"
            body = (
                f"--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n".encode()
                + json.dumps(metadata, ensure_ascii=False).encode()
                + f"\r\n--{boundary}\r\nContent-Type: {XLSX_MIME}\r\n\r\n".encode()
                + data
                + f"\r\n--{boundary}--\r\n".encode()
            )
            headers = {"Content-Type": f"multipart/related; boundary={boundary}"}
            response = api.http.request("post", UPLOAD_URL, params={"uploadType": "multipart", "fields": fields},
                                        data=body, headers=headers, retry=False)
        else:
            start = api.http.request(  # opening a session creates nothing: safe to repeat
                "post", UPLOAD_URL, params={"uploadType": "resumable", "fields": fields}, json=metadata,
                headers={"X-Upload-Content-Type": XLSX_MIME, "X-Upload-Content-Length": str(len(data))}, retry=True,
            )
            session = start.headers.get("Location")
            if not session:
                raise MalformedResponse("resumable upload: no session Location")
            # a repeated PUT of a finished session answers with the same file (Drive's resumable protocol)
            response = api.http.request("put", session, data=data, headers={"Content-Type": XLSX_MIME})
        file = _json(response, "files.create")
        if not isinstance(file.get("id"), str):
            raise MalformedResponse("files.create: no id")
        return file
    except _FAILURES as exc:
        raise explain_write(exc, what="tạo bảng tính Google", api=api) from exc


def share(api: GoogleApi, file_id: str, email: str, role: str, message: str | None = None) -> dict[str, Any]:
    """Drive ``permissions.create`` for a user; with ``message``: Google e-mails it with the link. When the
    answer is lost, the file's permissions are looked at before the share is sent again (no second e-mail
    when the first one went)."""
    params: ParamsType = {"fields": "id,role,type,emailAddress"}
    if message is not None:
        params["sendNotificationEmail"] = "true"
        params["emailMessage"] = message
    else:
        params["sendNotificationEmail"] = "false"
    url = f"{DRIVE_FILES_API_V3_URL}/{file_id}/permissions"
    body = {"role": role, "type": "user", "emailAddress": email}
    for attempt in (1, 2):
        try:
            return _json(api.http.request("post", url, params=params, json=body, retry=False), "permissions")
        except GoogleApiError as exc:
            if exc.context.get("reason") != "unknown-outcome" or attempt == 2:
                raise explain_write(exc, what=f"chia sẻ bảng tính cho {email}", api=api, spreadsheet_id=file_id) from exc
            granted = [p for p in permissions(api, file_id) if str(p.get("emailAddress", "")).lower() == email.lower()]
            if granted and granted[0].get("role") == role:
                return granted[0]
        except _FAILURES as exc:
            raise explain_write(exc, what=f"chia sẻ bảng tính cho {email}", api=api, spreadsheet_id=file_id) from exc
    raise AssertionError("unreachable")


def permissions(api: GoogleApi, file_id: str) -> list[dict[str, Any]]:
    url = f"{DRIVE_FILES_API_V3_URL}/{file_id}/permissions"
    try:
        body = _json(api.http.request("get", url, params={"fields": "permissions(id,role,type,emailAddress)"}),
                     "permissions.list")
        perms = body.get("permissions")
        if not isinstance(perms, list):
            raise MalformedResponse("permissions.list: no list")
        return [p for p in perms if isinstance(p, dict)]
    except _FAILURES as exc:
        raise explain_write(exc, what="xem quyền chia sẻ", api=api, spreadsheet_id=file_id) from exc


def update_permission(api: GoogleApi, file_id: str, permission_id: str, role: str) -> dict[str, Any]:
    url = f"{DRIVE_FILES_API_V3_URL}/{file_id}/permissions/{permission_id}"
    try:
        return _json(api.http.request("patch", url, params={"fields": "id,role"}, json={"role": role}), "permissions")
    except _FAILURES as exc:
        raise explain_write(exc, what="đổi quyền chia sẻ", api=api, spreadsheet_id=file_id) from exc


def sheet_ids(api: GoogleApi, spreadsheet_id: str) -> dict[str, int]:
    """Tab title → ``sheetId`` (one metadata read), needed to address cells in formatting requests."""
    try:
        body = api.http.fetch_sheet_metadata(spreadsheet_id, params={"fields": "sheets.properties(sheetId,title)"})
        return {
            str(s["properties"]["title"]): int(s["properties"]["sheetId"])
            for s in body.get("sheets", [])
        }
    except (KeyError, TypeError) as exc:
        raise explain_write(MalformedResponse(str(exc)), what="đọc danh sách trang", api=api,
                            spreadsheet_id=spreadsheet_id) from exc
    except _FAILURES as exc:
        raise explain_write(exc, what="đọc danh sách trang", api=api, spreadsheet_id=spreadsheet_id) from exc


def values_batch_update(api: GoogleApi, spreadsheet_id: str, data: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One ``values:batchUpdate`` (``USER_ENTERED``: the links are formulas); the same values again are
    harmless, so it is retried like a read."""
    url = f"{SHEETS_URL}/{spreadsheet_id}/values:batchUpdate"
    try:
        return _json(api.http.request("post", url, json={"valueInputOption": "USER_ENTERED", "data": list(data)},
                                      retry=True), "values:batchUpdate")
    except _FAILURES as exc:
        raise explain_write(exc, what="ghi kết quả kiểm tra", api=api, spreadsheet_id=spreadsheet_id) from exc


def batch_update(api: GoogleApi, spreadsheet_id: str, requests_: Sequence[Mapping[str, Any]], *,
                 what: str = "tô màu ô lỗi") -> dict[str, Any]:
    """One ``spreadsheets:batchUpdate`` (atomic: all its requests or none). Retried like a read: the caller
    gives every sheet and protected range it adds an id of its own, so a repeat of a batch that was applied
    is refused whole (400, the id exists) and never adds anything twice; the caller then looks."""
    url = f"{SHEETS_URL}/{spreadsheet_id}:batchUpdate"
    try:
        return _json(api.http.request("post", url, json={"requests": list(requests_)}, retry=True), "batchUpdate")
    except _FAILURES as exc:
        raise explain_write(exc, what=what, api=api, spreadsheet_id=spreadsheet_id) from exc
