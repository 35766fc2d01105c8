"""`dvk sync`: one pass over every source (or `--watch` as a service), a summary table or JSON."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from schemas.errors import ConfigError

from .common import (
    STATUS_LABELS,
    ConfigOption,
    Format,
    console,
    escape,
    need_units,
    print_json,
    settings_from,
    staff_line,
)

if TYPE_CHECKING:
    from ..config import Settings
    from ..service import SyncReport

__all__ = ["register", "render_report", "sentences", "summary_counts"]


def _note(u: object) -> str:
    """The "Ghi chú" cell: what needs attention — "Cần xem lại", a provisional total, the unit's message and
    notices (older copies, two files, another year) — from whatever the service reports for the unit."""
    status, message = getattr(u, "status", ""), getattr(u, "message", "")
    parts: list[str] = []
    if getattr(u, "needs_review", False):  # resubmitted after the council appraised the earlier version
        parts.append("Cần xem lại")
    if getattr(u, "provisional", False) and status not in ("invalid", "error"):
        parts.append("Tạm tính – phiếu còn lỗi")
    if message and status in ("invalid", "error", "missing"):
        parts.append(message)
    parts.extend(str(n) for n in getattr(u, "notices", None) or ())
    return escape(sentences(parts))


def sentences(parts: list[str]) -> str:
    """Notes as sentences: each ends with a full stop (unless it has one), joined by a space — never ".;"."""
    out = []
    for part in parts:
        text = part.strip().rstrip(";").strip()
        if text:
            out.append(text if text.endswith((".", "!", "?", "…")) else f"{text}.")
    return " ".join(dict.fromkeys(out))


def _staff_line(report: SyncReport) -> str | None:
    """How many of the council's appraisal values and notes the master applies (read back before the rebuild),
    and how many typed values are invalid."""
    staff = getattr(report, "staff_edits", None)
    return staff_line(staff) if isinstance(staff, dict) else None


def summary_counts(report: SyncReport) -> str:
    """"Tổng: Đã nhận 2, Chưa nộp 1." — or that no unit is registered."""
    counts: dict[str, int] = {}
    for u in report.units:
        counts[u.status] = counts.get(u.status, 0) + 1
    if not counts:
        return "Chưa có đơn vị nào trong danh sách (khai báo [[units]] hoặc units_file trong dvk.toml)."
    return "Tổng: " + ", ".join(f"{STATUS_LABELS.get(k, k)} {v}" for k, v in counts.items()) + "."


def render_report(report: SyncReport) -> None:
    from rich.table import Table

    table = Table(title=f"Kết quả đồng bộ năm {report.year}")
    for col in ("Mã", "Đơn vị", "Trạng thái", "Nguồn", "Tổng điểm", "Xếp loại", "Lỗi", "Ghi chú"):
        table.add_column(col, overflow="fold")
    for u in report.units:
        table.add_row(
            escape(u.code), escape(u.name), STATUS_LABELS.get(u.status, u.status), {"folder": "Thư mục", "google": "Google Sheets"}.get(u.source or "", ""),
            "" if u.total is None else f"{u.total:.2f}".replace(".", ","), u.rating_code or "",
            str(u.errors) if u.errors else "", _note(u),
        )
    console.print(table)
    for other in report.other_files:
        console.print(f"[yellow]•[/] {escape(other.name)}: {escape(other.message or STATUS_LABELS.get(other.status, other.status))}")
    console.print(summary_counts(report))
    staff = _staff_line(report)
    if staff:
        console.print(staff)
    requests = report.requests_text()
    if requests:  # every request of the pass, write-back included
        console.print(f"Yêu cầu Google: {requests}.")
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
    max_passes: Annotated[int | None, typer.Option(
        "--max-passes", min=1, help="Với --watch: dừng sau số lượt đồng bộ này (để thử dịch vụ; mặc định: chạy mãi).",
    )] = None,
) -> None:
    """Đồng bộ: đọc mọi phiếu (thư mục tệp và Google Sheets), kiểm tra, chấm điểm, lưu phiên bản, ghi tệp tổng hợp.

    Mã thoát: 0 mọi đơn vị ổn, 1 có đơn vị có lỗi hoặc không đọc được, 2 lỗi nghiêm trọng.
    """
    settings = settings_from(config, need_file=True)
    need_units(settings)
    if max_passes is not None and not watch_mode:
        raise ConfigError("--max-passes chỉ dùng cùng --watch.", key="--max-passes")
    with _google_hint(settings, no_google):
        _run(settings, fmt=fmt, no_google=no_google, watch_mode=watch_mode, interval=interval, max_passes=max_passes)


@contextlib.contextmanager
def _google_hint(settings: Settings, no_google: bool) -> Iterator[None]:
    """A Google source that is not set up: say which units use it and that --no-google skips it."""
    try:
        yield
    except ConfigError as err:
        key = str(err.context.get("key", ""))
        if no_google or not key.startswith("sources.google"):
            raise
        units = ", ".join(u.code for u in settings.registry().values() if u.sheet)
        raise ConfigError(
            f"{err} Các đơn vị khai báo bảng tính Google: {units}. Nếu chưa dùng Google Sheets, hãy xóa khóa sheet "
            "của các đơn vị đó trong dvk.toml, hoặc chỉ đọc thư mục tệp bằng: dvk sync --no-google",
            **err.context,
        ) from err


def _run(settings: Settings, *, fmt: Format, no_google: bool, watch_mode: bool, interval: float, max_passes: int | None) -> None:
    from ..service import run_sync

    if watch_mode:
        from ..watch import watch

        watch(settings, interval=interval, use_google=not no_google, max_passes=max_passes,
              say=lambda text: console.print(text, markup=False))
        return
    if fmt is Format.json or not console.is_terminal:
        report = run_sync(settings, use_google=not no_google)
    else:
        from rich.progress import BarColumn, Progress, TextColumn

        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} tệp/bảng tính"),
                      console=console.rich(), transient=True) as progress:
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
