"""What a document template can print: plain frozen values, every number already formatted as text.

The caller (``sync.documents``) fills these from the same computation as the master; a template reads
them with Jinja placeholders (``{{ paper.number }}``, ``{%tr for u in units %}`` … ``{{ u.total }}``).
The placeholders a template may use are exactly the fields below (``template_fields``), so a misspelt
one is reported before anything is written.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AwardGroup",
    "AwardLine",
    "CountLine",
    "CriterionLine",
    "DecisionContext",
    "ExemplarLine",
    "FieldLine",
    "FieldYearModels",
    "Ineligible",
    "ModelLine",
    "ModelStats",
    "NoteLine",
    "Office",
    "Paper",
    "PeopleLine",
    "PhaseContext",
    "ProposalLine",
    "RatingLine",
    "ReportContext",
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
    council: str  # "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG"
    chairman: str
    council_chair: str
    preparer: str
    national_heading: str
    motto: str


@dataclass(frozen=True)
class Paper:
    """This document's number, date and recipients (``[documents]``)."""

    number: str  # "15/BC-UBND" or "…/BC-UBND"
    date_line: str  # "Cao Minh, ngày 05 tháng 01 năm 2027"
    date: str  # "ngày 05 tháng 01 năm 2027"
    recipients: tuple[str, ...]  # "- Đảng ủy, HĐND xã;" … "- Lưu: VT."


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


@dataclass(frozen=True)
class PhaseContext:
    """Báo cáo sơ kết (phase 1) / tổng kết (phase 2)."""

    office: Office
    paper: Paper
    phase: int
    roman: str  # "I", "II"
    kind: str  # "sơ kết", "tổng kết"
    kind_upper: str
    years_text: str  # "2026–2028"
    years: tuple[int, ...]
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
    households: int = 0  # of ``individual``, the households (hộ gia đình)


def as_context(value: Any) -> dict[str, Any]:
    """The Jinja context of a document value: nested plain dicts and lists."""
    return dataclasses.asdict(value)
