"""`dvk intake …`: files held for staff (unit code and unit name disagree): list them, say whose one is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from .common import ConfigOption, Format, console, print_json, settings_from

__all__ = ["register"]

intake_app = typer.Typer(
    help="Tệp chờ cán bộ xác nhận: liệt kê, xác nhận.", no_args_is_help=True,
)


def _state(held: Any) -> str:
    if held.released_to:
        how = "cán bộ xác nhận" if held.released_how == "staff" else "đơn vị gửi lại, đã sửa mã"
        return f"Đã tính cho {held.released_to} ({how})"
    return "Chờ xác nhận" if held.present else "Không còn trong thư mục nhận tệp"


def _inside(path: Path, folder: Path) -> str:
    """A held file as staff name it: its path inside the intake folder (else as recorded)."""
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def _local(moment: dt.datetime | None) -> str:
    return moment.astimezone().strftime("%d/%m/%Y %H:%M") if moment else ""


@intake_app.command("list")
def list_command(
    config: Annotated[Path | None, ConfigOption] = None,
    year: Annotated[int | None, typer.Option("--year", help="Năm đánh giá (mặc định theo [commune] year).")] = None,
    every: Annotated[bool, typer.Option("--all", help="Cả các tệp đã xác nhận hoặc không còn trong thư mục.")] = False,
    fmt: Annotated[Format, typer.Option("--format", help="Dạng in: text (bảng) hoặc json.")] = Format.text,
) -> None:
    """Liệt kê các tệp đang chờ xác nhận.

    Mỗi tệp: đường dẫn, mã ghi trong tệp, đơn vị mà tên trỏ tới, thời điểm dvk nhận lần đầu, lệnh xác nhận.
    Mã thoát: 0 không còn tệp nào chờ, 1 còn tệp chờ xác nhận.
    """
    from rich.markup import escape
    from rich.table import Table

    from ..ledger import Ledger
    from ..ledger.held import held_files

    settings = settings_from(config, need_file=True)
    the_year = year or settings.year
    if not settings.ledger_path.is_file():
        rows = []
    else:
        with Ledger.open(settings.ledger_path) as ledger:
            rows = [h for h in held_files(ledger, the_year) if every or h.waiting]
    waiting = [h for h in rows if h.waiting]
    if fmt is Format.json:
        print_json({"year": the_year, "files": [{
            "file": h.path, "claimed_code": h.claimed_code, "named_code": h.named_code, "units": list(h.units),
            "first_seen_at": h.first_seen_at.isoformat(), "last_seen_at": h.last_seen_at.isoformat(),
            "waiting": h.waiting, "present": h.present, "released_to": h.released_to, "released_how": h.released_how,
            "released_at": h.released_at.isoformat() if h.released_at else None, "reason": h.reason,
        } for h in rows]})
    elif not rows:
        console.print(f"Không có tệp nào chờ xác nhận (năm {the_year}).", markup=False)
    else:
        table = Table(title=f"Tệp chờ xác nhận năm {the_year}")
        for column in ("Tệp", "Mã ghi trong tệp", "Tên đơn vị trỏ tới", "dvk nhận lần đầu", "Tình trạng", "Xác nhận bằng"):
            table.add_column(column, overflow="fold")
        folder = settings.sources.folder.path
        for h in rows:
            shown = _inside(Path(h.path), folder)
            command = f"dvk intake release \"{shown}\" --unit {h.named_code or h.claimed_code}" if h.waiting else ""
            table.add_row(escape(shown), escape(h.claimed_code or ""), escape(h.named_code or ""),
                          _local(h.first_seen_at), _state(h), escape(command))
        console.print(table)
        if waiting:
            console.print("Tệp được xác nhận tính cho đơn vị với thời điểm dvk nhận lần đầu (không bị tính trễ hạn vì "
                          "chờ xác nhận).", markup=False)
    if waiting:
        raise typer.Exit(1)


@intake_app.command("release")
def release_command(
    file: Annotated[Path, typer.Argument(help="Tệp đang chờ xác nhận (đường dẫn, hoặc tên tệp trong thư mục nhận tệp).",
                                         show_default=False, metavar="TỆP")],
    unit: Annotated[str, typer.Option("--unit", help="Mã đơn vị mà tệp là phiếu của đơn vị đó.", show_default=False)],
    config: Annotated[Path | None, ConfigOption] = None,
) -> None:
    """Xác nhận tệp đang chờ là phiếu của một đơn vị.

    Tệp được tính cho đơn vị --unit với thời điểm dvk nhận tệp lần đầu (không bị tính trễ hạn vì chờ xác nhận),
    rồi tệp tổng hợp được ghi lại. Mã ô đơn vị trong phiếu được hiểu là mã đã xác nhận; tệp gốc không bị sửa.
    """
    from ..ledger import Ledger
    from ..release import release_file
    from ..reporting import write_year_master
    from .common import need_units

    settings = settings_from(config, need_file=True)
    need_units(settings)
    with Ledger.open(settings.ledger_path) as ledger:
        done = release_file(settings, ledger, file, unit)
        master, _ = write_year_master(settings, ledger, done.held.year, now=dt.datetime.now().astimezone())
    console.print(f"Đã tính tệp “{done.held.name}” cho {done.unit_code}, thời điểm nhận lần đầu "
                  f"{_local(done.held.first_seen_at)}.", markup=False, soft_wrap=True)
    for note in done.notes:
        console.print(note, style="yellow", markup=False, soft_wrap=True)
    console.print(f"Đã ghi: {master.path}", markup=False, soft_wrap=True)
    if master.message:
        console.print(master.message, style="yellow", markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(intake_app, name="intake")
