"""Awards at the end of a phase (issue 15 item 5; plan IV.1 “sơ kết, tổng kết và khen thưởng”): the year's
candidates logic over the years a phase counts — units sustained over it by their mean, the register's models
and exemplars that reached the phase's awards, the true reason (and year) of a refusal, the quota and the women
tie-break; the phase workbook lists them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from workbook.master import PHASE_SHEETS, MasterInput, UnitResult, compute, write_phase_review
from workbook.master.candidates import Source
from workbook.master.phase import COUNTED_YEARS, award_period, award_scope
from workbook.master.phase_awards import NOMINATIONS_NOTE, phase_candidates

from .conftest import table
from .factory import EXEMPLAR, MODEL, PROPOSAL, master_input, row, unit

YEARS = (2026, 2027, 2028)
STEADY, DIPS, WOMEN = unit(0), unit(1), unit(5)  # Văn phòng HĐND và UBND, Phòng Kinh tế, Hội Liên hiệp Phụ nữ
CHI_HOI = "Chi hội Phụ nữ thôn Nà Mò"


def _own_model(year: int) -> dict[str, Any]:
    """A model recognised by the commune in ``year`` (A3 “Có” needs one listed)."""
    return {**MODEL, "decision_date": f"15/10/{year}"}


def _lifecycle(year: int) -> dict[str, Any]:
    """The women's union's model led by a village branch: registered 2026, recognised 2027, outstanding 2028 (the
    2028 row does not repeat the recognition: the register keeps it)."""
    status = {2026: "Đăng ký", 2027: "Được công nhận", 2028: "Tiêu biểu", 2029: "Nhân rộng", 2030: "Nhân rộng"}[year]
    row_ = {**MODEL, "name": "Tổ phụ nữ tự quản đường hoa", "lead_unit": CHI_HOI, "status": status,
            "recognition_level": "", "decision_no": "", "decision_date": None}
    if year == 2027:
        row_.update(recognition_level="Xã", decision_no="07/QĐ-UBND", decision_date="15/10/2027")
    return row_


def _tables(u: int, year: int, *, nominate: bool = False) -> dict[str, list[dict[str, Any]]]:
    models = [_own_model(year)]
    if u == 5:
        models.append(_lifecycle(year))
        # outstanding in 2028 with no recognition ever given: refused with that reason
        models.append({**MODEL, "name": "Chưa có quyết định", "kind": "Cá nhân", "status": "Tiêu biểu" if year == 2028
                       else "Đang thực hiện", "recognition_level": "", "decision_no": "", "decision_date": None})
    proposals = [{**PROPOSAL, "subject": "Bà Lục Thị Mai", "kind": "Cá nhân", "female": "Có"}] if nominate else []
    return {"models": models, "exemplars": [], "proposals": proposals}


def _years(dip: Mapping[int, dict[str, Any]] | None = None) -> dict[int, MasterInput]:
    """Three units over 2026–2028: one steady (HTXS every year), one that dips (``dip``: its facts per year), the
    women's union with the model's life cycle (and a nomination in 2027, which a phase does not carry)."""
    dip = {2027: {"K1.result": 0}} if dip is None else dip
    return {y: master_input([
        row(STEADY, year=y, tables=_tables(0, y)),
        row(DIPS, year=y, facts=dip.get(y), tables=_tables(1, y)),
        row(WOMEN, year=y, tables=_tables(5, y, nominate=y == 2027)),
    ], year=y) for y in YEARS}


def _results(data: Mapping[int, MasterInput]) -> dict[int, Sequence[UnitResult]]:
    return {y: compute(d) for y, d in data.items()}


def test_a_unit_sustained_over_the_phase_is_a_candidate_one_that_dipped_is_refused_with_the_year() -> None:
    results = _results(_years())
    dipped = next(r for r in results[2027] if r.code == DIPS.code)
    assert dipped.rated and not dipped.eligible and not dipped.provisional  # the 2027 result stops it, nothing else
    listed = phase_candidates(results, YEARS)
    by_subject = {c.subject: c for c in listed}
    steady = by_subject[STEADY.name]
    assert steady.is_unit and steady.eligible and steady.proposed and steady.sources == (Source.RANKING,)
    assert steady.years_rated == 3 and steady.rank == 1 and steady.results_text == "2026: HTXS; 2027: HTXS; 2028: HTXS"
    assert steady.average == sum((r.total for y in YEARS for r in results[y] if r.code == STEADY.code
                                  and r.total is not None), Fraction(0)) / 3
    refused = by_subject[DIPS.name]
    assert not refused.eligible and refused not in listed.proposed
    assert refused.reason == (f"Không đủ điều kiện: năm 2027, đơn vị xếp loại {dipped.rating.label} (cần từ Hoàn thành "
                              "tốt nhiệm vụ trở lên)")
    assert [s.code for s in listed.eligible_units] == [STEADY.code, WOMEN.code]
    # the same unit over giai đoạn II alone (2029–2030 counted there; 2028 is the sơ kết's): nothing stops it
    later = {y: compute(master_input([row(DIPS, year=y, tables=_tables(1, y))], year=y)) for y in (2028, 2029, 2030)}
    (again,) = phase_candidates({**results, **later}, COUNTED_YEARS[2])
    assert again.eligible and [y for y, *_ in again.standing.totals] == [2029, 2030]  # type: ignore[union-attr]


def test_the_refusal_says_the_real_cause_an_open_error_first() -> None:
    """A unit whose 2026 sheet still has an error: the provisional result is the cause, in the master's words."""
    broken = _years(dip={})
    rows = list(broken[2026].units)
    rows[1] = row(DIPS, year=2026, tables={"models": [], "exemplars": [], "proposals": []})  # A3 “Có”, no model
    broken[2026] = master_input(rows, year=2026)
    results = _results(broken)
    assert next(r for r in results[2026] if r.code == DIPS.code).provisional
    (c,) = [c for c in phase_candidates(results, YEARS) if c.unit_code == DIPS.code]
    assert c.reason == "Không đủ điều kiện: năm 2026, phiếu còn lỗi, xếp loại mới là tạm tính"


def test_a_model_recognised_in_2027_and_outstanding_in_2028_is_a_phase_candidate() -> None:
    results = _results(_years())
    listed = phase_candidates(results, YEARS)
    (model,) = [c for c in listed if c.subject == CHI_HOI]
    assert model.sources == (Source.MODEL,) and model.kind == "Tập thể" and model.unit_code == WOMEN.code
    assert model.eligible and model.proposed and not model.is_unit
    assert model.models[0].startswith("MH-") and model.models[0].endswith("“Tổ phụ nữ tự quản đường hoa”")
    assert model.achievements == ("Mô hình “Tổ phụ nữ tự quản đường hoa”: 2026: Đăng ký → 2027: Được công nhận → "
                                  "2028: Tiêu biểu")
    # a model at “Tiêu biểu” that was never recognised: refused with that reason
    (unrecognised,) = [c for c in listed if "Chưa có quyết định" in c.subject]
    assert not unrecognised.eligible
    assert unrecognised.reason == ("Không đủ điều kiện: mô hình “Chưa có quyết định” ở mức “Tiêu biểu” năm 2028 nhưng "
                                   "chưa ghi cấp, số và ngày quyết định công nhận")
    # the units' nominations are the years': not carried into the phase
    assert not any(c.subject == "Bà Lục Thị Mai" or Source.NOMINATION in c.sources for c in listed)
    assert "không đưa vào danh sách khen thưởng giai đoạn" in NOMINATIONS_NOTE
    # before 2028 the model had only been recognised: not a candidate of a phase ending in 2027
    assert not [c for c in phase_candidates(results, (2026, 2027)) if c.subject == CHI_HOI]


def test_replicated_models_count_and_a_stopped_one_is_refused() -> None:
    data = _years()
    for y, status in ((2029, "Nhân rộng"), (2030, "Dừng")):
        data[y] = master_input([row(WOMEN, year=y, tables={"models": [_own_model(y), {**_lifecycle(y), "status": status}],
                                                              "exemplars": [], "proposals": []})], year=y)
    results = _results(data)
    (replicated,) = [c for c in phase_candidates(results, (2028, 2029)) if c.subject == CHI_HOI]
    assert replicated.eligible and "2029: Nhân rộng" in replicated.achievements
    (stopped,) = [c for c in phase_candidates(results, COUNTED_YEARS[2]) if c.subject == CHI_HOI]
    assert not stopped.eligible
    assert stopped.reason == "Không đủ điều kiện: mô hình “Tổ phụ nữ tự quản đường hoa” dừng thực hiện năm 2030"


def test_recognised_exemplars_of_the_phase_are_candidates() -> None:
    data = _years()
    recognised = {**EXEMPLAR, "recognition_level": "Xã", "decision_no": "09/QĐ-UBND", "decision_date": "01/11/2027"}
    rows = list(data[2027].units)
    rows[0] = row(STEADY, year=2027, tables={**_tables(0, 2027), "exemplars": [recognised]})
    data[2027] = master_input(rows, year=2027)
    listed = phase_candidates(_results(data), YEARS)
    (lan,) = [c for c in listed if c.subject == EXEMPLAR["name"]]
    assert lan.sources == (Source.EXEMPLAR,) and lan.kind == "Cá nhân" and lan.eligible
    assert lan.achievements == EXEMPLAR["achievements"] and "dvk không chấm cá nhân" in lan.council


def test_the_phase_quota_and_the_women_tie_break_among_equal_means() -> None:
    """Two units sustained with the same mean total and one Giấy khen: the one that said it is a collective with
    ≥ 70 % women (its nomination of itself, NĐ 152/2025 Điều 4 khoản 6) takes it; the other is listed beyond it."""
    data = _years(dip={})
    rows = list(data[2028].units)
    rows[1] = row(DIPS, year=2028, tables={**_tables(1, 2028), "proposals": [
        {**PROPOSAL, "subject": DIPS.name, "kind": "Tập thể", "female": "Có"}]})
    data[2028] = master_input(rows, year=2028)
    results = _results(data)
    means = {s.code: s.average for s in phase_candidates(results, YEARS).standings}
    assert means[STEADY.code] == means[DIPS.code]  # equals
    listed = phase_candidates(results, YEARS, quota=1)
    units = {c.unit_code: c for c in listed if c.is_unit}
    assert units[DIPS.code].within_quota is True and units[DIPS.code].female is True
    assert units[STEADY.code].within_quota is False and units[STEADY.code] in listed.beyond_quota
    assert "Ngoài số lượng 1 Giấy khen" in units[STEADY.code].quota_note
    assert listed.quota == 1 and all(c.within_quota is None for c in phase_candidates(results, YEARS))


def test_the_phase_workbook_lists_the_candidates(tmp_path: Path) -> None:
    data = _years()
    result = write_phase_review(tmp_path / "so-ket.xlsx", 1, data, giay_khen_quota=5)
    wb = load_workbook(result.path)
    assert wb.sheetnames == list(PHASE_SHEETS) and PHASE_SHEETS[-1] == "Đề nghị khen thưởng giai đoạn"
    ws = wb[PHASE_SHEETS[-1]]
    heading = " ".join(str(c.value) for line in ws.iter_rows(max_row=9) for c in line if c.value)
    assert award_period(1).upper() in heading and award_scope(1) in heading and "Số lượng Giấy khen của Hội đồng: 5" in heading
    rows = {r["Tập thể, cá nhân được đề nghị"]: r for r in table(ws)}
    listed = phase_candidates(_results(data), YEARS, quota=5)
    assert set(rows) == {c.subject for c in listed}
    steady, dips, model = rows[STEADY.name], rows[DIPS.name], rows[CHI_HOI]
    assert (steady["Nguồn"], steady["Số năm xếp loại"], steady["Kết quả các năm"]) == (
        "Xếp hạng", 3, "2026: HTXS; 2027: HTXS; 2028: HTXS")
    assert steady["Điểm bình quân"] == float(next(c.average for c in listed if c.subject == STEADY.name))  # type: ignore[arg-type]
    assert steady["Điều kiện đề nghị"] == "Đủ điều kiện" and "Trong số lượng 5 Giấy khen" in steady["Số lượng Giấy khen"]
    assert str(dips["Điều kiện đề nghị"]).startswith("Không đủ điều kiện: năm 2027, đơn vị xếp loại")
    assert model["Nguồn"] == "Mô hình" and model["Mã đơn vị"] == WOMEN.code
    assert [r["Thứ tự xét"] for r in table(ws)] == list(range(1, len(rows) + 1))
