"""Hand-computed scores (DOMAIN.md §5). Each case states its arithmetic."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from schemas import Rating, default_rubric, score
from schemas.models import HeadDiscipline

from .factory import submission

R = default_rubric()
DV, ND = "dan-van-2025", "nd-335-2025"


def total_and_rating(sub, preset=DV):  # type: ignore[no-untyped-def]
    card = score(R, sub, preset=preset)
    return card.total, card.rating


def test_perfect_sheet_is_exactly_100_and_htxs() -> None:
    card = score(R, submission())
    assert card.base_total == 100 and card.bonus == 0 and card.penalty == 0
    assert (card.total, card.rating) == (100, Rating.HTXS)
    # K2 result above target is capped at the maximum
    assert card.points("K2") == 4


def test_bonus_and_penalty_caps() -> None:
    # bonus a + 2b + r = 1 + 2 + 1 = 4 → capped 3; penalty 5 → capped 3
    card = score(R, submission(B1_commune=1, B1_province=1, B1_replicated=1, M1_count=5))
    assert (card.bonus, card.penalty, card.total) == (3, 3, 100)
    card = score(R, submission(B1_province=1, M1_count=2))
    assert (card.bonus, card.penalty, card.total) == (2, 2, 100)
    assert score(R, submission(B1_commune=3)).total == 103


def test_fractional_ratio_seven_of_nine_petitions() -> None:
    # P1 = 10 × 7/9 = 70/9; total = 90 + 70/9 = 880/9 = 97.777…
    card = score(R, submission(P1_target=9, P1_result=7))
    assert card.points("P1") == Fraction(70, 9)
    assert card.total == Fraction(880, 9)
    assert card.to_json()["total"] == 97.78 and card.rating is Rating.HTXS


def test_exactly_95_is_htxs() -> None:
    # K1 = 8 × 3/8 = 3 (−5) → 95
    assert total_and_rating(submission(K1_target=8, K1_result=3)) == (95, Rating.HTXS)


def test_just_below_95_is_htt() -> None:
    # K1 = 8 × 2.999/8 = 2.999 → 94.999
    total, rating = total_and_rating(submission(K1_target=8, K1_result=Decimal("2.999")))
    assert total == Fraction("94.999") and rating is Rating.HTT


def test_exactly_85_is_htt() -> None:
    # K1 4 (−4), V1 4 (−4), Q2 4×1/4 = 1 (−3), A4 "Chậm" 1 (−1), D3 "Khiển trách" 2 (−2), A2 one activity 1 (−1) → 85
    sub = submission(
        K1_result=50, V1_target=10, V1_result=5, Q2_target=4, Q2_result=1,
        A4_level="Chậm", D3_level="Khiển trách", A2_count=1,
    )
    assert total_and_rating(sub) == (85, Rating.HTT)


def test_exactly_75_is_ht() -> None:
    # S1 70 % → 3 (−9), K1/V1/H1 half (−4 each), A1 chậm 1.5 (−1.5), A4 chậm (−1), P2 1 of 2 → 1.5 (−1.5) → 75
    sub = submission(
        S1_target=100, S1_result=70, K1_result=50, V1_target=2, V1_result=1, H1_target=2, H1_result=1,
        A1_level="Ban hành chậm", A4_level="Chậm", P2_target=2, P2_result=1,
    )
    assert total_and_rating(sub) == (75, Rating.HT)
    # one satisfied answer fewer: 69 % → 0 points (−3 more) → 72 → KHT
    assert total_and_rating(submission(
        S1_target=100, S1_result=69, K1_result=50, V1_target=2, V1_result=1, H1_target=2, H1_result=1,
        A1_level="Ban hành chậm", A4_level="Chậm", P2_target=2, P2_result=1,
    )) == (72, Rating.KHT)


def test_zero_rule_applies_to_dan_van_only() -> None:
    # A3 "Không" → 0 (−3) → 97; dân vận: a zero criterion forbids HTT and above → HT
    sub = submission(A3_level="Không")
    card = score(R, sub, preset=DV)
    assert (card.total, card.rating) == (97, Rating.HT)
    assert card.reasons and "0 điểm" in card.reasons[0]
    assert card.zero_criteria == ("A3",)
    # NĐ 335: no zero rule → 97 ≥ 90 → HTXS
    assert total_and_rating(sub, ND) == (97, Rating.HTXS)


def test_hot_spot_zeroes_q1() -> None:
    sub = submission(Q1_flag="Có")
    assert score(R, sub).points("Q1") == 0
    assert total_and_rating(sub, DV) == (92, Rating.HT)
    assert total_and_rating(sub, ND) == (92, Rating.HTXS)


@pytest.mark.parametrize("kw", [{"corruption": True}, {"prosecuted": True}, {"discipline": HeadDiscipline.DISMISSAL}])
def test_knockouts_force_kht(kw: dict) -> None:  # type: ignore[type-arg]
    card = score(R, submission(**kw))
    assert (card.total, card.rating) == (100, Rating.KHT)
    assert card.reasons


@pytest.mark.parametrize(
    ("discipline", "expected"),
    [(HeadDiscipline.NONE, Rating.HTXS), (HeadDiscipline.REPRIMAND, Rating.HTT), (HeadDiscipline.WARNING, Rating.HT)],
)
def test_head_discipline_caps(discipline: HeadDiscipline, expected: Rating) -> None:
    assert score(R, submission(discipline=discipline)).rating is expected
    # a cap never raises a rating: 80 points stays HT under a reprimand
    assert score(R, submission(discipline=discipline, S1_result=0, K1_result=0)).rating in (Rating.KHT, Rating.HT)


def test_nd335_thresholds_exactly() -> None:
    # 90: S1 90 % → 10 (−2), K1 0 (−8) → 90
    assert total_and_rating(submission(S1_result=90, K1_result=0), ND) == (90, Rating.HTXS)
    # 90: P1 0 of 10 (−10) → 90
    assert total_and_rating(submission(P1_target=10, P1_result=0), ND) == (90, Rating.HTXS)
    # 70: P1 0 (−10), K1 0 (−8), V1 0 (−8), Q2 0 (−4) → 70
    seventy = submission(P1_target=10, P1_result=0, K1_result=0, V1_result=0, Q2_result=0)
    assert total_and_rating(seventy, ND) == (70, Rating.HTT)
    # 50: additionally H1 0 (−8), S1 0 (−12) → 50
    fifty = submission(P1_target=10, P1_result=0, K1_result=0, V1_result=0, Q2_result=0, H1_result=0, S1_result=0)
    assert total_and_rating(fifty, ND) == (50, Rating.HT)
    # 49.5: A1 "Ban hành chậm" (−1.5) + B1 commune (+1) → 49.5 → KHT
    below = submission(
        P1_target=10, P1_result=0, K1_result=0, V1_result=0, Q2_result=0, H1_result=0, S1_result=0,
        A1_level="Ban hành chậm", B1_commune=1,
    )
    assert total_and_rating(below, ND) == (Fraction("49.5"), Rating.KHT)


@pytest.mark.parametrize(
    ("valid", "satisfied", "points"),
    [(120, 115, 12), (100, 95, 12), (10000, 9499, 10), (100, 90, 10), (100, 85, 8), (100, 80, 6), (100, 70, 3), (100, 69, 0)],
)
def test_satisfaction_tiers(valid: int, satisfied: int, points: int) -> None:
    assert score(R, submission(S1_target=valid, S1_result=satisfied)).points("S1") == points


def test_small_sample_scores_zero() -> None:
    assert score(R, submission(S1_target=29, S1_result=29)).points("S1") == 0
    assert score(R, submission(S1_target=30, S1_result=30)).points("S1") == 12


@pytest.mark.parametrize(
    ("facts", "code", "points"),
    [
        ({"P1_target": 0, "P1_result": 0}, "P1", 10),
        ({"P2_target": 0, "P2_result": 0}, "P2", 3),
        ({"D1_target": 0, "D1_result": 0}, "D1", 4),
        ({"D1_target": 4, "D1_result": 6}, "D1", 4),
        ({"K1_target": 0, "K1_result": 5}, "K1", 0),
        ({"P3_count": 1}, "P3", 1),
        ({"P3_count": 2}, "P3", 0),
        ({"P3_count": 7}, "P3", 0),
        ({"A2_count": 0}, "A2", 0),
        ({"A2_count": 9}, "A2", 2),
        ({"H2_count": 3}, "H2", 3),
        ({"D2_count": 11}, "D2", 4),
        ({"A1_level": "Ban hành chậm"}, "A1", Fraction(3, 2)),
        ({"A1_level": "Chưa ban hành"}, "A1", 0),
        ({"A3_level": "Không"}, "A3", 0),
        ({"A4_level": "Chậm"}, "A4", 1),
        ({"A4_level": "Không báo cáo"}, "A4", 0),
        ({"S2_level": "Có"}, "S2", 0),
        ({"D3_level": "Khiển trách"}, "D3", 2),
        ({"D3_level": "Cảnh cáo trở lên"}, "D3", 0),
        ({"K2_target": 3, "K2_result": 1}, "K2", Fraction(4, 3)),
        ({"B1_province": 1}, "B1", 2),
        ({"M1_count": 1}, "M1", 1),
    ],
)
def test_every_rule_and_level(facts: dict, code: str, points: Fraction) -> None:  # type: ignore[type-arg]
    assert score(R, submission(**facts)).points(code) == points


def test_appraisal_overrides_replace_self_scores() -> None:
    card = score(R, submission(), overrides={"K1": 6, "M1": -2, "B1": 9})
    assert card.points("K1") == 6 and card.points("M1") == 2 and card.points("B1") == 3
    assert card.total == 100 - 2 + 3 - 2
    assert [c.code for c in card.criteria if c.overridden] == ["K1", "B1", "M1"]
