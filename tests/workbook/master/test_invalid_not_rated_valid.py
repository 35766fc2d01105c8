"""An invalid sheet is not rated as valid (review D4, D11): a criterion in error scores 0, the unit is
provisional and not eligible for commendation, units with nothing before the deadline are pending."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from schemas import Rating, default_rubric, score
from schemas.validate import validate
from workbook.master import Appraisal, UnitRow, compute

from .factory import MODEL, master_input, raw, row, unit

RUBRIC = default_rubric()
NO_MODELS = {"models": [], "exemplars": [], "proposals": []}


def _a3(card: object) -> Fraction:
    return next(c.points for c in card.criteria if c.code == "A3")  # type: ignore[attr-defined]


def test_a3_yes_without_a_model_scores_0_everywhere() -> None:
    checked = validate(RUBRIC, raw(unit(0), tables=NO_MODELS))
    assert [i.code for i in checked.errors] == ["models-table-empty"]
    assert checked.submission is not None
    card = score(RUBRIC, checked.submission)
    assert _a3(card) == 0
    # the zero-criterion rule now applies: not HTXS with an unsupported claim
    assert card.rating not in (Rating.HTXS,)
    with_model = score(RUBRIC, validate(RUBRIC, raw(unit(0), tables={"models": [MODEL]})).submission)  # type: ignore[arg-type]
    assert _a3(with_model) == 3 and card.total == with_model.total - 3


def test_a_result_above_its_target_scores_0_not_full() -> None:
    checked = validate(RUBRIC, raw(unit(0), facts={"P1.target": 6, "P1.result": 8}))
    assert "result-exceeds-due" in [i.code for i in checked.errors]
    card = score(RUBRIC, checked.submission)  # type: ignore[arg-type]
    assert next(c.points for c in card.criteria if c.code == "P1") == 0


def test_the_master_marks_an_invalid_unit_provisional_and_not_eligible() -> None:
    good, flawed = row(unit(0)), row(unit(1), tables=NO_MODELS)
    results = {r.code: r for r in compute(master_input([good, flawed]))}
    assert results["VP-UBND"].eligible and not results["VP-UBND"].provisional
    bad = results["P-KT"]
    assert bad.provisional and not bad.eligible
    assert _a3(bad.card) == 0 and bad.rank == 2
    said = " ".join(bad.reasons)
    assert "Tạm tính – phiếu còn lỗi: tiêu chí A3 tính 0 điểm" in said
    assert "Chưa đủ điều kiện đề nghị khen thưởng" in said
    assert "điểm tính trên phần đọc được" not in said


def test_a_version_stored_before_the_rule_is_scored_by_it_too() -> None:
    kept = validate(RUBRIC, raw(unit(1), tables=NO_MODELS), zero_invalid=False)
    assert kept.submission is not None and kept.submission.facts["A3.level"] == "Có"
    old = UnitRow(unit=unit(1), submission=kept.submission, issues=kept.issues, status="invalid", version=1)
    (result,) = compute(master_input([old]))
    assert _a3(result.card) == 0 and result.provisional


def test_staff_appraising_the_criteria_in_error_lift_the_provisional_mark() -> None:
    flawed = row(unit(1), tables=NO_MODELS)
    data = master_input([flawed], appraisals={"P-KT": Appraisal(values={"A3": Decimal(3)})})
    (result,) = compute(data)
    assert not result.provisional and _a3(result.card) == 3
    assert result.eligible == (result.rating in (Rating.HTXS, Rating.HTT))
    assert any("tính theo điểm thẩm định" in r for r in result.reasons)


def test_an_error_outside_the_criteria_needs_a_fix_not_an_appraisal() -> None:
    flawed = row(unit(1), head="")  # required unit information missing
    assert flawed.error_count and all(i.criterion is None for i in flawed.issues if i.is_error)
    (result,) = compute(master_input([flawed]))
    assert result.provisional and not result.eligible


def test_pending_before_the_deadline_is_not_rated() -> None:
    pending = UnitRow(unit=unit(2), status="pending")
    data = master_input([row(unit(0)), pending])
    results = {r.code: r for r in compute(data)}
    assert results["P-VHXH"].reasons == ("Chưa nộp (còn hạn)",)
    assert results["P-VHXH"].rank is None and not results["P-VHXH"].eligible
    assert results["VP-UBND"].rank == 1


def test_sync_says_pending_before_the_deadline_and_kht_after(tmp_path: object) -> None:
    from pathlib import Path

    from sync.service import run_sync
    from tests.sync.sync_support import facts_for, filled, settings, write_config

    root = Path(str(tmp_path))
    config = write_config(root, ["VP-UBND", "P-KT"])
    filled(root, "VP-UBND.xlsx", facts_for("VP-UBND"))
    s = settings(config)
    before = {u.code: u for u in run_sync(s, now=dt.datetime(2026, 12, 3, 9, 0).astimezone()).units}
    assert before["P-KT"].rating_code is None and "còn hạn" in before["P-KT"].message
    assert before["VP-UBND"].rating_code == "HTXS" and before["VP-UBND"].eligible
    after = {u.code: u for u in run_sync(s, now=dt.datetime(2026, 12, 16, 9, 0).astimezone()).units}
    assert after["P-KT"].rating_code == "KHT"


def test_an_appraisal_for_a_unit_without_a_sheet_is_said_not_silent() -> None:
    nothing = UnitRow(unit=unit(7), status="missing")
    (result,) = compute(master_input([nothing], appraisals={"CA": Appraisal(values={"K1": Decimal(4)})}))
    assert result.card is None and result.appraisal == {"K1": Decimal(4)}
    assert any("Điểm thẩm định đã nhập (K1=4) được giữ nhưng chưa tính" in r for r in result.reasons)
