"""DVK_KIEMTRA and the core of "Kiểm tra phiếu" on real template files, read as each runtime passes them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from addin.checks import VALID, check_ranges, dvk_kiemtra, kiemtra_formula
from schemas import Rubric
from workbook.fill import fill_template
from workbook.layout import Layout
from workbook.reader import read_workbook
from workbook.template import write_template

from .conftest import read_ranges

GOOD: dict[str, Any] = {
    "info.unit_code": "VP-UBND", "info.unit_name": "Văn phòng HĐND và UBND", "info.year": 2026,
    "info.head": "Nguyễn Văn An", "info.head_discipline": "Không", "info.ko_corruption": "Không",
    "info.ko_prosecuted": "Không", "info.signed_on": dt.date(2026, 12, 12),
    "A1.level": "Ban hành đúng hạn", "A2.count": 3, "A3.level": "Không", "A4.level": "Đúng hạn",
    "K1.target": 120, "K1.result": 115, "K2.target": 10, "K2.result": 10, "V1.target": 5, "V1.result": 5,
    "V2.target": 4, "V2.result": 3, "Q1.target": 2, "Q1.result": 2, "Q1.flag": "Không", "Q2.target": 6,
    "Q2.result": 6, "H1.target": 9, "H1.result": 8.5, "H2.count": 4, "S1.target": 120, "S1.result": 115,
    "S2.level": "Không có", "P1.target": 12, "P1.result": 12, "P2.target": 30, "P2.result": 29, "P3.count": 0,
    "D1.target": 4, "D1.result": 4, "D2.count": 5, "D3.level": "Không có", "B1.commune": 1, "B1.province": 0,
    "B1.replicated": 0, "M1.count": 0,
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, rubric: Rubric) -> Path:
    return write_template(tmp_path_factory.mktemp("tpl") / "mau.xlsx", rubric, year=2026)


def _filled(template: Path, tmp_path: Path, **changes: Any) -> Path:
    values = {**GOOD, **{k.replace("__", "."): v for k, v in changes.items()}}
    models = [{"name": "Dân vận khéo trong xây dựng nông thôn mới", "field": "Kinh tế", "kind": "Tập thể",
               "status": "Được công nhận", "start_date": dt.date(2026, 3, 1), "recognition_level": "Xã", "decision_no": "45/QĐ-UBND", "decision_date": dt.date(2026, 10, 20)}]
    return fill_template(template, tmp_path / "phieu.xlsx", values, {"models": models})


def test_a_good_sheet_is_valid_in_both_runtimes(template: Path, tmp_path: Path, layout: Layout) -> None:
    path = _filled(template, tmp_path)
    assert dvk_kiemtra(*read_ranges(path, layout)) == VALID
    assert dvk_kiemtra(*read_ranges(path, layout, officejs=True)) == VALID


def test_issues_point_at_cells_and_match_the_reader(template: Path, tmp_path: Path, layout: Layout, rubric: Rubric) -> None:
    path = _filled(
        template, tmp_path, K1__result="mười", S1__target=20, P1__result=14, A2__count=None, info__signed_on="31/02/2026",
        A1__level="ban hành đúng hạn",
    )
    classic = dvk_kiemtra(*read_ranges(path, layout))
    officejs = dvk_kiemtra(*read_ranges(path, layout, officejs=True))
    assert classic == officejs
    assert isinstance(classic, list)
    assert classic[0] == ["Trang", "Ô", "Mã lỗi", "Nội dung"]
    keys = {tuple(r[:3]) for r in classic[1:]}
    cell = {name: layout.input(name).cell for name in ("K1.result", "S1.target", "P1.result", "A2.count", "info.signed_on", "A1.level")}
    assert keys == {
        ("Thông tin đơn vị", cell["info.signed_on"], "invalid-date"),
        ("Chấm điểm", cell["A2.count"], "required-missing"),
        ("Chấm điểm", cell["K1.result"], "value-not-a-number"),
        ("Chấm điểm", cell["S1.target"], "sample-too-small"),
        ("Chấm điểm", layout.input("S1.result").cell, "result-exceeds-due"),  # 115 satisfied of 20 answers
        ("Chấm điểm", cell["P1.result"], "result-exceeds-due"),
        ("Chấm điểm", cell["A1.level"], "level-corrected"),
    }
    assert classic[-1][2] == "level-corrected"  # warnings after errors
    reader = {i.key() for i in read_workbook(path, rubric).issues}
    assert keys <= reader


def test_a_moved_row_and_missing_sheets(template: Path, tmp_path: Path, layout: Layout, rubric: Rubric) -> None:
    from openpyxl import load_workbook

    path = _filled(template, tmp_path)
    wb = load_workbook(path)
    wb["Chấm điểm"].insert_rows(8)
    wb.save(path)
    ranges = read_ranges(path, layout)
    issues = dvk_kiemtra(*ranges[:2])  # only the two first ranges: the tables are not checked
    assert isinstance(issues, list)
    assert ("Chấm điểm", "layout-changed") in {(r[0], r[2]) for r in issues[1:]}
    assert {r[0] for r in issues[1:]} <= {"Thông tin đơn vị", "Chấm điểm"}


def test_script_core_rows_and_highlights(template: Path, tmp_path: Path, layout: Layout, rubric: Rubric) -> None:
    path = _filled(template, tmp_path, K1__result="mười", A1__level="BAN HÀNH ĐÚNG HẠN")
    report = check_ranges(rubric, read_ranges(path, layout), layout)
    assert not report.ok
    rows = report.sheet_rows()
    assert rows[0] == ["Trang", "Ô", "Mã lỗi", "Nội dung", "Mức độ"]
    assert [r[4] for r in rows[1:]] == ["Lỗi", "Cảnh báo"]
    assert sorted(report.cells()) == sorted([
        ("Chấm điểm", layout.input("K1.result").cell, True),
        ("Chấm điểm", layout.input("A1.level").cell, False),
    ])


def test_valid_sheet_rows_and_formula(template: Path, tmp_path: Path, layout: Layout, rubric: Rubric) -> None:
    report = check_ranges(rubric, read_ranges(_filled(template, tmp_path), layout), layout)
    assert report.ok and report.sheet_rows() == [[VALID]] and report.cells() == []
    formula = kiemtra_formula(layout)
    assert formula == "=DVK_KIEMTRA(" + ", ".join(layout.ranges()) + ")"
    assert formula.startswith("=DVK_KIEMTRA('Thông tin đơn vị'!")


def test_no_ranges_says_which_are_needed() -> None:
    result = dvk_kiemtra()
    assert isinstance(result, str) and result.startswith("Lỗi: cần các vùng") and "'Chấm điểm'!" in result
