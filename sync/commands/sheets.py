"""`dvk sheets check`: confirm access, tabs and template version of every registered Google Sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from schemas.errors import ConfigError
from workbook.layout import build_layout

from ..service import build_google
from ..sheets_check import check_sheets
from .common import ConfigOption, Format, console, print_json, settings_from

__all__ = ["register"]

sheets_app = typer.Typer(help="Làm việc với các bảng tính Google của đơn vị.", no_args_is_help=True)


@sheets_app.command("check")
def check_command(
    config: Annotated[Path | None, ConfigOption] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Dạng in: text (bảng) hoặc json.")] = Format.text,
) -> None:
    """Kiểm tra trước hạn nộp: bảng tính đã chia sẻ cho tài khoản dịch vụ chưa, có đủ trang, đúng mẫu phiếu không.

    Mã thoát: 0 mọi bảng tính ổn, 1 có bảng tính cần sửa, 2 lỗi cấu hình.
    """
    settings = settings_from(config)
    api = build_google(settings)
    if api is None:
        raise ConfigError("Chưa có đơn vị nào khai báo bảng tính Google (khóa sheet trong [[units]]).", key="units.sheet")
    with api:
        results = check_sheets(settings, api, build_layout(settings.load_rubric()))
    if fmt is Format.json:
        print_json({"sheets": [r.to_json() for r in results], "requests": api.counts})
    else:
        table = Table(title="Kiểm tra bảng tính Google của các đơn vị")
        for col in ("Mã", "Đơn vị", "Kết quả", "Cần làm"):
            table.add_column(col, overflow="fold")
        for r in results:
            table.add_row(escape(r.code), escape(r.name), "Ổn" if r.ok else "Cần sửa", escape(" ".join(r.problems)))
        console.print(table)
    if not all(r.ok for r in results):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(sheets_app, name="sheets")
