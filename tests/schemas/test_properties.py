"""Property tests of scoring and rating (Hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import Rating, apply_quota, default_rubric, score
from schemas.models import HeadDiscipline, Submission, UnitInfo
from schemas.rubric import InputKind

R = default_rubric()
PRESETS = [p.code for p in R.presets]

numbers = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
counts = st.integers(min_value=0, max_value=50).map(Decimal)


@st.composite
def facts(draw: st.DrawFn) -> dict[str, Decimal | str | None]:
    out: dict[str, Decimal | str | None] = {}
    for spec in R.inputs:
        if spec.kind is InputKind.LEVEL:
            out[spec.name] = draw(st.sampled_from((*spec.choices, None)))
        elif spec.kind is InputKind.INTEGER:
            out[spec.name] = draw(st.one_of(counts, st.none()))
        else:
            out[spec.name] = draw(st.one_of(numbers, st.none()))
    return out


@st.composite
def submissions(draw: st.DrawFn, code: str = "U") -> Submission:
    return Submission(
        info=UnitInfo(
            unit_code=code,
            year=2026,
            head_discipline=draw(st.sampled_from(list(HeadDiscipline))),
            ko_corruption=draw(st.booleans()),
            ko_prosecuted=draw(st.booleans()),
        ),
        facts=draw(facts()),
    )


@settings(max_examples=150, deadline=None)
@given(submissions(), st.sampled_from(PRESETS))
def test_total_always_within_bounds(sub: Submission, preset: str) -> None:
    card = score(R, sub, preset=preset)
    assert -3 <= card.total <= 103
    for c in card.criteria:
        assert 0 <= c.points <= c.max_points


@settings(max_examples=150, deadline=None)
@given(submissions(), st.sampled_from([i for i in R.inputs if i.role in ("result", "count") and i.criterion not in ("P3", "M1")]),
       st.decimals(min_value=0, max_value=1000, places=2))
def test_raising_a_result_never_lowers_its_points(sub: Submission, spec, extra: Decimal) -> None:  # type: ignore[no-untyped-def]
    before = score(R, sub).points(spec.criterion)
    current = sub.facts.get(spec.name)
    base = current if isinstance(current, Decimal) else Decimal(0)
    raised = base + (extra.to_integral_value() if spec.kind is InputKind.INTEGER else extra)
    after = score(R, sub.model_copy(update={"facts": {**sub.facts, spec.name: raised}})).points(spec.criterion)
    assert after >= before


@settings(max_examples=120, deadline=None)
@given(submissions(), st.sampled_from(PRESETS), st.sampled_from(["ko_corruption", "ko_prosecuted"]))
def test_a_knockout_never_improves_the_rating(sub: Submission, preset: str, which: str) -> None:
    before = score(R, sub, preset=preset).rating
    info = sub.info.model_copy(update={which: True})
    after = score(R, sub.model_copy(update={"info": info}), preset=preset).rating
    assert after is Rating.KHT and after.rank >= before.rank


@settings(max_examples=50, deadline=None)
@given(st.lists(submissions(), min_size=1, max_size=12), st.sampled_from(PRESETS), st.randoms())
def test_scoring_does_not_depend_on_the_order_of_units(subs: list[Submission], preset: str, rnd) -> None:  # type: ignore[no-untyped-def]
    subs = [s.model_copy(update={"info": s.info.model_copy(update={"unit_code": f"U{i}"})}) for i, s in enumerate(subs)]
    spec = R.preset(preset)
    cards = {c.unit_code: c for c in apply_quota(spec, [score(R, s, preset=preset) for s in subs])}
    shuffled = subs[:]
    rnd.shuffle(shuffled)
    again = {c.unit_code: c for c in apply_quota(spec, [score(R, s, preset=preset) for s in shuffled])}
    assert cards == again
