"""Signing in as the commune's own Google account: the OAuth installed-app flow and the stored token.

A service account cannot own files in a personal Drive (403 ``storageQuotaExceeded``), so creating, sharing,
writing back and locking run as the commune's account. ``dvk google login`` runs the installed-app flow of
google-auth-oauthlib (a loopback redirect to ``http://localhost:<port>/``, as gspread's ``oauth()`` does) with
the commune's OAuth client file, and stores the refreshable token in the user's configuration folder
(``platformdirs.user_config_dir("dvk")``), never in the project folder.

Scopes (:data:`USER_SCOPES`): ``drive.file`` (only the files dvk itself created or the user opened with dvk:
enough to upload, share, lock and list them, and it never sees the rest of the Drive) and ``spreadsheets``
(values and formats of the units' sheets; ``drive.file`` alone does not cover the Sheets API on a sheet
registered by hand).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs
from google.oauth2.credentials import Credentials as UserCredentials

from schemas.config_files import KEY_LIMIT, ConfigFileError, describe, read_bounded
from schemas.errors import ConfigError

__all__ = [
    "TOKEN_DIR_ENV",
    "USER_SCOPES",
    "TokenStore",
    "default_token_dir",
    "load_client_config",
    "run_login",
]

USER_SCOPES = (
    "https://www.googleapis.com/auth/drive.file",
    "https://www.googleapis.com/auth/spreadsheets",
)
TOKEN_DIR_ENV = "DVK_GOOGLE_TOKEN_DIR"
TOKEN_FILE = "google-token.json"
_LOOPBACK = ("localhost", "127.0.0.1", "::1")


def default_token_dir(environ: dict[str, str] | None = None) -> Path:
    """Where the token lives: ``$DVK_GOOGLE_TOKEN_DIR`` (tests, portable installs) or the user config folder."""
    env = os.environ if environ is None else environ
    override = env.get(TOKEN_DIR_ENV, "").strip()
    return Path(override).expanduser() if override else Path(platformdirs.user_config_dir("dvk", appauthor=False))


@dataclass(frozen=True)
class StoredToken:
    credentials: UserCredentials
    account: str | None
    scopes: tuple[str, ...]


class TokenStore:
    """The signed-in account's token file (``google-token.json``, mode 0600) in a configuration folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / TOKEN_FILE

    def save(self, credentials: UserCredentials, account: str | None) -> Path:
        """Write the token through a temporary file of its own: ``mkstemp`` creates it new (``O_EXCL``, so a
        stale or planted ``.tmp`` or a symbolic link is never written through) with mode 0600 before the first
        byte (review H14); it is then renamed over the token file, which keeps that mode."""
        data: dict[str, Any] = json.loads(credentials.to_json())
        data["dvk_account"] = account
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, name = tempfile.mkstemp(prefix=".google-token-", suffix=".tmp", dir=self.folder)
        tmp = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, indent=2)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return self.path

    def load(self) -> StoredToken | None:
        """The stored token, or None when nobody signed in; ``ConfigError`` for a damaged file."""
        if not self.path.is_file():
            return None
        try:
            data = json.loads(read_bounded(self.path, KEY_LIMIT).decode("utf-8"))
            scopes = tuple(data.get("scopes") or ())
            creds = UserCredentials.from_authorized_user_info(data, scopes=list(scopes) or None)
            stored_uri = str(data.get("token_uri") or "")
            if urlsplit(stored_uri).hostname in _LOOPBACK:  # an emulator; google-auth otherwise forces Google's
                creds = creds.with_token_uri(stored_uri)
        except (OSError, ValueError, KeyError, TypeError, ConfigFileError) as exc:
            raise ConfigError(
                f"Tệp đăng nhập Google {self.path} bị hỏng: hãy chạy lại “dvk google login”.", key="google.token",
                path=str(self.path),
            ) from exc
        account = data.get("dvk_account")
        return StoredToken(creds, account if isinstance(account, str) else None, scopes)

    def delete(self) -> bool:
        if self.path.is_file():
            self.path.unlink()
            return True
        return False


def load_client_config(path: Path) -> dict[str, Any]:
    """The OAuth client file of the commune (type "installed", downloaded from Google Cloud Console)."""
    key = "sources.google.oauth_client"
    try:
        data = json.loads(read_bounded(Path(path), KEY_LIMIT).decode("utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"Không tìm thấy tệp OAuth client “{path}” ({key}).", key=key, path=str(path)) from exc
    except ConfigFileError as exc:  # /dev/zero, a FIFO, a huge file: never read to the end (review H13)
        raise ConfigError(f"{key}: {describe(exc, 'Tệp OAuth client')}", key=key, path=str(path)) from exc
    except (OSError, ValueError) as exc:
        raise ConfigError(f"Không đọc được tệp OAuth client “{path}” ({key}): tệp không phải JSON.", key=key,
                          path=str(path)) from exc
    section = data.get("installed") if isinstance(data, dict) else None
    needed = ("client_id", "auth_uri", "token_uri")
    if not isinstance(section, dict) or not all(isinstance(section.get(k), str) for k in needed):
        raise ConfigError(
            f"Tệp “{path}” ({key}) không phải OAuth client loại “Ứng dụng dành cho máy tính” (Desktop app): "
            "hãy tạo lại trong Google Cloud Console → API và dịch vụ → Thông tin xác thực → Tạo mã ứng dụng "
            "khách OAuth → Ứng dụng dành cho máy tính, rồi tải tệp JSON.",
            key=key, path=str(path),
        )
    return data


def run_login(
    client_file: Path,
    *,
    open_browser: bool = True,
    port: int = 0,
    timeout_seconds: int | None = 300,
) -> UserCredentials:
    """The installed-app flow: a loopback server on ``port`` (0: any free port), the consent page in a browser
    (or the printed address with ``open_browser=False``), then the authorization code exchanged for a
    refreshable token. Returns the user credentials; raises ``ConfigError`` with what to do on failure."""
    from google_auth_oauthlib.flow import InstalledAppFlow

    config = load_client_config(client_file)
    installed = config["installed"]
    if urlsplit(str(installed["token_uri"])).hostname in _LOOPBACK:
        # an emulator's token endpoint is plain http on this machine; oauthlib refuses http otherwise
        os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")
    flow = InstalledAppFlow.from_client_config(config, scopes=list(USER_SCOPES))
    message = (
        "Mở địa chỉ sau trong trình duyệt, đăng nhập bằng tài khoản Google của xã và bấm “Cho phép”:\n{url}"
    )
    try:
        creds = flow.run_local_server(
            host="localhost", port=port, open_browser=open_browser, timeout_seconds=timeout_seconds,
            authorization_prompt_message=message, success_message=(
                "Đã đăng nhập dvk bằng tài khoản Google. Có thể đóng cửa sổ này."
            ),
            access_type="offline", prompt="consent",
        )
    except Exception as exc:
        raise ConfigError(
            f"Đăng nhập Google không thành công ({type(exc).__name__}: {exc}). Hãy chạy lại “dvk google login” và "
            "bấm “Cho phép” trong trình duyệt trong vòng 5 phút.",
            key="google.login",
        ) from exc
    if not isinstance(creds, UserCredentials) or not creds.refresh_token:
        raise ConfigError(
            "Google không cấp mã làm mới (refresh token): hãy gỡ quyền của ứng dụng tại "
            "https://myaccount.google.com/permissions rồi chạy lại “dvk google login”.",
            key="google.login",
        )
    return creds
