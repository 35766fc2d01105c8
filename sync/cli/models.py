"""`dvk models`: the commune register of models and exemplars; `dvk models link` / `unlink` for renamed models."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .common import ConfigOption, console, print_json, settings_from

if TYPE_CHECKING:
    from ..config import Settings

__all__ = ["register"]

models_app = typer.Typer(
    help="Sổ mô hình, điển hình “Dân vận khéo” của xã: mỗi mô hình một mã qua các năm, tình trạng từng năm, "
         "công nhận (cấp, số, ngày quyết định), số quyết định cần kiểm tra. Chạy “dvk models” (không có lệnh con) "
         "để liệt kê hoặc xuất sổ (--out tệp .xlsx/.csv); “dvk models link MÃ-MỚI MÃ-CŨ” nối hai tên của cùng một "
         "mô hình đã đổi tên. Mã thoát: 0 xong, 2 lỗi cấu hình hoặc chưa có sổ lưu trữ.",
)


class ModelsFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


def _ledger_path(config: Path | None) -> tuple[Settings, Path]:
    from schemas.errors import ConfigError

    settings = settings_from(config, need_file=True)
    path = settings.ledger_path
    if not path.is_file():
        raise ConfigError(f"Chưa có sổ lưu trữ {path}: hãy chạy dvk sync trước (sổ mô hình lập từ phiếu đã nhận).",
                          key="output.ledger")
    return settings, path


@models_app.callback(invoke_without_command=True)
def models_command(
    ctx: typer.Context,
    config: Annotated[Path | None, ConfigOption] = None,
    year: Annotated[int | None, typer.Option("--year", help="Chỉ các mô hình, điển hình có trong phiếu năm này "
                                                           "(tình trạng các năm đến năm này).")] = None,
    fmt: Annotated[ModelsFormat, typer.Option("--format", help="Dạng in: text (bảng), json hoặc csv.")] = ModelsFormat.text,
    out: Annotated[Path | None, typer.Option("--out", help="Ghi ra tệp .xlsx hoặc .csv (thay vì in ra màn hình).")] = None,
) -> None:
    """Liệt kê sổ mô hình, điển hình của xã (lập lại từ phiếu của các đơn vị mỗi lượt đồng bộ): mã trong sổ,
    đơn vị, tên, lĩnh vực, năm đầu tiên, tình trạng từng năm (đăng ký → công nhận → nhân rộng), cấp, số và ngày
    quyết định công nhận; cảnh báo khi một số quyết định được hai đơn vị ghi cho hai mô hình khác nhau hoặc ghi
    với hai ngày khác nhau.

    Mô hình đổi tên: dvk models link MÃ-MỚI MÃ-CŨ (ví dụ dvk models link MH-0007 MH-0003).
    Mã thoát: 0 xong, 2 lỗi cấu hình hoặc chưa có sổ lưu trữ.
    """
    if ctx.invoked_subcommand is not None:  # `dvk models --config F link …`: the subcommand uses F
        ctx.obj = {"config": config}
        return
    import datetime as dt

    from schemas.errors import ConfigError
    from schemas.validate import YEARS

    from ..ledger import Ledger
    from ..models import register_table, update_register

    settings, path = _ledger_path(config)
    if year is not None and year not in YEARS:
        raise ConfigError(f"Năm {year} nằm ngoài giai đoạn {YEARS.start}–{YEARS.stop - 1}.", key="--year")
    if out is not None:
        out = _check_out(out)
    with Ledger.open(path) as ledger:
        register = update_register(settings, ledger)
    table = register_table(register, year)
    commune = settings.commune.name
    title = f"Sổ mô hình, điển hình “Dân vận khéo” – {commune}" + (f", năm {year}" if year else "")
    if out is not None:
        from workbook.table_export import write_table_csv, write_table_xlsx

        when = dt.datetime.now().astimezone()
        if out.suffix.lower() == ".csv":
            written, note = write_table_csv(out, table.headers, table.rows, when=when)
        else:
            subtitle = (f"Lập lúc {when:%d/%m/%Y %H:%M} từ sổ lưu trữ của dvk: {len(table.rows)} mô hình, điển hình; "
                        "mỗi mô hình một mã qua các năm.")
            widths = [9, 9, 11, 30, 18, 14, 9, 7, *([13] * len(table.years)), 8, 13, 11, 18, 30]
            written, note = write_table_xlsx(out, title, subtitle, table.headers, table.rows, when=when, widths=widths)
        console.print(f"Đã ghi: {written} ({len(table.rows)} mô hình, điển hình)", markup=False, soft_wrap=True)
        if note:
            console.print(note, style="yellow", markup=False)
        return
    if fmt is ModelsFormat.json:
        print_json(table.to_json())
    elif fmt is ModelsFormat.csv:
        import csv
        import sys

        from workbook.table_export import csv_cell

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(table.headers)
        writer.writerows([csv_cell(v) for v in row] for row in table.rows)
    else:
        _print_text(title, table)


def _check_out(out: Path) -> Path:
    from schemas.errors import ConfigError

    from .common import check_output_file

    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ConfigError(f"--out: tệp “{out.name}” phải có đuôi .xlsx hoặc .csv.", key="--out")
    return check_output_file(out, suffix, option="--out")


def _print_text(title: str, table: object) -> None:
    from rich.markup import escape
    from rich.table import Table

    from ..models import RegisterTable

    assert isinstance(table, RegisterTable)
    if not table.entries:
        console.print(f"{title}: chưa có mô hình, điển hình nào trong các phiếu đã nhận.", markup=False)
        return
    out = Table(title=title)
    for col in ("Mã", "Đơn vị", "Tên", "Lĩnh vực", "Năm đầu", "Tình trạng qua các năm", "Công nhận"):
        out.add_column(col, overflow="fold")
    last = table.year or max(table.years)
    for e in table.entries:
        rec = e.recognition_as_of(last)
        out.add_row(escape(e.code), escape(e.unit_code), escape(e.name), escape(e.field), str(e.first_year),
                    escape(e.trend([y for y in table.years if y >= e.first_year])),
                    escape(rec.recognition if rec else ""))
    console.print(out)
    flags = [f for f in table.register.flags if table.year is None or any(y == table.year for *_, y in f.uses)]
    if flags:
        console.print("Số quyết định công nhận cần kiểm tra:", style="yellow", markup=False)
        for f in flags:
            first = f.uses[0][0]
            console.print(f"- {first}: {f.message_for(first)}", markup=False, soft_wrap=True)


def _config(ctx: typer.Context, config: Path | None) -> Path | None:
    return config if config is not None else (ctx.obj or {}).get("config")


@models_app.command("link")
def link_command(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(metavar="MÃ-MỚI", help="Mã của tên mới (ví dụ MH-0007).")],
    into: Annotated[str, typer.Argument(metavar="MÃ-CŨ", help="Mã của mô hình đó trong sổ từ trước (ví dụ MH-0003).")],
    config: Annotated[Path | None, ConfigOption] = None,
) -> None:
    """Nối hai mã là cùng một mô hình (hoặc điển hình) đã đổi tên: từ nay là một, giữ mã thứ hai, các năm
    của cả hai tên gộp lại. Lưu trong sổ lưu trữ, giữ qua mọi lượt đồng bộ; bỏ nối bằng dvk models unlink."""
    from ..ledger import Ledger
    from ..ledger.register import link
    from ..models import update_register

    settings, path = _ledger_path(_config(ctx, config))
    with Ledger.open(path) as ledger:
        update_register(settings, ledger)
        source, target = link(ledger, code, into)
        register = update_register(settings, ledger)
    entry = register.by_code(target)
    names = "; ".join(f"“{n}”" for n in entry.names) if entry else ""
    console.print(f"Đã nối {source} vào {target}: {names}.", markup=False, soft_wrap=True)
    if entry is not None:
        console.print(f"Tình trạng qua các năm: {entry.trend()}", markup=False, soft_wrap=True)


@models_app.command("unlink")
def unlink_command(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(metavar="MÃ", help="Mã đã nối (ví dụ MH-0007).")],
    config: Annotated[Path | None, ConfigOption] = None,
) -> None:
    """Bỏ nối: mã này lại là một mô hình riêng."""
    from ..ledger import Ledger
    from ..ledger.register import unlink

    _, path = _ledger_path(_config(ctx, config))
    with Ledger.open(path) as ledger:
        done = unlink(ledger, code)
    console.print(f"Đã bỏ nối {code.strip().upper()}." if done else f"{code.strip().upper()} chưa được nối với mã nào.",
                  markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(models_app, name="models")
