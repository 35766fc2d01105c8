"""The commune's signed-in Google account as a client: what provisioning, write-back and locking run as."""

from __future__ import annotations

from pathlib import Path

from schemas.errors import ConfigError, DvkError

from ..config import Settings
from .api import GoogleApi
from .client import build_client, load_credentials
from .oauth import TokenStore, default_token_dir

__all__ = ["require_user_client", "service_account_email", "token_store", "user_client"]


def service_account_email(settings: Settings) -> str | None:
    """The service account of ``[sources.google] credentials`` (dvk shares each sheet with it as reader)."""
    creds = settings.sources.google.credentials
    if creds is None:
        return None
    try:
        return str(load_credentials(creds).service_account_email)
    except DvkError:
        return None


def token_store(token_dir: Path | None = None) -> TokenStore:
    """The token file's folder: ``token_dir`` if given, else ``$DVK_GOOGLE_TOKEN_DIR`` or the user config folder."""
    return TokenStore(token_dir if token_dir is not None else default_token_dir())


def user_client(settings: Settings, token_dir: Path | None = None, **kwargs: object) -> GoogleApi | None:
    """A client running as the signed-in account (token refreshed as needed), or None when nobody signed in."""
    stored = token_store(token_dir).load()
    if stored is None:
        return None
    google = settings.sources.google
    return build_client(
        credentials_file=None, credentials=stored.credentials, user=stored.account,
        api_endpoint=google.api_endpoint, timeout=google.timeout, reads_per_minute=google.reads_per_minute,
        writes_per_minute=google.reads_per_minute,  # the write quota is also 60 a minute per user
        max_attempts=google.max_attempts, **kwargs,  # type: ignore[arg-type]
    )


def require_user_client(settings: Settings, token_dir: Path | None = None, **kwargs: object) -> GoogleApi:
    api = user_client(settings, token_dir, **kwargs)
    if api is None:
        raise ConfigError(
            "Chưa đăng nhập tài khoản Google của xã: hãy chạy “dvk google login” (cần tệp OAuth client ở "
            "sources.google.oauth_client). Tài khoản dịch vụ không tạo, chia sẻ hay khoá được bảng tính trong "
            "Google Drive cá nhân.",
            key="google.login",
        )
    return api
