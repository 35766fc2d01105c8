"""Figures of the council's documents from the master's unit results (``workbook.master.compute``).

Pure over ``UnitResult``s and the rubric: averages are exact fractions, displayed with the master's rounding
(``vn_points``); counting rules of models follow the phase review (``workbook/master/phase.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction

from schemas import FIELDS, ModelEntry, ModelStatus, Rating, Rubric, UnitKind
from schemas.rubric import Criterion, RuleKind
from workbook.documents import (
    CountLine,
    CriterionLine,
    ExemplarLine,
    FieldLine,
    FieldYearModels,
    Ineligible,
    ModelLine,
    ModelStats,
    PeopleLine,
    ProposalLine,
    RatingLine,
    UnitLine,
    vn_count,
    vn_percent,
    vn_points,
)
from workbook.master import UnitResult
from workbook.master.candidates import Candidate, CandidateList, candidates
from workbook.master.labels import timeliness

__all__ = [
    "PEOPLE_FIELDS",
    "UNRATED_LINE",
    "average",
    "beyond_lines",
    "candidate_list",
    "counted",
    "criterion_lines",
    "exemplar_lines",
    "field_lines",
    "field_year_models",
    "is_eligible",
    "is_provisional",
    "kind_lines",
    "model_lines",
    "model_stats",
    "people_lines",
    "proposal_lines",
    "rating_lines",
    "receipt_note",
    "refused_lines",
    "scored",
    "spelled",
    "unit_lines",
    "yearly_rate",
]

#: Fields of the rubric that hold the plan's explicit inputs: the people's satisfaction and their petitions.
PEOPLE_FIELDS = ("Hài lòng", "Kiến nghị")
_RECOGNISED = {ModelStatus.RECOGNISED, ModelStatus.OUTSTANDING, ModelStatus.PROPOSED}
_OUTSTANDING = {ModelStatus.OUTSTANDING, ModelStatus.PROPOSED}


_ABBREVIATIONS = (("HTCT", "hệ thống chính trị"), ("MTTQ", "Mặt trận Tổ quốc"))


def spelled(text: str) -> str:
    """A rubric name for running text: abbreviations written out ("Xây dựng HTCT" → "Xây dựng hệ thống chính trị")."""
    for short, full in _ABBREVIATIONS:
        text = text.replace(short, full)
    return text


def counted(parts: Sequence[tuple[int, str]], *, last: str = " và ", sep: str = ", ", zero: str = "") -> str:
    """Counts as words, the zero ones left out: [(3, "tập thể"), (0, "cá nhân")] → "3 tập thể";
    [(3, "tập thể"), (1, "cá nhân")] → "3 tập thể và 1 cá nhân"; all zero → ``zero``."""
    shown = [f"{vn_count(n)} {what}" for n, what in parts if n]
    if not shown:
        return zero
    return shown[0] if len(shown) == 1 else sep.join(shown[:-1]) + last + shown[-1]


def is_eligible(result: UnitResult) -> bool:
    """May the unit's proposals go to the council? ``UnitResult.eligible`` when the master provides it."""
    if not result.rated:
        return False
    flag = getattr(result, "eligible", None)
    if isinstance(flag, bool):
        return flag
    return result.rating.rank <= Rating.HTT.rank


def is_provisional(result: UnitResult) -> bool:
    """Is the unit's result still provisional (``UnitResult.provisional`` when the master provides it)?"""
    return bool(getattr(result, "provisional", False))


def scored(results: Iterable[UnitResult]) -> list[UnitResult]:
    return [r for r in results if r.card is not None]


def average(values: Sequence[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


def kind_lines(results: Sequence[UnitResult]) -> tuple[CountLine, ...]:
    kinds = [r.row.unit.kind for r in results]
    return tuple(CountLine(k.value, kinds.count(k)) for k in UnitKind if k in kinds)


def field_lines(rubric: Rubric, results: Sequence[UnitResult]) -> tuple[FieldLine, ...]:
    """Points per field of the base criteria across the scored units (each unit-year once): the plan's four fields
    first, each with its models (review M13: the report follows the plan), then the other groups."""
    cards = [r.card for r in scored(results) if r.card is not None]
    models = [m for r in results if r.row.submission for m in r.row.submission.models]
    lines = []
    for field in sorted(rubric.fields, key=lambda f: FIELDS.index(f) if f in FIELDS else len(FIELDS)):
        codes = [c.code for c in rubric.base_criteria if c.field == field]
        top = sum((rubric.criterion(c).max_fraction for c in codes), Fraction(0))
        sums = [sum((card.points(c) for c in codes), Fraction(0)) for card in cards]
        mean = average(sums)
        plan = field in FIELDS
        lines.append(FieldLine(
            name=spelled(field), max=vn_points(top), average=vn_points(mean, "–"),
            lowest=vn_points(min(sums) if sums else None, "–"), highest=vn_points(max(sums) if sums else None, "–"),
            percent=vn_percent(mean, top, "–") if mean is not None else "–",
            group="plan" if plan else "people" if field in PEOPLE_FIELDS else "other",
            models=(_model_counts(field, 0, models).summary if any(m.field == field for m in models)
                    else "chưa có mô hình đăng ký") if plan else "",
        ))
    return tuple(lines)


def criterion_lines(rubric: Rubric, results: Sequence[UnitResult], n: int = 3) -> tuple[tuple[CriterionLine, ...], tuple[CriterionLine, ...]]:
    """The ``n`` strongest and weakest base criteria (average ÷ max across the scored units)."""
    cards = [r.card for r in scored(results) if r.card is not None]
    if not cards:
        return (), ()
    rows = []
    for i, c in enumerate(rubric.base_criteria):
        points = [card.points(c.code) for card in cards]
        mean = average(points) or Fraction(0)
        ratio = mean / c.max_fraction
        line = CriterionLine(
            code=c.code, title=c.title, field=c.field, max=vn_points(c.max_fraction), average=vn_points(mean),
            percent=vn_percent(mean, c.max_fraction), full=sum(1 for p in points if p == c.max_fraction),
            zero=sum(1 for p in points if p == 0),
        )
        rows.append((ratio, i, line))
    best = sorted(rows, key=lambda t: (-t[0], t[1]))[:n]
    worst = sorted(rows, key=lambda t: (t[0], t[1]))[:n]
    return tuple(t[2] for t in best), tuple(t[2] for t in worst)


def _fact_sum(results: Sequence[UnitResult], name: str) -> Decimal:
    total = Decimal(0)
    for r in scored(results):
        value = r.row.submission.fact(name) if r.row.submission else None
        if isinstance(value, Decimal):
            total += value
    return total


def people_lines(rubric: Rubric, results: Sequence[UnitResult]) -> tuple[PeopleLine, ...]:
    cards = [r.card for r in scored(results) if r.card is not None]
    lines = []
    for c in rubric.base_criteria:
        if c.field not in PEOPLE_FIELDS:
            continue
        mean = average([card.points(c.code) for card in cards])
        roles = {spec.role: spec for spec in c.inputs}
        target, result = roles.get("target"), roles.get("result")
        t_sum = _fact_sum(results, f"{c.code}.{target.key}") if target and result else Decimal(0)
        r_sum = _fact_sum(results, f"{c.code}.{result.key}") if target and result else Decimal(0)
        lines.append(PeopleLine(
            code=c.code, title=c.title, field=c.field, max=vn_points(c.max_fraction), average=vn_points(mean, "–"),
            percent=vn_percent(mean, c.max_fraction, "–") if mean is not None else "–",
            target_label=target.label if target and result else "", target_sum=vn_count(t_sum),
            result_label=result.label if target and result else "", result_sum=vn_count(r_sum),
            rate=vn_percent(r_sum, t_sum), counts=_unit_counts(c, results),
        ))
    return tuple(lines)


def _unit_counts(c: Criterion, results: Sequence[UnitResult]) -> str:
    """A choice criterion as units per level ("19 đơn vị “Không có”, 3 đơn vị “Có”"), a count criterion as the
    units that reported any and the total; "" for the others. The average of yes/no points says neither."""
    roles = {spec.role: spec for spec in c.inputs}
    submissions = [r.row.submission for r in scored(results) if r.row.submission]
    if (level := roles.get("level")) is not None:
        chosen = [s.fact(f"{c.code}.{level.key}") for s in submissions]
        parts = [(chosen.count(lv.label), f"đơn vị “{lv.label}”") for lv in c.levels]
        return counted(parts, last=", ", zero="không đơn vị nào trả lời")
    if (count := roles.get("count")) is not None:
        values = [v for s in submissions if isinstance(v := s.fact(f"{c.code}.{count.key}"), Decimal)]
        with_some = [v for v in values if v > 0]
        if not with_some:
            return f"không đơn vị nào có {count.label.lower()} phát sinh"
        return f"{vn_count(len(with_some))} đơn vị có phát sinh, tổng {count.label.lower()}: {vn_count(sum(with_some))}"
    return ""


def yearly_rate(rubric: Rubric, results: Sequence[UnitResult], *, satisfaction: bool) -> str:
    """The commune-wide satisfaction rate (the tiers criterion), or the petitions resolved on time (the first
    target/result criterion of the petitions field): Σ result ÷ Σ target."""
    for c in rubric.base_criteria:
        wanted = c.rule is RuleKind.TIERS if satisfaction else (c.field == PEOPLE_FIELDS[1] and c.rule is RuleKind.RATIO)
        if wanted:
            return vn_percent(_fact_sum(results, f"{c.code}.result"), _fact_sum(results, f"{c.code}.target"), "–")
    return "–"


#: The line of the units not rated (yet) in the rating counts: nothing before the deadline, a held or an
#: unreadable file (``UnitResult.unrated``); listed only when there are some, so the lines add up to every unit.
UNRATED_LINE = "Chưa xếp loại"
_WHY_UNRATED = {"pending": "chưa nộp, còn hạn", "held": "có tệp chờ xác nhận", "error": "tệp không đọc được"}


def rating_lines(results: Sequence[UnitResult]) -> tuple[RatingLine, ...]:
    """Units per rating (of every unit evaluated), then "Chưa xếp loại" when some are not rated yet."""
    total = len(results)
    lines = []
    for rating in Rating:
        units = [r.row.unit.name for r in results if r.rated and r.rating is rating]
        lines.append(RatingLine(rating.value, rating.label, len(units), vn_percent(len(units), total, "0,00%"),
                                ", ".join(units)))
    unrated = [r for r in results if not r.rated]
    if unrated:
        why = dict.fromkeys(_WHY_UNRATED.get(r.row.status, str(r.unrated).lower()) for r in unrated)
        label = f"{UNRATED_LINE} ({', '.join(why)})"
        lines.append(RatingLine("", label, len(unrated), vn_percent(len(unrated), total, "0,00%"),
                                ", ".join(r.row.unit.name for r in unrated)))
    return tuple(lines)


def receipt_note(result: UnitResult, deadline: dt.date | None) -> str:
    """The timeliness a document states for a unit when it is worth saying: "Trễ hạn N ngày", or
    "Đúng hạn (bản sửa ngày …)" for an on-time unit whose current sheet is a later correction; else ""."""
    if deadline is None:
        return ""
    text = timeliness(result.row, deadline)
    return text if text.startswith("Trễ hạn") or "bản sửa" in text else ""


def unit_lines(results: Sequence[UnitResult], deadline: dt.date | None = None) -> tuple[UnitLine, ...]:
    lines = []
    for i, r in enumerate(results, 1):
        notes = list(r.reasons)
        when = receipt_note(r, deadline)
        if when:
            notes.insert(0, when)
        if r.note:
            notes.append(f"Hội đồng: {r.note}")
        if is_provisional(r) and not any(n.startswith("Tạm tính") for n in notes):
            notes.append("Tạm tính")
        lines.append(UnitLine(
            number=i, rank=str(r.rank) if r.rank is not None else "", code=r.code, name=r.row.unit.name,
            kind=r.row.unit.kind.value, self_total=vn_points(r.self_total), total=vn_points(r.total),
            rating=r.rating_label, rating_code=r.rating.value if r.rated else "", note="; ".join(notes),
        ))
    return tuple(lines)


def _decision(number: str, day: dt.date | None) -> str:
    return ", ".join(p for p in (number, f"ngày {day:%d/%m/%Y}" if day else "") if p)


def model_lines(by_year: Sequence[tuple[int, Sequence[UnitResult]]]) -> tuple[ModelLine, ...]:
    lines: list[ModelLine] = []
    for year, results in by_year:
        for r in results:
            for m in r.row.submission.models if r.row.submission else ():
                lines.append(ModelLine(
                    number=len(lines) + 1, year=year, name=m.name, unit=r.row.unit.name, field=m.field, kind=m.kind,
                    status=m.status.value, level=m.recognition_level, decision=_decision(m.decision_no, m.decision_date),
                ))
    return tuple(lines)


def exemplar_lines(by_year: Sequence[tuple[int, Sequence[UnitResult]]]) -> tuple[ExemplarLine, ...]:
    lines: list[ExemplarLine] = []
    for year, results in by_year:
        for r in results:
            for e in r.row.submission.exemplars if r.row.submission else ():
                lines.append(ExemplarLine(
                    number=len(lines) + 1, year=year, name=e.name, kind=e.kind, unit=r.row.unit.name, field=e.field,
                    achievements=e.achievements, level=e.recognition_level,
                ))
    return tuple(lines)


def _model_counts(field: str, year: int, models: Sequence[ModelEntry], *, running: bool = False) -> FieldYearModels:
    ms = [m for m in models if m.field == field] if field else list(models)
    recognised = sum(1 for m in ms if m.status in _RECOGNISED or m.recognition_level)
    replicated = sum(1 for m in ms if m.status is ModelStatus.REPLICATED)
    summary = f"{vn_count(len(ms))} mô hình đăng ký" + "".join(
        f", {vn_count(n)} {what}" for n, what in ((recognised, "được công nhận"), (replicated, "được nhân rộng")) if n)
    return FieldYearModels(
        field=spelled(field) if running else field, year=year, registered=len(ms), recognised=recognised,
        outstanding=sum(1 for m in ms if m.status in _OUTSTANDING), replicated=replicated,
        collective=sum(1 for m in ms if m.kind == "Tập thể"),
        individual=sum(1 for m in ms if m.kind == "Cá nhân"), summary=summary,
    )


def field_year_models(year: int, results: Sequence[UnitResult]) -> tuple[FieldYearModels, ...]:
    models = [m for r in results if r.row.submission for m in r.row.submission.models]
    fields = list(FIELDS) + sorted({m.field for m in models} - set(FIELDS))
    return tuple(_model_counts(f, year, models) for f in fields)


def model_stats(by_year: Sequence[tuple[int, Sequence[UnitResult]]]) -> ModelStats:
    """Models and exemplars over the given years (a model listed in two years counts twice: "lượt")."""
    models = [m for _, results in by_year for r in results if r.row.submission for m in r.row.submission.models]
    exemplars = [e for _, results in by_year for r in results if r.row.submission for e in r.row.submission.exemplars]
    every = _model_counts("", 0, models)
    fields = list(FIELDS) + sorted({m.field for m in models} - set(FIELDS))
    ex_collective = sum(1 for e in exemplars if e.kind == "Tập thể")
    bonus = sum(1 for _, results in by_year for r in results if r.card is not None and r.card.bonus > 0)
    times = " lượt" if len(by_year) > 1 else ""
    if every.registered:
        text = (f"Các đơn vị đăng ký {vn_count(every.registered)}{times} mô hình "
                f"({counted([(every.collective, 'tập thể'), (every.individual, 'cá nhân')], sep=', ', last=', ')})")
        rest = counted([(every.recognised, "mô hình được công nhận"), (every.outstanding, "mô hình tiêu biểu"),
                        (every.replicated, "mô hình được nhân rộng")], last=", ")
        text += f"; {rest}." if rest else "."
    else:
        text = "Các đơn vị chưa đăng ký mô hình nào."
    if exemplars:
        text += (f" Có {vn_count(len(exemplars))}{times} điển hình "
                 f"({counted([(ex_collective, 'tập thể'), (len(exemplars) - ex_collective, 'cá nhân')], last=', ')}).")
    if bonus:
        text += f" {vn_count(bonus)} đơn vị được cộng điểm thưởng."
    return ModelStats(
        registered=every.registered, recognised=every.recognised, outstanding=every.outstanding,
        replicated=every.replicated, collective=every.collective, individual=every.individual,
        by_field=tuple(_model_counts(f, 0, models, running=True) for f in fields),
        exemplars=len(exemplars), exemplars_collective=ex_collective,
        exemplars_individual=sum(1 for e in exemplars if e.kind == "Cá nhân"), bonus_units=bonus, summary=text,
    )


# -- candidates for commendation (workbook/master/candidates.py): what the tờ trình and quyết định list --------


def candidate_list(results: Sequence[UnitResult], quota: int | None) -> CandidateList:
    """The council's candidates, as the master's “Đề nghị khen thưởng” sheet lists them."""
    return candidates(results, quota=quota)


def _reason(text: str) -> str:
    """A refusal as a sentence continues it ("- X (unit): phiếu còn lỗi, …"): without the master's label."""
    return text.removeprefix("Không đủ điều kiện: ")


def proposal_lines(listed: CandidateList) -> tuple[ProposalLine, ...]:
    """The candidates the council proposes: eligible, within the Giấy khen quota (Bằng khen ones go up too)."""
    def line(i: int, c: Candidate) -> ProposalLine:
        note = "; ".join(p for p in (c.quota_note, c.council) if p)
        return ProposalLine(
            number=i, subject=c.subject, kind=c.kind, unit=c.unit_name, form=c.form, achievements=c.achievements,
            model="; ".join(c.models), total=vn_points(c.total), rating=c.rating.label, rank=str(c.rank or ""),
            source=c.source_text, female="" if c.female is None else ("Có" if c.female else "Không"), note=note,
        )

    return tuple(line(i, c) for i, c in enumerate(listed.proposed, 1))


def refused_lines(listed: CandidateList) -> tuple[Ineligible, ...]:
    """The candidates dvk refuses, each with its real cause in the master's words."""
    return tuple(Ineligible(c.subject, c.unit_name, _reason(c.reason)) for c in listed.refused)


def beyond_lines(listed: CandidateList) -> tuple[Ineligible, ...]:
    """Eligible candidates past the council's number of Giấy khen, with their place."""
    return tuple(Ineligible(c.subject, c.unit_name, c.quota_note) for c in listed.beyond_quota)
