"""`dvk demo`: run the whole job on a sample commune (no Google account needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import STATUS_LABELS, console

__all__ = ["register"]


def demo_command(
    out: Annotated[Path, typer.Option(
        "--out", metavar="<THƯ MỤC>", help="Thư mục chứa dữ liệu mẫu và kết quả: một thư mục mới (hoặc rỗng), hoặc thư mục do dvk demo tạo "
        "trước đó. Thư mục đã có dữ liệu khác bị từ chối, để không xóa dữ liệu thật.",
    )] = Path("demo-output"),
    fresh: Annotated[bool, typer.Option(
        "--fresh/--keep", help="Xóa dữ liệu mẫu cũ (nop-bai/, tong-hop/, dvk.toml) của thư mục do dvk demo tạo trước khi chạy.",
    )] = True,
) -> None:
    """Chạy thử toàn bộ quy trình trên một xã mẫu: 26 đơn vị, ba năm phiếu .xlsx (có phiếu nộp muộn, thiếu, có lỗi
    thường gặp), đồng bộ vào sổ lưu trữ SQLite, ghi tệp tổng hợp từng năm và báo cáo sơ kết giai đoạn 1."""
    from ..demo import prepare_demo_folder, run_demo

    prepare_demo_folder(out, fresh=fresh)  # refuses (exit 2) a folder dvk demo did not make
    with console.status("Đang tạo xã mẫu và đồng bộ…"):
        result = run_demo(out)
    console.print(f"Đã tạo {result.files} tệp phiếu mẫu trong {result.folder}", markup=False)
    for year, report in result.reports.items():
        counts: dict[str, int] = {}
        for u in report.units:
            counts[u.status] = counts.get(u.status, 0) + 1
        ratings: dict[str, int] = {}
        for u in report.units:
            if u.rating_code:
                ratings[u.rating_code] = ratings.get(u.rating_code, 0) + 1
        summary = ", ".join(f"{STATUS_LABELS.get(k, k)} {v}" for k, v in sorted(counts.items()))
        rated = ", ".join(f"{k} {ratings[k]}" for k in ("HTXS", "HTT", "HT", "KHT") if k in ratings)
        console.print(f"Năm {year}: {len(report.units)} đơn vị — {summary}. Xếp loại: {rated}.", markup=False)
        if report.master is not None:
            console.print(f"  Tệp tổng hợp: {report.master.path}", markup=False)
    console.print(f"Báo cáo sơ kết giai đoạn 1 (2026–2028): {result.phase_review}", markup=False)
    console.print(f"Cấu hình mẫu: {result.config} — chạy lại đồng bộ: dvk sync --config {result.config}", markup=False)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)
