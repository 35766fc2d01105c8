"""The worksheet functions called as classic xlwings and Office.js runtimes call them, against the core."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.functions import dvk_diem, dvk_maxeploai, dvk_tongdiem, dvk_xephang, dvk_xeploai
from schemas import HeadDiscipline, Rubric, Submission, UnitInfo, criterion_points, rank, score

from .conftest import all_facts, as_classic, as_officejs, criterion_facts

_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("S1", 120, 115), 12),
        (("S1", 120.0, 115.0), 12),
        (("S1", [[120]], [[115]]), 12),
        (("s1", "120", "114"), 12),  # 114/120 is exactly 95 %: the top tier
        (("S1", "120", "113"), 10),
        (("K1", 120.0, 115.0), 8 * 115 / 120),
        (("K1", "1.200", "1.150,5"), float(8 * Fraction("1150.5") / 1200)),  # Vietnamese number text
        (("A1", "Ban hành chậm"), 1.5),
        (("A1", "BAN HÀNH CHẬM"), 1.5),  # case forgiven, as the validator and the template's own lookup do
        (("A3", "Có"), 3),  # the models-table check needs the whole sheet, not one criterion
        (("Q1", 10, 10, "Có"), 0),
        (("Q1", [[10]], [[10]], [["Không"]]), 8),
        (("M1", 2.0), 2),  # the amount subtracted, as the template's points column
        (("M1", 9), 3),
        (("B1", 1, 1, 0), 3),
        (("P1", 0, 0), 10),
        (("K1", None, None), 0),
        (("K1", [[""]], [[""]]), 0),
    ],
)
def test_diem_examples(args: tuple, expected: float) -> None:
    assert dvk_diem(*args) == pytest.approx(expected, abs=0) or dvk_diem(*args) == expected


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("X9", 1), "không có tiêu chí mã “X9”"),
        (("K1", "abc", 3), "“abc” không phải là số"),
        (("S1", 20, 15), "ít hơn cỡ mẫu tối thiểu 30"),
        (("P1", 5, 7), "lớn hơn"),
        (("A1", "Xong"), "không có trong danh sách"),
        (("A1", "ban hanh cham"), "công thức tính điểm trong phiếu không nhận ra"),  # the unit's sheet would count 0
        (("A2", 1.5), "phải là số nguyên"),
        (("K1", 10), "Chưa nhập “K1 – Kết quả thực hiện”"),
        (("A2", 1, 2), "chỉ cần 1 thông tin"),
        (("K1", [[1, 2]], 3), "cần một ô"),
        (("K1", dt.datetime(2026, 1, 1), 3), "không phải là số"),
    ],
)
def test_diem_bad_arguments_give_a_vietnamese_message(args: tuple, fragment: str) -> None:
    result = dvk_diem(*args)
    assert isinstance(result, str)
    assert result.startswith("Lỗi: ")
    assert fragment in result


@_SETTINGS
@given(data=st.data())
def test_diem_equals_the_core_for_every_criterion(rubric: Rubric, data: st.DataObject) -> None:
    c = data.draw(st.sampled_from(rubric.criteria))
    facts = data.draw(criterion_facts(rubric, c))
    expected = float(criterion_points(rubric, c, facts))
    values = [facts[s.name] for s in c.inputs]
    assert dvk_diem(c.code, *[as_classic(v) for v in values]) == expected
    assert dvk_diem([[c.code]], *[as_officejs(v) for v in values]) == expected


def _submission(facts: dict, discipline: HeadDiscipline, ko: bool) -> Submission:
    info = UnitInfo(unit_code="VP-UBND", year=2026, head_discipline=discipline, ko_corruption=ko)
    return Submission(info=info, facts=facts)


@_SETTINGS
@given(data=st.data())
def test_total_and_rating_equal_score(rubric: Rubric, data: st.DataObject) -> None:
    facts = data.draw(all_facts(rubric))
    discipline = data.draw(st.sampled_from(list(HeadDiscipline)))
    ko = data.draw(st.booleans())
    preset = data.draw(st.sampled_from([p.code for p in rubric.presets]))
    card = score(rubric, _submission(facts, discipline, ko), preset=preset)
    row = [dvk_diem(c.code, *[as_classic(facts[s.name]) for s in c.inputs]) for c in rubric.criteria]
    assert all(isinstance(v, float) for v in row)
    knock = [["Có" if ko else "Không"], ["Không"]]
    assert dvk_tongdiem([row]) == float(card.total)  # classic: a row as a 2-D list of floats
    assert dvk_tongdiem([[v] for v in row]) == float(card.total)  # a column
    assert dvk_xeploai([row], discipline.value, knock, preset) == card.rating.label
    assert dvk_maxeploai([row], [[discipline.value]], knock, [[preset]]) == card.rating.value
    pairs = [[c.code, v] for c, v in zip(rubric.criteria, row, strict=True)][::-1]  # code | points, any order
    assert dvk_tongdiem(pairs) == float(card.total)
    officejs = [[int(v) if v.is_integer() else v for v in row]]
    assert dvk_maxeploai(officejs, [[discipline.value]], [[ko], [False]], preset) == card.rating.value


def test_float_noise_does_not_cross_a_threshold(rubric: Rubric) -> None:
    # K1, V1 and Q1 at 8 × 71/72 each arrive as rounded floats; the total is the exact one.
    part = 8 * 71 / 72
    row = [3, 2, 3, 2, part, 4, part, 4, part, 4, 8, 4, 12, 3, 10, 3, 2, 4, 4, 4, 0, 0]
    exact = Fraction(3 + 2 + 3 + 2 + 4 + 4 + 4 + 8 + 4 + 12 + 3 + 10 + 3 + 2 + 4 + 4 + 4) + 3 * Fraction(8 * 71, 72)
    assert dvk_tongdiem([row]) == float(exact)
    assert Fraction(part) != Fraction(8 * 71, 72)
    assert dvk_maxeploai(95 - 1e-13) == "HTXS"  # 94.9999999999999 read back is 95
    assert dvk_maxeploai(94.99) == "HTT"


def test_rating_from_a_total_has_no_zero_rule(rubric: Rubric) -> None:
    row = [3, 2, 3, 2, 8, 4, 8, 4, 8, 4, 8, 4, 12, 3, 10, 3, 2, 4, 4, 0, 3, 0]  # D3 = 0, total 99
    assert dvk_tongdiem([row]) == 99
    assert dvk_maxeploai([row]) == "HT"  # zero rule: no HTT or better
    assert dvk_maxeploai(99) == "HTXS"  # a single total cannot know
    assert dvk_maxeploai(99.0, "Cảnh cáo") == "HT"
    assert dvk_maxeploai(99, "Không", "Có") == "KHT"
    assert dvk_maxeploai(92, None, None, "nd-335-2025") == "HTXS"
    assert dvk_xeploai("85,5") == "Hoàn thành tốt nhiệm vụ"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (([[1, 2, 3]],), "cần 22 ô điểm"),
        (([[3, 2, 3, 2, 80, 4, 8, 4, 8, 4, 8, 4, 12, 3, 10, 3, 2, 4, 4, 4, 3, 0]],), "điểm tiêu chí K1 là 80"),
        (([["K1", 8], ["K1", 7]],), "xuất hiện hai lần"),
        (([["K1", "tám"]],), "“tám” không phải là số"),
    ],
)
def test_tongdiem_bad_ranges(args: tuple, fragment: str) -> None:
    result = dvk_tongdiem(*args)
    assert isinstance(result, str) and result.startswith("Lỗi: ") and fragment in result


def test_rating_bad_arguments() -> None:
    assert "kỷ luật người đứng đầu “Phê bình” không hợp lệ" in dvk_xeploai(90, "Phê bình")
    assert "phải là “Có” hoặc “Không”" in dvk_xeploai(90, None, "Chắc có")
    assert "Không có cách xếp loại 'abc'" in dvk_xeploai(90, None, None, "abc")
    assert dvk_xeploai(None) == "Lỗi: chưa có điểm."


@_SETTINGS
@given(totals=st.lists(st.one_of(st.none(), st.integers(0, 103), st.sampled_from([85.5, 94.75, 100.0])), min_size=1, max_size=25))
def test_rank_equals_the_core(totals: list) -> None:
    column = [[t] for t in totals]
    expected = rank([None if t is None else Fraction(t) for t in totals])
    if len(totals) > 1:
        assert dvk_xephang(column, column) == [["" if r is None else r] for r in expected]
    for t, r in zip(totals, expected, strict=True):
        assert dvk_xephang(t, column) == ("" if r is None else r)
        assert dvk_xephang([[t if t is not None else ""]], [[x if x is not None else "" for x in totals]]) == ("" if r is None else r)


def test_rank_shares_places() -> None:
    column = [[90], [95.0], [90.0], [None], [80]]
    assert dvk_xephang(column, column) == [[2], [1], [2], [""], [4]]
    assert dvk_xephang(85, column) == 4
    assert "“chín mươi” không phải là số" in dvk_xephang(90, [[90], ["chín mươi"]])


@settings(max_examples=200, deadline=None)
@given(
    args=st.lists(
        st.one_of(
            st.none(), st.text(max_size=6), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
            st.booleans(), st.datetimes(min_value=dt.datetime(1900, 1, 1)), st.lists(st.lists(st.integers(), max_size=3), max_size=3),
        ),
        min_size=1, max_size=4,
    )
)
def test_functions_never_raise_nor_return_nan(args: list) -> None:
    for result in (
        dvk_diem(*args), dvk_tongdiem(args[0]), dvk_xeploai(*args[:4]), dvk_maxeploai(*args[:4]),
        dvk_xephang(args[0], args[-1]),
    ):
        assert isinstance(result, str | int | float | list)
        if isinstance(result, float):
            assert math.isfinite(result)
        if isinstance(result, str) and result:
            assert result.startswith("Lỗi: ") or result in {r for r in _LABELS} or result in {"HTXS", "HTT", "HT", "KHT"}


_LABELS = {"Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ"}


def test_decimal_facts_round_trip_through_floats(rubric: Rubric) -> None:
    c = rubric.criterion("K2")
    facts = {"K2.target": Decimal("0.3"), "K2.result": Decimal("0.1")}
    assert dvk_diem("K2", 0.3, 0.1) == float(criterion_points(rubric, c, facts))
