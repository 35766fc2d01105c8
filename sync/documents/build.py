"""The council's documents from the ledger: the same unit results as the master, then rendered to .docx.

    build_contexts(settings, ledger, year=…, phase=…, kinds=…) -> Plan
    write_documents(settings, ledger, out, …, final=False, pdf=False) -> DocumentsResult

Figures come from ``master_input`` → ``workbook.master.compute`` exactly as the master's; for a year the
appraisal values staff typed into the existing master are read (not stored) so the documents agree with
what the master shows. Every template is checked and every document rendered before the first file is
written: a broken template writes nothing.

Numbers and dates are per document, year and phase (``[documents.<year>]``, ``[documents.phase1]``; the
``[documents]`` keys are those of ``[commune] year``): ``papers``. A document is a draft, marked "DỰ THẢO", while anything
is missing: a value not configured (a highlighted "…"), a placeholder of the template, a provisional or
not yet appraised result, a date before the evaluated period ends, a number another document has. With
``final`` nothing is written while any document is a draft.

Every document states every unit's status (còn hạn, trễ hạn, chưa nộp) at its own date, or at ``today`` (the day
it is made) when that date is blank: "còn hạn" is never the machine's clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas import ModelStatus, Rating, Unit
from schemas.errors import DvkError
from schemas.forms import PROPOSAL_KINDS
from schemas.office import official_date
from schemas.text import fold
from workbook.documents import (
    TEMPLATE_CONTEXTS,
    AwardGroup,
    AwardLine,
    Candidate,
    DecisionContext,
    Ineligible,
    LegalText,
    Member,
    MinutesContext,
    NoLibreOffice,
    NoteLine,
    PhaseContext,
    PhaseDecisionContext,
    PhaseLine,
    PhaseMinutesContext,
    PhaseRankLine,
    PhaseSubmissionContext,
    ProposalLine,
    RecognisedModel,
    RecognitionContext,
    RecognitionGroup,
    ReportContext,
    SubmissionContext,
    TrendLine,
    YearCell,
    YearLine,
    check,
    font_warning,
    load_grounds,
    load_template,
    render_document,
    save,
    to_pdf,
    vn_points,
)
from workbook.master import MasterInput, Source, UnitResult, compute, read_staff_edits
from workbook.master.labels import timely
from workbook.master.phase import (
    CONVENTION,
    COUNTED_YEARS,
    NO_DATA,
    SPECS,
    award_period,
    award_scope,
    phase_groups,
    trend,
)
from workbook.master.phase_awards import NOMINATIONS_NOTE, PhaseCandidate, PhaseCandidateList, phase_candidates

from ..config import Settings
from ..config.settings import DOCUMENT_PREFIXES, PHASE_KINDS
from ..ledger import Ledger
from ..reporting import master_input
from . import data as d
from .papers import (
    config_key,
    config_warnings,
    date_text,
    grounds,
    issuer,
    office,
    paper,
    paper_problems,
    phase_paper,
    phase_problems,
    plan_ground,
    signer,
)

__all__ = [
    "KINDS", "PHASE_KINDS", "STALE_MASTER", "DocumentsResult", "Draft", "PhaseResults", "Plan", "Planned", "YearResults",
    "build_contexts", "document_date", "output_name", "phase_results", "write_documents", "year_results",
]

#: The document kinds of ``dvk docs --kind``, in the order of the commendation file.
KINDS = ("bao-cao", "bien-ban", "to-trinh", "quyet-dinh", "cong-nhan")

_ROMAN = {1: "I", 2: "II", 3: "III"}
STALE_MASTER = (
    "Tệp tổng hợp năm {year} có điểm thẩm định mới làm thay đổi xếp loại hoặc xếp hạng: văn bản đã tính theo "
    "điểm đó; chạy dvk report --year {year} để tệp Excel xếp loại lại cho khớp."
)


@dataclass(frozen=True)
class Planned:
    """One document to write: its template name, the context, the output file name; ``problems``: what keeps it
    a draft besides its blanks and placeholders (Vietnamese)."""

    template: str
    context: Any
    filename: str
    notes: tuple[str, ...] = ()  # what the user should know (Vietnamese)
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    documents: tuple[Planned, ...]
    notes: tuple[str, ...] = ()  # documents not made and why; warnings on the configuration


@dataclass(frozen=True)
class Draft:
    path: Path
    missing: tuple[str, ...]


@dataclass(frozen=True)
class DocumentsResult:
    written: tuple[Path, ...]
    pdfs: tuple[Path, ...] = ()
    messages: tuple[str, ...] = ()
    pdf_missing: bool = False  # PDF asked for, LibreOffice absent
    drafts: tuple[Draft, ...] = ()  # written, marked "DỰ THẢO", with what is missing
    pdf_failed: tuple[tuple[Path, str], ...] = ()
    refused: tuple[Draft, ...] = ()  # --final: not written, with what is missing
    warnings: tuple[str, ...] = field(default_factory=tuple)


def output_name(kind: str, *, year: int | None = None, phase: int | None = None) -> str:
    if phase is not None:
        return {
            "bao-cao": f"{'so-ket' if phase == 1 else 'tong-ket'}-dan-van-kheo-giai-doan-{phase}.docx",
            "bien-ban": f"bien-ban-hop-hoi-dong-giai-doan-{phase}.docx",
            "to-trinh": f"to-trinh-khen-thuong-giai-doan-{phase}.docx",
            "quyet-dinh": f"quyet-dinh-khen-thuong-giai-doan-{phase}.docx",
        }[kind]
    return {
        "bao-cao": f"bao-cao-dan-van-kheo-{year}.docx",
        "bien-ban": f"bien-ban-hop-hoi-dong-{year}.docx",
        "to-trinh": f"to-trinh-khen-thuong-{year}.docx",
        "quyet-dinh": f"quyet-dinh-khen-thuong-{year}.docx",
        "cong-nhan": f"quyet-dinh-cong-nhan-mo-hinh-{year}.docx",
    }[kind]


def _unit_problems(results: Sequence[UnitResult]) -> tuple[str, ...]:
    """Results that are not final: provisional (errors), resubmitted after the appraisal, still open."""
    def names(rs: Sequence[UnitResult]) -> str:
        shown = ", ".join(r.row.unit.name for r in rs[:6])
        return shown + (f" và {len(rs) - 6} đơn vị khác" if len(rs) > 6 else "")

    out = []
    provisional = [r for r in results if d.is_provisional(r)]
    again = [r for r in results if r.row.resubmitted_after_appraisal]
    pending = [r for r in results if r.row.status == "pending"]
    held = [r for r in results if r.row.status == "held"]
    if provisional:
        out.append(f"kết quả còn tạm tính: {len(provisional)} đơn vị có phiếu còn lỗi chưa sửa hoặc chưa thẩm định "
                   f"({names(provisional)})")
    if again:
        out.append(f"{len(again)} đơn vị gửi lại phiếu sau khi đã thẩm định, Hội đồng cần xem lại ({names(again)})")
    if pending:
        out.append(f"{len(pending)} đơn vị chưa nộp phiếu và còn hạn nộp ({names(pending)})")
    if held:
        out.append(f"{len(held)} đơn vị có phiếu đang chờ cán bộ xác nhận (dvk intake release) ({names(held)})")
    return tuple(out)


# -- the year ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearResults:
    """One year as the master computes it, with the appraisals typed into the existing master file."""

    data: MasterInput
    results: tuple[UnitResult, ...]
    stale: bool  # the master holds appraisals that change ratings or ranks: its own cells update on `dvk report`


def year_results(settings: Settings, ledger: Ledger, year: int, *, as_of: dt.date | None = None,
                 now: dt.datetime | None = None) -> YearResults:
    """The year as the master computes it, with every status stated at ``as_of`` (a document's date; default: the
    local date of ``now``, itself the time of the call)."""
    when = now or dt.datetime.now().astimezone()
    data = master_input(settings, ledger, year, now=when, as_of=as_of)
    staff = read_staff_edits(settings.master_path(year), data.rubric)
    results = compute(data, staff)
    stored = {r.code: (r.rating, r.rank) for r in compute(data)} if staff.units else {}
    stale = any(stored.get(r.code, (r.rating, r.rank)) != (r.rating, r.rank) for r in results)
    return YearResults(data, results, stale)


def _quota(settings: Settings, results: Sequence[UnitResult]) -> str:
    preset = settings.preset()
    if preset.htxs_quota_percent is None:
        return ""
    dropped = sum(1 for r in results if any(x.startswith("Vượt hạn mức") for x in r.reasons))
    text = (f"Số đơn vị Hoàn thành xuất sắc nhiệm vụ không quá "
            f"{vn_points(preset.htxs_quota_percent).removesuffix(',00')}% số đơn vị Hoàn thành tốt nhiệm vụ")
    return text + (f"; {dropped} đơn vị đủ điểm xuất sắc được xếp Hoàn thành tốt do vượt hạn mức." if dropped else ".")


def _shortfalls(data: Any, results: Sequence[UnitResult]) -> tuple[str, ...]:
    def names(rs: Sequence[UnitResult]) -> str:
        return ", ".join(r.row.unit.name for r in rs)

    out = []
    missing = [r for r in results if r.card is None and r.row.status in ("missing", "unchanged", "invalid")]
    pending = [r for r in results if r.card is None and r.row.status == "pending"]
    held = [r for r in results if r.card is None and r.row.status == "held"]
    unreadable = [r for r in results if r.card is None and r.row.status == "error"]
    late = [r for r in results if r.card is not None and timely(r.row, data.deadline) is False]
    errors = [r for r in results if r.row.error_count]
    failed = [r for r in results if r.card is not None and r.rating is Rating.KHT]
    if missing:
        out.append(f"{len(missing)} đơn vị không nộp phiếu tự đánh giá: {names(missing)}.")
    if pending:
        out.append(f"{len(pending)} đơn vị chưa nộp phiếu tự đánh giá (còn hạn đến ngày {data.deadline:%d/%m/%Y}): "
                   f"{names(pending)}.")
    if held:
        out.append(f"{len(held)} đơn vị có phiếu đang chờ xác nhận (mã và tên đơn vị trong tệp không khớp), chưa xếp "
                   f"loại: {names(held)}.")
    if unreadable:
        out.append(f"{len(unreadable)} đơn vị gửi tệp không đọc được, chưa xếp loại: {names(unreadable)}.")
    if late:
        out.append(f"{len(late)} đơn vị nộp phiếu trễ hạn: {names(late)}.")
    if errors:
        out.append(f"{len(errors)} phiếu còn lỗi chưa sửa: {names(errors)}.")
    if failed:
        out.append(f"{len(failed)} đơn vị có phiếu nhưng xếp loại Không hoàn thành nhiệm vụ: {names(failed)}.")
    return tuple(out)


@dataclass(frozen=True)
class _Year:
    """What the documents of one year share."""

    settings: Settings
    year: int
    computed: YearResults
    texts: tuple[LegalText, ...]

    @property
    def results(self) -> tuple[UnitResult, ...]:
        return self.computed.results


def annual_report(y: _Year) -> ReportContext:
    settings, year, data, results = y.settings, y.year, y.computed.data, y.results
    rubric = data.rubric
    done = d.scored(results)
    on_time = sum(1 for r in done if timely(r.row, data.deadline) is True)
    late = sum(1 for r in done if timely(r.row, data.deadline) is False)
    strongest, weakest = d.criterion_lines(rubric, results)
    return ReportContext(
        office=office(settings), paper=paper(settings, "bao-cao", year), year=year, next_year=year + 1,
        units_total=len(results), submitted=len(done), on_time=on_time, late=late,
        missing=sum(1 for r in results if r.card is None and r.row.status in ("missing", "pending", "unchanged", "invalid")),
        with_errors=sum(1 for r in results if r.row.error_count),
        kinds=d.kind_lines(results), average=vn_points(d.average([r.total for r in done if r.total is not None]), "–"),
        fields=d.field_lines(rubric, results), strongest=strongest, weakest=weakest,
        people=d.people_lines(rubric, results), models=d.model_stats([(year, results)]),
        ratings=d.rating_lines(results), quota=_quota(settings, results), shortfalls=_shortfalls(data, results),
        units=d.unit_lines(results, data.deadline), model_list=d.model_lines([(year, results)]),
        exemplar_list=d.exemplar_lines([(year, results)]), provisional=any(d.is_provisional(r) for r in results),
        signer=signer(settings, "bao-cao"), plan=plan_ground(settings, y.texts),
    )


def _is_upward(form: str) -> bool:
    return "bằng khen" in form.lower()


def _proposer(settings: Settings) -> str:
    return issuer(settings, "to-trinh").running


def submission(y: _Year) -> SubmissionContext:
    """The tờ trình: the council's candidates (``workbook.master.candidates``), not only the units' own
    nominations: the eligible units of the ranking, the outstanding models and exemplars, the nominations."""
    settings, year, results = y.settings, y.year, y.results
    quota = settings.awards.giay_khen_quota
    listed = d.candidate_list(results, quota)
    proposed = listed.proposed
    eligible_units = [r for r in results if d.is_eligible(r)]
    collective = sum(1 for c in proposed if c.kind == "Tập thể")
    individual = sum(1 for c in proposed if c.kind == "Cá nhân")
    households = sum(1 for c in proposed if c.kind == "Hộ gia đình")
    kinds = d.counted([(collective, "tập thể"), (individual, "cá nhân"), (households, "hộ gia đình")], last=", ")
    giay_khen = sum(1 for c in proposed if not c.upward)
    bang_khen = len(proposed) - giay_khen
    forms = "; ".join(t for t in (
        f"tặng Giấy khen của Chủ tịch Ủy ban nhân dân xã {giay_khen} trường hợp" if giay_khen else "",
        f"đề nghị Chủ tịch Ủy ban nhân dân tỉnh tặng Bằng khen {bang_khen} trường hợp" if bang_khen else "",
    ) if t)
    return SubmissionContext(
        office=office(settings), paper=paper(settings, "to-trinh", year), report=paper(settings, "bao-cao", year),
        year=year, units_total=len(results), ratings=d.rating_lines(results), eligible_units=len(eligible_units),
        ranking=d.unit_lines(eligible_units, y.computed.data.deadline), proposals_total=len(proposed),
        collective=collective, individual=individual, giay_khen=giay_khen, bang_khen=bang_khen,
        ineligible=d.refused_lines(listed), notes=tuple(NoteLine(r.row.unit.name, r.note) for r in results if r.note),
        quota=_quota(settings, results), proposals=d.proposal_lines(listed),
        provisional=any(d.is_provisional(r) for r in results),
        signer=signer(settings, "to-trinh"), issuer=issuer(settings), grounds=grounds(settings, "to-trinh", y.texts),
        minutes=paper(settings, "bien-ban", year),
        proposals_text=f"{len(proposed)} trường hợp ({kinds})" if proposed else "0 trường hợp", forms_text=forms,
        households=households, beyond_quota=d.beyond_lines(listed),
        giay_khen_quota="" if quota is None else str(quota),
    )


def decision(y: _Year) -> DecisionContext:
    settings, year, results = y.settings, y.year, y.results
    awards = [c for c in d.candidate_list(results, settings.awards.giay_khen_quota).proposed if not c.upward]
    default = f"Đã có thành tích xuất sắc trong Phong trào thi đua “Dân vận khéo” năm {year}"
    groups: list[AwardGroup] = []
    for kind in PROPOSAL_KINDS:
        items = [c for c in awards if c.kind == kind]
        if items:
            groups.append(AwardGroup(title=kind, roman=_ROMAN.get(len(groups) + 1, str(len(groups) + 1)), awards=tuple(
                AwardLine(number=i, subject=c.subject, unit=c.unit_name, achievements=c.achievements or default)
                for i, c in enumerate(items, 1)
            )))
    collective = sum(1 for c in awards if c.kind == "Tập thể")
    households = sum(1 for c in awards if c.kind == "Hộ gia đình")
    individual = len(awards) - collective  # households included (``DecisionContext.households``)
    return DecisionContext(
        office=office(settings), paper=paper(settings, "quyet-dinh", year), submission=paper(settings, "to-trinh", year),
        year=year, collective=collective, individual=individual, total=len(awards), groups=tuple(groups),
        signer=signer(settings, "quyet-dinh"), grounds=grounds(settings, "quyet-dinh", y.texts),
        proposer=_proposer(settings), households=households,
        awards_text=d.counted([(collective, "tập thể"), (individual - households, "cá nhân"),
                               (households, "hộ gia đình")]),
    )


def _members(settings: Settings) -> tuple[Member, ...]:
    configured = settings.documents.council_members
    if configured:
        return tuple(Member(i, name) for i, name in enumerate(configured, 1))
    return tuple(Member(i, "") for i in range(1, 8))  # lines to fill by hand


def minutes(y: _Year) -> MinutesContext:
    """The council's meeting: every candidate of the list (``workbook.master.candidates``) put to the vote, with
    its source, score and rating; those dvk refuses are listed apart with the real cause."""
    settings, year, results = y.settings, y.year, y.results
    listed = d.candidate_list(results, settings.awards.giay_khen_quota)
    voted = [c for c in listed if c.eligible]
    candidates = tuple(
        Candidate(number=i, name=c.subject, kind=c.kind, unit=c.unit_name, source=c.source_text,
                  score=vn_points(c.total), rating=c.rating.label, form=c.form,
                  reason="; ".join(p for p in (c.verdict, c.quota_note) if p))
        for i, c in enumerate(voted, 1)
    )
    not_proposed = tuple(
        Candidate(number=i, name=c.subject, kind=c.kind, unit=c.unit_name, source=c.source_text, score="", rating="",
                  form="", reason=c.reason.removeprefix("Không đủ điều kiện: "))
        for i, c in enumerate(listed.refused, 1)
    )
    papers = settings.papers(year)
    return MinutesContext(
        office=office(settings), paper=paper(settings, "bien-ban", year), issuer=issuer(settings, "bien-ban"),
        report=paper(settings, "bao-cao", year),
        year=year, date_text=date_text(papers.minutes_date, f"ngày họp Hội đồng ({config_key(settings, year, 'minutes_date')})"),
        chair=signer(settings, "bien-ban"), secretary=signer(settings, "thu-ky"), members=_members(settings),
        units_total=len(results), ratings=d.rating_lines(results), candidates=candidates, not_proposed=not_proposed,
        provisional=any(d.is_provisional(r) for r in results),
    )


_RECOGNISED = {ModelStatus.RECOGNISED, ModelStatus.OUTSTANDING, ModelStatus.PROPOSED}


def _commune_level(level: str) -> bool:
    return fold(level) in ("xa", "cap xa")


def recognised(results: Sequence[UnitResult]) -> tuple[tuple[RecognisedModel, ...], tuple[RecognisedModel, ...]]:
    """The models and exemplars of the year's submissions the commune recognises: recognition level "Xã", or a
    model whose status says recognised with no level given (a province-level one is the province's)."""
    models: list[RecognisedModel] = []
    exemplars: list[RecognisedModel] = []
    for r in results:
        sub = r.row.submission
        if sub is None:
            continue
        for m in sub.models:
            if _commune_level(m.recognition_level) or (not m.recognition_level and m.status in _RECOGNISED):
                models.append(RecognisedModel(
                    number=len(models) + 1, kind="Mô hình", name=m.name, subject=m.kind, unit=r.row.unit.name,
                    field=d.spelled(m.field), level="Xã", decision_number=m.decision_no,
                    decision_date=official_date(m.decision_date) if m.decision_date else ""))
        for e in sub.exemplars:
            if _commune_level(e.recognition_level):
                exemplars.append(RecognisedModel(
                    number=len(exemplars) + 1, kind="Điển hình", name=e.name, subject=e.kind, unit=r.row.unit.name,
                    field=d.spelled(e.field), level="Xã", decision_number=e.decision_no,
                    decision_date=official_date(e.decision_date) if e.decision_date else ""))
    return tuple(models), tuple(exemplars)


def recognition(y: _Year) -> RecognitionContext:
    settings, year = y.settings, y.year
    models, exemplars = recognised(y.results)
    groups = tuple(RecognitionGroup(title, _ROMAN[i], items) for i, (title, items) in enumerate(
        ((t, it) for t, it in (("Mô hình", models), ("Điển hình", exemplars)) if it), 1))
    return RecognitionContext(
        office=office(settings), paper=paper(settings, "cong-nhan", year), year=year,
        signer=signer(settings, "cong-nhan"), grounds=grounds(settings, "cong-nhan", y.texts), proposer=_proposer(settings),
        models=models, exemplars=exemplars, groups=groups, models_count=len(models), exemplars_count=len(exemplars),
        counts_text=d.counted([(len(models), "mô hình"), (len(exemplars), "điển hình")]),
    )


# -- the phase --------------------------------------------------------------------------------------------


def phase_report(settings: Settings, ledger: Ledger, phase: int, texts: Sequence[LegalText] = (), *,
                 today: dt.date | None = None, now: dt.datetime | None = None) -> PhaseContext:
    """The sơ kết / tổng kết: the same results as the phase workbook (``reporting.write_phase``), every status
    stated at the report's date (or ``today``). The tổng kết covers the movement 2026–2030 with giai đoạn II in
    detail; totals across phases count each year once (``workbook.master.phase.CONVENTION``)."""
    spec = SPECS[phase]
    years = spec.years
    present = set(ledger.years())
    when = now or dt.datetime.now().astimezone()
    stated = settings.documents.phase_papers(phase).report_date or today or when.date()
    data = {y: master_input(settings, ledger, y, now=when, as_of=stated) for y in years if y in present}
    if not data:
        raise DvkError(f"Sổ lưu trữ chưa có dữ liệu năm nào của giai đoạn {phase} ({years[0]}–{years[-1]}). Chạy dvk sync trước.")
    results = {y: compute(x) for y, x in data.items()}
    by_year = [(y, results[y]) for y in years if y in results]
    rubric = data[max(data)].rubric
    units: dict[str, Unit] = {}
    for y in sorted(data, reverse=True):
        for row in data[y].units:
            units.setdefault(row.code, row.unit)
    index = {y: {r.code: r for r in rs} for y, rs in results.items()}
    trends, improved, declined = [], 0, 0
    for i, unit in enumerate(units.values(), 1):
        cells, totals = [], []
        for y in years:
            res = index.get(y, {}).get(unit.code)
            if y in spec.detail_years:
                if y not in index:
                    cells.append(YearCell(y, "–", NO_DATA))
                elif res is None:
                    cells.append(YearCell(y, "–", "Không có trong danh sách"))
                else:
                    cells.append(YearCell(y, vn_points(res.total, "–"), res.rating.value if res.rated else "–"))
            totals.append(res.total if res is not None else None)
        arrow, diff = trend(totals)
        improved += diff is not None and diff > 0
        declined += diff is not None and diff < 0
        trends.append(TrendLine(i, unit.code, unit.name, tuple(cells), arrow, vn_points(diff)))
    lines = [_year_line(rubric, y, results) for y in years]
    groups = phase_groups(years)
    if len(groups) > 1:
        groups.append((f"Cả giai đoạn {spec.years_text}", years))
    every = [r for _, rs in by_year for r in rs]
    return PhaseContext(
        office=office(settings), paper=phase_paper(settings, phase), phase=phase, roman=spec.roman, kind=spec.kind,
        kind_upper=spec.kind.upper(), years_text=spec.years_text, years=spec.detail_years,
        missing_years=", ".join(str(y) for y in years if y not in results), year_lines=tuple(lines),
        fields=d.field_lines(rubric, every), trends=tuple(trends), improved=improved, declined=declined,
        models=d.model_stats(by_year),
        models_by_field_year=tuple(m for y, rs in by_year for m in d.field_year_models(y, rs)),
        model_list=d.model_lines(by_year), exemplar_list=d.exemplar_lines(by_year),
        period=spec.period, period_lower=spec.period[0].lower() + spec.period[1:], convention=CONVENTION,
        trend_text=spec.years_text, phase_lines=tuple(_phase_line(name, ys, results) for name, ys in groups),
        signer=signer(settings, "bao-cao"), plan=plan_ground(settings, texts),
    )


def _year_line(rubric: Any, y: int, results: Mapping[int, Sequence[UnitResult]]) -> YearLine:
    """One year of a phase ("Chưa có dữ liệu" when ``results`` has none of it)."""
    rs = results.get(y, ())
    done = d.scored(rs)
    return YearLine(
        year=y, has_data=y in results, units_total=len(rs), submitted=len(done),
        average=vn_points(d.average([r.total for r in done if r.total is not None]), "–"),
        htxs=_rated(rs, Rating.HTXS), htt=_rated(rs, Rating.HTT), ht=_rated(rs, Rating.HT), kht=_rated(rs, Rating.KHT),
        models=sum(len(r.row.submission.models) for r in rs if r.row.submission),
        recognised=d.model_stats([(y, rs)]).recognised, replicated=d.model_stats([(y, rs)]).replicated,
        exemplars=sum(len(r.row.submission.exemplars) for r in rs if r.row.submission),
        satisfaction=d.yearly_rate(rubric, rs, satisfaction=True),
        petitions=d.yearly_rate(rubric, rs, satisfaction=False),
    )


def _rated(results: Sequence[UnitResult], rating: Rating) -> int:
    return sum(1 for r in results if r.rated and r.rating is rating)


def _phase_line(name: str, years: Sequence[int], results: dict[int, tuple[UnitResult, ...]]) -> PhaseLine:
    """A subtotal over ``years`` in "lượt": each year once, the units of every year with data added up."""
    rs = [r for y in years if y in results for r in results[y]]
    done = d.scored(rs)
    stats = d.model_stats([(y, results[y]) for y in years if y in results])
    return PhaseLine(
        name=name, years_text=f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0]), unit_years=len(rs),
        submitted=len(done), average=vn_points(d.average([r.total for r in done if r.total is not None]), "–"),
        htxs=_rated(rs, Rating.HTXS), htt=_rated(rs, Rating.HTT), ht=_rated(rs, Rating.HT), kht=_rated(rs, Rating.KHT),
        models=stats.registered, recognised=stats.recognised, replicated=stats.replicated, exemplars=stats.exemplars,
    )


# -- the phase's awards -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseResults:
    """The years a phase's awards weigh (``COUNTED_YEARS``) as the phase workbook computes them, and the candidates."""

    settings: Settings
    phase: int
    years: tuple[int, ...]  # the years the phase counts, with or without data
    data: dict[int, MasterInput]
    results: dict[int, tuple[UnitResult, ...]]
    listed: PhaseCandidateList
    texts: tuple[LegalText, ...]
    rubric: Any

    @property
    def period(self) -> str:
        return award_period(self.phase)

    @property
    def years_text(self) -> str:
        return f"{self.years[0]}-{self.years[-1]}"

    @property
    def provisional(self) -> bool:
        return any(d.is_provisional(r) for rs in self.results.values() for r in rs)

    def problems(self) -> tuple[str, ...]:
        """What keeps the phase's award documents drafts in its results: a year without data, a year's results
        not final (provisional, resubmitted, pending, held)."""
        out = [f"chưa có dữ liệu năm {y} của {self.period}" for y in self.years if y not in self.results]
        for y, rs in sorted(self.results.items()):
            out += [f"năm {y}: {p}" for p in _unit_problems(rs)]
        return tuple(out)


def phase_results(settings: Settings, ledger: Ledger, phase: int, texts: Sequence[LegalText] = (), *,
                  as_of: dt.date | None = None, now: dt.datetime | None = None) -> PhaseResults:
    """The phase's counted years from the ledger (every status at ``as_of``) and the council's candidates over them
    (``workbook.master.phase_awards``), ``[awards] phase_giay_khen_quota`` Giấy khen at most."""
    years = COUNTED_YEARS[phase]
    present = set(ledger.years())
    when = now or dt.datetime.now().astimezone()
    data = {y: master_input(settings, ledger, y, now=when, as_of=as_of) for y in years if y in present}
    if not data:
        raise DvkError(f"Sổ lưu trữ chưa có dữ liệu năm nào của {award_period(phase)} để xét khen thưởng. Chạy dvk sync "
                       "trước.")
    results = {y: compute(x) for y, x in data.items()}
    register = data[max(data)].register
    listed = phase_candidates(results, years, register, quota=settings.awards.phase_giay_khen_quota)
    return PhaseResults(settings, phase, years, data, results, listed, tuple(texts), data[max(data)].rubric)


def _htxs_text(c: PhaseCandidate) -> str:
    """A unit's results over the phase in words: "3 năm Hoàn thành xuất sắc nhiệm vụ" (zero parts left out)."""
    codes = [code for _, _, code in c.standing.totals] if c.standing is not None else []
    return d.counted([(codes.count(r.value), f"năm {r.label}") for r in Rating], last=", ")


def _phase_proposals(listed: PhaseCandidateList) -> tuple[ProposalLine, ...]:
    def line(i: int, c: PhaseCandidate) -> ProposalLine:
        note = "; ".join(p for p in (c.quota_note, c.council) if p)
        achievements = c.achievements or (_htxs_text(c) if c.is_unit else "")
        return ProposalLine(
            number=i, subject=c.subject, kind=c.kind, unit=c.unit_name, form=c.form, achievements=achievements,
            model="; ".join(c.models), total=vn_points(c.average), rating=c.results_text, rank=str(c.rank or ""),
            source=c.source_text, female="" if c.female is None else ("Có" if c.female else "Không"), note=note,
        )

    return tuple(line(i, c) for i, c in enumerate(listed.proposed, 1))


def _reason(text: str) -> str:
    return text.removeprefix("Không đủ điều kiện: ")


def phase_submission(p: PhaseResults) -> PhaseSubmissionContext:
    """The tờ trình at the end of a phase: the units eligible over it by their mean total, the models and
    exemplars of the register that reached the phase's awards, the refused with the year that stops them."""
    settings, phase, listed = p.settings, p.phase, p.listed
    proposed = listed.proposed
    collective = sum(1 for c in proposed if c.kind == "Tập thể")
    individual = sum(1 for c in proposed if c.kind == "Cá nhân")
    households = sum(1 for c in proposed if c.kind == "Hộ gia đình")
    kinds = d.counted([(collective, "tập thể"), (individual, "cá nhân"), (households, "hộ gia đình")], last=", ")
    quota = settings.awards.phase_giay_khen_quota
    spec = SPECS[phase]
    ranking = tuple(
        PhaseRankLine(number=i, rank=str(s.rank or ""), code=s.code, name=s.name, average=vn_points(s.average),
                      years_rated=s.years_rated, years_htxs=s.years_htxs, results=s.results_text)
        for i, s in enumerate(listed.eligible_units, 1))
    return PhaseSubmissionContext(
        office=office(settings), paper=phase_paper(settings, phase, "to-trinh"),
        report=phase_paper(settings, phase, "bao-cao"), minutes=phase_paper(settings, phase, "bien-ban"),
        phase=phase, roman=spec.roman, kind=spec.kind, period=p.period, years_text=p.years_text,
        scope=award_scope(phase), year_lines=tuple(_year_line(p.rubric, y, p.results) for y in p.years),
        eligible_units=len(ranking), ranking=ranking, proposals=_phase_proposals(listed), proposals_total=len(proposed),
        proposals_text=f"{len(proposed)} trường hợp ({kinds})" if proposed else "0 trường hợp",
        collective=collective, individual=individual, households=households,
        ineligible=tuple(Ineligible(c.subject, c.unit_name, _reason(c.reason)) for c in listed.refused),
        beyond_quota=tuple(Ineligible(c.subject, c.unit_name, c.quota_note) for c in listed.beyond_quota),
        giay_khen_quota="" if quota is None else str(quota), nominations=NOMINATIONS_NOTE, provisional=p.provisional,
        signer=signer(settings, "to-trinh"), issuer=issuer(settings), grounds=grounds(settings, "to-trinh", p.texts),
    )


def phase_decision(p: PhaseResults) -> PhaseDecisionContext:
    settings, phase = p.settings, p.phase
    awards = p.listed.proposed
    default = f"Đã có thành tích xuất sắc trong Phong trào thi đua “Dân vận khéo” {p.period}"
    groups: list[AwardGroup] = []
    for kind in PROPOSAL_KINDS:
        items = [c for c in awards if c.kind == kind]
        if items:
            groups.append(AwardGroup(title=kind, roman=_ROMAN.get(len(groups) + 1, str(len(groups) + 1)), awards=tuple(
                AwardLine(number=i, subject=c.subject, unit=c.unit_name,
                          achievements=c.achievements if c.achievements and c.sources == (Source.EXEMPLAR,) else default)
                for i, c in enumerate(items, 1)
            )))
    collective = sum(1 for c in awards if c.kind == "Tập thể")
    households = sum(1 for c in awards if c.kind == "Hộ gia đình")
    individual = len(awards) - collective
    return PhaseDecisionContext(
        office=office(settings), paper=phase_paper(settings, phase, "quyet-dinh"),
        submission=phase_paper(settings, phase, "to-trinh"), phase=phase, roman=SPECS[phase].roman, period=p.period,
        years_text=p.years_text, collective=collective, individual=individual, households=households, total=len(awards),
        groups=tuple(groups), signer=signer(settings, "quyet-dinh"), grounds=grounds(settings, "quyet-dinh", p.texts),
        proposer=_proposer(settings),
        awards_text=d.counted([(collective, "tập thể"), (individual - households, "cá nhân"), (households, "hộ gia đình")]),
    )


def phase_minutes(p: PhaseResults) -> PhaseMinutesContext:
    settings, phase, listed = p.settings, p.phase, p.listed
    voted = [c for c in listed if c.eligible]
    candidates = tuple(
        Candidate(number=i, name=c.subject, kind=c.kind, unit=c.unit_name, source=c.source_text,
                  score=vn_points(c.average), rating=c.results_text, form=c.form,
                  reason="; ".join(x for x in (c.verdict, c.quota_note) if x))
        for i, c in enumerate(voted, 1))
    not_proposed = tuple(
        Candidate(number=i, name=c.subject, kind=c.kind, unit=c.unit_name, source=c.source_text, score="", rating="",
                  form="", reason=_reason(c.reason))
        for i, c in enumerate(listed.refused, 1))
    papers = settings.documents.phase_papers(phase)
    spec = SPECS[phase]
    return PhaseMinutesContext(
        office=office(settings), paper=phase_paper(settings, phase, "bien-ban"), issuer=issuer(settings, "bien-ban"),
        report=phase_paper(settings, phase, "bao-cao"), phase=phase, roman=spec.roman, kind=spec.kind, period=p.period,
        years_text=p.years_text, scope=award_scope(phase),
        date_text=date_text(papers.minutes_date,
                            f"ngày họp Hội đồng ({config_key(settings, None, 'minutes_date', phase)})"),
        chair=signer(settings, "bien-ban"), secretary=signer(settings, "thu-ky"), members=_members(settings),
        year_lines=tuple(_year_line(p.rubric, y, p.results) for y in p.years), candidates=candidates,
        not_proposed=not_proposed, provisional=p.provisional,
    )


def _phase_plan(settings: Settings, ledger: Ledger, phase: int, kinds: Sequence[str], texts: tuple[LegalText, ...],
                day: dt.date, now: dt.datetime) -> Plan:
    """The documents of a phase: the sơ kết / tổng kết report and the phase's commendation file, each stating every
    status at its own date (``day`` when blank)."""
    papers = settings.documents.phase_papers(phase)
    builders: dict[str, Callable[[PhaseResults], Any]] = {
        "bien-ban": phase_minutes, "to-trinh": phase_submission, "quyet-dinh": phase_decision,
    }
    shared: dict[dt.date, PhaseResults] = {}
    planned: list[Planned] = []
    skipped = list(config_warnings(settings, [k for k in kinds if k != "bao-cao"], phase=phase))
    wanted = [k for k in PHASE_KINDS if k in kinds]
    if "bao-cao" in wanted and not set(COUNTED_YEARS[phase]) & set(ledger.years()):
        # the review can be written (the tổng kết covers 2026–2030), the awards of the phase not yet
        wanted = ["bao-cao"]
        skipped.append(f"Chưa lập hồ sơ khen thưởng {award_period(phase)} (biên bản, tờ trình, quyết định): sổ lưu trữ "
                       f"chưa có dữ liệu năm nào từ {COUNTED_YEARS[phase][0]} đến {COUNTED_YEARS[phase][-1]}.")
    for kind in wanted:
        own = getattr(papers, f"{DOCUMENT_PREFIXES[kind]}_date")
        if kind == "bao-cao":
            context = phase_report(settings, ledger, phase, texts, today=day, now=now)
            planned.append(Planned("bao-cao-giai-doan", context, output_name("bao-cao", phase=phase),
                                   problems=phase_problems(settings, "bao-cao", phase)))
            continue
        stated = own or day
        if stated not in shared:
            shared[stated] = phase_results(settings, ledger, phase, texts, as_of=stated, now=now)
        this = shared[stated]
        context = builders[kind](this)
        if kind == "quyet-dinh" and not context.total:
            skipped.append(f"Không lập quyết định khen thưởng {this.period}: không có tập thể, cá nhân nào đủ điều kiện "
                           "được đề nghị tặng Giấy khen.")
            continue
        problems = (*this.problems(), *phase_problems(settings, kind, phase))
        planned.append(Planned(f"{kind}-giai-doan", context, output_name(kind, phase=phase), problems=problems))
    return Plan(tuple(planned), tuple(skipped))


# -- writing ----------------------------------------------------------------------------------------------


def document_date(settings: Settings, kind: str, year: int) -> dt.date | None:
    """The date a document of ``kind`` carries for ``year`` (``papers``), None when the commune left it blank."""
    return getattr(settings.papers(year), f"{DOCUMENT_PREFIXES[kind]}_date")


def build_contexts(settings: Settings, ledger: Ledger, *, year: int | None = None, phase: int | None = None,
                   kinds: Sequence[str] = KINDS, today: dt.date | None = None) -> Plan:
    """The documents to write (of a year, or of a ``phase``: its report and its awards, ``PHASE_KINDS``; the other
    kinds are the year's). Each states every unit's status at its own date, or at ``today`` (default: the day they
    are generated) when that date is blank."""
    texts = load_grounds(settings.documents.grounds)
    now = dt.datetime.now().astimezone()
    day = today or now.date()
    if phase is not None:
        return _phase_plan(settings, ledger, phase, kinds, texts, day, now)
    y = year or settings.year
    if y not in ledger.years():
        raise DvkError(f"Sổ lưu trữ {settings.ledger_path} chưa có dữ liệu năm {y}. Chạy dvk sync cho năm {y} trước.")
    builders: dict[str, Callable[[_Year], Any]] = {
        "bao-cao": annual_report, "bien-ban": minutes, "to-trinh": submission, "quyet-dinh": decision,
        "cong-nhan": recognition,
    }
    shared: dict[dt.date, _Year] = {}  # one computation per date stated
    planned, skipped = [], list(config_warnings(settings, kinds))
    for kind in kinds:
        stated = document_date(settings, kind, y) or day
        if stated not in shared:
            shared[stated] = _Year(settings, y, year_results(settings, ledger, y, as_of=stated, now=now), texts)
        this = shared[stated]
        context = builders[kind](this)
        if kind == "quyet-dinh" and not context.total:
            skipped.append(f"Không lập quyết định khen thưởng năm {y}: không có tập thể, cá nhân nào đủ điều kiện được "
                           "đề nghị tặng Giấy khen.")
            continue
        if kind == "cong-nhan" and not (context.models_count or context.exemplars_count):
            skipped.append(f"Không lập quyết định công nhận năm {y}: không có mô hình, điển hình nào được công nhận cấp xã "
                           "trong phiếu của các đơn vị.")
            continue
        notes = (STALE_MASTER.format(year=y),) if this.computed.stale else ()
        units = _unit_problems(this.results)
        problems = (*(units if kind != "cong-nhan" else ()), *paper_problems(settings, kind, y))
        planned.append(Planned(kind, context, output_name(kind, year=y), notes, problems))
    return Plan(tuple(planned), tuple(skipped))


def write_documents(settings: Settings, ledger: Ledger, out: Path, *, year: int | None = None, phase: int | None = None,
                    kinds: Sequence[str] = KINDS, pdf: bool = False, final: bool = False,
                    today: dt.date | None = None) -> DocumentsResult:
    """Check every template and render every document, then write them into ``out`` (and PDFs beside them when
    ``pdf``). ``final``: write nothing unless every document is complete. ``today``: the date of the documents
    whose own date is blank (default: the day they are made)."""
    plan = build_contexts(settings, ledger, year=year, phase=phase, kinds=kinds, today=today)
    folder = settings.documents.templates
    templates = {p.template: load_template(p.template, folder) for p in plan.documents}
    for p in plan.documents:
        check(templates[p.template], TEMPLATE_CONTEXTS[p.template])
    messages = list(dict.fromkeys(n for p in plan.documents for n in p.notes))
    if folder is not None:
        defaults = [t.name for t in templates.values() if t.source is None]
        if defaults:
            messages.append(f"Thư mục mẫu {folder} không có {', '.join(n + '.docx' for n in defaults)}: dùng mẫu mặc định.")
    finished = [(out / p.filename, render_document(templates[p.template], p.context, p.problems, draft_mark=True))
                for p in plan.documents]
    incomplete = tuple(Draft(path, f.missing) for path, f in finished if f.draft)
    if final and incomplete:
        return DocumentsResult(written=(), messages=tuple(messages), refused=incomplete, warnings=plan.notes)
    written = tuple(save(path, f.data) for path, f in finished)
    result = DocumentsResult(written=written, messages=tuple(messages), drafts=incomplete, warnings=plan.notes)
    if not pdf or not written:
        return result
    warning = font_warning()
    try:
        made = to_pdf(list(written), out)
    except NoLibreOffice as err:
        return DocumentsResult(written=written, messages=(*messages, str(err)), pdf_missing=True, drafts=incomplete,
                               warnings=plan.notes)
    return DocumentsResult(written=written, pdfs=made.written, messages=tuple(messages), drafts=incomplete,
                           pdf_failed=made.failed, warnings=(*plan.notes, *([warning] if warning else [])))
