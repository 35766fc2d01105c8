"""The receipt rules: what counts as a submission, on time from the first one, A4 from dvk's record (pure)."""

from __future__ import annotations

import datetime as dt
import tomllib
from fractions import Fraction
from importlib import resources
from typing import Any

import pytest

from schemas import RawSubmission, default_rubric, score
from schemas.errors import RubricError
from schemas.receipt import days_late, is_filled, on_time, receipt_conflicts
from schemas.rubric import parse_rubric
from schemas.validate import validate
from tests.schemas.factory import INFO, submission, validated

RUBRIC = default_rubric()
DEADLINE = dt.date(2026, 12, 15)


def test_a4_is_marked_as_following_the_receipt_in_the_shipped_rubric() -> None:
    (a4,) = RUBRIC.receipt_criteria
    assert a4.code == "A4" and a4.timeliness is not None
    assert (a4.receipt_level(True), a4.receipt_level(False)) == ("Đúng hạn", "Chậm")
    assert RUBRIC.criterion("A1").receipt_level(True) is None


def _rubric_with(a4: dict[str, Any]) -> dict[str, Any]:
    text = resources.files("schemas").joinpath("rubrics/cao-minh-2026.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    data["criteria"] = [({**c, **a4} if c["code"] == "A4" else c) for c in data["criteria"]]
    return data


def test_a_timeliness_level_that_is_not_a_level_is_refused() -> None:
    with pytest.raises(RubricError, match=r"A4.*timeliness\.late 'Trễ'"):
        parse_rubric(_rubric_with({"timeliness": {"on_time": "Đúng hạn", "late": "Trễ"}}))
    data = _rubric_with({})
    k2 = next(c for c in data["criteria"] if c["code"] == "K2")
    k2["timeliness"] = {"on_time": "Đúng hạn", "late": "Chậm"}
    with pytest.raises(RubricError, match=r"K2.*timeliness chỉ dùng cho quy tắc 'level'"):
        parse_rubric(data)
    # a commune may drop the key: A4 is then what the unit typed
    plain = parse_rubric(_rubric_with({"timeliness": None}))
    assert plain.receipt_criteria == ()
    assert score(plain, submission(), on_time=False).points("A4") == 2


def test_score_takes_a4_from_the_receipt_and_an_appraisal_still_wins() -> None:
    typed_on_time = submission()  # A4 "Đúng hạn" typed
    assert score(RUBRIC, typed_on_time).points("A4") == 2  # a loose file: as typed
    assert score(RUBRIC, typed_on_time, on_time=False).points("A4") == 1  # late in dvk's record: "Chậm"
    assert score(RUBRIC, typed_on_time, on_time=True).points("A4") == 2
    typed_late = submission(A4_level="Chậm")
    assert score(RUBRIC, typed_late, on_time=True).points("A4") == 2  # on time: full, whatever was typed
    assert score(RUBRIC, typed_on_time, on_time=False, overrides={"A4": 2}).points("A4") == 2  # the council decides
    late = score(RUBRIC, typed_on_time, on_time=False)
    assert late.total == score(RUBRIC, typed_on_time).total - Fraction(1)


def test_a_typed_level_against_the_receipt_is_a_conflict_with_the_dates() -> None:
    (conflict,) = receipt_conflicts(RUBRIC, submission(), False)
    assert (conflict.criterion, conflict.typed, conflict.level, conflict.points) == ("A4", "Đúng hạn", "Chậm", "1")
    message = conflict.message(dt.date(2026, 12, 18), DEADLINE)
    assert "ghi “Đúng hạn”" in message and "18/12/2026, trễ hạn 3 ngày" in message and "mức “Chậm”" in message
    assert receipt_conflicts(RUBRIC, submission(), True) == ()
    assert receipt_conflicts(RUBRIC, submission(), None) == ()  # nothing known of the receipt: no conflict
    (reverse,) = receipt_conflicts(RUBRIC, submission(A4_level="Chậm"), True)
    assert reverse.level == "Đúng hạn" and "đúng hạn" in reverse.message(dt.date(2026, 12, 10), DEADLINE)


def test_on_time_is_by_the_deadline_day() -> None:
    assert on_time(dt.date(2026, 12, 15), DEADLINE) is True
    assert on_time(dt.date(2026, 12, 16), DEADLINE) is False
    assert on_time(None, DEADLINE) is None
    assert days_late(dt.date(2026, 12, 20), DEADLINE) == 5


def test_a_blank_template_is_not_a_submission_a_sheet_with_errors_is() -> None:
    blank = validate(RUBRIC, RawSubmission.from_values(dict(INFO)))
    assert not is_filled(RUBRIC, blank.issues)
    with_errors = validated(**{"K1.result": "85 điểm", "S2.level": None, "P1.target": None, "P1.result": None})
    assert with_errors.errors and is_filled(RUBRIC, with_errors.issues)
    # half of the criteria typed is enough; fewer is a sheet sent before it was filled in
    codes = list(RUBRIC.criteria)
    half = {spec.name: None for c in codes[: len(codes) // 2] for spec in c.inputs}
    assert is_filled(RUBRIC, validated(half).issues)
    more = {spec.name: None for c in codes[: len(codes) // 2 + 1] for spec in c.inputs}
    assert not is_filled(RUBRIC, validated(more).issues)
