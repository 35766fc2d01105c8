"""`dvk sheets …`: provision, list, check, lock and unlock the units' Google Sheets (all need a dvk.toml)."""

from __future__ import annotations

import csv
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from schemas.errors import ConfigError

from .common import ConfigOption, Format, console, print_json, settings_from

__all__ = ["register"]

sheets_app = typer.Typer(help="Làm việc với các bảng tính Google của đơn vị.", no_args_is_help=True)


@sheets_app.command("check")
def check_command(
    config: Annotated[Path | None, ConfigOption] = None,
    repair: Annotated[bool, typer.Option(
        "--repair", help="Đặt lại danh sách thả xuống và khoá ô của các bảng tính do dvk tạo (cần đăng nhập "
                         "tài khoản Google của xã).",
    )] = False,
    fmt: Annotated[Format, typer.Option("--format", help="Dạng in: text (bảng) hoặc json.")] = Format.text,
) -> None:
    """Kiểm tra trước hạn nộp: bảng tính đọc được, có đủ trang, đúng mẫu phiếu, đúng mã đơn vị. Với bảng tính do
    dvk tạo: còn trên Drive (không bị xoá, không ở thùng rác), còn chia sẻ đúng như dvk đã chia sẻ (và có ai khác
    được chia sẻ), còn danh sách thả xuống và khoá ô, không có bảng tính trùng nhãn đơn vị.

    Bảng tính bị xoá, quyền bị gỡ: chạy lại “dvk sheets provision”. Danh sách thả xuống, khoá ô: --repair.

    Mã thoát: 0 mọi bảng tính ổn (hoặc đã được sửa), 1 có bảng tính cần sửa, 2 lỗi cấu hình.
    """
    from rich.markup import escape
    from rich.table import Table

    from workbook.layout import build_layout

    from ..google.account import require_user_client, service_account_email, user_client
    from ..google.check import check_sheets
    from ..google.write_back import google_units
    from ..ledger import Ledger
    from ..ledger.sheets import SheetRecord
    from ..service import build_google

    settings = settings_from(config, need_file=True)
    units = settings.registry()
    recorded: dict[str, SheetRecord] = {}
    if settings.ledger_path.is_file():  # with the sheets `dvk sheets provision` recorded (never create a ledger here)
        with Ledger.open(settings.ledger_path) as ledger:
            units, recorded = google_units(ledger, units, settings.year)
    api = build_google(settings, units)
    if api is None:
        raise ConfigError(
            "Chưa có đơn vị nào có bảng tính Google: khai báo khóa sheet trong [[units]] hoặc tạo bảng tính bằng "
            "lệnh dvk sheets provision.",
            key="units.sheet",
        )
    owner = require_user_client(settings) if repair else (api if api.user else user_client(settings))
    with api:
        results = check_sheets(units, api, build_layout(settings.load_rubric()), recorded=recorded, owner_api=owner,
                               reader=service_account_email(settings), repair=repair)
        counts = api.request_counts
        if owner is not None and owner is not api:
            counts = counts + owner.request_counts
    if owner is not None and owner is not api:
        owner.close()
    if fmt is Format.json:
        print_json({"sheets": [r.to_json() for r in results], "requests": counts.to_json()})
    else:
        table = Table(title="Kiểm tra bảng tính Google của các đơn vị")
        for col in ("Mã", "Đơn vị", "Kết quả", "Cần làm"):
            table.add_column(col, overflow="fold")
        for r in results:
            result = "Ổn" if r.ok and not r.repaired else "Đã sửa" if r.ok else "Cần sửa"
            table.add_row(escape(r.code), escape(r.name), result, escape(" ".join((*r.problems, *r.repaired))))
        console.print(table)
    if not all(r.ok for r in results):
        raise typer.Exit(1)


YearOption = typer.Option("--year", help="Năm đánh giá (mặc định: năm trong dvk.toml).")
UnitsOption = typer.Option("--units", help="Chỉ các đơn vị này (mã đơn vị; nhắc lại tùy chọn cho nhiều đơn vị).")
_PROVISION_LABELS = {"created": "Đã tạo", "recreated": "Đã tạo lại", "restored": "Đã khôi phục",
                     "shared": "Đã chia sẻ lại", "repaired": "Đã sửa", "exists": "Đã có",
                     "registered": "Khai báo sẵn", "planned": "Sẽ làm", "error": "Lỗi"}


@sheets_app.command("provision")
def provision_command(
    config: Annotated[Path | None, ConfigOption] = None,
    year: Annotated[int | None, YearOption] = None,
    units: Annotated[list[str] | None, UnitsOption] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Chỉ in việc sẽ làm, không tạo hay chia sẻ gì.")] = False,
    fmt: Annotated[Format, typer.Option("--format", help="Dạng in: text (bảng) hoặc json.")] = Format.text,
) -> None:
    """Tạo cho mỗi đơn vị một bảng tính Google từ mẫu phiếu đã điền sẵn, trong thư mục Drive của năm, đặt danh
    sách thả xuống và khoá mọi ô trừ ô nhập liệu, rồi chia sẻ cho email của đơn vị (quyền chỉnh sửa).

    Chạy lại an toàn: không tạo trùng (kể cả khi mất trả lời của Google), làm tiếp phần còn dở, và sửa: tạo lại
    bảng tính đã bị xoá, khôi phục bảng tính ở thùng rác, chia sẻ lại quyền đã bị gỡ; báo bảng tính trùng nhãn.

    Mã thoát: 0 xong, 1 có đơn vị lỗi (chạy lại để làm tiếp), 2 lỗi cấu hình hoặc chưa đăng nhập.
    """
    from rich.markup import escape
    from rich.table import Table

    from ..google import build_client
    from ..google.account import require_user_client, user_client
    from ..google.provision import provision
    from ..ledger import Ledger

    settings = settings_from(config, need_file=True)
    api = user_client(settings)
    if api is None and settings.sources.google.credentials is not None and not dry_run:
        api = build_client(credentials_file=settings.sources.google.credentials,  # Google says why it cannot
                           api_endpoint=settings.sources.google.api_endpoint, timeout=settings.sources.google.timeout)
    with api or require_user_client(settings) as api, Ledger.open(settings.ledger_path) as ledger:
        report = provision(settings, api, ledger, year=year, codes=tuple(units or ()), dry_run=dry_run)
        report.requests = api.request_counts.to_json()
    if fmt is Format.json:
        print_json({"year": report.year, "folder_id": report.folder_id, "units": [u.to_json() for u in report.units],
                    "requests": report.requests})
    else:
        table = Table(title=f"Bảng tính Google của các đơn vị — năm {report.year}")
        for col in ("Mã", "Đơn vị", "Kết quả", "Đường dẫn / cần làm"):
            table.add_column(col, overflow="fold")
        for u in report.units:
            table.add_row(escape(u.code), escape(u.name), _PROVISION_LABELS.get(u.status, u.status),
                          escape(u.message if u.status == "error" or not u.url else f"{u.url} {u.message}".strip()))
        console.print(table)
    if report.failed:
        raise typer.Exit(1)


class ListFormat(StrEnum):
    text = "text"
    csv = "csv"
    json = "json"


@sheets_app.command("list")
def list_command(
    config: Annotated[Path | None, ConfigOption] = None,
    year: Annotated[int | None, YearOption] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help="Dạng in: text, csv hoặc json.")] = ListFormat.text,
) -> None:
    """In bảng đơn vị → bảng tính Google (mã, đường dẫn, chủ sở hữu, đã khoá chưa), để lưu hồ sơ."""
    from rich.markup import escape
    from rich.table import Table

    from ..ledger import Ledger
    from ..ledger.sheets import sheets_for

    settings = settings_from(config, need_file=True)
    the_year = year or settings.year
    with Ledger.open(settings.ledger_path) as ledger:
        recorded = sheets_for(ledger, the_year)
    registry = settings.registry()
    rows = []
    for code, unit in registry.items():
        rec = recorded.get(code)
        sheet = unit.sheet or (rec.url if rec else "")
        rows.append({"code": code, "name": unit.name, "email": unit.email or "", "url": sheet,
                     "spreadsheet_id": rec.spreadsheet_id if rec and not unit.sheet else "",
                     "owner": (rec.owner or "") if rec else "", "source": "registry" if unit.sheet else ("dvk" if rec else ""),
                     "locked": bool(rec and rec.locked and not unit.sheet)})
    if fmt is ListFormat.json:
        print_json({"year": the_year, "sheets": rows})
    elif fmt is ListFormat.csv:
        from workbook.text_cells import looks_like_formula

        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["code"], lineterminator="\n")
        writer.writeheader()
        # opened in Excel, a name starting with = + - @ would be a formula: it gets the apostrophe that keeps it text
        writer.writerows({k: "'" + v if isinstance(v, str) and looks_like_formula(v) else v for k, v in r.items()}
                         for r in rows)
    else:
        table = Table(title=f"Bảng tính Google của các đơn vị — năm {the_year}")
        for col in ("Mã", "Đơn vị", "Email", "Bảng tính", "Khoá"):
            table.add_column(col, overflow="fold")
        for r in rows:
            table.add_row(escape(str(r["code"])), escape(str(r["name"])), escape(str(r["email"])),
                          escape(str(r["url"]) or "Chưa có"), "Đã khoá" if r["locked"] else "")
        console.print(table)


def _lock(config: Path | None, year: int | None, units: list[str] | None, fmt: Format, *, lock: bool) -> None:
    from rich.markup import escape

    from ..google.account import require_user_client
    from ..google.lock import lock_sheets
    from ..ledger import Ledger

    settings = settings_from(config, need_file=True)
    with require_user_client(settings) as api, Ledger.open(settings.ledger_path) as ledger:
        outcomes = lock_sheets(api, ledger, year or settings.year, codes=tuple(units or ()), lock=lock)
    if fmt is Format.json:
        print_json({"units": [o.to_json() for o in outcomes], "requests": api.request_counts.to_json()})
    else:
        for o in outcomes:
            console.print(f"{escape(o.code)}: {escape(o.message)}", soft_wrap=True)
    if any(o.status == "error" for o in outcomes):
        raise typer.Exit(1)


@sheets_app.command("lock")
def lock_command(
    config: Annotated[Path | None, ConfigOption] = None,
    year: Annotated[int | None, YearOption] = None,
    units: Annotated[list[str] | None, UnitsOption] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Dạng in: text hoặc json.")] = Format.text,
) -> None:
    """Đến hạn nộp: chuyển quyền chỉnh sửa của các đơn vị thành quyền nhận xét; phiên bản hiện có là phiên
    bản được đánh giá, thay đổi sau đó chỉ được báo lại, không được lấy."""
    _lock(config, year, units, fmt, lock=True)


@sheets_app.command("unlock")
def unlock_command(
    config: Annotated[Path | None, ConfigOption] = None,
    year: Annotated[int | None, YearOption] = None,
    units: Annotated[list[str] | None, UnitsOption] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Dạng in: text hoặc json.")] = Format.text,
) -> None:
    """Mở lại quyền chỉnh sửa (gia hạn) cho các đơn vị chỉ định bằng --units."""
    _lock(config, year, units, fmt, lock=False)


def register(app: typer.Typer) -> None:
    app.add_typer(sheets_app, name="sheets")
