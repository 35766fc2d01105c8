"""The Google calls that create, share, write and lock: run as the commune's signed-in account (OAuth).

Each function takes the :class:`~sync.google.api.GoogleApi` of that account and raises ``GoogleApiError``
with a Vietnamese message saying what to do (see :func:`explain_write`). Requests go through the same
retrying, paced HTTP client as the reads (Sheets writes: the write pacer; Drive: the Drive pacer).
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
    "find_folder",
    "list_created",
    "permissions",
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


def create_folder(api: GoogleApi, name: str) -> str:
    try:
        body = _json(api.http.request("post", DRIVE_FILES_API_V3_URL, params={"fields": "id"},
                                      json={"name": name, "mimeType": FOLDER_MIME}), "files.create")
        return str(body["id"])
    except KeyError as exc:
        raise explain_write(MalformedResponse("no id"), what="tạo thư mục Drive", api=api) from exc
    except _FAILURES as exc:
        raise explain_write(exc, what="tạo thư mục Drive", api=api) from exc


def list_created(api: GoogleApi, folder_id: str) -> dict[str, dict[str, Any]]:
    """The spreadsheets of a folder that carry dvk's ``appProperties`` (``dvk_unit``, ``dvk_year``), by
    ``unit:year``: what an interrupted provisioning already created. Pages bounded, a repeated token refused."""
    escaped = folder_id.replace("\\", "\\\\").replace("'", "\\'")
    params: ParamsType = {
        "q": f"'{escaped}' in parents and mimeType='{SPREADSHEET_MIME}' and trashed=false",
        "fields": "nextPageToken,files(id,name,appProperties,webViewLink)", "pageSize": api.page_size,
    }
    found: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    try:
        for _page in range(api.max_pages):
            body = _json(api.http.request("get", DRIVE_FILES_API_V3_URL, params=params), "files.list")
            for entry in body.get("files") or []:
                props = entry.get("appProperties") or {}
                if isinstance(props, dict) and props.get("dvk_unit"):
                    found[f"{props['dvk_unit']}:{props.get('dvk_year', '')}"] = entry
            token = body.get("nextPageToken")
            if not token:
                return found
            if str(token) in seen:
                raise MalformedResponse(f"files.list: nextPageToken {token!r} repeated")
            seen.add(str(token))
            params["pageToken"] = str(token)
        raise MalformedResponse(f"files.list: more than {api.max_pages} pages")
    except _FAILURES as exc:
        raise explain_write(exc, what="liệt kê bảng tính trong thư mục Drive", api=api) from exc


def upload_spreadsheet(
    api: GoogleApi, *, name: str, data: bytes, folder_id: str | None, app_properties: Mapping[str, str],
    resumable_above: int = RESUMABLE_ABOVE,
) -> dict[str, Any]:
    """Upload an .xlsx converted to a native Google Sheet (drop-downs, named ranges, protections kept by
    Drive's converter): multipart when small, resumable beyond ``resumable_above`` bytes. Returns the file
    (``id``, ``webViewLink``)."""
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
                                        data=body, headers=headers)
        else:
            start = api.http.request(
                "post", UPLOAD_URL, params={"uploadType": "resumable", "fields": fields}, json=metadata,
                headers={"X-Upload-Content-Type": XLSX_MIME, "X-Upload-Content-Length": str(len(data))},
            )
            session = start.headers.get("Location")
            if not session:
                raise MalformedResponse("resumable upload: no session Location")
            response = api.http.request("put", session, data=data, headers={"Content-Type": XLSX_MIME})
        file = _json(response, "files.create")
        if not isinstance(file.get("id"), str):
            raise MalformedResponse("files.create: no id")
        return file
    except _FAILURES as exc:
        raise explain_write(exc, what="tạo bảng tính Google", api=api) from exc


def share(api: GoogleApi, file_id: str, email: str, role: str, message: str | None = None) -> dict[str, Any]:
    """Drive ``permissions.create`` for a user; with ``message``: Google e-mails it with the link."""
    params: ParamsType = {"fields": "id,role,type,emailAddress"}
    if message is not None:
        params["sendNotificationEmail"] = "true"
        params["emailMessage"] = message
    else:
        params["sendNotificationEmail"] = "false"
    url = f"{DRIVE_FILES_API_V3_URL}/{file_id}/permissions"
    try:
        return _json(api.http.request("post", url, params=params,
                                      json={"role": role, "type": "user", "emailAddress": email}), "permissions")
    except _FAILURES as exc:
        raise explain_write(exc, what=f"chia sẻ bảng tính cho {email}", api=api, spreadsheet_id=file_id) from exc


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
    """One ``values:batchUpdate`` (``USER_ENTERED``: the links are formulas)."""
    url = f"{SHEETS_URL}/{spreadsheet_id}/values:batchUpdate"
    try:
        return _json(api.http.request("post", url, json={"valueInputOption": "USER_ENTERED", "data": list(data)}),
                     "values:batchUpdate")
    except _FAILURES as exc:
        raise explain_write(exc, what="ghi kết quả kiểm tra", api=api, spreadsheet_id=spreadsheet_id) from exc


def batch_update(api: GoogleApi, spreadsheet_id: str, requests_: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One ``spreadsheets:batchUpdate`` (addSheet, repeatCell, updateCells...)."""
    url = f"{SHEETS_URL}/{spreadsheet_id}:batchUpdate"
    try:
        return _json(api.http.request("post", url, json={"requests": list(requests_)}), "batchUpdate")
    except _FAILURES as exc:
        raise explain_write(exc, what="tô màu ô lỗi", api=api, spreadsheet_id=spreadsheet_id) from exc
