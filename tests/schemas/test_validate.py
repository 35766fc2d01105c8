"""Every validation slug, produced from a raw value, with the exact location reported."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from typing import Any

import pytest

from schemas import Location, RawCell, RawSubmission, Severity, Unit, UnitKind, default_rubric
from schemas.validate import validate

from .factory import INFO, ONE_MODEL, PERFECT, validated

R = default_rubric()


def located(values: dict[str, Any], tables: dict[str, Any] | None = None) -> RawSubmission:
    """Every input at a fake location named after it: sheet "S", cell = the input name."""
    merged = {**INFO, **PERFECT, **values}
    return RawSubmission(
        values={k: RawCell(v, Location(sheet="S", cell=k)) for k, v in merged.items()},
        tables={
            t: [{c: RawCell(v, Location(sheet=t, cell=f"{c}{i}")) for c, v in row.items()} for i, row in enumerate(rows, 1)]
            for t, rows in (ONE_MODEL if tables is None else tables).items()
        },
    )


def keys(values: dict[str, Any], tables: dict[str, Any] | None = None, **kw: Any) -> list[tuple[str | None, str | None, str]]:
    return [i.key() for i in validate(R, located(values, tables), **kw).issues]


def test_a_clean_sheet_has_no_issues_and_parses_every_fact() -> None:
    v = validated()
    assert v.issues == () and v.ok
    assert v.submission is not None
    assert v.submission.fact("K1.target") == Decimal(100)
    assert v.submission.fact("A1.level") == "Ban hành đúng hạn"
    assert v.submission.models[0].field == "Kinh tế"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("85,5", Decimal("85.5")), ("1.234", Decimal(1234)), ("1.234,5", Decimal("1234.5")), (" 12 ", Decimal(12)),
     (85.5, Decimal("85.5")), (0.1, Decimal("0.1")), ("1 234", Decimal(1234)), ("92%", Decimal(92))],
)
def test_vietnamese_numbers_are_accepted(raw: Any, expected: Decimal) -> None:
    v = validate(R, located({"K1.result": raw}))
    assert v.submission is not None and v.submission.fact("K1.result") == expected
    assert all(i.severity is Severity.WARNING for i in v.issues)


def test_value_not_a_number() -> None:
    v = validate(R, located({"K1.result": "85 điểm"}))
    (issue,) = v.issues
    assert issue.key() == ("S", "K1.result", "value-not-a-number")
    assert issue.criterion == "K1" and issue.value == "85 điểm" and issue.is_error
    assert "85,5" in issue.message  # tells the clerk what to type instead


def test_negative_value() -> None:
    assert keys({"K2.result": -3}) == [("S", "K2.result", "negative-value")]


def test_not_an_integer_for_counts() -> None:
    assert keys({"A2.count": "2,5"}) == [("S", "A2.count", "not-an-integer")]


def test_result_exceeds_due() -> None:
    assert keys({"P1.target": 9, "P1.result": 10}) == [("S", "P1.result", "result-exceeds-due")]
    assert keys({"S1.target": 40, "S1.result": 41}) == [("S", "S1.result", "result-exceeds-due")]


def test_sample_too_small() -> None:
    assert keys({"S1.target": 29, "S1.result": 20}) == [("S", "S1.target", "sample-too-small")]


def test_target_not_positive() -> None:
    assert keys({"K1.target": 0}) == [("S", "K1.target", "target-not-positive")]


def test_unknown_level() -> None:
    v = validate(R, located({"A1.level": "Đã ban hành"}))
    (issue,) = v.issues
    assert issue.key() == ("S", "A1.level", "unknown-level")
    assert "Ban hành đúng hạn" in issue.message


@pytest.mark.parametrize(("typed", "canonical"), [("KHÔNG CÓ", "Không có"), ("  không   có ", "Không có"), ("không có", "Không có")])
def test_levels_are_corrected_with_a_warning(typed: str, canonical: str) -> None:
    """Case and ASCII spaces: the sheet's own lookup (VLOOKUP(TRIM(…))) ignores them too, so dvk accepts them."""
    v = validate(R, located({"S2.level": typed}))
    assert v.submission is not None and v.submission.fact("S2.level") == canonical
    assert [(i.key(), i.severity) for i in v.issues] == [(("S", "S2.level", "level-corrected"), Severity.WARNING)]


@pytest.mark.parametrize("typed", ["khong co", "Không\u00a0có", unicodedata.normalize("NFD", "Không có"), "Khong có"])
def test_levels_the_sheet_cannot_count_are_refused(typed: str) -> None:
    """No accents, a non-breaking space, decomposed Unicode: dvk understands them, the sheet's formula counts 0 —
    refused, so the total the unit signs and dvk's never differ (issue 15 item 6); the criterion counts 0."""
    v = validate(R, located({"S2.level": typed}))
    (issue,) = v.issues
    assert (issue.key(), issue.severity) == (("S", "S2.level", "level-not-counted"), Severity.ERROR)
    assert "“Không có”" in issue.message and "công thức tính điểm" in issue.message
    assert v.submission is not None and v.submission.fact("S2.level") is None


def test_a_yes_no_the_rating_formula_cannot_read_is_refused() -> None:
    v = validate(R, located({"info.ko_corruption": True, "info.ko_prosecuted": "khong"}))
    assert [(i.key(), i.severity) for i in v.issues] == [
        (("S", "info.ko_corruption", "level-not-counted"), Severity.ERROR),
        (("S", "info.ko_prosecuted", "level-not-counted"), Severity.ERROR),
    ]
    assert all("công thức xếp loại" in i.message for i in v.issues)


def test_required_missing() -> None:
    assert keys({"D2.count": None}) == [("S", "D2.count", "required-missing")]
    assert keys({"info.head": "  "}) == [("S", "info.head", "required-missing")]


def test_models_table_empty() -> None:
    assert keys({"A3.level": "Có"}, tables={}) == [("S", "A3.level", "models-table-empty")]
    assert keys({"A3.level": "Không"}, tables={}) == []


def test_models_typed_but_incomplete_are_not_called_absent() -> None:
    """Review D24: a row with content but no valid name gives its own error, and A3 does not say "no model"."""
    rows = {"models": [{"name": None, "field": "Kinh tế", "kind": "Tập thể", "status": "Đăng ký"}]}
    found = validate(R, located({"A3.level": "Có"}, tables=rows)).issues
    a3 = next(i for i in found if i.code == "models-table-empty")
    assert "chưa có mô hình nào đủ thông tin" in a3.message


def test_table_row_missing_a_required_column() -> None:
    rows = {"models": [{"name": "Mô hình A", "field": "Kinh tế", "kind": None, "status": "Đăng ký"}]}
    assert ("models", "kind1", "required-missing") in keys({}, tables=rows)


def test_error_value() -> None:
    assert keys({"K1.result": "#DIV/0!"}) == [("S", "K1.result", "error-value")]


def test_invalid_date() -> None:
    assert keys({"info.signed_on": "31/02/2026"}) == [("S", "info.signed_on", "invalid-date")]
    v = validate(R, located({"info.signed_on": 46371}))  # a serial number from the Sheets API
    assert v.submission is not None and v.submission.info.signed_on == dt.date(2026, 12, 15)


def test_text_not_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hoà")
    v = validate(R, located({"info.head": decomposed}))
    assert [i.key() for i in v.issues] == [("S", "info.head", "text-not-nfc")]
    assert v.submission is not None and v.submission.info.head == unicodedata.normalize("NFC", decomposed)


def test_percent_as_number_warns() -> None:
    v = validate(R, located({"K1.target": "100%", "K1.result": "92,5%"}))
    assert [i.key() for i in v.issues] == [("S", "K1.target", "percent-as-number"), ("S", "K1.result", "percent-as-number")]
    assert "dvk hiểu là 92,5." in v.issues[1].message  # a decimal comma, as the messages ask users to type


def test_unknown_unit_and_year_out_of_range_are_fatal() -> None:
    registry = {"VP-UBND": Unit(code="VP-UBND", name="Văn phòng", kind=UnitKind.PHONG_BAN)}
    v = validate(R, located({"info.unit_code": "XX"}), registry=registry)
    assert v.submission is None and [i.key() for i in v.issues] == [("S", "info.unit_code", "unknown-unit")]
    v = validate(R, located({"info.year": 2031}))
    assert v.submission is None and [i.key() for i in v.issues] == [("S", "info.year", "year-out-of-range")]
    assert validate(R, located({"info.unit_code": "vp-ubnd"}), registry=registry).submission is not None


def test_every_message_is_nfc_vietnamese() -> None:
    v = validate(R, located({"K1.result": "abc", "A1.level": "x", "D2.count": None, "S1.target": 5}))
    assert len(v.issues) >= 4
    for issue in v.issues:
        assert unicodedata.is_normalized("NFC", issue.message)
        assert any(ch in issue.message for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
