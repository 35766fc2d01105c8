"""The council's candidates (issue 15 item 3): from the ranking, the outstanding models, the recognised exemplars
and the units' nominations; the true reason for a refusal; the Giấy khen quota and the women tie-break."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from schemas import Rating
from workbook.master import compute, write_master
from workbook.master.candidates import PROVISIONAL, Source, candidates
from workbook.master.cells import HEADER_ROW

from .factory import EXEMPLAR, MODEL, PROPOSAL, master_input, row, sample, unit

NO_PROPOSAL: dict[str, Any] = {"models": [MODEL], "exemplars": [EXEMPLAR], "proposals": []}


def _rows(path: Path, sheet: str) -> list[dict[str, Any]]:
    ws = load_workbook(path)[sheet]
    head = [c.value for c in ws[HEADER_ROW]]
    return [dict(zip(head, r, strict=False)) for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
            if r[0] is not None and str(r[0]).strip() and not str(r[0]).startswith(("Cao Minh", "NGƯỜI"))]


def test_the_top_ranked_eligible_units_are_candidates_without_a_nomination() -> None:
    data = sample(11, preset="nd-335-2025")  # thresholds 90/70/50: most units eligible
    data = dataclasses.replace(data, units=tuple(
        dataclasses.replace(r, submission=r.submission.model_copy(update={"proposals": ()})) if r.submission else r
        for r in data.units))
    results = compute(data)
    listed = candidates(results)
    eligible = [r for r in results if r.eligible]
    assert len(eligible) >= 3
    for res in eligible:  # every eligible unit, in rank order, from the ranking
        (c,) = [c for c in listed if c.unit_code == res.code and c.is_unit]
        assert c.sources == (Source.RANKING,) and c.eligible and c.reason == ""
    order = [c.unit_code for c in listed.proposed if c.is_unit]
    assert order[:3] == [r.code for r in sorted(eligible, key=lambda r: r.rank or 0)][:3]


def test_a_refused_candidate_carries_the_true_reason_an_open_error_first() -> None:
    """Thôn Khau Mạ in review M4: A3 “Có” with no model → A3 0 → HT. The tờ trình said “đơn vị xếp loại Hoàn
    thành nhiệm vụ”; the real cause is the uncorrected error, as the master says."""
    broken = row(unit(9), tables={"models": [], "exemplars": [], "proposals": [
        {**PROPOSAL, "subject": unit(9).name, "female": "Không"}]})
    assert any(i.code == "models-table-empty" for i in broken.issues)
    results = compute(master_input([row(unit(0)), broken]))
    res = next(r for r in results if r.code == unit(9).code)
    assert res.provisional and res.rating is Rating.HT
    (c,) = [c for c in candidates(results) if c.unit_code == unit(9).code]
    assert not c.eligible and c.reason == PROVISIONAL == "Không đủ điều kiện: phiếu còn lỗi, xếp loại mới là tạm tính"
    assert set(c.sources) == {Source.RANKING, Source.NOMINATION}
    # no error but a low score: then, and only then, the rating is the reason
    low = row(unit(9), facts={"K1.result": 40, "V1.result": 0},
              tables={**NO_PROPOSAL, "proposals": [{**PROPOSAL, "subject": unit(9).name}]})
    (c,) = [c for c in candidates(compute(master_input([row(unit(0)), low]))) if c.unit_code == unit(9).code]
    assert not c.eligible and c.reason == ("Không đủ điều kiện: đơn vị xếp loại Hoàn thành nhiệm vụ (cần từ Hoàn thành "
                                           "tốt nhiệm vụ trở lên)")


def test_outstanding_models_and_recognised_exemplars_are_candidates() -> None:
    tables = {
        "models": [{**MODEL, "status": "Đề nghị khen thưởng"},
                   {**MODEL, "name": "Không quyết định", "status": "Tiêu biểu", "kind": "Cá nhân", "recognition_level": "",
                    "decision_no": "", "decision_date": None}],
        "exemplars": [{**EXEMPLAR, "recognition_level": "Xã", "decision_no": "9/QĐ-UBND", "decision_date": "01/11/2026"}],
        "proposals": [],
    }
    results = compute(master_input([row(unit(0), tables=tables)]))
    listed = {c.subject: c for c in candidates(results)}
    own = listed[unit(0).name]
    assert set(own.sources) == {Source.RANKING, Source.MODEL} and MODEL["name"] in own.models
    lan = listed["Bà Hoàng Thị Lan"]
    assert lan.sources == (Source.EXEMPLAR,) and lan.kind == "Cá nhân" and lan.eligible
    assert "dvk không chấm cá nhân" in lan.council
    unrecognised = listed["Cá nhân thực hiện mô hình “Không quyết định”"]
    assert not unrecognised.eligible
    assert unrecognised.reason == ("Không đủ điều kiện: mô hình “Không quyết định” ở mức “Tiêu biểu” nhưng chưa ghi cấp, "
                                   "số và ngày quyết định công nhận")


def test_an_individual_and_a_household_are_not_judged_by_the_units_rating() -> None:
    proposals = [
        {"subject": "Bà Hoàng Thị Lan", "kind": "Hộ gia đình", "form": "Giấy khen của Chủ tịch UBND xã",
         "achievements": "Hiến 500 m² đất làm đường", "female": "Có"},
        {"subject": "Ông Nông Văn Hùng", "kind": "Cá nhân", "form": "Giấy khen của Chủ tịch UBND xã",
         "achievements": "Tổ trưởng tổ an ninh tự quản"},
    ]
    weak = row(unit(1), facts={"K1.result": 40, "V1.result": 0}, tables={**NO_PROPOSAL, "proposals": proposals})
    assert not weak.issues or not any(i.is_error for i in weak.issues)
    results = compute(master_input([row(unit(0)), weak]))
    res = next(r for r in results if r.code == unit(1).code)
    assert res.rating.rank > Rating.HTT.rank and not res.provisional  # the unit itself may not be proposed
    listed = {c.subject: c for c in candidates(results) if c.unit_code == unit(1).code}
    assert unit(1).name not in listed  # below HTT and not provisional: not a candidate of the ranking
    household, person = listed["Bà Hoàng Thị Lan"], listed["Ông Nông Văn Hùng"]
    assert household.kind == "Hộ gia đình" and household.eligible and "hộ gia đình" in household.council
    assert person.eligible and person.council.startswith("Hội đồng xét tiêu chuẩn của cá nhân")


def test_the_quota_lists_the_rest_with_the_reason_and_prefers_women_among_equals() -> None:
    women = {**PROPOSAL, "subject": unit(2).name, "female": "Có"}  # P-VHXH nominates itself: ≥ 70 % women
    rows = [row(unit(i), tables={**NO_PROPOSAL, "proposals": [women] if i == 2 else []}) for i in range(4)]
    results = compute(master_input(rows))  # the same facts: four equal totals
    assert len({r.total for r in results}) == 1 and all(r.eligible for r in results)
    listed = candidates(results, quota=2)
    first = listed.candidates[0]
    assert first.unit_code == unit(2).code and first.within_quota and "Điều 4 khoản 6" in first.quota_note
    assert [c.within_quota for c in listed.candidates] == [True, False, False, False]
    assert all("bằng điểm với người được ưu tiên" in c.quota_note for c in listed.candidates[1:])
    assert len(listed.proposed) == 1 and len(listed.beyond_quota) == 3
    # different totals: the first two by total are in, the others beyond, said so
    spread = [row(unit(i), facts={"K1.result": 100 - 3 * i}, tables=NO_PROPOSAL) for i in range(4)]
    ranked = candidates(compute(master_input(spread)), quota=2)
    assert [c.unit_code for c in ranked.proposed] == [unit(0).code, unit(1).code]
    assert [c.quota_note for c in ranked.beyond_quota] == ["Ngoài số lượng 2 Giấy khen của Hội đồng: xếp sau 2 trường hợp "
                                                           "trong số lượng"] * 2
    assert candidates(compute(master_input(spread)), quota=None).beyond_quota == ()


def test_the_master_sheet_shows_the_candidates_with_source_and_reason(tmp_path: Path) -> None:
    data = dataclasses.replace(sample(11, preset="nd-335-2025"), giay_khen_quota=2)
    path = write_master(tmp_path / "m.xlsx", data).path
    sheet = _rows(path, "Đề nghị khen thưởng")
    header = list(sheet[0])
    assert header[:4] == ["Mã đơn vị", "Tên đơn vị", "Xếp loại đơn vị", "Tổng điểm"]  # the earlier columns, kept
    assert header[-4:] == ["Điều kiện đề nghị", "Nguồn", "Thứ tự xét", "Số lượng Giấy khen"]
    listed = candidates(compute(data), quota=2)
    assert [(r["Mã đơn vị"], r["Tập thể, cá nhân được đề nghị"], r["Nguồn"], r["Thứ tự xét"]) for r in sheet] == [
        (c.unit_code, c.subject, c.source_text, c.number) for c in listed]
    assert any(r["Nguồn"].startswith("Xếp hạng") for r in sheet)
    assert sum(1 for r in sheet if str(r["Số lượng Giấy khen"] or "").startswith("Trong số lượng")) == 2


def test_at_the_nd_335_quota_edge_a_womens_collective_keeps_htxs_among_equals() -> None:
    """Two units tied at 100 and four at HTT: one place at HTXS (20 % of HTT). The unit that said, nominating
    itself, that ≥ 70 % of its members are women keeps it (NĐ 152/2025 Điều 4 khoản 6); the other drops."""
    women = {"models": [MODEL], "exemplars": [], "proposals": [{**PROPOSAL, "subject": unit(1).name, "female": "Có"}]}
    rows = [row(unit(0), tables=NO_PROPOSAL), row(unit(1), tables=women)]
    rows += [row(unit(i), facts={"K1.result": 40, "S1.result": 80}, tables=NO_PROPOSAL) for i in range(2, 6)]
    results = {r.code: r for r in compute(master_input(rows, preset="nd-335-2025"))}
    assert results[unit(0).code].total == results[unit(1).code].total
    assert results[unit(1).code].rating is Rating.HTXS
    assert results[unit(0).code].rating is Rating.HTT
    assert any("tập thể có từ 70% nữ" in r for r in results[unit(0).code].reasons)
