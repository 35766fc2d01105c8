"""Rating and ranking (DOMAIN.md §5): thresholds, the zero rule, knock-outs, discipline caps, the quota."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from fractions import Fraction
from math import floor

from .models import HeadDiscipline, Rating, ScoreCard
from .rubric import PresetSpec

__all__ = ["apply_quota", "cap_rating", "rank", "rate", "threshold_rating"]


def threshold_rating(preset: PresetSpec, total: Fraction, *, has_zero: bool) -> Rating:
    """The rating the thresholds (and the zero rule) give, before knock-outs and caps."""
    top_allowed = not (preset.zero_rule and has_zero)
    if total >= Fraction(preset.htxs) and top_allowed:
        return Rating.HTXS
    if total >= Fraction(preset.htt) and top_allowed:
        return Rating.HTT
    if total >= Fraction(preset.ht):
        return Rating.HT
    return Rating.KHT


def cap_rating(rating: Rating, cap: Rating) -> Rating:
    """The worse of the two."""
    return rating if rating.rank >= cap.rank else cap


def rate(
    preset: PresetSpec,
    total: Fraction,
    *,
    has_zero: bool = False,
    head_discipline: HeadDiscipline = HeadDiscipline.NONE,
    knockout: bool = False,
) -> tuple[Rating, tuple[str, ...]]:
    """The rating of one unit and the reasons it is lower than its total alone would give."""
    rating = threshold_rating(preset, total, has_zero=has_zero)
    reasons: list[str] = []
    if preset.zero_rule and has_zero and rating is not threshold_rating(preset, total, has_zero=False):
        reasons.append("Có tiêu chí 0 điểm nên không xếp loại Hoàn thành tốt trở lên")
    if knockout:
        if rating is not Rating.KHT:
            reasons.append("Có vi phạm thuộc trường hợp không xếp loại hoàn thành (tham nhũng, mất đoàn kết, truy cứu hình sự)")
        rating = Rating.KHT
    if head_discipline is HeadDiscipline.DISMISSAL:
        if rating is not Rating.KHT:
            reasons.append("Người đứng đầu hoặc cấp phó bị kỷ luật cách chức trở lên")
        rating = Rating.KHT
    elif head_discipline is HeadDiscipline.WARNING and rating.rank < Rating.HT.rank:
        reasons.append("Người đứng đầu hoặc cấp phó bị kỷ luật cảnh cáo: tối đa Hoàn thành nhiệm vụ")
        rating = Rating.HT
    elif head_discipline is HeadDiscipline.REPRIMAND and rating.rank < Rating.HTT.rank:
        reasons.append("Người đứng đầu hoặc cấp phó bị kỷ luật khiển trách: tối đa Hoàn thành tốt nhiệm vụ")
        rating = Rating.HTT
    return rating, tuple(reasons)


def apply_quota(preset: PresetSpec, cards: Sequence[ScoreCard], *, preferred: Collection[str] = ()) -> list[ScoreCard]:
    """Apply the preset's HTXS quota across a set of units (same order as given).

    HTXS may be at most ``q`` % of the units finally rated HTT. With X units at HTXS and H at HTT, keeping k
    at HTXS leaves H + X − k at HTT, so k = min(X, ⌊(H + X)·q / (100 + q)⌋). The lowest totals drop to HTT.
    Units tied at the edge (the same total as the first one that does not fit) are equals: the ``preferred``
    among them (unit codes: collectives with at least 70 % women, NĐ 152/2025/NĐ-CP Điều 4 khoản 6, "among
    equals") keep HTXS when all of them fit in the places left; every other tied unit drops, together (the
    council decides between equals), so the result never depends on the order of the units.
    """
    if preset.htxs_quota_percent is None:
        return list(cards)
    q = Fraction(preset.htxs_quota_percent)
    top = [c for c in cards if c.rating is Rating.HTXS]
    good = sum(1 for c in cards if c.rating is Rating.HTT)
    allowed = min(len(top), floor(Fraction(good + len(top)) * q / (100 + q)))
    if allowed >= len(top):
        return list(cards)
    totals = sorted((c.total for c in top), reverse=True)
    # keep those strictly above the first total that does not fit
    cut = totals[allowed]
    left = allowed - sum(1 for t in totals if t > cut)
    women = [c.unit_code for c in top if c.total == cut and c.unit_code in preferred]
    kept = set(women) if women and len(women) <= left else set()
    reason = f"Vượt hạn mức Hoàn thành xuất sắc ({q}% số đơn vị Hoàn thành tốt)"
    tied = ("; bằng điểm với tập thể có từ 70% nữ được ưu tiên giữ Hoàn thành xuất sắc "
            "(NĐ 152/2025/NĐ-CP, Điều 4 khoản 6)")
    out = []
    for c in cards:
        if c.rating is Rating.HTXS and c.total <= cut and c.unit_code not in kept:
            why = reason + (tied if kept and c.total == cut else "")
            c = c.model_copy(update={"rating": Rating.HTT, "reasons": (*c.reasons, why)})
        out.append(c)
    return out


def rank(totals: Sequence[Fraction | None]) -> list[int | None]:
    """Competition ranking by total, descending: equal totals share a rank (1, 2, 2, 4). None stays unranked."""
    ordered = sorted((t for t in totals if t is not None), reverse=True)
    first: dict[Fraction, int] = {}
    for i, t in enumerate(ordered, start=1):
        first.setdefault(t, i)
    return [None if t is None else first[t] for t in totals]
