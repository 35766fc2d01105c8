"""Ranking and the NĐ 335 quota across a set of units."""

from __future__ import annotations

from fractions import Fraction

from schemas import Rating, apply_quota, default_rubric, rank, score

from .factory import submission

R = default_rubric()
ND = R.preset("nd-335-2025")


def test_rank_shares_equal_totals() -> None:
    assert rank([Fraction(95), Fraction(90), Fraction(90), Fraction(80)]) == [1, 2, 2, 4]
    assert rank([Fraction(80), None, Fraction(95)]) == [2, None, 1]
    assert rank([]) == []


def _cards(totals_losses: list[int]):  # type: ignore[no-untyped-def]
    # P1 due 10, resolved 10 − loss → total 100 − loss
    return [score(R, submission(P1_target=10, P1_result=10 - loss), preset="nd-335-2025") for loss in totals_losses]


def test_quota_keeps_htxs_within_20_percent_of_htt() -> None:
    # 3 HTXS (100, 99, 98) and 7 HTT (80s): k = ⌊(7 + 3)/6⌋ = 1 → only 100 stays HTXS
    cards = _cards([0, 1, 2] + [15] * 7)
    assert [c.rating for c in cards[:3]] == [Rating.HTXS] * 3
    after = apply_quota(ND, cards)
    assert [c.rating for c in after[:3]] == [Rating.HTXS, Rating.HTT, Rating.HTT]
    assert "hạn mức" in after[1].reasons[-1]
    htxs = sum(c.rating is Rating.HTXS for c in after)
    htt = sum(c.rating is Rating.HTT for c in after)
    assert htxs <= Fraction(20, 100) * htt


def test_quota_demotes_ties_at_the_cut_together() -> None:
    # two HTXS tied at 99 and 12 HTT: k = ⌊14/6⌋ = 2 → both fit
    assert [c.rating for c in apply_quota(ND, _cards([1, 1] + [15] * 12))[:2]] == [Rating.HTXS] * 2
    # 100, 99, 99 with 9 HTT: k = ⌊12/6⌋ = 2 → the cut falls inside the tie at 99: both drop
    after = apply_quota(ND, _cards([0, 1, 1] + [15] * 9))
    assert [c.rating for c in after[:3]] == [Rating.HTXS, Rating.HTT, Rating.HTT]


def test_quota_is_a_no_op_for_dan_van_and_within_quota() -> None:
    cards = _cards([0, 1, 2])
    assert apply_quota(R.preset("dan-van-2025"), cards) == cards
    within = _cards([0] + [15] * 5)
    assert apply_quota(ND, within) == within


def _named(cards):  # type: ignore[no-untyped-def]
    return [c.model_copy(update={"unit_code": f"U{i}"}) for i, c in enumerate(cards)]


def test_quota_keeps_a_women_collective_among_equals_at_the_cut() -> None:
    """NĐ 152/2025/NĐ-CP Điều 4 khoản 6: among equals, a collective with ≥ 70 % women first — only among equal
    totals: 100, 99, 99 with 9 HTT leave one place at 99; the women's collective U2 keeps it, U1 drops and says why."""
    cards = _named(_cards([0, 1, 1] + [15] * 9))
    after = apply_quota(ND, cards, preferred={"U2"})
    assert [c.rating for c in after[:3]] == [Rating.HTXS, Rating.HTT, Rating.HTXS]
    assert "bằng điểm với tập thể có từ 70% nữ" in after[1].reasons[-1] and "Điều 4 khoản 6" in after[1].reasons[-1]
    assert after[2].reasons == cards[2].reasons
    # both tied units preferred: they do not fit in one place together, so both drop (the council decides)
    both = apply_quota(ND, cards, preferred={"U1", "U2"})
    assert [c.rating for c in both[:3]] == [Rating.HTXS, Rating.HTT, Rating.HTT]
    # a preferred unit below the edge is no equal of the units above it: no place taken from a higher total
    lower = _named(_cards([0, 1, 2] + [15] * 7))  # 100, 99, 98: one place, at 100
    assert [c.rating for c in apply_quota(ND, lower, preferred={"U1", "U2"})[:3]] == [Rating.HTXS, Rating.HTT, Rating.HTT]
