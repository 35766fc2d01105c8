"""Every formula carries its value; rating, rank and the NĐ 335 quota are native formulas equal to Python's.

The LibreOffice test types appraisals into written masters with openpyxl (which drops every cached value, so
LibreOffice must compute each formula itself), recalculates them in one LibreOffice start, and compares total,
rating, rank and eligibility with ``compute`` of the same appraisals read back by ``read_staff_edits``.
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from schemas import Rating, default_rubric
from tests.support.libreoffice import recalc_many
from workbook.master import MasterInput, compute, read_staff_edits, write_master
from workbook.master.candidates import candidates
from workbook.master.cells import HEADER_ROW

from .conftest import table
from .factory import master_input, missing, row, sample, unit
from .test_master_sheets import _facts_for

_CELL = re.compile(r"<c r=\"([A-Z]+\d+)\"[^>]*>(.*?)</c>", re.S)


def _formula_cells(path: Path) -> dict[tuple[str, str], bool]:
    """(sheet part, cell) → whether the formula cell stores a value, for every formula of the workbook."""
    out: dict[tuple[str, str], bool] = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                for ref, body in _CELL.findall(z.read(name).decode()):
                    if "<f>" in body or "<f " in body:
                        out[(name, ref)] = "<v>" in body and "<v></v>" not in body
    return out


def _quota_data() -> MasterInput:
    """95, 95, 92 at HTXS and 9 units at HTT under NĐ 335 (20 %): the 92 drops to HTT; one unit not submitted."""
    totals = [Decimal(95), Decimal(95), Decimal(92)] + [Decimal(80) - i for i in range(9)]
    units = [unit(100 + i).model_copy(update={"code": f"U{i:02d}"}) for i in range(len(totals))]
    rows = [row(u, facts=_facts_for(t)) for u, t in zip(units, totals, strict=True)]
    rows.append(missing(unit(200).model_copy(update={"code": "ZMISS"})))
    return master_input(rows, preset="nd-335-2025")


@pytest.mark.parametrize("preset", ["dan-van-2025", "nd-335-2025"])
def test_every_formula_cell_has_a_cached_value(tmp_path: Path, preset: str) -> None:
    data = sample(11, preset=preset) if preset == "dan-van-2025" else _quota_data()
    path = write_master(tmp_path / "m.xlsx", data).path
    cells = _formula_cells(path)
    assert len(cells) > 100
    assert [c for c, cached in cells.items() if not cached] == []
    wb = load_workbook(path, data_only=True)
    results = {r.code: r for r in compute(data)}
    for r in table(wb["Tổng hợp"]):
        res = results[str(r["Mã đơn vị"])]
        assert r["Xếp loại"] == res.rating.label and r["Xếp hạng"] == res.rank
        if res.total is not None:
            assert r["Tổng điểm"] == pytest.approx(float(res.total), abs=1e-9)
    with zipfile.ZipFile(path) as z:
        workbook_xml = z.read("xl/workbook.xml").decode()
    assert "fullCalcOnLoad" not in workbook_xml  # no recalculation on opening, no "save changes?"


def _type(path: Path, values: dict[str, dict[str, object]]) -> None:
    """Type appraisal values into "Chi tiết tiêu chí" as staff would (openpyxl drops the cached values)."""
    wb = load_workbook(path)
    ws = wb["Chi tiết tiêu chí"]
    header = [c.value for c in ws[HEADER_ROW]]
    for line in ws.iter_rows(min_row=HEADER_ROW + 1):
        for head, value in values.get(str(line[0].value), {}).items():
            line[header.index(head)].value = value
    wb.save(path)


def _strip(path: Path) -> None:
    """Load and save with openpyxl: the formulas stay, their cached values go (LibreOffice must compute them)."""
    wb = load_workbook(path)
    wb.save(path)


@pytest.mark.libreoffice
def test_libreoffice_recalculates_rating_rank_and_quota_like_python(tmp_path: Path) -> None:
    cases: dict[str, tuple[MasterInput, dict[str, dict[str, object]]]] = {
        # untouched: every value LibreOffice computes equals the cached one
        "plain": (sample(11), {}),
        # a unit raised to HTXS, one lowered with a zero criterion (zero rule), a penalty typed negative
        "typed": (sample(11), {
            "CA": {"K1 thẩm định": 8, "V1 thẩm định": 8, "S1 thẩm định": 15, "P1 thẩm định": 8, "M1 thẩm định": 0},
            "HND": {"A1 thẩm định": 0},
            "TYT": {"M1 thẩm định": -2, "K2 thẩm định": 2.5},
        }),
        # NĐ 335: a typed appraisal lifts U03 to HTXS, so the quota must now drop more units
        "quota": (_quota_data(), {"U03": {"K1 thẩm định": 8, "V1 thẩm định": 8, "Q1 thẩm định": 8, "H1 thẩm định": 8}}),
        "quota_plain": (_quota_data(), {}),
    }
    paths = []
    cached: dict[str, dict[tuple[str, str], object]] = {}
    for name, (data, typed) in cases.items():
        path = write_master(tmp_path / f"{name}.xlsx", data).path
        wb = load_workbook(path, data_only=True)
        cached[name] = {(ws.title, c.coordinate): c.value for ws in wb for line in ws.iter_rows() for c in line}
        wb.close()
        if typed:
            _type(path, typed)
        else:
            _strip(path)
        paths.append(path)
    outs = recalc_many(paths, tmp_path / "lo")
    for (name, (data, typed)), out in zip(cases.items(), outs, strict=True):
        staff = read_staff_edits(out, data.rubric)
        expected = {r.code: r for r in compute(data, staff)}
        wb = load_workbook(out, data_only=True)
        summary = table(wb["Tổng hợp"])
        assert {str(r["Mã đơn vị"]) for r in summary} == set(expected)
        for r in summary:
            res = expected[str(r["Mã đơn vị"])]
            assert r["Xếp loại"] == res.rating.label, (name, res.code)
            assert r["Xếp hạng"] == res.rank, (name, res.code)
            if res.total is None:
                assert r["Tổng điểm"] is None
            else:
                assert r["Tổng điểm"] == pytest.approx(float(res.total), abs=1e-9), (name, res.code)
        listed = {(c.unit_code, c.subject): c for c in candidates(tuple(expected.values()), quota=data.giay_khen_quota)}
        for r in table(wb["Đề nghị khen thưởng"]):
            res = expected[str(r["Mã đơn vị"])]
            assert r["Xếp loại đơn vị"] == res.rating.label
            # the unit itself is eligible by its rating; a collective, person or household it proposes is not
            # judged by the unit's rating (only by an open error of the sheet), and the formula recalculates so
            candidate = listed[(str(r["Mã đơn vị"]), str(r["Tập thể, cá nhân được đề nghị"]))]
            assert candidate.is_unit is (candidate.subject == res.row.unit.name), name
            assert str(r["Điều kiện đề nghị"]) == candidate.verdict, name
            assert str(r["Điều kiện đề nghị"]).startswith("Đủ" if candidate.eligible else "Không"), name
            if candidate.is_unit:
                assert candidate.eligible is (res.rating.rank <= Rating.HTT.rank and not res.provisional), name
        counts = {r["Xếp loại"]: r["Số đơn vị"] for r in table(wb["Biểu đồ"])}
        assert counts == {rt.label: sum(1 for x in expected.values() if x.rating is rt) for rt in Rating}, name
        if not typed:  # untouched: every value equals what dvk cached
            for ws in wb:
                for line in ws.iter_rows():
                    for c in line:
                        before = cached[name].get((ws.title, c.coordinate))
                        if isinstance(before, float):
                            assert c.value == pytest.approx(before, abs=1e-9), (name, ws.title, c.coordinate)
                        elif before is not None:
                            assert c.value == before, (name, ws.title, c.coordinate)
    typed_results = {r.code: r for r in compute(cases["typed"][0], read_staff_edits(outs[1], default_rubric()))}
    assert typed_results["HND"].rating is not Rating.HTXS
    quota = {r.code: r for r in compute(cases["quota"][0], read_staff_edits(outs[2], default_rubric()))}
    plain = {r.code: r for r in compute(cases["quota_plain"][0])}
    assert quota["U03"].total != plain["U03"].total  # the appraisal changed something the quota decides on
    assert [c for c, r in plain.items() if r.rating is Rating.HTXS] == ["U00", "U01"]
