"""Commendation at the end of a phase (the plan, IV.1: “sơ kết, tổng kết và khen thưởng”): the year's candidates
logic (``candidates``) over the evaluation years a phase counts.

    phase_standings(results_by_year, years) -> (PhaseStanding, …)                 the units ranked over the phase
    phase_candidates(results_by_year, years, register, quota=…) -> PhaseCandidateList  the council's list

Pure over the master's unit results of each year (``compute``) and the commune register of models and exemplars
(``schemas.register``). ``years`` are the years the phase *counts* (``phase.COUNTED_YEARS``): giai đoạn I
2026–2028 at the sơ kết, giai đoạn II 2029–2030 at the tổng kết. Each evaluation year is judged once, at the review
of the phase it counts in, as it is counted once in every total (``phase.CONVENTION``): a 2028 result weighed at
the sơ kết is not weighed again at the tổng kết. The sources, each said per candidate:

* **Xếp hạng**: the units eligible in *every* year of the phase that has data (rated at least Hoàn thành tốt
  nhiệm vụ, not provisional: ``UnitResult.eligible``) — a phase award rewards results sustained over the phase —
  ordered by their mean total. A unit eligible (or provisional) in some year but not in all is listed refused,
  with the first year that stops it, in the master's words (“năm 2027, đơn vị xếp loại Hoàn thành nhiệm vụ (cần
  từ …)”, “năm 2027, phiếu còn lỗi, xếp loại mới là tạm tính”). A unit eligible in no year is not listed.
* **Mô hình**: the register's models that reached “Tiêu biểu”, “Đề nghị khen thưởng” or “Nhân rộng” in a year of
  the phase (plan III.4: “tổ chức sơ kết, tổng kết, nhân rộng mô hình tiêu biểu”) and were recognised (a level,
  decision number and date, ``RegisterEntry.recognition_as_of``) by the phase's last year; one that reached such
  a status without a recognition is refused with that reason, one whose last status in the phase is “Dừng” is
  refused too. Its subject as in the year: its lead unit for a collective model (the unit itself when empty), the
  person for an individual one (“Cá nhân thực hiện mô hình …”).
* **Điển hình**: the register's exemplars that carry a recognition in a year of the phase.
* The units' **nominations** are made per year, on the unit's “Đề nghị khen thưởng” sheet, and weighed in that
  year's list: they are not carried into a phase (``NOMINATIONS_NOTE``). What a unit said there of a subject
  (a woman, a collective with at least 70 % women) is still used for the tie-break.

As in the year: anyone who is not the unit itself is refused only for what dvk knows (the unit's sheet of the
year it comes from still has an error; a model without a recognition), the council judges the rest; the
quota (``[awards] phase_giay_khen_quota``) takes the eligible candidates in order of their unit's mean total;
among equal means at its edge women and collectives with at least 70 % women come first (NĐ 152/2025/NĐ-CP,
Điều 4 khoản 6), and equals that still do not fit are all left to the council.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

from schemas import ModelStatus, Rating
from schemas.register import EntryKind, ModelRegister, RegisterEntry, build_register, sightings_of
from schemas.text import fold

from .candidates import (
    COUNCIL_CHECKS,
    ELIGIBLE,
    GIAY_KHEN,
    PROVISIONAL,
    Decided,
    Listing,
    Source,
    apply_quota,
    eligibility,
    tier,
)
from .data import UnitResult

__all__ = [
    "NOMINATIONS_NOTE",
    "PhaseCandidate",
    "PhaseCandidateList",
    "PhaseStanding",
    "phase_candidates",
    "phase_standings",
]

#: Why the phase's list has no nominations (printed by the tờ trình and the phase workbook).
NOMINATIONS_NOTE = (
    "Đề nghị khen thưởng của các đơn vị lập theo từng năm (trang “Đề nghị khen thưởng” của phiếu) và đã được xét "
    "trong danh sách của năm đó, nên không đưa vào danh sách khen thưởng giai đoạn."
)
#: Model statuses that make a model a candidate at the end of a phase.
REWARDED = (ModelStatus.OUTSTANDING.value, ModelStatus.PROPOSED.value, ModelStatus.REPLICATED.value)
_NOT_LISTED = "không có trong danh sách đơn vị"


@dataclass(frozen=True)
class PhaseStanding:
    """One unit over the years of a phase: the input of the commendation candidates at its end."""

    code: str
    name: str
    totals: tuple[tuple[int, Fraction | None, str | None], ...]  # (year, total, rating code or None) per year with data
    years_rated: int  # years the unit was rated
    years_htxs: int
    average: Fraction | None  # mean total over the years it was rated
    eligible: bool
    reason: str  # why not eligible ("" when eligible): "Năm 2027: <the master's words>"
    rank: int | None  # by average among the eligible units (equal averages share a rank)
    stop_year: int | None = None  # the first year that stops the unit
    stop: str = ""  # why, in the master's words ("đơn vị xếp loại Hoàn thành nhiệm vụ (cần từ …)")

    @property
    def results_text(self) -> str:
        """"2026: HTXS; 2027: HTT; 2028: HTXS" (a year the unit was not rated: "chưa xếp loại")."""
        return "; ".join(f"{y}: {code or 'chưa xếp loại'}" for y, _, code in self.totals)


def _stop(res: UnitResult) -> str | None:
    """Why ``res``'s year stops a phase award, in the master's words; None when the unit is eligible that year."""
    if not res.rated:
        label = res.rating_label
        return label[:1].lower() + label[1:]  # "chưa nộp (còn hạn)", "chờ xác nhận"
    if res.eligible:
        return None
    verdict = eligibility(res)
    return verdict.removeprefix("Không đủ điều kiện: ") if verdict != ELIGIBLE else f"xếp loại {res.rating.label}"


def phase_standings(results: Mapping[int, Sequence[UnitResult]], years: Sequence[int]) -> tuple[PhaseStanding, ...]:
    """The ranking over a phase, the input of ``phase_candidates``.

    ``results``: each year's unit results (``compute``) for the years of the phase that have data; ``years``: the
    years the phase counts (``COUNTED_YEARS[n]``; ``SPECS[n].years`` for the whole review). A unit is **eligible**
    when, in every year of ``years`` that has data, it was rated and eligible that year (at least Hoàn thành tốt
    nhiệm vụ, not provisional: ``UnitResult.eligible``) — a phase award rewards results sustained over the phase.
    Eligible units are ranked by their mean total over those years (equal means share a rank); the others
    carry the first year that stops them (``stop_year``, ``stop``; ``reason`` says both). Units are those of the
    latest year's registry first.
    """
    with_data = [y for y in years if y in results]
    by_year = {y: {r.code: r for r in results[y]} for y in with_data}
    seen: dict[str, str] = {}
    for y in reversed(with_data):
        for r in results[y]:
            seen.setdefault(r.code, r.row.unit.name)
    rows: list[PhaseStanding] = []
    for code, name in seen.items():
        totals: list[tuple[int, Fraction | None, str | None]] = []
        stop_year: int | None = None
        stop = ""
        rated: list[Fraction] = []
        htxs = 0
        for y in with_data:
            res = by_year[y].get(code)
            why = _NOT_LISTED if res is None else _stop(res)
            if why is not None and stop_year is None:
                stop_year, stop = y, why
            if res is None:
                totals.append((y, None, None))
                continue
            totals.append((y, res.total, res.rating.value if res.rated else None))
            if res.rated and res.total is not None:
                rated.append(res.total)
                htxs += res.rating is Rating.HTXS
        average = sum(rated, Fraction(0)) / len(rated) if rated else None
        reason = f"Năm {stop_year}: {stop}" if stop_year is not None else ""
        rows.append(PhaseStanding(code, name, tuple(totals), len(rated), htxs, average,
                                  eligible=bool(with_data) and stop_year is None, reason=reason, rank=None,
                                  stop_year=stop_year, stop=stop))
    ranked = sorted((s for s in rows if s.eligible and s.average is not None), key=lambda s: -(s.average or 0))
    ranks: dict[str, int] = {}
    for i, standing in enumerate(ranked):
        previous = ranked[i - 1] if i else None
        same = previous is not None and previous.average == standing.average
        ranks[standing.code] = ranks[previous.code] if same and previous is not None else i + 1
    return tuple(replace(s, rank=ranks.get(s.code)) for s in rows)


@dataclass(frozen=True)
class PhaseCandidate(Decided):
    """One subject proposed for commendation at the end of a phase, with where it comes from and what dvk decided."""

    subject: str
    kind: str  # "Tập thể" | "Cá nhân" | "Hộ gia đình"
    unit_code: str
    unit_name: str
    sources: tuple[Source, ...]
    standing: PhaseStanding | None  # the unit's over the phase (None: the unit has no result in it)
    form: str = GIAY_KHEN
    achievements: str = ""  # a model's or exemplar's: its statuses over the phase, what the unit wrote
    models: tuple[str, ...] = ()  # the models and exemplars it is linked to: "MH-0003 “Tên”"
    female: bool | None = None
    is_unit: bool = False
    eligible: bool = False
    reason: str = ""  # why not eligible, the real cause first; "" when eligible
    council: str = ""  # what the council still has to judge
    within_quota: bool | None = None  # None: no quota set, or refused
    quota_note: str = ""
    number: int = 0  # 1-based place in the list

    @property
    def total(self) -> Fraction | None:
        """The unit's mean total over the phase (what the quota orders by)."""
        return self.standing.average if self.standing is not None else None

    @property
    def average(self) -> Fraction | None:
        return self.total

    @property
    def years_rated(self) -> int:
        return self.standing.years_rated if self.standing is not None else 0

    @property
    def rank(self) -> int | None:
        return self.standing.rank if self.standing is not None else None

    @property
    def results_text(self) -> str:
        return self.standing.results_text if self.standing is not None else ""

    @property
    def upward(self) -> bool:
        return False  # the phase's awards are the commune chairman's Giấy khen



@dataclass(frozen=True)
class PhaseCandidateList(Listing[PhaseCandidate]):
    candidates: tuple[PhaseCandidate, ...]
    years: tuple[int, ...]  # the years the phase counts
    quota: int | None = None
    standings: tuple[PhaseStanding, ...] = ()

    @property
    def eligible_units(self) -> tuple[PhaseStanding, ...]:
        """The units eligible over the phase, by rank."""
        return tuple(sorted((s for s in self.standings if s.eligible), key=lambda s: (s.rank or 0)))


@dataclass
class _Draft:
    subject: str
    kind: str
    unit_code: str
    unit_name: str
    is_unit: bool
    sources: list[Source] = field(default_factory=list)
    achievements: str = ""
    models: list[str] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)
    stopped: list[str] = field(default_factory=list)
    sheet_year: int | None = None  # the latest year whose sheet it comes from (not the unit itself)

    def add(self, source: Source) -> None:
        if source not in self.sources:
            self.sources.append(source)


def _register_of(results: Mapping[int, Sequence[UnitResult]]) -> ModelRegister:
    return build_register(s for y in sorted(results) for r in results[y] if r.row.submission is not None
                          for s in sightings_of(r.code, y, r.row.submission))


def _label(entry: RegisterEntry, name: str) -> str:
    return f"{entry.code} “{name}”"


def _achievements(results: Mapping[int, Sequence[UnitResult]], year: int, unit_code: str, name: str) -> str:
    """What the unit wrote of an exemplar in ``year`` ("Thành tích, cách làm hiệu quả")."""
    for r in results.get(year, ()):
        if r.code == unit_code and r.row.submission is not None:
            for e in r.row.submission.exemplars:
                if fold(e.name) == fold(name):
                    return e.achievements
    return ""


def _ever_candidate(code: str, results: Mapping[int, Sequence[UnitResult]], years: Sequence[int]) -> bool:
    """Rated at least HTT, or provisional, in some year of the phase: the year's list would have had it."""
    for y in years:
        for r in results.get(y, ()):
            if r.code == code and r.rated and r.card is not None and (r.rating.rank <= Rating.HTT.rank or r.provisional):
                return True
    return False


def phase_candidates(results: Mapping[int, Sequence[UnitResult]], years: Sequence[int],
                     register: ModelRegister | None = None, *, quota: int | None = None) -> PhaseCandidateList:
    """The council's candidates at the end of a phase over ``years`` (the phase's counted years), from the units'
    results of each year and the commune ``register`` (default: built from the results' own rows), ``quota``
    Giấy khen at most."""
    counted = tuple(y for y in years if y in results)
    standings = phase_standings(results, years)
    by_code = {s.code: s for s in standings}
    index = {y: {r.code: r for r in results[y]} for y in counted}
    last = counted[-1] if counted else (years[-1] if years else 0)
    # the register of every year up to the phase's end: a recognition given before the phase still counts
    register = register if register is not None else _register_of({y: rs for y, rs in results.items() if y <= last})
    drafts: dict[tuple[str, str, str], _Draft] = {}

    def key_of(unit_code: str, subject: str, kind: str) -> tuple[tuple[str, str, str], bool, str]:
        unit_name = by_code[unit_code].name if unit_code in by_code else unit_code
        own = kind == "Tập thể" and (not subject.strip() or fold(subject) == fold(unit_name))
        return (unit_code, "" if own else fold(subject), "Tập thể" if own else kind), own, unit_name

    def draft(unit_code: str, subject: str, kind: str) -> _Draft:
        key, own, unit_name = key_of(unit_code, subject, kind)
        if key not in drafts:
            drafts[key] = _Draft(subject=unit_name if own else subject, kind=key[2], unit_code=unit_code,
                                 unit_name=unit_name, is_unit=own)
        return drafts[key]

    for s in standings:
        if s.eligible or _ever_candidate(s.code, results, counted):
            draft(s.code, s.name, "Tập thể").add(Source.RANKING)
    for entry in register.entries:
        states = [st for st in entry.years if st.year in counted]
        if not states:
            continue
        if entry.kind is EntryKind.MODEL:
            reached = [st for st in states if st.status in REWARDED]
            if not reached:
                continue
            st = reached[-1]
            unit_name = by_code[st.unit_code].name if st.unit_code in by_code else st.unit_code
            subject = ((st.lead_unit or unit_name) if st.kind == "Tập thể"
                       else f"Cá nhân thực hiện mô hình “{st.name}”")
            d = draft(st.unit_code, subject, st.kind)
            d.add(Source.MODEL)
            label = _label(entry, st.name)
            if label not in d.models:
                d.models.append(label)
            trail = entry.trend([y for y in counted if entry.state(y) is not None])
            d.achievements = d.achievements or f"Mô hình “{st.name}”: {trail}"
            if entry.recognition_as_of(last) is None:
                d.unrecognised.append(f"mô hình “{st.name}” ở mức “{st.status}” năm {st.year}")
            if states[-1].status == ModelStatus.STOPPED.value:
                d.stopped.append(f"mô hình “{st.name}” dừng thực hiện năm {states[-1].year}")
        else:
            recognised = [st for st in states if st.recognised]
            if not recognised:
                continue
            st = recognised[-1]
            d = draft(st.unit_code, st.name, st.kind)
            d.add(Source.EXEMPLAR)
            label = _label(entry, st.name)
            if label not in d.models:
                d.models.append(label)
            d.achievements = d.achievements or _achievements(results, st.year, st.unit_code, st.name)
        d.sheet_year = max(d.sheet_year or 0, st.year)
    # what the units said of a subject (a woman, a collective with ≥ 70 % women): the latest of the phase
    female: dict[tuple[str, str, str], bool] = {}
    for y in counted:
        for r in results[y]:
            for p in r.row.submission.proposals if r.row.submission is not None else ():
                if p.female is not None:
                    female[key_of(r.code, p.subject, p.kind)[0]] = p.female
    judged: list[PhaseCandidate] = []
    for key, d in drafts.items():
        ok, reason, council = _judge(d, by_code.get(d.unit_code), index)
        judged.append(PhaseCandidate(
            subject=d.subject, kind=d.kind, unit_code=d.unit_code, unit_name=d.unit_name, sources=tuple(d.sources),
            standing=by_code.get(d.unit_code), achievements=d.achievements, models=tuple(d.models),
            female=female.get(key), is_unit=d.is_unit, eligible=ok, reason=reason, council=council,
        ))
    order = {s.code: i for i, s in enumerate(sorted(standings, key=lambda s: (s.rank is None, s.rank or 0)))}

    def sort_key(c: PhaseCandidate) -> tuple[object, ...]:
        return (*tier(c), c.female is not True, order.get(c.unit_code, len(order)), fold(c.subject))

    eligible = apply_quota(sorted((c for c in judged if c.eligible), key=sort_key), quota)
    refused = sorted((c for c in judged if not c.eligible), key=sort_key)
    out = tuple(replace(c, number=i) for i, c in enumerate([*eligible, *refused], 1))
    return PhaseCandidateList(out, tuple(years), quota, standings)


def _judge(d: _Draft, standing: PhaseStanding | None,
           index: Mapping[int, Mapping[str, UnitResult]]) -> tuple[bool, str, str]:
    """(eligible, reason, what the council judges)."""
    if d.is_unit:
        if standing is not None and standing.eligible:
            return True, "", ""
        if standing is None or standing.stop_year is None:
            return False, "Không đủ điều kiện: đơn vị không có kết quả đánh giá trong giai đoạn", ""
        return False, f"Không đủ điều kiện: năm {standing.stop_year}, {standing.stop}", ""
    year = d.sheet_year
    res = index.get(year, {}).get(d.unit_code) if year is not None else None
    if res is not None and res.provisional:
        return False, f"Không đủ điều kiện: năm {year}, {PROVISIONAL.removeprefix('Không đủ điều kiện: ')}", ""
    if set(d.sources) <= {Source.MODEL}:
        if d.unrecognised:
            return False, ("Không đủ điều kiện: " + "; ".join(d.unrecognised)
                           + " nhưng chưa ghi cấp, số và ngày quyết định công nhận"), ""
        if d.stopped:
            return False, "Không đủ điều kiện: " + "; ".join(d.stopped), ""
    council = COUNCIL_CHECKS.get(d.kind, COUNCIL_CHECKS["Tập thể"])
    if d.subject.startswith("Cá nhân thực hiện mô hình"):
        council += "; cần ghi họ tên cá nhân thực hiện mô hình"
    return True, "", council
