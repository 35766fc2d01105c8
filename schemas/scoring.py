"""Scoring: facts → points per criterion → totals → rating, with exact arithmetic (fractions).

Only display rounds (to 2 decimals); every threshold compares the exact value.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from .models import CriterionScore, ScoreCard, Submission
from .rating import rate
from .rubric import Criterion, Rubric, RuleKind

__all__ = ["clamp_points", "criterion_points", "score", "total_of"]

_ZERO = Fraction(0)


def _num(value: Decimal | str | None) -> Fraction | None:
    return Fraction(value) if isinstance(value, Decimal) else None


def criterion_points(rubric: Rubric, criterion: Criterion, facts: Mapping[str, Decimal | str | None]) -> Fraction:
    """Points of one criterion from its facts (input name → parsed value). Missing facts give 0.

    Bonus criteria give a value in [0, bonus cap]; the penalty criterion gives the (positive) amount
    subtracted, in [0, penalty cap].
    """
    c = criterion
    top = c.max_fraction
    rule = c.rule

    def get(key: str) -> Decimal | str | None:
        return facts.get(f"{c.code}.{key}")

    if rule is RuleKind.LEVEL:
        chosen = get("level")
        return c.level_points.get(chosen, _ZERO) if isinstance(chosen, str) else _ZERO
    if rule in (RuleKind.COUNT, RuleKind.DEDUCT, RuleKind.PENALTY):
        n = _num(get("count"))
        if n is None:
            return Fraction(0)
        amount = n * c.per_item_fraction
        if rule is RuleKind.DEDUCT:
            return max(Fraction(0), top - amount)
        return min(amount, top)
    if rule is RuleKind.WEIGHTED:
        total = Fraction(0)
        for name, weight in c.weight_fractions:
            n = _num(facts.get(name))
            if n is not None:
                total += n * weight
        return min(total, top)
    target, result = _num(get("target")), _num(get("result"))
    if rule is RuleKind.TIERS:
        if target is None or result is None or target < rubric.satisfaction.min_sample or target <= 0:
            return Fraction(0)
        rate_pct = min(result / target, Fraction(1)) * 100
        for min_rate, points in rubric.satisfaction.tier_fractions:
            if rate_pct >= min_rate:
                return points
        return Fraction(0)
    # RATIO
    if c.zero_if is not None and get("flag") == c.zero_if.zero_on:
        return Fraction(0)
    if target is None:
        return Fraction(0)
    if target == 0:
        return top if c.zero_target == "full" else Fraction(0)
    if result is None:
        return Fraction(0)
    ratio = result / target
    return top * min(ratio, Fraction(1))


def clamp_points(criterion: Criterion, points: Fraction) -> Fraction:
    """An appraisal value brought into the criterion's range (the penalty is given as a positive amount)."""
    if criterion.is_penalty:
        points = abs(points)
    return min(max(points, Fraction(0)), criterion.max_fraction)


def total_of(rubric: Rubric, points: Mapping[str, Fraction]) -> tuple[Fraction, Fraction, Fraction, Fraction]:
    """(base_total, bonus, penalty, total) from criterion points, the caps applied."""
    base = sum((points.get(c.code, Fraction(0)) for c in rubric.base_criteria), Fraction(0))
    bonus = min(
        sum((points.get(c.code, Fraction(0)) for c in rubric.criteria if c.is_bonus), Fraction(0)),
        Fraction(rubric.bonus_cap),
    )
    penalty = min(
        sum((abs(points.get(c.code, Fraction(0))) for c in rubric.criteria if c.is_penalty), Fraction(0)),
        Fraction(rubric.penalty_cap),
    )
    return base, bonus, penalty, base + bonus - penalty


def score(
    rubric: Rubric,
    submission: Submission,
    *,
    preset: str | None = None,
    overrides: Mapping[str, Fraction | Decimal | int | float] | None = None,
    on_time: bool | None = None,
) -> ScoreCard:
    """Score one submission. ``overrides`` are appraisal points per criterion code that replace the self score.

    ``on_time``: what dvk knows of the receipt — True when the unit's first submission of the year reached dvk
    by the deadline, False when late, None when unknown (a loose file: the level the unit typed counts). A
    criterion with ``timeliness`` (A4 of the default rubric) then takes the level of that fact, not the typed one;
    an override (the council's appraisal) still wins.

    The rating here ignores the NĐ 335 quota, which needs the whole set of units: see ``rating.apply_quota``.
    """
    overrides = overrides or {}
    scores: list[CriterionScore] = []
    points: dict[str, Fraction] = {}
    for c in rubric.criteria:
        derived = c.receipt_level(on_time) if on_time is not None else None
        if c.code in overrides and overrides[c.code] is not None:
            value = clamp_points(c, Fraction(overrides[c.code]))
            overridden = True
        elif derived is not None:
            value = c.level_points[derived]
            overridden = False
        else:
            value = criterion_points(rubric, c, submission.facts)
            overridden = False
        points[c.code] = value
        scores.append(CriterionScore(code=c.code, points=value, max_points=c.max_fraction, base=c.is_base, overridden=overridden))
    base, bonus, penalty, total = total_of(rubric, points)
    has_zero = any(s.base and s.points == 0 for s in scores)
    info = submission.info
    rating, reasons = rate(
        rubric.preset(preset),
        total,
        has_zero=has_zero,
        head_discipline=info.head_discipline,
        knockout=info.ko_corruption or info.ko_prosecuted,
    )
    return ScoreCard(
        unit_code=info.unit_code,
        year=info.year,
        criteria=tuple(scores),
        base_total=base,
        bonus=bonus,
        penalty=penalty,
        total=total,
        rating=rating,
        reasons=reasons,
    )
