"""B1 bonus follows recognised models and exemplars (issue 15 item 2; Cần Thơ QĐ 2579/2025, Quy định, Điều 3).

A typed B1 count above the rows of the sheet that carry a recognition level and a decision number dated in the
year is an error at its own cell, saying how many such rows dvk found; the bonus counts only those rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from schemas import ModelEntry, Severity, default_rubric, score
from schemas.recognition import cap_to_supported, decision_key, is_recognised, supported_counts
from schemas.rubric import parse_rubric
from schemas.validate import criteria_capped, criteria_zeroed, validate, without_invalid

from .test_validate import located

R = default_rubric()


def recognised(name: str, level: str = "Xã", day: str = "20/10/2026", **more: Any) -> dict[str, Any]:
    return {"name": name, "field": "Kinh tế", "kind": "Tập thể", "status": "Được công nhận",
            "recognition_level": level, "decision_no": "45/QĐ-UBND", "decision_date": day, **more}


def registered(name: str) -> dict[str, Any]:
    return {"name": name, "field": "Kinh tế", "kind": "Tập thể", "status": "Đăng ký"}


def _check(facts: dict[str, Any], models: list[dict[str, Any]], exemplars: list[dict[str, Any]] | None = None) -> Any:
    return validate(R, located(facts, {"models": models, "exemplars": exemplars or []}))


def test_a_claim_without_recognised_rows_is_an_error_at_its_cell_and_earns_no_bonus() -> None:
    v = _check({"B1.commune": 3, "B1.province": 2, "A3.level": "Có"}, [registered("Mô hình A")])
    assert [(i.key(), i.severity) for i in v.issues] == [
        (("S", "B1.commune", "bonus-not-recognised"), Severity.ERROR),
        (("S", "B1.province", "bonus-not-recognised"), Severity.ERROR),
    ]
    commune = v.issues[0].message
    assert commune.startswith("B1 – Được xã công nhận: khai 3 nhưng trang “Mô hình” / “Điển hình” không có dòng nào")
    assert "cấp công nhận “Xã”" in commune and "trong năm 2026" in commune and "sửa số đã khai thành 0" in commune
    assert v.submission is not None and score(R, v.submission).bonus == 0


def test_recognised_rows_of_the_year_earn_the_bonus() -> None:
    v = _check({"B1.commune": 1, "B1.province": 1},
               [recognised("Mô hình A"), recognised("Mô hình B", level="Tỉnh", day="03/12/2026")])
    assert v.issues == ()
    assert v.submission is not None and score(R, v.submission).bonus == 3  # 1 × 1 + 1 × 2


def test_an_exemplar_recognised_this_year_backs_a_count_too() -> None:
    exemplar = {"name": "Bà Hoàng Thị Lan", "kind": "Cá nhân", "field": "Văn hóa – xã hội", "recognition_level": "Xã",
                "decision_no": "7/QĐ-UBND", "decision_date": "01/09/2026"}
    v = _check({"B1.commune": 1}, [registered("Mô hình A")], [exemplar])
    assert v.issues == () and score(R, v.submission).bonus == 1  # type: ignore[arg-type]


def test_a_claim_above_the_rows_counts_only_the_rows_and_the_sheet_is_provisional() -> None:
    v = _check({"B1.commune": 3}, [recognised("Mô hình A"), recognised("Mô hình B")])
    (issue,) = v.issues
    assert issue.key() == ("S", "B1.commune", "bonus-not-recognised") and "chỉ có 2 dòng" in issue.message
    assert v.submission is not None and v.submission.fact("B1.commune") == Decimal(2)  # capped, not cleared
    assert score(R, v.submission).bonus == 2
    assert criteria_capped(v.issues) == {"B1"} and criteria_zeroed(v.issues) == frozenset()
    claimed = validate(R, located({"B1.commune": 3}, {"models": [recognised("Mô hình A"), recognised("Mô hình B")]}),
                       zero_invalid=False).submission
    assert claimed is not None and claimed.fact("B1.commune") == Decimal(3)  # what the sheet itself claims


@pytest.mark.parametrize(("row", "why"), [
    (recognised("Năm trước", day="20/10/2025"), "a decision of another year"),
    (recognised("Không ngày", day=None), "a decision without a date"),
    (recognised("Không số", decision_no=None), "no decision number"),
    ({**recognised("Không cấp"), "recognition_level": None}, "no level"),
    (recognised("Cấp tỉnh", level="Tỉnh"), "the other level"),
])
def test_rows_that_do_not_back_a_commune_count(row: dict[str, Any], why: str) -> None:
    v = _check({"B1.commune": 1}, [row])
    assert [i.code for i in v.errors] == ["bonus-not-recognised"], why


def test_a_replicated_model_is_backed_by_an_earlier_recognition() -> None:
    old = recognised("Mô hình cũ", day="15/11/2025", status="Nhân rộng")
    v = _check({"B1.replicated": 1}, [old])
    assert v.issues == () and score(R, v.submission).bonus == 1  # type: ignore[arg-type]
    this_year = recognised("Mô hình mới", status="Nhân rộng")  # recognised this year: a commune count, not a replication
    assert [i.code for i in _check({"B1.replicated": 1}, [this_year]).errors] == ["bonus-not-recognised"]


def test_fewer_claimed_than_listed_is_a_warning_and_counts_what_was_claimed() -> None:
    v = _check({"B1.commune": 1}, [recognised("A"), recognised("B")])
    assert [(i.key(), i.severity) for i in v.issues] == [(("S", "B1.commune", "bonus-below-recognised"), Severity.WARNING)]
    assert score(R, v.submission).bonus == 1  # type: ignore[arg-type]


def test_a_stored_version_from_before_the_rule_is_capped_by_its_own_rows() -> None:
    """A version recorded before this rule has no bonus error among its issues: the count is still capped."""
    v = validate(R, located({"B1.commune": 3}, {"models": [recognised("A")]}), zero_invalid=False)
    assert v.submission is not None
    counted = without_invalid(R, v.submission, issues=())
    assert counted.fact("B1.commune") == Decimal(1) and score(R, counted).bonus == 1
    assert cap_to_supported(R, counted) is counted  # nothing more to cap


def test_the_rule_is_rubric_data_not_a_criterion_code() -> None:
    """Another rubric names its bonus criterion T9 and asks only for province recognitions: the same check."""
    import tomllib
    from importlib import resources

    data = tomllib.loads(resources.files("schemas").joinpath("rubrics/cao-minh-2026.toml").read_text(encoding="utf-8"))
    for c in data["criteria"]:
        if c["code"] == "B1":
            c["code"] = "T9"
            c["weights"] = [{"key": "tinh", "label": "Được tỉnh công nhận", "weight": 3,
                             "rows": {"tables": ["models"], "level": "Tỉnh"}}]
    rubric = parse_rubric(data)
    facts = {"T9.tinh": 1}
    raw = located({k: v for k, v in facts.items()}, {"models": [recognised("A")]})
    v = validate(rubric, raw)
    assert [i.key() for i in v.errors] == [("S", "T9.tinh", "bonus-not-recognised")]
    assert supported_counts(rubric, 2026, [("models", ModelEntry(
        name="B", field="Kinh tế", kind="Tập thể", recognition_level="Tỉnh", decision_no="3/QĐ-UBND",
        decision_date=dt.date(2026, 5, 1)))]) == {"T9.tinh": 1}


def test_a_filter_of_an_unknown_table_or_status_is_refused() -> None:
    import tomllib
    from importlib import resources

    from schemas.errors import RubricError

    data = tomllib.loads(resources.files("schemas").joinpath("rubrics/cao-minh-2026.toml").read_text(encoding="utf-8"))
    b1 = next(c for c in data["criteria"] if c["code"] == "B1")
    b1["weights"][0]["rows"] = {"tables": ["proposals"]}
    with pytest.raises(RubricError, match="tables chỉ nhận models, exemplars"):
        parse_rubric(data)
    b1["weights"][0]["rows"] = {"status": ["Xuất sắc"]}
    with pytest.raises(RubricError, match="không phải tình trạng mô hình"):
        parse_rubric(data)


def test_decision_numbers_compare_without_spacing_case_or_a_leading_so() -> None:
    assert decision_key("Số 118/QĐ-UBND") == decision_key("118 / qđ-ubnd") == "118/qđ-ubnd"
    assert decision_key("  ") == ""
    assert not is_recognised(ModelEntry(name="A", field="Kinh tế", kind="Tập thể", recognition_level="Xã",
                                        decision_no="Số ", decision_date=dt.date(2026, 1, 1)))
