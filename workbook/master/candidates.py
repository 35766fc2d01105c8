"""Candidates for commendation (the council's list): from the ranking, the models and exemplars, the nominations.

    candidates(results, quota=…) -> CandidateList

Pure over the master's unit results (``compute``). The list has four sources, each said per candidate:

* **Xếp hạng**: every unit rated at least Hoàn thành tốt nhiệm vụ (eligible), and every unit whose rating is
  provisional (its sheet still has an error: refused, with that reason first);
* **Mô hình**: the models at “Tiêu biểu” or “Đề nghị khen thưởng” (Kế hoạch IV.2: commendation “gắn chặt với kết
  quả công nhận các mô hình, điển hình”); the subject of a collective model is its lead unit (the unit itself
  when empty), of an individual one “Cá nhân thực hiện mô hình …” (the table does not name the person: the
  unit names them on its “Đề nghị khen thưởng” sheet);
* **Điển hình**: the exemplars that carry a recognition (level, decision number and date; the exemplars table
  has no status column, and an exemplar is by nature the “tiêu biểu” tier);
* **Đơn vị đề nghị**: the units' own nominations (“Đề nghị khen thưởng” sheet), collectives, individuals and
  households (Luật Thi đua, khen thưởng 2022, Điều 8).

One subject of one unit is one candidate, whatever the number of sources (a unit ranked first that also
nominated itself). What dvk decides, and what it leaves to the council:

* the unit itself (a collective whose name is the unit's): eligible when the unit is (rated at least HTT, not
  provisional: ``eligibility``), refused with the master's own words otherwise;
* anyone else (an individual, a household, another collective): not judged by the unit's rating (review M12):
  refused only for what dvk knows — the sheet it comes from still has an error (provisional), or a model or
  exemplar source that carries no recognition; the individual's own criteria (Giấy khen: gương mẫu, hoàn
  thành tốt nhiệm vụ, thành tích được bình xét) are the council's, and the list says so;
* the quota (``[awards] giay_khen_quota``): eligible Giấy khen candidates in order of their unit's total; those
  past the quota are listed with the reason. Among *equal* totals at the edge, women and collectives with at
  least 70 % women come first (NĐ 152/2025/NĐ-CP, Điều 4 khoản 6: the proposals' “Nữ / tập thể ≥ 70% nữ”
  column); equals that still do not fit are all left to the council, never split by list order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from fractions import Fraction
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from schemas import ModelStatus, Rating
from schemas.recognition import is_recognised
from schemas.text import fold

from .data import UnitResult, UnitRow

__all__ = [
    "COUNCIL_CHECKS", "ELIGIBLE", "GIAY_KHEN", "PROVISIONAL", "Candidate", "CandidateList", "Decided", "Listing",
    "Source", "apply_quota",
    "candidates", "eligibility", "is_upward", "is_women_collective", "tier",
]

ELIGIBLE = "Đủ điều kiện"
PROVISIONAL = "Không đủ điều kiện: phiếu còn lỗi, xếp loại mới là tạm tính"
NEEDS = " (cần từ Hoàn thành tốt nhiệm vụ trở lên)"


def eligibility(res: UnitResult) -> str:
    """"Đủ điều kiện", or why the unit may not be proposed for commendation: the real cause first — a sheet
    with an uncorrected error (its rating is provisional, whatever it says), then a rating below HTT."""
    if res.provisional:
        return PROVISIONAL
    if res.rating.rank <= Rating.HTT.rank:
        return ELIGIBLE
    return f"Không đủ điều kiện: đơn vị xếp loại {res.rating.label}{NEEDS}"


class Source(StrEnum):
    """Where a candidate comes from (the master's “Nguồn” column)."""

    RANKING = "Xếp hạng"
    MODEL = "Mô hình"
    EXEMPLAR = "Điển hình"
    NOMINATION = "Đơn vị đề nghị"


_OUTSTANDING = (ModelStatus.OUTSTANDING, ModelStatus.PROPOSED)
GIAY_KHEN = "Giấy khen của Chủ tịch UBND xã"
#: What the council still judges for a subject that is not the unit itself (dvk cannot check it).
COUNCIL_CHECKS = {
    "Cá nhân": "Hội đồng xét tiêu chuẩn của cá nhân (gương mẫu, hoàn thành tốt nhiệm vụ, thành tích được bình xét); "
               "dvk không chấm cá nhân",
    "Hộ gia đình": "Hội đồng xét thành tích của hộ gia đình (đóng góp công sức, đất đai, tài sản); dvk không chấm hộ gia đình",
    "Tập thể": "Hội đồng xét thành tích của tập thể này (không phải đơn vị được chấm điểm); dvk không chấm tập thể này",
}
_WOMEN = "ưu tiên nữ, tập thể có từ 70% nữ khi bằng điểm (NĐ 152/2025/NĐ-CP, Điều 4 khoản 6)"


def is_women_collective(row: UnitRow) -> bool:
    """The unit said, nominating itself, that at least 70 % of its members are women (the proposals' column
    “Nữ / tập thể ≥ 70% nữ”): the preference of NĐ 152/2025/NĐ-CP Điều 4 khoản 6 among equals."""
    sub = row.submission
    return sub is not None and any(
        p.female is True and p.kind == "Tập thể" and _same(p.subject, row.unit.name) for p in sub.proposals
    )


def is_upward(form: str) -> bool:
    """A proposal for the province's Bằng khen (not one of the commune's Giấy khen)."""
    return "bằng khen" in form.lower()


class Decided:
    """What a candidate of a year and of a phase share: dvk's decision and how the master prints it."""

    sources: tuple[Source, ...]
    eligible: bool
    reason: str
    council: str
    within_quota: bool | None

    @property
    def source_text(self) -> str:
        return "; ".join(s.value for s in self.sources)

    @property
    def proposed(self) -> bool:
        """Goes to the chairman: eligible and, for a Giấy khen, within the quota (or no quota set)."""
        return self.eligible and self.within_quota is not False

    @property
    def verdict(self) -> str:
        """The master's “Điều kiện đề nghị”: the reason, else what is left to the council, else “Đủ điều kiện”."""
        if not self.eligible:
            return self.reason
        return "; ".join([ELIGIBLE] + ([self.council] if self.council else []))


D = TypeVar("D", bound=Decided)


class Listing(Generic[D]):
    """A list of candidates, in order, and its parts."""

    candidates: tuple[D, ...]

    def __iter__(self) -> Iterator[D]:
        return iter(self.candidates)

    def __len__(self) -> int:
        return len(self.candidates)

    @property
    def proposed(self) -> tuple[D, ...]:
        """Eligible, and within the Giấy khen quota (Bằng khen proposals go up without the commune's quota)."""
        return tuple(c for c in self.candidates if c.proposed)

    @property
    def refused(self) -> tuple[D, ...]:
        return tuple(c for c in self.candidates if not c.eligible)

    @property
    def beyond_quota(self) -> tuple[D, ...]:
        return tuple(c for c in self.candidates if c.eligible and c.within_quota is False)


@dataclass(frozen=True)
class Candidate(Decided):
    """One subject proposed for commendation, with where it comes from and what dvk decided."""

    subject: str
    kind: str  # "Tập thể" | "Cá nhân" | "Hộ gia đình"
    result: UnitResult  # the unit it comes from
    sources: tuple[Source, ...]
    form: str
    achievements: str = ""
    models: tuple[str, ...] = ()  # the models and exemplars it is linked to
    female: bool | None = None  # a woman, or a collective with ≥ 70 % women (None: not said)
    is_unit: bool = False  # the subject is the unit itself (judged by its rating)
    eligible: bool = False  # passes everything dvk can check
    reason: str = ""  # why not eligible, the real cause first; "" when eligible
    council: str = ""  # what the council still has to judge
    within_quota: bool | None = None  # None: no quota set, refused, or an upward proposal
    quota_note: str = ""
    number: int = 0  # 1-based place in the list

    @property
    def unit_code(self) -> str:
        return self.result.code

    @property
    def unit_name(self) -> str:
        return self.result.row.unit.name

    @property
    def total(self) -> Fraction | None:
        return self.result.total

    @property
    def rating(self) -> Rating:
        return self.result.rating

    @property
    def rank(self) -> int | None:
        return self.result.rank

    @property
    def upward(self) -> bool:
        return is_upward(self.form)


@dataclass(frozen=True)
class CandidateList(Listing[Candidate]):
    candidates: tuple[Candidate, ...]
    quota: int | None = None


@dataclass
class _Draft:
    subject: str
    kind: str
    result: UnitResult
    is_unit: bool
    sources: list[Source] = field(default_factory=list)
    form: str = ""
    achievements: str = ""
    models: list[str] = field(default_factory=list)
    female: bool | None = None
    unrecognised: list[str] = field(default_factory=list)  # model/exemplar sources without a recognition

    def add(self, source: Source) -> None:
        if source not in self.sources:
            self.sources.append(source)


def _same(a: str, b: str) -> bool:
    return fold(a) == fold(b)


def _drafts(results: Sequence[UnitResult]) -> list[_Draft]:
    drafts: dict[tuple[str, str, str], _Draft] = {}

    def draft(r: UnitResult, subject: str, kind: str) -> _Draft:
        own = kind == "Tập thể" and (not subject.strip() or _same(subject, r.row.unit.name))
        name = r.row.unit.name if own else subject
        key = (r.code, "" if own else fold(name), "Tập thể" if own else kind)
        if key not in drafts:
            drafts[key] = _Draft(subject=name, kind="Tập thể" if own else kind, result=r, is_unit=own)
        return drafts[key]

    for r in results:
        sub = r.row.submission
        if sub is None or r.card is None:
            continue
        if r.rating.rank <= Rating.HTT.rank or r.provisional:
            draft(r, r.row.unit.name, "Tập thể").add(Source.RANKING)
        for m in sub.models:
            if m.status in _OUTSTANDING:
                # a collective model: its lead unit (the unit itself when empty); an individual one: the person, whom
                # the models table does not name ("Đơn vị chủ trì" is the unit leading it, not the person)
                lead = (m.lead_unit or r.row.unit.name) if m.kind == "Tập thể" else f"Cá nhân thực hiện mô hình “{m.name}”"
                d = draft(r, lead, m.kind)
                d.add(Source.MODEL)
                if m.name not in d.models:
                    d.models.append(m.name)
                if not is_recognised(m):
                    d.unrecognised.append(f"mô hình “{m.name}” ở mức “{m.status.value}”")
        for e in sub.exemplars:
            if is_recognised(e):
                d = draft(r, e.name, e.kind)
                d.add(Source.EXEMPLAR)
                if e.name not in d.models:
                    d.models.append(e.name)
                d.achievements = d.achievements or e.achievements
        for p in sub.proposals:
            d = draft(r, p.subject, p.kind)
            d.add(Source.NOMINATION)
            d.form = d.form or p.form
            d.achievements = p.achievements or d.achievements
            if p.model and p.model not in d.models:
                d.models.append(p.model)
            if p.female is not None:
                d.female = p.female
    return list(drafts.values())


def _judge(d: _Draft) -> tuple[bool, str, str]:
    """(eligible, reason, what the council judges)."""
    r = d.result
    if d.is_unit:
        verdict = eligibility(r)
        return verdict == ELIGIBLE, ("" if verdict == ELIGIBLE else verdict), ""
    if r.provisional:
        return False, PROVISIONAL, ""
    if d.unrecognised and set(d.sources) <= {Source.MODEL}:
        return False, ("Không đủ điều kiện: " + "; ".join(d.unrecognised)
                       + " nhưng chưa ghi cấp, số và ngày quyết định công nhận"), ""
    council = COUNCIL_CHECKS.get(d.kind, COUNCIL_CHECKS["Tập thể"])
    if d.subject.startswith("Cá nhân thực hiện mô hình"):
        council += "; đơn vị cần ghi họ tên cá nhân ở trang “Đề nghị khen thưởng”"
    return True, "", council


class Quotable(Protocol):
    """What the quota and the tie-break read of a candidate (a year's ``Candidate``, a phase's ``PhaseCandidate``)."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    @property
    def total(self) -> Fraction | None: ...

    @property
    def is_unit(self) -> bool: ...

    @property
    def female(self) -> bool | None: ...

    @property
    def upward(self) -> bool: ...


Q = TypeVar("Q", bound=Quotable)


def tier(c: Quotable) -> tuple[Fraction, bool]:
    """Candidates with the same tier are equals: the same total, and both units or both proposed by a unit."""
    return (-(c.total or Fraction(0)), not c.is_unit)


def candidates(results: Sequence[UnitResult], *, quota: int | None = None) -> CandidateList:
    """The council's candidates from the master's results (ranked order), ``quota`` Giấy khen at most."""
    order = {r.code: i for i, r in enumerate(results)}
    judged: list[Candidate] = []
    for d in _drafts(results):
        ok, reason, council = _judge(d)
        judged.append(Candidate(
            subject=d.subject, kind=d.kind, result=d.result, sources=tuple(d.sources), form=d.form or GIAY_KHEN,
            achievements=d.achievements, models=tuple(d.models), female=d.female, is_unit=d.is_unit,
            eligible=ok, reason=reason, council=council,
        ))
    # consideration order: by the unit's total (the only measured result dvk has, also for whom a unit proposes);
    # at one total the units themselves before the others they propose (a unit and its member are no equals);
    # among equals women / collectives with ≥ 70 % women first (NĐ 152 Điều 4.6); then the ranking's order
    def sort_key(c: Candidate) -> tuple[object, ...]:
        return (*tier(c), c.female is not True, order.get(c.unit_code, 0), fold(c.subject))

    eligible = sorted((c for c in judged if c.eligible), key=sort_key)
    refused = sorted((c for c in judged if not c.eligible), key=sort_key)
    eligible = apply_quota(eligible, quota)
    out = [_numbered(c, i) for i, c in enumerate([*eligible, *refused], 1)]
    return CandidateList(tuple(out), quota)


def _numbered(c: Candidate, number: int) -> Candidate:
    return replace(c, number=number)


def _with(c: Q, within: bool | None, note: str) -> Q:
    return replace(c, within_quota=within, quota_note=note)


def apply_quota(eligible: list[Q], quota: int | None) -> list[Q]:
    """``eligible`` (in the order of consideration) with each Giấy khen candidate's place against ``quota``."""
    if quota is None:
        return eligible
    local = [c for c in eligible if not c.upward]
    out: dict[int, Q] = {}
    left = quota
    place = 0
    groups: list[list[Q]] = []
    for c in local:
        if groups and tier(c) == tier(groups[-1][0]):
            groups[-1].append(c)
        else:
            groups.append([c])
    beyond = f"Ngoài số lượng {quota} Giấy khen của Hội đồng"
    for group in groups:
        if len(group) <= left:
            for c in group:
                place += 1
                out[id(c)] = _with(c, True, f"Trong số lượng {quota} Giấy khen (thứ {place})")
            left -= len(group)
            continue
        women = [c for c in group if c.female is True]
        if left and women and len(women) <= left < len(group):
            for c in women:
                place += 1
                out[id(c)] = _with(c, True, f"Trong số lượng {quota} Giấy khen (thứ {place}): bằng điểm, {_WOMEN}")
            left -= len(women)
            for c in group:
                if id(c) not in out:
                    out[id(c)] = _with(c, False, f"{beyond}: bằng điểm với người được ưu tiên ({_WOMEN}); "
                                                 "Hội đồng quyết định")
        elif left:
            for c in group:
                out[id(c)] = _with(c, False, f"{beyond}: {len(group)} trường hợp bằng điểm cho {left} suất còn lại; "
                                             "Hội đồng quyết định")
        else:
            for c in group:
                out[id(c)] = _with(c, False, f"{beyond}: xếp sau {quota} trường hợp trong số lượng")
        left = 0
    return [out.get(id(c), c) for c in eligible]
