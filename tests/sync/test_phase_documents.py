"""The phase documents state and follow the convention: the sơ kết covers 2026–2028, the tổng kết the whole
movement 2026–2030 with giai đoạn II in detail, and 2028 counts once in every total of "lượt"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sync.documents import write_documents
from sync.documents.build import phase_report
from sync.ledger import Ledger
from sync.service import run_sync
from tests.sync.sync_support import facts_for, filled, settings, write_config
from tests.workbook.documents.docx_support import docx_text, table_with_header
from workbook.master.phase import CONVENTION

CODES = ["VP-UBND", "HND"]
YEARS = (2026, 2027, 2028, 2029, 2030)


@pytest.fixture(scope="module")
def movement(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five campaign years, two units, one model each a year (each sync after the deadline)."""
    root = tmp_path_factory.mktemp("movement")
    config = write_config(root, CODES)
    for year in YEARS:
        folder = root / "nop-bai" / str(year)
        folder.mkdir(parents=True)
        for code in CODES:
            filled(root, f"{year}/{code}.xlsx", facts_for(code, **{"info.year": year}))
        s = settings(config, DVK_COMMUNE__YEAR=str(year), DVK_SOURCES__FOLDER__PATH=str(folder))
        run_sync(s, now=dt.datetime(year, 12, 20, 9, 0).astimezone())
    return config


def test_phase_documents_count_2028_once(movement: Path, tmp_path: Path) -> None:
    s = settings(movement)
    with Ledger.open(s.ledger_path) as ledger:
        so_ket = phase_report(s, ledger, 1, today=dt.date(2028, 12, 28))
        tong_ket = phase_report(s, ledger, 2, today=dt.date(2030, 12, 28))
        write_documents(s, ledger, tmp_path, phase=2, today=dt.date(2030, 12, 28))
    assert [y.year for y in so_ket.year_lines] == [2026, 2027, 2028]
    assert [y.year for y in tong_ket.year_lines] == list(YEARS) and tong_ket.years == (2028, 2029, 2030)
    (first,) = so_ket.phase_lines
    one, two, whole = tong_ket.phase_lines
    assert (one.name, two.name, whole.name) == ("Giai đoạn I (2026-2028)", "Giai đoạn II (2029-2030)",
                                                 "Cả giai đoạn 2026-2030")
    assert (one.unit_years, two.unit_years, whole.unit_years) == (6, 4, 10)
    assert one.models + two.models == whole.models == tong_ket.models.registered == 10
    assert first.models == one.models  # the sơ kết's total is the tổng kết's giai đoạn I: nothing counted twice
    text = " ".join(docx_text(tmp_path / "tong-ket-dan-van-kheo-giai-doan-2.docx").split())
    assert "Tổng kết giai đoạn 2026-2030 (chi tiết giai đoạn II)" in text and CONVENTION in text
    assert "tính một lần" in text
    trends = table_with_header(tmp_path / "tong-ket-dan-van-kheo-giai-doan-2.docx", "STT")
    assert {"Điểm 2028", "Điểm 2029", "Điểm 2030", "Xu hướng 2026-2030"} <= set(trends[0])
    # the awards of the tổng kết weigh giai đoạn II's own years: 2028 was weighed at the sơ kết
    awards = " ".join(docx_text(tmp_path / "to-trinh-khen-thuong-giai-doan-2.docx").split())
    assert "trong Phong trào thi đua “Dân vận khéo” giai đoạn II (2029-2030)" in awards
    assert "kết quả năm 2028 đã được xét khi sơ kết giai đoạn I" in awards and "- Năm 2028" not in awards
    lines = table_with_header(tmp_path / "tong-ket-dan-van-kheo-giai-doan-2.docx", "Giai đoạn")
    assert [(r["Giai đoạn"], r["Lượt mô hình"]) for r in lines] == [
        ("Giai đoạn I (2026-2028)", "6"), ("Giai đoạn II (2029-2030)", "4"), ("Cả giai đoạn 2026-2030", "10")]
