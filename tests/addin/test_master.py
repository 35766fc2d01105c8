"""The core of "Cập nhật tổng hợp": totals, ratings and ranks recomputed from the appraisal columns."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.master import DETAIL_SHEET, SUMMARY_SHEET, update_master
from schemas import HeadDiscipline, Rubric, Submission, UnitInfo, apply_quota, rank, score

from .conftest import all_facts


def _master(path: Path, rubric: Rubric, units: list[dict[str, Any]], *, discipline_column: bool = True) -> Path:
    """A master-like workbook: title rows, the header on row 5, one row per unit (found by header text)."""
    wb = openpyxl.Workbook()
    detail = wb.active
    detail.title = DETAIL_SHEET
    detail["A1"] = "Điểm theo tiêu chí"
    header = ["STT", "Mã đơn vị", "Tên đơn vị"]
    for c in rubric.criteria:
        header += [f"{c.code} tự chấm", f"{c.code} thẩm định"]
    if discipline_column:
        header.append("Kỷ luật người đứng đầu hoặc cấp phó trong năm")
    header += ["Ghi chú của hội đồng", "Tổng điểm", "Xếp loại"]
    detail.append([])
    detail.append([])
    detail.append([])
    detail.append(header)
    for i, u in enumerate(units, start=1):
        row = [i, u["code"], u["code"].title()]
        for c in rubric.criteria:
            row += [u["self"].get(c.code), u["appraisal"].get(c.code)]
        if discipline_column:
            row.append(u.get("discipline", "Không"))
        row += ["", "=1", None]
        detail.append(row)
    summary = wb.create_sheet(SUMMARY_SHEET)
    for _ in range(4):
        summary.append([])
    summary.append(["STT", "Mã đơn vị", "Tên đơn vị", "Tổng điểm", "Xếp loại", "Xếp hạng"])
    for i, u in enumerate(reversed(units), start=1):
        summary.append([i, u["code"].lower(), u["code"].title(), None, None, None])
    summary.append([99, "KHONG-CO", "Đơn vị lạ", None, None, None])
    wb.save(path)
    return path


def _values(path: Path, sheet: str) -> list[list[Any]]:
    ws = openpyxl.load_workbook(path)[sheet]
    return [list(r) for r in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column, values_only=True)]


def _apply(path: Path, update: Any) -> openpyxl.Workbook:
    wb = openpyxl.load_workbook(path)
    for w in update.writes:
        col = w.cell.rstrip("0123456789")
        row = int(w.cell[len(col):])
        for i, v in enumerate(w.values):
            wb[w.sheet][f"{col}{row + i}"] = v
    return wb


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_update_equals_score_with_overrides(tmp_path_factory: Any, rubric: Rubric, data: st.DataObject) -> None:
    tmp = tmp_path_factory.mktemp("m")
    units = []
    cards = []
    for n in range(data.draw(st.integers(2, 6))):
        facts = data.draw(all_facts(rubric))
        discipline = data.draw(st.sampled_from(list(HeadDiscipline)))
        sub = Submission(info=UnitInfo(unit_code=f"DV{n}", year=2026, head_discipline=discipline), facts=facts)
        own = score(rubric, sub)
        overrides = data.draw(st.dictionaries(st.sampled_from([c.code for c in rubric.criteria]), st.integers(0, 12), max_size=4))
        card = score(rubric, sub, overrides=overrides)
        cards.append(card)
        units.append({
            "code": f"DV{n}", "discipline": discipline.value,
            "self": {c.code: float(own.points(c.code)) for c in rubric.criteria},
            "appraisal": dict(overrides),
        })
    cards = apply_quota(rubric.preset(), cards)
    path = _master(tmp / "tong-hop.xlsx", rubric, units)
    update = update_master(rubric, _values(path, DETAIL_SHEET), _values(path, SUMMARY_SHEET))
    assert [c.total for c in update.cards] == [c.total for c in cards]
    assert [c.rating for c in update.cards] == [c.rating for c in cards]
    wb = _apply(path, update)
    detail, summary = wb[DETAIL_SHEET], wb[SUMMARY_SHEET]
    headers = [c.value for c in detail[5]]
    total_col, rating_col = headers.index("Tổng điểm") + 1, headers.index("Xếp loại") + 1
    for i, card in enumerate(cards):
        assert detail.cell(6 + i, total_col).value == float(card.total)
        assert detail.cell(6 + i, rating_col).value == card.rating.label
    ranks = dict(zip([c.unit_code for c in cards], rank([c.total for c in cards]), strict=True))
    for r in range(6, 6 + len(units)):
        code = summary.cell(r, 2).value.upper()
        card = next(c for c in cards if c.unit_code == code)
        assert (summary.cell(r, 4).value, summary.cell(r, 5).value, summary.cell(r, 6).value) == (
            float(card.total), card.rating.label, ranks[code],
        )
    last = 6 + len(units)
    assert (summary.cell(last, 4).value, summary.cell(last, 6).value) == (None, None)
    assert any(f"dòng {last}: đơn vị không có trong" in n for n in update.notes)


def test_out_of_range_and_text_appraisals_are_reported(tmp_path: Path, rubric: Rubric) -> None:
    full = {c.code: float(c.max_points) if not c.is_penalty else 0.0 for c in rubric.criteria}
    units = [
        {"code": "VP", "self": full, "appraisal": {"K1": 80, "S1": "mười"}},
        {"code": "HND", "self": full, "appraisal": {"K1": "7,5"}},
    ]
    path = _master(tmp_path / "m.xlsx", rubric, units, discipline_column=False)
    update = update_master(rubric, _values(path, DETAIL_SHEET), None)
    vp, hnd = update.cards
    assert vp.points("K1") == 8 and vp.points("S1") == 12  # clamped; text ignored (self score kept)
    assert hnd.points("K1") == Fraction(15, 2) and hnd.total == 103 - Fraction(1, 2)
    assert any("K1 (80) ngoài khoảng" in n for n in update.notes)
    assert any("“mười” không phải là số" in n for n in update.notes)
    assert {w.sheet for w in update.writes} == {DETAIL_SHEET}


def test_not_a_master(rubric: Rubric) -> None:
    update = update_master(rubric, [["a", "b"], [1, 2]])
    assert update.writes == () and "không có dòng tiêu đề" in update.notes[0]
