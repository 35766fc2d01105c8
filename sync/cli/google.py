"""`dvk google login | status | logout`: sign in as the commune's own Google account (OAuth, installed app)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from schemas.errors import ConfigError, DvkError

from .common import ConfigOption, Format, console, print_json, settings_from

__all__ = ["register"]

google_app = typer.Typer(help="Đăng nhập tài khoản Google của xã (tạo, chia sẻ, ghi kết quả, khoá bảng tính).",
                         no_args_is_help=True)


@google_app.command("login")
def login_command(
    config: Annotated[Path | None, ConfigOption] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Không tự mở trình duyệt: in địa chỉ để tự mở.")] = False,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Cổng nhận kết quả đăng nhập (0: tự chọn).")] = 0,
) -> None:
    """Đăng nhập bằng tài khoản Google của xã; mã đăng nhập lưu trong thư mục cấu hình của người dùng
    (không lưu trong thư mục dự án). Quyền xin cấp: chỉ các tệp do dvk tạo (drive.file) và bảng tính."""
    from rich.markup import escape

    from ..google.account import token_store, user_client
    from ..google.oauth import run_login
    from ..google.writes import about

    settings = settings_from(config, need_file=True)
    client = settings.sources.google.oauth_client
    if client is None:
        raise ConfigError(
            "Chưa khai báo tệp OAuth client: tạo trong Google Cloud Console (API và dịch vụ → Thông tin xác thực → "
            "Mã ứng dụng khách OAuth → Ứng dụng dành cho máy tính), tải tệp JSON rồi đặt đường dẫn vào "
            "[sources.google] oauth_client trong dvk.toml.",
            key="sources.google.oauth_client",
        )
    creds = run_login(client, open_browser=not no_browser, port=port)
    store = token_store()
    store.save(creds, None)
    api = user_client(settings)
    assert api is not None
    with api:
        user = about(api)
    account = str(user.get("emailAddress") or "") or None
    path = store.save(api.http.auth, account)  # type: ignore[arg-type]  # the possibly refreshed credentials
    console.print(f"Đã đăng nhập Google: {escape(account or 'không rõ địa chỉ')}. Mã đăng nhập lưu tại {escape(str(path))}.",
                  soft_wrap=True)


@google_app.command("status")
def status_command(
    config: Annotated[Path | None, ConfigOption] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Dạng in: text hoặc json.")] = Format.text,
) -> None:
    """Tài khoản Google đang đăng nhập và các quyền đã cấp. Mã thoát 1 khi chưa đăng nhập."""
    from rich.markup import escape

    from ..google.account import token_store, user_client
    from ..google.oauth import USER_SCOPES
    from ..google.writes import about

    settings = settings_from(config)
    stored = token_store().load()
    info: dict[str, object] = {"signed_in": stored is not None, "account": None, "scopes": [], "token": str(token_store().path)}
    problem = None
    if stored is not None:
        info["scopes"] = list(stored.scopes or USER_SCOPES)
        info["account"] = stored.account
        api = user_client(settings)
        assert api is not None
        try:
            with api:
                info["account"] = about(api).get("emailAddress") or stored.account
        except DvkError as err:
            problem = str(err)
    info["problem"] = problem
    if fmt is Format.json:
        print_json(info)
    elif stored is None:
        console.print("Chưa đăng nhập tài khoản Google của xã: hãy chạy “dvk google login”.", soft_wrap=True)
    else:
        console.print(f"Đang đăng nhập: {escape(str(info['account']))}", soft_wrap=True)
        console.print("Quyền: " + ", ".join(escape(str(s)) for s in info["scopes"]), soft_wrap=True)  # type: ignore[attr-defined]
        if problem:
            console.print(f"Không kiểm tra được với Google: {escape(problem)}", soft_wrap=True)
    if stored is None or problem:
        raise typer.Exit(1)


@google_app.command("logout")
def logout_command() -> None:
    """Xoá mã đăng nhập Google đã lưu trên máy này."""
    from rich.markup import escape

    from ..google.account import token_store

    store = token_store()
    if store.delete():
        console.print(f"Đã đăng xuất: đã xoá {escape(str(store.path))}.", soft_wrap=True)
    else:
        console.print("Chưa đăng nhập: không có gì để xoá.", soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(google_app, name="google")
