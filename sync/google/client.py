"""Build the Google client of a sync from settings: credentials, retry, timeout, pacing, endpoint."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from pathlib import Path

from google.auth.credentials import AnonymousCredentials, Credentials
from google.oauth2 import service_account

from schemas.config_files import KEY_LIMIT, ConfigFileError, describe, read_bounded
from schemas.errors import ConfigError

from .api import GoogleApi
from .http import RetryingHTTPClient, Timeout
from .pacing import Clock, ReadPacer, Sleep

__all__ = ["SCOPES", "build_client", "load_credentials"]

SCOPES = (
    "https://www.googleapis.com/auth/spreadsheets.readonly",
    "https://www.googleapis.com/auth/drive.metadata.readonly",
)


def load_credentials(path: Path) -> service_account.Credentials:
    """Read-only service-account credentials from a JSON key file; ``ConfigError`` naming the file if bad."""
    try:
        info = json.loads(read_bounded(Path(path), KEY_LIMIT).decode("utf-8"))
        return service_account.Credentials.from_service_account_info(info, scopes=list(SCOPES))
    except FileNotFoundError as exc:
        reason = "không tìm thấy tệp"
        raise ConfigError(_bad_file(path, reason), key="sources.google.credentials", path=str(path)) from exc
    except ConfigFileError as exc:  # a device, a FIFO, a huge file: never read to the end (review H13)
        raise ConfigError("sources.google.credentials: " + describe(exc, "Tệp khóa tài khoản dịch vụ"),
                          key="sources.google.credentials", path=str(path)) from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:  # unreadable, not JSON, missing fields, bad key
        reason = "tệp không phải khoá tài khoản dịch vụ Google hợp lệ (JSON tải từ Google Cloud Console)"
        raise ConfigError(_bad_file(path, reason), key="sources.google.credentials", path=str(path)) from exc


def build_client(
    *,
    credentials_file: Path | None,
    api_endpoint: str | None,
    credentials: Credentials | None = None,
    user: str | None = None,
    writes_per_minute: int = 55,
    drive_per_minute: int = 600,
    timeout: float | tuple[float, float] = 30,
    reads_per_minute: int = 55,
    window_seconds: float = 60.0,
    max_attempts: int = 5,
    base_delay: float = 1.0,
    max_delay: float = 60.0,
    page_size: int = 1000,
    sleep: Sleep | None = None,
    clock: Clock = time.monotonic,
    jitter: Callable[[], float] = random.random,
) -> GoogleApi:
    """The Google API of a sync.

    ``credentials_file`` (a service-account key) gives read-only access to Sheets and Drive metadata; with
    only ``api_endpoint`` (an emulator) the requests go out unauthenticated. ``timeout`` is the read timeout
    (the connect timeout is at most 10 s) or an explicit ``(connect, read)`` pair. Sheets requests are paced to
    ``reads_per_minute`` per ``window_seconds`` (60 s; the benchmark compresses time). ``sleep``, ``clock``
    and ``jitter`` (``() -> float`` in [0, 1), scaling each backoff) are injectable for tests.

    ``credentials`` (the signed-in commune account, :mod:`sync.google.oauth`; ``user`` its e-mail) replaces
    the key file: creating, sharing and writing need it. Sheets writes are paced to ``writes_per_minute`` and
    Drive requests to ``drive_per_minute``, both per ``window_seconds``.
    """
    email: str | None = None
    if credentials is not None:  # the signed-in commune account (OAuth), see sync.google.oauth
        pass
    elif credentials_file is not None:
        key = load_credentials(Path(credentials_file))
        credentials, email = key, key.service_account_email
    elif api_endpoint:
        credentials = AnonymousCredentials()
    else:
        raise ConfigError(
            "Chưa cấu hình nguồn Google: hãy đặt sources.google.credentials (đường dẫn tệp khoá JSON của "
            "tài khoản dịch vụ) hoặc sources.google.api_endpoint (địa chỉ máy chủ giả lập).",
            key="sources.google.credentials",
        )
    if reads_per_minute < 1:
        raise ConfigError(
            f"sources.google.reads_per_minute phải là số nguyên dương (đang là {reads_per_minute}).",
            key="sources.google.reads_per_minute",
        )
    pair: Timeout = timeout if isinstance(timeout, tuple) else (min(10.0, float(timeout)), float(timeout))
    http = RetryingHTTPClient(
        credentials,
        timeout=pair,
        max_attempts=max_attempts,
        base_delay=base_delay,
        max_delay=max_delay,
        api_endpoint=api_endpoint,
        sleep=sleep,
        jitter=jitter,
    )
    wait = sleep or http.cancellable_sleep  # a Ctrl-C ends a pacing wait too
    http.pacer = ReadPacer(reads_per_minute, window_seconds, clock=clock, sleep=wait)
    http.write_pacer = ReadPacer(writes_per_minute, window_seconds, clock=clock, sleep=wait)
    http.drive_pacer = ReadPacer(drive_per_minute, window_seconds, clock=clock, sleep=wait)
    return GoogleApi(http, service_account=email, page_size=page_size, user=user)


def _bad_file(path: Path, reason: str) -> str:
    return f"Không dùng được tệp khoá Google “{path}” (sources.google.credentials): {reason}."
