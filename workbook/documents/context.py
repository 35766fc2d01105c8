"""What a document template can print: plain frozen values, every number already formatted as text.

The caller (``sync.documents``) fills these from the same computation as the master; a template reads
them with Jinja placeholders (``{{ paper.number }}``, ``{%tr for u in units %}`` … ``{{ u.total }}``).
The placeholders a template may use are exactly the fields below (``template_fields``), so a misspelt
one is reported before anything is written.

A value the commune has not configured is a ``marks.blank``: it prints as a highlighted "…" and makes the
document a draft. Counts that may be zero also come as ready sentences (``summary``, ``proposals_text``,
``awards_text``) that leave the zero parts out ("3 tập thể", not "3 tập thể và 0 cá nhân").

Two lists are shaped for the council's commendation file and filled from what the ledger holds today (the
units' own proposals; the models and exemplars of the year's submissions with their recognition fields):
``Candidate`` (who is put to the council's vote, from which source, with the unit's score and rating, or
why not) and ``RecognisedModel`` (a model or exemplar the commune recognises: unit, name, field, level,
the decision's number and date). A candidates list built from the ranking, the models and the nominations,
or a register of recognised models across years, can feed them unchanged.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from typing import Any

from .marks import context_text

__all__ = [
    "AwardGroup",
    "AwardLine",
    "Candidate",
    "CountLine",
    "CriterionLine",
    "DecisionContext",
    "ExemplarLine",
    "FieldLine",
    "FieldYearModels",
    "Ground",
    "Ineligible",
    "Issuer",
    "Member",
    "MinutesContext",
    "ModelLine",
    "ModelStats",
    "NoteLine",
    "Office",
    "Paper",
    "PeopleLine",
    "PhaseContext",
    "PhaseDecisionContext",
    "PhaseLine",
    "PhaseMinutesContext",
    "PhaseRankLine",
    "PhaseSubmissionContext",
    "ProposalLine",
    "RatingLine",
    "RecognisedModel",
    "RecognitionContext",
    "RecognitionGroup",
    "ReportContext",
    "Signer",
    "SubmissionContext",
    "TrendLine",
    "UnitLine",
    "YearCell",
    "YearLine",
    "as_context",
]


@dataclass(frozen=True)
class Office:
    """The commune's names (``[commune]``); a name nobody configured is the visible blank "…"."""

    commune: str  # "xã Cao Minh"
    commune_upper: str  # "XÃ CAO MINH"
    province: str
    committee: str  # "UBND XÃ CAO MINH"
    council: str  # "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"
    chairman: str
    council_chair: str
    preparer: str
    national_heading: str
    motto: str


@dataclass(frozen=True)
class Paper:
    """This document's number, date and recipients (``[documents]``, ``[documents.<year>]``)."""

    number: str  # "15/BC-UBND" or "…/BC-UBND"
    date_line: str  # "Cao Minh, ngày 05 tháng 01 năm 2027"
    date: str  # "ngày 05 tháng 01 năm 2027"
    recipients: tuple[str, ...]  # "- Đảng ủy, HĐND xã;" … "- Lưu: VT."


@dataclass(frozen=True)
class Signer:
    """Who signs (Nghị định 30/2020, Phụ lục I, II.7): the capacity lines in capitals ("TM. ỦY BAN NHÂN DÂN",
    "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), the signer's other position printed above the name (for an advisory body
    using the People's Committee's seal: the position in the Committee; "" when none), and the name."""

    lines: tuple[str, ...]
    position: str
    name: str


@dataclass(frozen=True)
class Issuer:
    """The body issuing a document: its parent body and its own name in capitals (the heading), its name in
    running text ("Hội đồng Thi đua - Khen thưởng xã"), its number series ("TTr-HĐTĐKT")."""

    parent: str
    name: str
    heading: str  # the name as the heading prints it (a long one breaks before its last words)
    running: str  # "Hội đồng Thi đua - Khen thưởng xã Cao Minh"
    short: str  # "Hội đồng", "Phòng Văn hóa - Xã hội"
    series: str


@dataclass(frozen=True)
class Ground:
    """A text cited in full (Nghị định 30/2020, Phụ lục I, II.6a–b): ``text`` is the citation after "Căn cứ"
    ("Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định …"); the parts too."""

    text: str
    type: str  # "Luật", "Nghị định", "Kế hoạch", …
    number: str  # "" for a law (not printed)
    date: str  # "ngày 14 tháng 6 năm 2025"
    issuer: str
    title: str  # trích yếu (a law: its name without "Luật")


@dataclass(frozen=True)
class Member:
    """A member of the council, for the attendance list of the minutes ("" when not configured)."""

    number: int
    name: str


@dataclass(frozen=True)
class Candidate:
    """A collective, household or individual put to the council's vote.

    ``source``: where the candidate comes from ("Đơn vị đề nghị", "Xếp hạng", "Mô hình tiêu biểu", …);
    ``score`` / ``rating``: of the unit the candidate belongs to (as the master shows them); ``reason``: why
    eligible, or why not proposed."""

    number: int
    name: str
    kind: str  # "Tập thể", "Cá nhân", "Hộ gia đình"
    unit: str
    source: str
    score: str
    rating: str
    form: str  # "Giấy khen của Chủ tịch UBND xã", …
    reason: str


@dataclass(frozen=True)
class RecognisedModel:
    """A model or exemplar recognised by the commune: what the decision lists (and a register keeps)."""

    number: int
    kind: str  # "Mô hình", "Điển hình"
    name: str
    subject: str  # "Tập thể", "Cá nhân"
    unit: str
    field: str
    level: str  # "Xã", "Tỉnh"
    decision_number: str
    decision_date: str


@dataclass(frozen=True)
class CountLine:
    name: str
    count: int


@dataclass(frozen=True)
class RatingLine:
    code: str  # HTXS, HTT, HT, KHT
    label: str
    count: int
    percent: str
    units: str  # names, comma separated


@dataclass(frozen=True)
class FieldLine:
    """Points of one group of criteria (a field of the rubric) across the units that were scored."""

    name: str
    max: str
    average: str
    lowest: str
    highest: str
    percent: str  # average ÷ max
    #: "plan": one of the plan's four fields (kinh tế, văn hóa – xã hội, quốc phòng – an ninh, xây dựng hệ thống
    #: chính trị); "people": satisfaction and petitions (reported in their own section); "other": the rest
    group: str = "other"
    models: str = ""  # the field's models: "6 mô hình đăng ký, 5 được công nhận" ("" for a group without models)


@dataclass(frozen=True)
class CriterionLine:
    code: str
    title: str
    field: str
    max: str
    average: str
    percent: str
    full: int  # units with full points
    zero: int  # units with 0 points


@dataclass(frozen=True)
class PeopleLine:
    """A criterion on satisfaction or petitions: points and the commune-wide figures it is made of."""

    code: str
    title: str
    field: str
    max: str
    average: str
    percent: str
    target_label: str
    target_sum: str
    result_label: str
    result_sum: str
    rate: str  # result_sum ÷ target_sum
    #: a choice or a count criterion as units, not as average points: "19 đơn vị “Không có”, 3 đơn vị “Có”"
    counts: str = ""


@dataclass(frozen=True)
class FieldYearModels:
    field: str
    year: int
    registered: int
    recognised: int
    outstanding: int
    replicated: int
    collective: int
    individual: int
    summary: str = ""  # "5 mô hình đăng ký, 2 được công nhận" (zero parts left out)


@dataclass(frozen=True)
class ModelStats:
    registered: int
    recognised: int
    outstanding: int
    replicated: int
    collective: int
    individual: int
    by_field: tuple[FieldYearModels, ...]
    exemplars: int
    exemplars_collective: int
    exemplars_individual: int
    bonus_units: int  # units that earned bonus points
    summary: str = ""  # the models and exemplars in one sentence, zero parts left out


@dataclass(frozen=True)
class UnitLine:
    number: int
    rank: str  # "1", or "" without a usable submission
    code: str
    name: str
    kind: str
    self_total: str
    total: str
    rating: str
    rating_code: str
    note: str  # reasons, the council's note, "tạm tính"


@dataclass(frozen=True)
class ModelLine:
    number: int
    year: int
    name: str
    unit: str
    field: str
    kind: str
    status: str
    level: str
    decision: str


@dataclass(frozen=True)
class ExemplarLine:
    number: int
    year: int
    name: str
    kind: str
    unit: str
    field: str
    achievements: str
    level: str


@dataclass(frozen=True)
class YearCell:
    year: int
    total: str
    rating: str  # rating code, or "Chưa có dữ liệu"


@dataclass(frozen=True)
class TrendLine:
    number: int
    code: str
    name: str
    years: tuple[YearCell, ...]
    trend: str  # ↑ ↓ → or "Chưa đủ dữ liệu"
    change: str


@dataclass(frozen=True)
class YearLine:
    """One year of a phase."""

    year: int
    has_data: bool
    units_total: int
    submitted: int
    average: str
    htxs: int
    htt: int
    ht: int
    kht: int
    models: int
    recognised: int
    replicated: int
    exemplars: int
    satisfaction: str
    petitions: str


@dataclass(frozen=True)
class PhaseLine:
    """A subtotal of a phase review over some of its years, in "lượt" (each evaluation year counted once)."""

    name: str  # "Giai đoạn I (2026–2028)", "Giai đoạn II (2029–2030)", "Cả giai đoạn 2026–2030"
    years_text: str
    unit_years: int  # units evaluated, summed over the years
    submitted: int
    average: str
    htxs: int
    htt: int
    ht: int
    kht: int
    models: int
    recognised: int
    replicated: int
    exemplars: int


@dataclass(frozen=True)
class ProposalLine:
    number: int
    subject: str
    kind: str  # "Tập thể" | "Cá nhân" | "Hộ gia đình"
    unit: str
    form: str
    achievements: str
    model: str
    total: str  # of the unit it comes from
    rating: str
    rank: str
    source: str = ""  # "Xếp hạng; Đơn vị đề nghị", … (the candidates' sources)
    female: str = ""  # "Có" | "Không" | "" (not said): the NĐ 152/2025 Điều 4.6 preference among equals
    note: str = ""  # the place against the Giấy khen quota; what the council still judges


@dataclass(frozen=True)
class Ineligible:
    subject: str
    unit: str
    reason: str


@dataclass(frozen=True)
class NoteLine:
    unit: str
    note: str


@dataclass(frozen=True)
class AwardLine:
    number: int
    subject: str
    unit: str
    achievements: str


@dataclass(frozen=True)
class AwardGroup:
    title: str  # "Tập thể", "Cá nhân"
    roman: str  # "I", "II"
    awards: tuple[AwardLine, ...]


@dataclass(frozen=True)
class ReportContext:
    """Báo cáo kết quả of one year."""

    office: Office
    paper: Paper
    year: int
    next_year: int
    units_total: int
    submitted: int
    on_time: int
    late: int
    missing: int
    with_errors: int
    kinds: tuple[CountLine, ...]
    average: str
    fields: tuple[FieldLine, ...]
    strongest: tuple[CriterionLine, ...]
    weakest: tuple[CriterionLine, ...]
    people: tuple[PeopleLine, ...]
    models: ModelStats
    ratings: tuple[RatingLine, ...]
    quota: str
    shortfalls: tuple[str, ...]
    units: tuple[UnitLine, ...]
    model_list: tuple[ModelLine, ...]
    exemplar_list: tuple[ExemplarLine, ...]
    provisional: bool
    signer: Signer
    plan: Ground  # the plan, cited in full at its first mention


@dataclass(frozen=True)
class PhaseContext:
    """Báo cáo sơ kết (phase 1) / tổng kết (phase 2)."""

    office: Office
    paper: Paper
    phase: int
    roman: str  # "I", "II"
    kind: str  # "sơ kết", "tổng kết"
    kind_upper: str
    years_text: str  # the years covered: "2026–2028", "2026–2030"
    years: tuple[int, ...]  # the years of annex I (three: the sơ kết's, or giai đoạn II's for the tổng kết)
    missing_years: str
    year_lines: tuple[YearLine, ...]
    fields: tuple[FieldLine, ...]  # over the years of the phase with data
    trends: tuple[TrendLine, ...]
    improved: int
    declined: int
    models: ModelStats
    models_by_field_year: tuple[FieldYearModels, ...]
    model_list: tuple[ModelLine, ...]
    exemplar_list: tuple[ExemplarLine, ...]
    signer: Signer
    plan: Ground
    period: str = ""  # "Sơ kết giai đoạn I (2026–2028)", "Tổng kết giai đoạn 2026–2030 (chi tiết giai đoạn II)"
    period_lower: str = ""  # the same inside a sentence: "sơ kết giai đoạn I (2026–2028)"
    convention: str = ""  # how the overlapping phases are counted (2028 once, in giai đoạn I)
    trend_text: str = ""  # the years the trend runs over: "2026–2030"
    phase_lines: tuple[PhaseLine, ...] = ()  # subtotals per phase (and the whole, for the tổng kết)


@dataclass(frozen=True)
class SubmissionContext:
    """Tờ trình đề nghị khen thưởng of one year."""

    office: Office
    paper: Paper
    report: Paper  # the year's report, cited
    year: int
    units_total: int
    ratings: tuple[RatingLine, ...]
    eligible_units: int
    ranking: tuple[UnitLine, ...]  # the units that may be proposed, ranked
    proposals_total: int
    collective: int
    individual: int
    giay_khen: int
    bang_khen: int
    ineligible: tuple[Ineligible, ...]
    notes: tuple[NoteLine, ...]
    quota: str
    proposals: tuple[ProposalLine, ...]
    provisional: bool
    signer: Signer
    issuer: Issuer
    grounds: tuple[Ground, ...]  # "Căn cứ …;" lines of the shipped (or the commune's) legal grounds
    minutes: Paper  # the council's meeting, cited
    proposals_text: str  # "3 trường hợp (3 tập thể)"
    forms_text: str  # "tặng Giấy khen của Chủ tịch UBND xã 3 trường hợp"
    households: int = 0
    #: eligible candidates past the council's number of Giấy khen ([awards] giay_khen_quota), with the reason
    beyond_quota: tuple[Ineligible, ...] = ()
    giay_khen_quota: str = ""  # the number set, "" when not set


@dataclass(frozen=True)
class DecisionContext:
    """Quyết định khen thưởng (Giấy khen of the commune chairman) of one year."""

    office: Office
    paper: Paper
    submission: Paper  # the council's tờ trình, cited in the grounds
    year: int
    collective: int
    individual: int  # every award that is not a collective's (individuals and households)
    total: int
    groups: tuple[AwardGroup, ...]
    signer: Signer
    grounds: tuple[Ground, ...]
    proposer: str  # who proposed, in running text: "Hội đồng Thi đua - Khen thưởng xã"
    awards_text: str  # "3 tập thể và 1 cá nhân"
    households: int = 0  # of ``individual``, the households (hộ gia đình)


@dataclass(frozen=True)
class MinutesContext:
    """Biên bản họp Hội đồng Thi đua - Khen thưởng (Nghị định 30/2020, Phụ lục III, Mẫu 1.9): the meeting that
    considers the year's results and votes on each candidate. The attendance, the votes and the conclusion are
    blanks the secretary fills at the meeting."""

    office: Office
    paper: Paper
    issuer: Issuer  # the council
    report: Paper  # the year's report, presented at the meeting
    year: int
    date_text: str  # "ngày 20 tháng 12 năm 2026" (the meeting; blank when not configured)
    chair: Signer
    secretary: Signer
    members: tuple[Member, ...]
    units_total: int
    ratings: tuple[RatingLine, ...]
    candidates: tuple[Candidate, ...]
    not_proposed: tuple[Candidate, ...]
    provisional: bool


@dataclass(frozen=True)
class PhaseRankLine:
    """A unit eligible over a phase (at least Hoàn thành tốt nhiệm vụ in every year of it), ranked by its mean."""

    number: int
    rank: str
    code: str
    name: str
    average: str  # the mean total over the years rated: "95,50"
    years_rated: int
    years_htxs: int
    results: str  # "2026: HTXS; 2027: HTT; 2028: HTXS"


@dataclass(frozen=True)
class PhaseSubmissionContext:
    """Tờ trình đề nghị khen thưởng at the end of a phase (sơ kết: giai đoạn I; tổng kết: giai đoạn II): the
    candidates over the years the phase counts (``workbook.master.phase_awards``). ``proposals`` are the year's
    ``ProposalLine`` with ``total`` the unit's mean over the phase and ``rating`` its results year by year."""

    office: Office
    paper: Paper
    report: Paper  # the phase's report (sơ kết / tổng kết), cited
    minutes: Paper  # the council's meeting on the phase's awards, cited
    phase: int
    roman: str  # "I", "II"
    kind: str  # "sơ kết" | "tổng kết"
    period: str  # "giai đoạn I (2026-2028)": the phrase after the movement's name
    years_text: str  # the years weighed: "2026-2028"
    scope: str  # which results are weighed, and how (each evaluation year once)
    year_lines: tuple[YearLine, ...]  # the ratings of each year weighed
    eligible_units: int
    ranking: tuple[PhaseRankLine, ...]
    proposals: tuple[ProposalLine, ...]
    proposals_total: int
    proposals_text: str  # "3 trường hợp (2 tập thể, 1 cá nhân)"
    collective: int
    individual: int
    households: int
    ineligible: tuple[Ineligible, ...]
    beyond_quota: tuple[Ineligible, ...]
    giay_khen_quota: str  # [awards] phase_giay_khen_quota, "" when not set
    nominations: str  # why the units' yearly nominations are not in the list
    provisional: bool  # a year weighed still has provisional results
    signer: Signer
    issuer: Issuer
    grounds: tuple[Ground, ...]


@dataclass(frozen=True)
class PhaseDecisionContext:
    """Quyết định khen thưởng (Giấy khen of the commune chairman) at the end of a phase."""

    office: Office
    paper: Paper
    submission: Paper  # the phase's tờ trình, cited in the grounds
    phase: int
    roman: str
    period: str  # "giai đoạn I (2026-2028)"
    years_text: str
    collective: int
    individual: int  # every award that is not a collective's (individuals and households)
    households: int
    total: int
    groups: tuple[AwardGroup, ...]
    signer: Signer
    grounds: tuple[Ground, ...]
    proposer: str
    awards_text: str


@dataclass(frozen=True)
class PhaseMinutesContext:
    """Biên bản họp Hội đồng Thi đua - Khen thưởng on the awards at the end of a phase (Mẫu 1.9): the phase's
    candidates put to the vote, ``score`` their unit's mean over the phase, ``rating`` its results year by year."""

    office: Office
    paper: Paper
    issuer: Issuer
    report: Paper  # the phase's report, presented at the meeting
    phase: int
    roman: str
    kind: str  # "sơ kết" | "tổng kết"
    period: str
    years_text: str
    scope: str
    date_text: str
    chair: Signer
    secretary: Signer
    members: tuple[Member, ...]
    year_lines: tuple[YearLine, ...]
    candidates: tuple[Candidate, ...]
    not_proposed: tuple[Candidate, ...]
    provisional: bool


@dataclass(frozen=True)
class RecognitionGroup:
    title: str  # "Mô hình", "Điển hình"
    roman: str
    entries: tuple[RecognisedModel, ...]


@dataclass(frozen=True)
class RecognitionContext:
    """Quyết định công nhận mô hình, điển hình “Dân vận khéo” of one year (the commune chairman)."""

    office: Office
    paper: Paper
    year: int
    signer: Signer
    grounds: tuple[Ground, ...]
    proposer: str
    models: tuple[RecognisedModel, ...]
    exemplars: tuple[RecognisedModel, ...]
    groups: tuple[RecognitionGroup, ...]
    models_count: int
    exemplars_count: int
    counts_text: str  # "12 mô hình và 4 điển hình"


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return context_text(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_clean(v) for v in value)
    return value


def as_context(value: Any) -> dict[str, Any]:
    """The Jinja context of a document value: nested plain dicts and lists, every text made safe for docxtpl
    (``marks.context_text``: line breaks kept, docxtpl's escapes in unit text protected)."""
    return typing.cast(dict[str, Any], _clean(dataclasses.asdict(value)))
