"""`dvk sync`: one pass over every source (or `--watch` as a service), a summary table or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from ..service import SyncReport, run_sync
from ..watch import watch
from .common import STATUS_LABELS, ConfigOption, Format, console, print_json, settings_from

__all__ = ["register", "render_report"]


def render_report(report: SyncReport) -> None:
    table = Table(title=f"Kết quả đồng bộ năm {report.year}")
    for col in ("Mã", "Đơn vị", "Trạng thái", "Nguồn", "Tổng điểm", "Xếp loại", "Lỗi", "Ghi chú"):
        table.add_column(col, overflow="fold")
    for u in report.units:
        table.add_row(
            escape(u.code), escape(u.name), STATUS_LABELS.get(u.status, u.status), {"folder": "Thư mục", "google": "Google Sheets"}.get(u.source or "", ""),
            "" if u.total is None else f"{u.total:.2f}".replace(".", ","), u.rating_code or "",
            str(u.errors) if u.errors else "", escape(u.message) if u.status in ("invalid", "error", "missing") else "",
        )
    console.print(table)
    for other in report.other_files:
        console.print(f"[yellow]•[/] {escape(other.name)}: {escape(other.message or STATUS_LABELS.get(other.status, other.status))}")
    counts: dict[str, int] = {}
    for u in report.units:
        counts[u.status] = counts.get(u.status, 0) + 1
    console.print("Tổng: " + ", ".join(f"{STATUS_LABELS[k]} {v}" for k, v in counts.items()) + ".")
    if report.requests.get("sheets") or report.requests.get("drive"):
        console.print(f"Yêu cầu Google: Sheets {report.requests.get('sheets', 0)}, Drive {report.requests.get('drive', 0)}.")
    if report.master is not None:
        console.print(f"Tệp tổng hợp: {escape(str(report.master.path))}")
        if report.master.message:
            console.print(f"[yellow]{escape(report.master.message)}[/]")
    for notice in report.notices:
        console.print(f"[yellow]{escape(notice)}[/]")
    if report.interrupted:
        console.print("[yellow]Đã dừng giữa chừng theo yêu cầu; các đơn vị đã đồng bộ được giữ nguyên.[/]")


def sync_command(
    config: Annotated[Path | None, ConfigOption] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Dạng in: text (bảng) hoặc json.")] = Format.text,
    no_google: Annotated[bool, typer.Option("--no-google", help="Chỉ đọc thư mục tệp, bỏ qua Google Sheets.")] = False,
    watch_mode: Annotated[bool, typer.Option("--watch", help="Chạy liên tục như một dịch vụ (Ctrl+C để dừng).")] = False,
    interval: Annotated[float, typer.Option("--interval", min=5, help="Số giây giữa hai lần đồng bộ khi --watch.")] = 300,
) -> None:
    """Đồng bộ: đọc mọi phiếu (thư mục tệp và Google Sheets), kiểm tra, chấm điểm, lưu phiên bản, ghi tệp tổng hợp.

    Mã thoát: 0 mọi đơn vị ổn, 1 có đơn vị có lỗi hoặc không đọc được, 2 lỗi nghiêm trọng.
    """
    settings = settings_from(config)
    if watch_mode:
        watch(settings, interval=interval, use_google=not no_google)
        return
    if fmt is Format.json or not console.is_terminal:
        report = run_sync(settings, use_google=not no_google)
    else:
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} tệp/bảng tính"),
                      console=console, transient=True) as progress:
            task = progress.add_task("Đang đồng bộ…", total=None)
            report = run_sync(settings, use_google=not no_google,
                              on_unit=lambda name: progress.update(task, advance=1, description=f"Đang đồng bộ: {name}"))
    if fmt is Format.json:
        print_json(report.to_json())
    else:
        render_report(report)
    if report.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("sync")(sync_command)
