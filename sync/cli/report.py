"""`dvk report`: rewrite the master workbook (or a phase review) from the ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from schemas.errors import ConfigError
from schemas.period import YEARS

from .common import ConfigOption, check_output_file, console, need_units, settings_from, staff_line

__all__ = ["register"]


def report_command(
    config: Annotated[Path | None, ConfigOption] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Tệp Excel cần ghi (mặc định theo [output] master).")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Năm đánh giá (mặc định theo [commune] year).")] = None,
    phase: Annotated[int | None, typer.Option("--phase", min=1, max=2, help="Báo cáo sơ kết (1: giai đoạn I, 2026–2028) hoặc tổng kết (2: cả giai đoạn 2026–2030, chi tiết giai đoạn II; năm 2028 tính một lần, ở giai đoạn I), kèm danh sách đề nghị khen thưởng giai đoạn ([awards] phase_giay_khen_quota).")] = None,
    with_lite: Annotated[bool, typer.Option("--with-lite", help="Nhúng mã Python cho xlwings Lite vào tệp.")] = False,
) -> None:
    """Ghi tệp Excel tổng hợp từ sổ lưu trữ: xếp hạng, chi tiết tiêu chí, mô hình, tình trạng nộp, lỗi, biểu đồ.

    Điểm thẩm định và ghi chú của hội đồng đã nhập trong tệp cũ (và trong bản “(ban moi)”) được đọc lại và giữ
    nguyên, từng ô: ô đã sửa khác với lần dvk ghi là điểm cán bộ nhập (xóa trống cũng là sửa), không xét ngày giờ
    của tệp; hai tệp sửa cùng một ô khác nhau thì dvk không tự chọn mà ghi cả hai vào trang “Lỗi”. Tệp được lưu
    trong lúc dvk đang lập lại thì dvk đọc lại, không ghi đè.
    """
    from workbook.master import PHASES

    from ..ledger import Ledger
    from ..reporting import read_back_counts, write_phase, write_year_master

    settings = settings_from(config, need_file=True)
    need_units(settings)
    the_year = year if year is not None else settings.year
    if the_year not in YEARS:
        raise ConfigError(f"Năm {the_year} nằm ngoài giai đoạn {YEARS.start}–{YEARS.stop - 1}.", key="--year")
    if out is not None:
        out = check_output_file(out, ".xlsx", option="--out")
    read_back: str | None = None
    now = dt.datetime.now().astimezone()  # every status of the master is stated as of now
    with Ledger.open(settings.ledger_path) as ledger:
        if phase is not None:
            target = out or settings.master_path(settings.year).with_name(
                f"{'so-ket' if phase == 1 else 'tong-ket'}-dan-van-kheo-giai-doan-{phase}.xlsx"
            )
            result = write_phase(settings, ledger, phase, target, now=now)
            _, years = PHASES[phase]
            if not set(years) & set(ledger.years()):  # a frame only: say so rather than let it pass for a report
                empty = (f"Sổ lưu trữ chưa có dữ liệu năm nào của giai đoạn {phase} ({years[0]}–{years[-1]}): tệp chỉ có "
                         "khung, chưa có đơn vị nào. Hãy chạy dvk sync cho các năm của giai đoạn rồi lập lại báo cáo.")
                result = replace(result, message=" ".join([empty, result.message or ""]).strip())
        else:
            result, results = write_year_master(settings, ledger, the_year, out=out, now=now)
            read_back = staff_line(read_back_counts(results))
    if with_lite:
        from addin.bundle import build_lite_bundle  # the add-in sits on top; only this option needs it
        from addin.embed import embed_lite

        embed_lite(result.path, build_lite_bundle(settings.rubric.file))
    console.print(f"Đã ghi: {result.path}", markup=False, soft_wrap=True)
    if read_back:
        console.print(read_back, markup=False, soft_wrap=True)
    if result.message:
        console.print(result.message, style="yellow", markup=False)


def register(app: typer.Typer) -> None:
    app.command("report")(report_command)
