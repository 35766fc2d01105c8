"""The council's documents from the ledger: the same unit results as the master, then rendered to .docx.

    build_contexts(settings, ledger, year=…, phase=…, kinds=…) -> list[Planned]
    write_documents(settings, ledger, …) -> DocumentsResult

Figures come from ``master_input`` → ``workbook.master.compute`` exactly as the master's; for a year the
appraisal values staff typed into the existing master are read (not stored) so the documents agree with
what the master shows. Every template is checked before the first file is written: a broken template
writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemas import Rating, Unit
from schemas.errors import DvkError
from schemas.forms import PROPOSAL_KINDS
from schemas.office import BLANK, official_date
from workbook.documents import (
    TEMPLATE_CONTEXTS,
    AwardGroup,
    AwardLine,
    DecisionContext,
    NoLibreOffice,
    NoteLine,
    Office,
    Paper,
    PhaseContext,
    ReportContext,
    SubmissionContext,
    TrendLine,
    YearCell,
    YearLine,
    check,
    load_template,
    render_bytes,
    save,
    to_pdf,
    vn_points,
)
from workbook.master import MasterInput, UnitResult, compute, read_staff_edits
from workbook.master.labels import timeliness
from workbook.master.phase import NO_DATA, PHASES, trend

from ..config import Settings
from ..ledger import Ledger
from ..reporting import master_input
from . import data as d

__all__ = [
    "KINDS", "STALE_MASTER", "DocumentsResult", "Planned", "YearResults", "build_contexts", "output_name", "write_documents",
    "year_results",
]

#: The document kinds of ``dvk docs --kind``.
KINDS = ("bao-cao", "to-trinh", "quyet-dinh")

_RECIPIENTS = {
    "bao-cao": ("Đảng ủy, HĐND xã", "Ủy ban MTTQ VN xã", "CT, các PCT UBND xã", "Các cơ quan, đơn vị đóng trên địa bàn xã",
                "Bộ phận TĐKT Phòng VH- XH", "Lưu: VT."),
    "to-trinh": ("Như trên", "Các thành viên Hội đồng TĐKT xã", "Lưu: VT, HĐTĐKT."),
    "quyet-dinh": ("Như Điều 3", "Đảng ủy, HĐND xã", "Ủy ban MTTQ VN xã", "CT, các PCT UBND xã", "Lưu: VT."),
}
_SUFFIX = {"bao-cao": "BC-UBND", "to-trinh": "TTr-UBND", "quyet-dinh": "QĐ-UBND"}
_ROMAN = {1: "I", 2: "II", 3: "III"}
STALE_MASTER = (
    "Tệp tổng hợp năm {year} có điểm thẩm định mới làm thay đổi xếp loại hoặc xếp hạng: văn bản đã tính theo "
    "điểm đó; chạy dvk report --year {year} để tệp Excel xếp loại lại cho khớp."
)


@dataclass(frozen=True)
class Planned:
    """One document to write: its template name, the context, the output file name."""

    template: str
    context: Any
    filename: str
    notes: tuple[str, ...] = ()  # what the user should know (Vietnamese)


@dataclass(frozen=True)
class DocumentsResult:
    written: tuple[Path, ...]
    pdfs: tuple[Path, ...] = ()
    messages: tuple[str, ...] = ()
    pdf_missing: bool = False  # PDF asked for, LibreOffice absent


def _recipients(lines: Sequence[str]) -> tuple[str, ...]:
    """ "- X;" per line, the last "- Lưu: VT." (added when the list has none)."""
    items = [line.strip().lstrip("-").strip().rstrip(";.").strip() for line in lines]
    items = [i for i in items if i]
    if not any(i.lower().startswith("lưu") for i in items):
        items.append("Lưu: VT")
    return tuple(f"- {i}{'.' if n == len(items) - 1 else ';'}" for n, i in enumerate(items))


def office(settings: Settings) -> Office:
    head = settings.letterhead()
    return Office(
        commune=head.commune, commune_upper=head.commune.upper(), province=head.province, committee=head.committee,
        council=head.council, chairman=head.signer(head.chairman), council_chair=head.signer(head.council_chair),
        preparer=head.signer(head.preparer), national_heading=head.national_heading, motto=head.motto,
    )


def paper(settings: Settings, kind: str) -> Paper:
    docs = settings.documents
    number, day = {
        "bao-cao": (docs.report_number, docs.report_date),
        "to-trinh": (docs.submission_number, docs.submission_date),
        "quyet-dinh": (docs.decision_number, docs.decision_date),
    }[kind]
    return Paper(
        number=number or f"{BLANK}/{_SUFFIX[kind]}",
        date_line=settings.letterhead().date_line(day),
        date=official_date(day),
        recipients=_recipients(docs.recipients or _RECIPIENTS[kind]),
    )


def output_name(kind: str, *, year: int | None = None, phase: int | None = None) -> str:
    if phase is not None:
        return f"{'so-ket' if phase == 1 else 'tong-ket'}-dan-van-kheo-giai-doan-{phase}.docx"
    return {
        "bao-cao": f"bao-cao-dan-van-kheo-{year}.docx",
        "to-trinh": f"to-trinh-khen-thuong-{year}.docx",
        "quyet-dinh": f"quyet-dinh-khen-thuong-{year}.docx",
    }[kind]


# -- the year ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearResults:
    """One year as the master computes it, with the appraisals typed into the existing master file."""

    data: MasterInput
    results: tuple[UnitResult, ...]
    stale: bool  # the master holds appraisals that change ratings or ranks: its own cells update on `dvk report`


def year_results(settings: Settings, ledger: Ledger, year: int) -> YearResults:
    data = master_input(settings, ledger, year)
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
    text = (f"Theo cách xếp loại “{preset.name}”, số đơn vị Hoàn thành xuất sắc nhiệm vụ không quá "
            f"{vn_points(preset.htxs_quota_percent).removesuffix(',00')}% số đơn vị Hoàn thành tốt nhiệm vụ")
    return text + (f"; {dropped} đơn vị đủ điểm xuất sắc được xếp Hoàn thành tốt do vượt hạn mức." if dropped else ".")


def _shortfalls(data: Any, results: Sequence[UnitResult]) -> tuple[str, ...]:
    def names(rs: Sequence[UnitResult]) -> str:
        return ", ".join(r.row.unit.name for r in rs)

    out = []
    missing = [r for r in results if r.card is None]
    late = [r for r in results if r.card is not None and timeliness(r.row, data.deadline).startswith("Trễ")]
    errors = [r for r in results if r.row.error_count]
    failed = [r for r in results if r.card is not None and r.rating is Rating.KHT]
    if missing:
        out.append(f"{len(missing)} đơn vị chưa nộp hoặc chưa đọc được phiếu tự đánh giá: {names(missing)}.")
    if late:
        out.append(f"{len(late)} đơn vị nộp phiếu trễ hạn: {names(late)}.")
    if errors:
        out.append(f"{len(errors)} phiếu còn lỗi chưa sửa: {names(errors)}.")
    if failed:
        out.append(f"{len(failed)} đơn vị có phiếu nhưng xếp loại Không hoàn thành nhiệm vụ: {names(failed)}.")
    return tuple(out)


def annual_report(settings: Settings, year: int, computed: YearResults) -> ReportContext:
    data, results = computed.data, computed.results
    rubric = data.rubric
    done = d.scored(results)
    on_time = sum(1 for r in done if timeliness(r.row, data.deadline) == "Đúng hạn")
    strongest, weakest = d.criterion_lines(rubric, results)
    return ReportContext(
        office=office(settings), paper=paper(settings, "bao-cao"), year=year, next_year=year + 1,
        units_total=len(results), submitted=len(done), on_time=on_time, late=len(done) - on_time,
        missing=len(results) - len(done), with_errors=sum(1 for r in results if r.row.error_count),
        kinds=d.kind_lines(results), average=vn_points(d.average([r.total for r in done if r.total is not None]), "–"),
        fields=d.field_lines(rubric, results), strongest=strongest, weakest=weakest,
        people=d.people_lines(rubric, results), models=d.model_stats([(year, results)]),
        ratings=d.rating_lines(results), quota=_quota(settings, results), shortfalls=_shortfalls(data, results),
        units=d.unit_lines(results), model_list=d.model_lines([(year, results)]),
        exemplar_list=d.exemplar_lines([(year, results)]), provisional=any(d.is_provisional(r) for r in results),
    )


def _is_upward(form: str) -> bool:
    return "bằng khen" in form.lower()


def submission(settings: Settings, year: int, computed: YearResults) -> SubmissionContext:
    """The tờ trình: the council's candidates (``workbook.master.candidates``), not only the units' own
    nominations: the eligible units of the ranking, the outstanding models and exemplars, the nominations."""
    results = computed.results
    listed = d.candidate_list(results, settings.awards.giay_khen_quota)
    proposed = listed.proposed
    eligible_units = [r for r in results if d.is_eligible(r)]
    quota = settings.awards.giay_khen_quota
    return SubmissionContext(
        office=office(settings), paper=paper(settings, "to-trinh"), report=paper(settings, "bao-cao"), year=year,
        units_total=len(results), ratings=d.rating_lines(results), eligible_units=len(eligible_units),
        ranking=d.unit_lines(eligible_units), proposals_total=len(proposed),
        collective=sum(1 for c in proposed if c.kind == "Tập thể"), individual=sum(1 for c in proposed if c.kind == "Cá nhân"),
        giay_khen=sum(1 for c in proposed if not c.upward), bang_khen=sum(1 for c in proposed if c.upward),
        ineligible=d.refused_lines(listed), notes=tuple(NoteLine(r.row.unit.name, r.note) for r in results if r.note),
        quota=_quota(settings, results), proposals=d.proposal_lines(listed),
        provisional=any(d.is_provisional(r) for r in results),
        households=sum(1 for c in proposed if c.kind == "Hộ gia đình"), beyond_quota=d.beyond_lines(listed),
        giay_khen_quota="" if quota is None else str(quota),
    )


def decision(settings: Settings, year: int, computed: YearResults) -> DecisionContext:
    results = computed.results
    awards = [c for c in d.candidate_list(results, settings.awards.giay_khen_quota).proposed if not c.upward]
    groups: list[AwardGroup] = []
    for kind in PROPOSAL_KINDS:
        items = [c for c in awards if c.kind == kind]
        if items:
            groups.append(AwardGroup(title=kind, roman=_ROMAN.get(len(groups) + 1, str(len(groups) + 1)), awards=tuple(
                AwardLine(number=i, subject=c.subject, unit=c.unit_name, achievements=c.achievements)
                for i, c in enumerate(items, 1)
            )))
    collective = sum(1 for c in awards if c.kind == "Tập thể")
    return DecisionContext(
        office=office(settings), paper=paper(settings, "quyet-dinh"), submission=paper(settings, "to-trinh"), year=year,
        collective=collective, individual=len(awards) - collective, total=len(awards), groups=tuple(groups),
        households=sum(1 for c in awards if c.kind == "Hộ gia đình"),
    )


# -- the phase --------------------------------------------------------------------------------------------


def phase_report(settings: Settings, ledger: Ledger, phase: int) -> PhaseContext:
    """The sơ kết / tổng kết: the same results as the phase workbook (``reporting.write_phase``)."""
    _, years = PHASES[phase]
    present = set(ledger.years())
    data = {y: master_input(settings, ledger, y) for y in years if y in present}
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
            if y not in index:
                cells.append(YearCell(y, "–", NO_DATA))
            elif res is None:
                cells.append(YearCell(y, "–", "Không có trong danh sách"))
            else:
                cells.append(YearCell(y, vn_points(res.total, "–"), res.rating.value))
            totals.append(res.total if res is not None else None)
        arrow, diff = trend(totals)
        improved += diff is not None and diff > 0
        declined += diff is not None and diff < 0
        trends.append(TrendLine(i, unit.code, unit.name, tuple(cells), arrow, vn_points(diff)))
    lines = []
    for y in years:
        rs = results.get(y, ())
        done = d.scored(rs)
        lines.append(YearLine(
            year=y, has_data=y in results, units_total=len(rs), submitted=len(done),
            average=vn_points(d.average([r.total for r in done if r.total is not None]), "–"),
            htxs=sum(1 for r in rs if r.rating is Rating.HTXS), htt=sum(1 for r in rs if r.rating is Rating.HTT),
            ht=sum(1 for r in rs if r.rating is Rating.HT), kht=sum(1 for r in rs if r.rating is Rating.KHT),
            models=sum(len(r.row.submission.models) for r in rs if r.row.submission),
            recognised=d.model_stats([(y, rs)]).recognised, replicated=d.model_stats([(y, rs)]).replicated,
            exemplars=sum(len(r.row.submission.exemplars) for r in rs if r.row.submission),
            satisfaction=d.yearly_rate(rubric, rs, satisfaction=True),
            petitions=d.yearly_rate(rubric, rs, satisfaction=False),
        ))
    every = [r for _, rs in by_year for r in rs]
    kind = "sơ kết" if phase == 1 else "tổng kết"
    return PhaseContext(
        office=office(settings), paper=paper(settings, "bao-cao"), phase=phase, roman=_ROMAN[phase], kind=kind,
        kind_upper=kind.upper(), years_text=f"{years[0]}–{years[-1]}", years=years,
        missing_years=", ".join(str(y) for y in years if y not in results), year_lines=tuple(lines),
        fields=d.field_lines(rubric, every), trends=tuple(trends), improved=improved, declined=declined,
        models=d.model_stats(by_year),
        models_by_field_year=tuple(m for y, rs in by_year for m in d.field_year_models(y, rs)),
        model_list=d.model_lines(by_year), exemplar_list=d.exemplar_lines(by_year),
    )


# -- writing ----------------------------------------------------------------------------------------------


def build_contexts(settings: Settings, ledger: Ledger, *, year: int | None = None, phase: int | None = None,
                   kinds: Sequence[str] = KINDS) -> list[Planned]:
    if phase is not None:
        return [Planned("bao-cao-giai-doan", phase_report(settings, ledger, phase), output_name("bao-cao", phase=phase))]
    y = year or settings.year
    if y not in ledger.years():
        raise DvkError(f"Sổ lưu trữ {settings.ledger_path} chưa có dữ liệu năm {y}. Chạy dvk sync cho năm {y} trước.")
    computed = year_results(settings, ledger, y)
    builders: dict[str, Callable[[Settings, int, YearResults], Any]] = {
        "bao-cao": annual_report, "to-trinh": submission, "quyet-dinh": decision,
    }
    notes = (STALE_MASTER.format(year=y),) if computed.stale else ()
    return [Planned(k, builders[k](settings, y, computed), output_name(k, year=y), notes) for k in kinds]


def write_documents(settings: Settings, ledger: Ledger, out: Path, *, year: int | None = None, phase: int | None = None,
                    kinds: Sequence[str] = KINDS, pdf: bool = False) -> DocumentsResult:
    """Check every template, then write the documents into ``out`` (and PDFs beside them when ``pdf``)."""
    planned = build_contexts(settings, ledger, year=year, phase=phase, kinds=kinds)
    folder = settings.documents.templates
    templates = {p.template: load_template(p.template, folder) for p in planned}
    for p in planned:
        check(templates[p.template], TEMPLATE_CONTEXTS[p.template])
    messages = list(dict.fromkeys(n for p in planned for n in p.notes))
    if folder is not None:
        defaults = [t.name for t in templates.values() if t.source is None]
        if defaults:
            messages.append(f"Thư mục mẫu {folder} không có {', '.join(n + '.docx' for n in defaults)}: dùng mẫu mặc định.")
    rendered = [(out / p.filename, render_bytes(templates[p.template], p.context)) for p in planned]
    written = tuple(save(path, data) for path, data in rendered)
    pdfs: tuple[Path, ...] = ()
    if pdf:
        try:
            pdfs = tuple(to_pdf(list(written), out))
        except NoLibreOffice as err:
            messages.append(str(err))
            return DocumentsResult(written=written, messages=tuple(messages), pdf_missing=True)
    return DocumentsResult(written=written, pdfs=pdfs, messages=tuple(messages))

