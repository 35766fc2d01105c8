"""Native spreadsheet formulas of the template: the same rules as ``schemas.scoring`` and ``schemas.rating``.

They must give the same numbers as Python in Excel, LibreOffice and Google Sheets, so they use only
functions all three share (IF, AND, OR, ISNUMBER, INT, MIN, MAX, SUM, COUNTIF, VLOOKUP, IFERROR, TRIM,
ROUND, CHOOSE), never let an error value escape (a typed "#DIV/0!" or text gives 0 like Python), and compare
counts without dividing (``MIN(S,N)*100 >= 95*N``) so float rounding cannot flip a tier.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from schemas.models import HeadDiscipline, Rating
from schemas.rubric import Criterion, PresetSpec, Rubric, RuleKind

__all__ = ["num", "points_formula", "rating_formula", "sum_of", "zero_count_formula"]


def num(value: Decimal | int | float) -> str:
    """A number literal for a formula (always a dot as decimal separator)."""
    return format(Decimal(str(value)).normalize(), "f")


def _text(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _nonneg(ref: str) -> str:
    return f"IF(ISNUMBER({ref}),{ref}>=0,FALSE)"


def _whole(ref: str) -> str:
    return f"IF(ISNUMBER({ref}),AND({ref}>=0,{ref}=INT({ref})),FALSE)"


def _is(ref: str, value: str) -> str:
    return f"IFERROR(TRIM({ref})={_text(value)},FALSE)"


def points_formula(rubric: Rubric, c: Criterion, refs: Sequence[str], lookup: str | None) -> str:
    """The formula of one criterion's points. ``refs`` are the input cells in ``c.inputs`` order; ``lookup`` is
    the absolute two-column range (label, points) of a level criterion."""
    top = num(c.max_points)
    rule = c.rule
    if rule is RuleKind.LEVEL:
        assert lookup is not None
        return f"=IFERROR(VLOOKUP(TRIM({refs[0]}),{lookup},2,FALSE),0)"
    if rule in (RuleKind.COUNT, RuleKind.DEDUCT, RuleKind.PENALTY):
        n = refs[0]
        amount = f"{n}*{num(c.per_item or 0)}"
        value = f"MAX(0,{top}-{amount})" if rule is RuleKind.DEDUCT else f"MIN({amount},{top})"
        return f"=IF({_whole(n)},{value},0)"
    if rule is RuleKind.WEIGHTED:
        terms = "+".join(f"IF({_whole(ref)},{ref}*{num(w.weight)},0)" for ref, w in zip(refs, c.weights, strict=True))
        return f"=MIN({top},{terms})"
    target, result = refs[0], refs[1]
    if rule is RuleKind.TIERS:
        tiers = list(rubric.satisfaction.tiers)
        chain = "0"
        for tier in reversed(tiers):
            chain = f"IF(MIN({result},{target})*100>={num(tier.min_rate)}*{target},{num(tier.points)},{chain})"
        minimum = rubric.satisfaction.min_sample
        return (
            f"=IF(AND({_whole(target)},{_whole(result)}),"
            f"IF(AND({target}>={minimum},{target}>0),{chain},0),0)"
        )
    on_zero = top if c.zero_target == "full" else "0"
    body = (
        f"IF({_nonneg(target)},IF({target}=0,{on_zero},"
        f"IF({_nonneg(result)},{top}*MIN({result}/{target},1),0)),0)"
    )
    if c.zero_if is not None:
        body = f"IF({_is(refs[2], c.zero_if.zero_on)},0,{body})"
    return "=" + body


def sum_of(refs: Sequence[str]) -> str:
    """``SUM`` over cells, merging consecutive rows of one column into ranges (``J6:J25``)."""
    return "SUM(" + ",".join(_runs(refs)) + ")" if refs else "0"


def zero_count_formula(refs: Sequence[str]) -> str:
    if not refs:
        return "=0"
    return "=" + "+".join(f"COUNTIF({run},0)" for run in _runs(refs))


def _runs(refs: Sequence[str]) -> list[str]:
    parts: list[tuple[str, int, int]] = []
    for ref in refs:
        col = ref.rstrip("0123456789")
        row = int(ref[len(col):])
        if parts and parts[-1][0] == col and parts[-1][2] == row - 1:
            parts[-1] = (col, parts[-1][1], row)
        else:
            parts.append((col, row, row))
    return [f"{c}{a}" if a == b else f"{c}{a}:{c}{b}" for c, a, b in parts]


def rating_formula(preset: PresetSpec, total: str, zeros: str, info: Mapping[str, str]) -> str:
    """The self-assessed rating label: thresholds and zero rule of ``preset``, then knock-outs and discipline caps.

    ``info`` maps ``head_discipline``, ``ko_corruption``, ``ko_prosecuted`` to their (absolute) cells.
    """
    t = f"ROUND({total},9)"
    ok = f",{zeros}=0" if preset.zero_rule else ""
    threshold = (
        f"IF(AND({t}>={num(preset.htxs)}{ok}),1,IF(AND({t}>={num(preset.htt)}{ok}),2,"
        f"IF({t}>={num(preset.ht)},3,4)))"
    )
    head = info["head_discipline"]
    knockout = (
        f"OR({_is(info['ko_corruption'], 'Có')},{_is(info['ko_prosecuted'], 'Có')},"
        f"{_is(head, HeadDiscipline.DISMISSAL.value)})"
    )
    cap = (
        f"IF({knockout},4,IF({_is(head, HeadDiscipline.WARNING.value)},3,"
        f"IF({_is(head, HeadDiscipline.REPRIMAND.value)},2,1)))"
    )
    labels = ",".join(_text(r.label) for r in Rating)
    return f"=CHOOSE(MAX({threshold},{cap}),{labels})"
