"""`dvk docs`: the council's documents (.docx, and PDF through LibreOffice) from the ledger."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from schemas.errors import DvkError

from .common import ConfigOption, console, settings_from

__all__ = ["register"]


class Kind(StrEnum):
    bao_cao = "bao-cao"
    to_trinh = "to-trinh"
    quyet_dinh = "quyet-dinh"
    all = "all"


def docs_command(
    config: Annotated[Path | None, ConfigOption] = None,
    year: Annotated[int | None, typer.Option("--year", help="Năm đánh giá (mặc định theo [commune] year).")] = None,
    phase: Annotated[int | None, typer.Option("--phase", min=1, max=2, help="Báo cáo sơ kết (1: giai đoạn I, 2026–2028) hoặc tổng kết (2: cả giai đoạn 2026–2030, chi tiết giai đoạn II; năm 2028 tính một lần, ở giai đoạn I).")] = None,
    kind: Annotated[Kind, typer.Option("--kind", help="Văn bản cần lập: bao-cao (báo cáo kết quả), to-trinh (tờ trình đề nghị khen thưởng), quyet-dinh (quyết định khen thưởng) hoặc all.")] = Kind.all,
    out: Annotated[Path | None, typer.Option("--out", metavar="<THƯ MỤC>", help="Thư mục ghi văn bản (mặc định: thư mục van-ban cạnh tệp tổng hợp).")] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Xuất thêm tệp PDF bằng LibreOffice (nếu máy có LibreOffice).")] = False,
    export: Annotated[Path | None, typer.Option("--export-templates", metavar="<THƯ MỤC>", help="Ghi các mẫu văn bản mặc định (.docx) vào thư mục này để xã sửa trong Word, rồi trỏ [documents] templates tới đó.")] = None,
) -> None:
    """Lập văn bản của Hội đồng Thi đua – Khen thưởng từ sổ lưu trữ: báo cáo kết quả năm, báo cáo sơ kết / tổng
    kết giai đoạn, tờ trình và quyết định khen thưởng (.docx, theo thể thức Nghị định 30/2020/NĐ-CP).

    Mọi con số lấy từ cùng phép tính với tệp Excel tổng hợp. Tình trạng nộp (còn hạn, trễ hạn, chưa nộp) tính đến ngày
    của từng văn bản ([documents] report_date …), bỏ trống thì tính đến ngày lập. Các đoạn nhận định để trống, đánh
    dấu cho cán bộ viết.
    """
    from workbook.documents import export_templates

    from ..documents import KINDS, write_documents
    from ..ledger import Ledger

    if export is not None:
        for path in export_templates(export):
            console.print(f"Đã ghi mẫu: {path}", markup=False)
        return
    settings = settings_from(config)
    if phase is not None and kind not in (Kind.all, Kind.bao_cao):
        raise DvkError("Tùy chọn --phase chỉ dùng cho báo cáo sơ kết / tổng kết (--kind bao-cao); tờ trình và quyết "
                       "định khen thưởng lập theo năm (--year).")
    if phase is not None and year is not None:
        raise DvkError("Chọn một trong hai: --year (văn bản của một năm) hoặc --phase (sơ kết / tổng kết giai đoạn).")
    if not settings.ledger_path.exists():
        raise DvkError(f"Chưa có sổ lưu trữ {settings.ledger_path}. Chạy dvk sync trước khi lập văn bản.")
    target = out or settings.master_path(year or settings.year).parent / "van-ban"
    kinds = KINDS if kind is Kind.all else (kind.value,)
    with Ledger.open(settings.ledger_path) as ledger:
        result = write_documents(settings, ledger, target, year=year, phase=phase, kinds=kinds, pdf=pdf,
                                 today=dt.date.today())
    for path in (*result.written, *result.pdfs):
        console.print(f"Đã ghi: {path}", markup=False)
    for message in result.messages:
        console.print(message, style="yellow", markup=False)
    if result.pdf_missing:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("docs")(docs_command)
