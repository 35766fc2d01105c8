"""Phase reviews: per-unit trend over the years of the phase, models by field and year, years without data."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook

from schemas import Rating
from tests.support.libreoffice import recalc
from workbook.master import PHASE_SHEETS, PHASES, MasterInput, compute, write_phase_review
from workbook.master.cells import HEADER_ROW
from workbook.master.phase import (
    CONVENTION,
    COUNTED_YEARS,
    NO_DATA,
    SPECS,
    counted_phase,
    phase_groups,
    phase_standings,
    trend,
)

from .conftest import table
from .factory import MODEL, master_input, row, sample, unit


def test_trend() -> None:
    assert trend([Fraction(80), None, Fraction(85)]) == ("↑", Fraction(5))
    assert trend([Fraction(90), Fraction(85), None]) == ("↓", Fraction(-5))
    assert trend([Fraction(70), Fraction(70)]) == ("→", Fraction(0))
    assert trend([None, Fraction(70), None]) == ("Chưa đủ dữ liệu", None)


def test_phase_one_with_a_year_missing(tmp_path: Path) -> None:
    y2026, y2028 = sample(11, year=2026, seed=0), sample(11, year=2028, seed=4)
    result = write_phase_review(tmp_path / "so-ket.xlsx", 1, {2026: y2026, 2028: y2028, 2030: sample(3, year=2030)})
    wb = load_workbook(result.path)
    assert wb.sheetnames == list(PHASE_SHEETS)
    heading = " ".join(str(c.value) for line in wb["Tổng hợp giai đoạn"].iter_rows(max_row=HEADER_ROW - 1) for c in line if c.value)
    assert "SƠ KẾT GIAI ĐOẠN I (2026-2028)" in heading
    overview = {r["Mã đơn vị"]: r for r in table(wb["Tổng hợp giai đoạn"])}
    first, last = ({r.code: r for r in compute(d)} for d in (y2026, y2028))
    for code, r in overview.items():
        # "–" in the narrow points column, the words in the wider one (they were clipped: new-commune 18)
        assert r["Điểm 2027"] == "–" and r["Xếp loại 2027"] == NO_DATA
        assert r["Xếp loại 2026"] == first[code].rating.label and r["Xếp loại 2028"] == last[code].rating.label
        arrow, diff = trend([first[code].total, last[code].total])
        assert r["Xu hướng"] == arrow
        assert r["Chênh lệch đầu – cuối"] == (None if diff is None else pytest.approx(float(diff)))
    assert overview["MTTQ"]["Xu hướng"] == "Chưa đủ dữ liệu"  # never submitted
    ratings = {r["Xếp loại"]: r for r in table(wb["Xếp loại theo năm"])}
    assert ratings[Rating.KHT.label]["Năm 2027"] == NO_DATA
    assert sum(int(r["Năm 2026"]) for r in ratings.values()) == 11  # type: ignore[call-overload]
    stats = {(r["Lĩnh vực"], r["Năm"]): r for r in table(wb["Mô hình theo lĩnh vực"])}
    economy = stats[("Kinh tế", 2026)]
    # every submitted unit has one recognised, collective economy model (HPN's parse still keeps it)
    submitted = sum(1 for u in y2026.units if u.submission is not None)
    assert (economy["Đăng ký"], economy["Được công nhận"], economy["Tập thể"], economy["Cá nhân"]) == (submitted, submitted, submitted, 0)
    assert stats[("Kinh tế", 2027)]["Đăng ký"] == "–" and stats[("Kinh tế", 2027)]["Cá nhân"] == "–"
    assert any(r["Năm"] == 2027 and r["Tên đơn vị"] == NO_DATA for r in table(wb["Danh sách mô hình"]))
    assert any(r["Năm"] == 2027 and r["Tên đơn vị"] == NO_DATA for r in table(wb["Điển hình"]))
    for name in ("Mô hình theo lĩnh vực", "Danh sách mô hình", "Điển hình", "Đề nghị khen thưởng"):
        ws = wb[name]
        column = [c.value for c in ws[HEADER_ROW]].index("Năm") + 1
        years = [ws.cell(HEADER_ROW + 1 + i, column) for i in range(3)]
        assert all(c.number_format == "0" for c in years if isinstance(c.value, int)), name  # 2026, not 2,026


@pytest.mark.libreoffice
def test_phase_two_opens_in_libreoffice(tmp_path: Path) -> None:
    outstanding = {**MODEL, "status": "Tiêu biểu"}
    replicated = {**MODEL, "name": "Nhân rộng", "status": "Nhân rộng", "kind": "Cá nhân", "recognition_level": ""}
    data = {
        y: master_input([row(unit(0), year=y, tables={"models": [outstanding, replicated]}), row(unit(1), year=y)], year=y)
        for y in (2028, 2029, 2030)
    }
    result = write_phase_review(tmp_path / "tong-ket.xlsx", 2, data)
    wb = load_workbook(recalc(result.path, tmp_path / "lo"), data_only=True)
    assert wb.sheetnames == list(PHASE_SHEETS)
    stats = {(r["Lĩnh vực"], r["Năm"]): r for r in table(wb["Mô hình theo lĩnh vực"])}
    assert (stats[("Kinh tế", 2029)]["Đăng ký"], stats[("Kinh tế", 2029)]["Tiêu biểu"], stats[("Kinh tế", 2029)]["Nhân rộng"]) == (3, 1, 1)
    assert all(r["Xu hướng"] == "→" for r in table(wb["Tổng hợp giai đoạn"]))


def test_unknown_phase_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Giai đoạn 3"):
        write_phase_review(tmp_path / "x.xlsx", 3, {})


def _five_years() -> dict[int, MasterInput]:
    """Two units a year, 2026–2030, each with one recognised model listed every year."""
    return {y: master_input([row(unit(0), year=y), row(unit(1), year=y, facts={"K1.result": 50})], year=y)
            for y in (2026, 2027, 2028, 2029, 2030)}


def test_phases_count_2028_once_and_the_tong_ket_covers_the_movement(tmp_path: Path) -> None:
    """The convention (workbook.master.phase): sơ kết 2026–2028; tổng kết 2026–2030 with giai đoạn II in detail;
    in totals across phases ("lượt") 2028 counts once, in giai đoạn I."""
    assert PHASES[1][1] == (2026, 2027, 2028) and PHASES[2][1] == (2026, 2027, 2028, 2029, 2030)
    assert SPECS[2].detail_years == (2028, 2029, 2030) and counted_phase(2028) == 1 and counted_phase(2029) == 2
    assert phase_groups(PHASES[2][1]) == [("Giai đoạn I (2026-2028)", (2026, 2027, 2028)),
                                          ("Giai đoạn II (2029-2030)", (2029, 2030))]
    data = _five_years()
    so_ket = load_workbook(write_phase_review(tmp_path / "so-ket.xlsx", 1, data).path)
    tong_ket = load_workbook(write_phase_review(tmp_path / "tong-ket.xlsx", 2, data).path)
    heading = " ".join(str(c.value) for line in tong_ket["Tổng hợp giai đoạn"].iter_rows(max_row=HEADER_ROW - 1)
                       for c in line if c.value)
    assert "TỔNG KẾT GIAI ĐOẠN 2026-2030" in heading and CONVENTION in heading
    overview = table(tong_ket["Tổng hợp giai đoạn"])
    assert all(f"Điểm {y}" in overview[0] for y in range(2026, 2031))
    stats = {(r["Lĩnh vực"], str(r["Năm"])): r["Đăng ký"] for r in table(tong_ket["Mô hình theo lĩnh vực"])}
    first, second = stats[("Cộng giai đoạn I (2026-2028)", "2026-2028")], stats[("Cộng giai đoạn II (2029-2030)", "2029-2030")]
    whole = stats[("Cộng cả giai đoạn", "2026-2030")]
    assert (first, second, whole) == (6, 4, 10) and first + second == whole  # 2 models a year, 2028 once
    so_ket_total = {(r["Lĩnh vực"], str(r["Năm"])): r["Đăng ký"] for r in table(so_ket["Mô hình theo lĩnh vực"])}
    assert so_ket_total[("Cộng giai đoạn I (2026-2028)", "2026-2028")] == first  # the sơ kết's total, not repeated
    ratings = {r["Xếp loại"]: r for r in table(tong_ket["Xếp loại theo năm"])}
    for r in ratings.values():
        assert r["Giai đoạn I (2026-2028)"] + r["Giai đoạn II (2029-2030)"] == r["Cả giai đoạn (lượt)"]  # type: ignore[operator]
        assert r["Cả giai đoạn (lượt)"] == sum(r[f"Năm {y}"] for y in range(2026, 2031))  # type: ignore[misc]
    assert sum(r["Cả giai đoạn (lượt)"] for r in ratings.values()) == 10  # type: ignore[misc]


def test_phase_standings_rank_the_units_sustained_over_the_phase() -> None:
    data = _five_years()
    data[2027] = master_input([row(unit(0), year=2027), row(unit(1), year=2027, facts={"K1.result": 0})], year=2027)
    results = {y: compute(d) for y, d in data.items()}
    standings = {s.code: s for s in phase_standings(results, SPECS[1].years)}
    best, other = standings[unit(0).code], standings[unit(1).code]
    assert best.eligible and best.rank == 1 and best.years_rated == 3 and best.years_htxs == 3
    assert best.average == results[2026][0].total if results[2026][0].code == best.code else best.average
    assert [t[0] for t in best.totals] == [2026, 2027, 2028]
    assert not other.eligible and other.rank is None and other.reason.startswith("Năm 2027: ")
    # phase II alone (2029–2030): both sustained their results there
    second = {s.code: s for s in phase_standings(results, COUNTED_YEARS[2])}
    assert second[unit(1).code].eligible and [t[0] for t in second[unit(1).code].totals] == [2029, 2030]
