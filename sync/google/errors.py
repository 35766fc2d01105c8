"""Vietnamese explanations for the ways a Google API call fails, each with what the commune should do.

Every failure of the Google side reaches the caller as ``schemas.errors.GoogleApiError`` carrying ``status``
(the HTTP status, or ``None`` for network errors and unreadable answers), ``reason`` (a slug:
``not-shared``, ``not-found``, ``tab-missing``, ``bad-request``, ``unauthorized``, ``quota``, ``server``,
``network``, ``malformed``, ``unknown-outcome`` for a request that must not be repeated and whose answer was
lost) and, when known, ``spreadsheet_id`` / ``folder_id``; the original exception is
kept as ``__cause__``.
"""

from __future__ import annotations

import re
from typing import Any

import google.auth.exceptions
import requests
from gspread.exceptions import APIError

from schemas.errors import GoogleApiError

__all__ = [
    "MalformedResponse",
    "cancelled",
    "exhausted",
    "explain",
    "missing_tab",
    "quota_later",
    "unknown_outcome",
    "upper_first",
]

_PARSE_RANGE = re.compile(r"Unable to parse range:\s*(?P<range>.+?)\s*$", re.DOTALL)


class MalformedResponse(ValueError):
    """A 2xx answer whose body is not the JSON shape the API documents."""


def missing_tab(message: str) -> str | None:
    """The sheet title named by a Sheets 400 "Unable to parse range: 'Tab'!A1:B2" message, else ``None``."""
    match = _PARSE_RANGE.search(message)
    if match is None:
        return None
    text = match.group("range")
    if text.startswith("'"):
        end = 1
        while end < len(text):
            if text[end] == "'":
                if text[end + 1 : end + 2] == "'":
                    end += 2
                    continue
                break
            end += 1
        return text[1:end].replace("''", "'")
    return text.split("!", 1)[0]


def upper_first(text: str) -> str:
    """``text`` with only its first letter capitalised: spreadsheet ids are case-sensitive (``str.capitalize``
    would lowercase the rest)."""
    return text[:1].upper() + text[1:]


def quota_later(attempts: int, seconds: float, cause: BaseException | None, *, url: str) -> GoogleApiError:
    """Google asked to come back later than dvk waits (``Retry-After`` beyond ``max_delay``): stop this pass."""
    import datetime as dt

    when = (dt.datetime.now().astimezone() + dt.timedelta(seconds=seconds)).strftime("%H:%M ngày %d/%m/%Y")
    message = (
        f"Google báo đã hết hạn mức (mã 429) và đề nghị chờ {_duration(seconds)}: lượt này dừng hỏi Google, "
        f"hãy chạy lại sau {when}."
    )
    return GoogleApiError(message, status=429, reason="quota", attempts=attempts, url=url, retry_after=seconds,
                          retry_at=when, detail=message)


def cancelled(url: str) -> GoogleApiError:
    return GoogleApiError("Đã dừng theo yêu cầu trước khi Google trả lời.", status=None, reason="cancelled", url=url)


def unknown_outcome(status: int | None, cause: BaseException | None, *, url: str) -> GoogleApiError:
    """A request that must not be sent twice failed after it may have reached Google (a timeout, a lost
    connection, a 5xx): whether Google acted on it is unknown, so it is not sent again blindly."""
    what = f"mã {status}" if status is not None else (
        "không trả lời trong thời hạn chờ" if isinstance(cause, requests.Timeout) else "mất kết nối"
    )
    message = (
        f"Google không xác nhận yêu cầu ({what}): chưa biết yêu cầu đã được thực hiện hay chưa, nên dvk không "
        "tự gửi lại để tránh tạo trùng."
    )
    return GoogleApiError(message, status=status, reason="unknown-outcome", attempts=1, url=url)


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f}".rstrip("0").rstrip(".").replace(".", ",") + " giờ"
    if seconds >= 60:
        return f"{round(seconds / 60)} phút"
    return f"{round(seconds)} giây"


def exhausted(status: int | None, attempts: int, cause: BaseException | None, *, url: str) -> GoogleApiError:
    """The error raised once every attempt of a retryable request failed (429, 5xx, 408, network)."""
    if status == 429:
        message = (
            f"Đã hết hạn mức đọc của Google (mã 429) sau {attempts} lần thử: hãy chạy lại sau ít phút "
            "hoặc giảm sources.google.reads_per_minute."
        )
        reason = "quota"
    elif status is not None:
        message = f"Máy chủ Google đang gặp lỗi (mã {status}) sau {attempts} lần thử: hãy thử lại sau."
        reason = "server"
    else:
        if isinstance(cause, requests.Timeout):
            detail = "Google không trả lời trong thời hạn chờ"
        else:
            detail = "không kết nối được tới Google"
        message = f"Lỗi mạng: {detail} sau {attempts} lần thử. Hãy kiểm tra kết nối Internet rồi thử lại."
        reason = "network"
    return GoogleApiError(message, status=status, reason=reason, attempts=attempts, url=url)


def explain(
    exc: BaseException,
    *,
    spreadsheet_id: str | None = None,
    folder_id: str | None = None,
    service_account: str | None = None,
) -> GoogleApiError:
    """Turn any failure of one Google call into a ``GoogleApiError`` with advice, naming what was read."""
    context: dict[str, Any] = {}
    if spreadsheet_id is not None:
        context["spreadsheet_id"] = spreadsheet_id
    elif folder_id is not None:
        context["folder_id"] = folder_id
    subject = _subject(spreadsheet_id, folder_id)

    if isinstance(exc, GoogleApiError):
        merged = {key: value for key, value in exc.context.items() if key != "status"}
        merged.update(context)
        return GoogleApiError(f"{upper_first(subject)}: {exc.message}", status=exc.status, **merged)
    if isinstance(exc, APIError):
        return _from_status(exc, subject, service_account, context)
    auth = google.auth.exceptions
    if isinstance(exc, auth.GoogleAuthError) and not isinstance(exc, auth.TransportError):
        return _unauthorized(None, context)  # a refused or impossible token refresh (after a 401)
    malformed = isinstance(exc, MalformedResponse | requests.JSONDecodeError)
    if not malformed and isinstance(exc, requests.RequestException | google.auth.exceptions.TransportError):
        return explain(exhausted(None, 1, exc, url=""), spreadsheet_id=spreadsheet_id, folder_id=folder_id)
    if malformed or isinstance(exc, ValueError):
        message = (
            f"Không đọc được câu trả lời của Google cho {subject} (dữ liệu không đúng định dạng): "
            "hãy thử lại sau; nếu lỗi lặp lại, hãy báo cho người quản trị."
        )
        return GoogleApiError(message, status=None, reason="malformed", **context)
    message = f"Lỗi không mong đợi khi đọc {subject}: {exc}"
    return GoogleApiError(message, status=None, reason="unexpected", **context)


def _subject(spreadsheet_id: str | None, folder_id: str | None) -> str:
    if spreadsheet_id is not None:
        return f"bảng tính {spreadsheet_id}"
    if folder_id is not None:
        return f"thư mục Drive {folder_id}"
    return "dữ liệu Google Drive"


def _unauthorized(status: int | None, context: dict[str, Any]) -> GoogleApiError:
    message = (
        "Google không chấp nhận thông tin xác thực của tài khoản dịch vụ: hãy kiểm tra tệp khoá "
        "(sources.google.credentials) — khoá có thể đã bị thu hồi hoặc hết hạn."
    )
    return GoogleApiError(message, status=status, reason="unauthorized", **context)


def _from_status(exc: APIError, subject: str, service_account: str | None, context: dict[str, Any]) -> GoogleApiError:
    status = exc.response.status_code
    error = exc.error if isinstance(exc.error, dict) else {}
    api_message = str(error.get("message", ""))
    account = service_account or "của dvk (địa chỉ client_email trong tệp khoá)"
    is_folder = "folder_id" in context
    if status == 401:
        return _unauthorized(status, context)
    if status == 403:
        thing = "thư mục" if is_folder else "bảng tính"
        message = (
            f"{upper_first(subject)} chưa được chia sẻ cho tài khoản dịch vụ {account}: mở {thing} → "
            "Chia sẻ → thêm địa chỉ đó với quyền Người xem."
        )
        return GoogleApiError(message, status=status, reason="not-shared", **context)
    if status == 404:
        if is_folder:
            message = (
                f"Không tìm thấy {subject}: hãy kiểm tra sources.google.drive_folder_id và chia sẻ thư mục "
                f"cho tài khoản dịch vụ {account}."
            )
        else:
            message = (
                f"Không tìm thấy {subject}: bảng tính đã bị xoá hoặc mã/đường dẫn sai. "
                "Hãy kiểm tra đường dẫn bảng tính của đơn vị trong danh sách đơn vị."
            )
        return GoogleApiError(message, status=status, reason="not-found", **context)
    if status == 400:
        tab = missing_tab(api_message)
        if tab is not None:
            message = (
                f"{upper_first(subject)} không có trang tính “{tab}”: trang này đã bị đổi tên hoặc xoá. "
                f"Hãy đặt lại đúng tên trang “{tab}” như trong mẫu phiếu."
            )
            return GoogleApiError(message, status=status, reason="tab-missing", tab=tab, **context)
        message = (
            f"Google từ chối yêu cầu đọc {subject} (mã 400: {api_message}). "
            "Hãy kiểm tra bảng tính có đúng theo mẫu phiếu không."
        )
        return GoogleApiError(message, status=status, reason="bad-request", **context)
    if status in (408, 429) or status >= 500:
        return explain(exhausted(status, 1, exc, url=""), **_ids(context))
    message = f"Google trả lời lỗi (mã {status}: {api_message}) khi đọc {subject}."
    return GoogleApiError(message, status=status, reason="http", **context)


def _ids(context: dict[str, Any]) -> dict[str, Any]:
    return {key: context[key] for key in ("spreadsheet_id", "folder_id") if key in context}
