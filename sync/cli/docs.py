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
    bien_ban = "bien-ban"
    to_trinh = "to-trinh"
    quyet_dinh = "quyet-dinh"
    cong_nhan = "cong-nhan"
    all = "all"


def docs_command(
    config: Annotated[Path | None, ConfigOption] = None,
    year: Annotated[int | None, typer.Option("--year", help="Năm đánh giá (mặc định theo [commune] year).")] = None,
    phase: Annotated[int | None, typer.Option("--phase", min=1, max=2, help="Văn bản sơ kết (1: giai đoạn I, 2026-2028) hoặc tổng kết (2: cả giai đoạn 2026-2030, chi tiết giai đoạn II; năm 2028 tính một lần, ở giai đoạn I): báo cáo và hồ sơ khen thưởng giai đoạn (biên bản, tờ trình, quyết định; giai đoạn I xét kết quả 2026-2028, giai đoạn II xét 2029-2030). Không có --kind: cả bốn văn bản.")] = None,
    kind: Annotated[Kind, typer.Option("--kind", help="Văn bản cần lập: bao-cao (báo cáo kết quả), bien-ban (biên bản họp Hội đồng Thi đua - Khen thưởng), to-trinh (tờ trình đề nghị khen thưởng), quyet-dinh (quyết định khen thưởng), cong-nhan (quyết định công nhận mô hình, điển hình; chỉ theo năm) hoặc all.")] = Kind.all,
    out: Annotated[Path | None, typer.Option("--out", metavar="<THƯ MỤC>", help="Thư mục ghi văn bản (mặc định: thư mục van-ban cạnh tệp tổng hợp).")] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Xuất thêm tệp PDF bằng LibreOffice (nếu máy có LibreOffice).")] = False,
    final: Annotated[bool, typer.Option("--final", help="Bản chính thức: chỉ ghi khi không văn bản nào còn thiếu gì (số, ngày, người ký, đoạn cần viết, kết quả tạm tính); còn thiếu thì không ghi gì và liệt kê phần thiếu.")] = False,
    export: Annotated[Path | None, typer.Option("--export-templates", metavar="<THƯ MỤC>", help="Ghi các mẫu văn bản mặc định (.docx) và tệp căn cứ pháp lý (can-cu.toml) vào thư mục này để xã sửa, rồi trỏ [documents] templates (và grounds) tới đó.")] = None,
) -> None:
    """Lập văn bản của Hội đồng Thi đua - Khen thưởng từ sổ lưu trữ: báo cáo kết quả năm, biên bản họp Hội đồng,
    tờ trình và quyết định khen thưởng, quyết định công nhận mô hình, điển hình; với --phase: báo cáo sơ kết /
    tổng kết và biên bản, tờ trình, quyết định khen thưởng giai đoạn (.docx, theo thể thức Nghị định
    30/2020/NĐ-CP).

    Khen thưởng giai đoạn: đơn vị đạt từ Hoàn thành tốt nhiệm vụ trở lên, không tạm tính ở mọi năm có kết quả của
    giai đoạn, xếp theo điểm bình quân; mô hình đã được công nhận đạt mức Tiêu biểu, Đề nghị khen thưởng hoặc Nhân
    rộng và điển hình được công nhận trong giai đoạn (theo sổ mô hình, điển hình); đề nghị của đơn vị lập theo năm
    nên không đưa vào. Số lượng: [awards] phase_giay_khen_quota. Tệp: to-trinh-khen-thuong-giai-doan-1.docx, …

    Mọi con số lấy từ cùng phép tính với tệp Excel tổng hợp. Tình trạng nộp (còn hạn, trễ hạn, chưa nộp) tính đến ngày
    của từng văn bản, bỏ trống ngày thì tính đến ngày lập. Số, ngày, người ký lấy từ [documents] (của năm
    [commune] year), [documents.<năm>] và [documents.phase1|2] (report_, minutes_, submission_, decision_ +
    number / date). Văn bản còn thiếu gì (ô “…” tô vàng, đoạn
    “[Cán bộ viết: …]”, kết quả tạm tính, ngày trước hạn nộp phiếu, số trùng) được ghi là DỰ THẢO, phần thiếu
    được liệt kê và lệnh kết thúc với mã 1.
    """
    from workbook.documents import export_templates

    from ..documents import KINDS, PHASE_KINDS, write_documents
    from ..ledger import Ledger

    if export is not None:
        for path in export_templates(export):
            console.print(f"Đã ghi mẫu: {path}", markup=False)
        return
    settings = settings_from(config)
    if phase is not None and kind is Kind.cong_nhan:
        raise DvkError("Quyết định công nhận mô hình, điển hình lập theo năm (--year); với --phase chỉ có bao-cao, bien-ban, "
                       "to-trinh, quyet-dinh hoặc all.")
    if phase is not None and year is not None:
        raise DvkError("Chọn một trong hai: --year (văn bản của một năm) hoặc --phase (sơ kết / tổng kết giai đoạn).")
    if not settings.ledger_path.exists():
        raise DvkError(f"Chưa có sổ lưu trữ {settings.ledger_path}. Chạy dvk sync trước khi lập văn bản.")
    target = out or settings.master_path(year or settings.year).parent / "van-ban"
    kinds = (PHASE_KINDS if phase is not None else KINDS) if kind is Kind.all else (kind.value,)
    with Ledger.open(settings.ledger_path) as ledger:
        result = write_documents(settings, ledger, target, year=year, phase=phase, kinds=kinds, pdf=pdf, final=final,
                                 today=dt.date.today())
    for warning in result.warnings:
        console.print(warning, style="yellow", markup=False)
    if result.refused:
        console.print("Chưa ghi văn bản nào (--final): các văn bản sau còn thiếu:", style="bold red", markup=False)
        for draft in result.refused:
            _missing(draft.path.name, draft.missing)
        console.print("Điền các phần còn thiếu (dvk.toml, hoặc sửa mẫu văn bản), hoặc bỏ --final để ghi bản DỰ THẢO.",
                      markup=False)
        raise typer.Exit(1)
    drafts = {draft.path: draft for draft in result.drafts}
    failed = {Path(source).with_suffix(".pdf").name for source, _ in result.pdf_failed}
    for path in result.written:
        console.print(f"Đã ghi{' bản DỰ THẢO' if path in drafts else ''}: {path}", markup=False)
    for path in result.pdfs:
        console.print(f"Đã ghi{' bản DỰ THẢO' if path.with_suffix('.docx') in drafts else ''}: {path}", markup=False)
    for source, reason in result.pdf_failed:
        console.print(f"Không xuất được PDF của {Path(source).name}: {reason}.", style="bold red", markup=False)
    for message in result.messages:
        console.print(message, style="yellow", markup=False)
    if drafts:
        console.print(f"{len(drafts)} văn bản là DỰ THẢO (chưa ký được), còn thiếu:", style="bold yellow", markup=False)
        for draft in drafts.values():
            _missing(draft.path.name, draft.missing)
    if result.pdf_missing or drafts or failed:
        raise typer.Exit(1)


def _missing(name: str, items: tuple[str, ...]) -> None:
    console.print(f"  {name}:", markup=False)
    for item in items:
        console.print(f"    - {item}", markup=False)


def register(app: typer.Typer) -> None:
    app.command("docs")(docs_command)
