"""Phase reviews (DOMAIN.md §2, §8): the sơ kết of giai đoạn I and the tổng kết of the movement.

**How the plan's overlapping phases are counted** (the plan, II.3: giai đoạn I 2026–2028, giai đoạn II
2028–2030; ``CONVENTION``). Units are evaluated once a year, in December; the sơ kết of giai đoạn I is held at
the end of 2028 and reviews 2026, 2027 and 2028. So:

* the **sơ kết** (phase 1) covers 2026–2028;
* the **tổng kết** (phase 2) covers the whole movement, 2026–2030, as a tổng kết giai đoạn does, with giai
  đoạn II in detail (the per-unit annex of the document shows 2028 — the sơ kết's result, its starting
  point — 2029 and 2030);
* in every total across phases ("lượt" of models, exemplars, unit-years of ratings) each evaluation year
  counts **once**: 2028 in giai đoạn I (``COUNTED_YEARS``), giai đoạn II adds 2029–2030. The tổng kết's
  subtotals per phase therefore add up to its whole-movement total.

Per unit the total and rating of each year covered and the trend (first → last year with a total); ratings
per year with the subtotals per phase; models by field and year (registered, recognised, outstanding,
replicated; collective vs individual) with the subtotals; the lists of models, exemplars and commendation
proposals, each model and exemplar with its code in the commune register, its first year and its status over
the years covered. A year without data shows "Chưa có dữ liệu". Counting rules: every model listed is *registered*;
*recognised* = status Được công nhận, Tiêu biểu or Đề nghị khen thưởng, or a recognition level given;
*outstanding* = Tiêu biểu or Đề nghị khen thưởng; *replicated* = Nhân rộng.

``phase_standings`` is the input of the commendation candidates at the end of a phase (the ranking over it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from schemas import FIELDS, ModelEntry, ModelStatus, Rating, Unit
from schemas.office import Letterhead
from schemas.register import EntryKind, ModelRegister, build_register, sightings_of

from .atomic import save_atomic
from .cells import Book, Sheet
from .data import MasterInput, UnitResult, WriteResult
from .form import annex_heading, finish_sheet, letterhead_for, reference_line
from .phase_awards import NOMINATIONS_NOTE, PhaseCandidateList, PhaseStanding, phase_candidates, phase_standings
from .scores import compute
from .sheets_entries import eligibility
from .writer import no_gc_pauses

__all__ = [
    "CONVENTION",
    "COUNTED_YEARS",
    "NO_DATA",
    "PHASES",
    "PHASE_SHEETS",
    "PLAN_PHASES",
    "SHORT_CONVENTION",
    "SPECS",
    "PhaseSpec",
    "PhaseStanding",
    "award_period",
    "award_scope",
    "counted_phase",
    "phase_groups",
    "phase_standings",
    "trend",
    "write_phase_review",
]

#: The plan's phases as it states them (Kế hoạch, II.3): they share 2028.
PLAN_PHASES: dict[int, tuple[int, ...]] = {1: (2026, 2027, 2028), 2: (2028, 2029, 2030)}
#: The evaluation years each phase counts in totals across phases: 2028 once, in giai đoạn I.
COUNTED_YEARS: dict[int, tuple[int, ...]] = {1: (2026, 2027, 2028), 2: (2029, 2030)}
_ROMAN = {1: "I", 2: "II"}
#: The convention, as the phase documents and workbooks state it.
CONVENTION = (
    "Kế hoạch chia Phong trào thành giai đoạn I (2026-2028) và giai đoạn II (2028-2030). Kết quả đánh giá năm 2028 "
    "được sơ kết ở giai đoạn I và tính một lần; giai đoạn II tính các năm 2029-2030. Báo cáo tổng kết đánh giá "
    "toàn bộ Phong trào 2026-2030, chi tiết giai đoạn II; số lượt cộng dồn không tính năm 2028 hai lần."
)


#: The rule in one line, for the annexes after the first.
SHORT_CONVENTION = "Số lượt cộng dồn tính mỗi năm đánh giá một lần; năm 2028 tính ở giai đoạn I."


@dataclass(frozen=True)
class PhaseSpec:
    """What one phase review covers (``--phase N``)."""

    number: int
    kind: str  # "sơ kết" | "tổng kết"
    period: str  # "Sơ kết giai đoạn I (2026–2028)"
    years: tuple[int, ...]  # the evaluation years the review covers
    detail_years: tuple[int, ...]  # the per-unit detail of the document's annex I (three years)

    @property
    def title(self) -> str:
        return self.period.upper()

    @property
    def roman(self) -> str:
        return _ROMAN[self.number]

    @property
    def years_text(self) -> str:
        return f"{self.years[0]}-{self.years[-1]}"


SPECS: dict[int, PhaseSpec] = {
    1: PhaseSpec(1, "sơ kết", "Sơ kết giai đoạn I (2026-2028)", (2026, 2027, 2028), (2026, 2027, 2028)),
    2: PhaseSpec(2, "tổng kết", "Tổng kết giai đoạn 2026-2030 (chi tiết giai đoạn II)", (2026, 2027, 2028, 2029, 2030),
                 (2028, 2029, 2030)),
}
#: (title, years covered) per phase (kept for callers that unpack it).
PHASES: dict[int, tuple[str, tuple[int, ...]]] = {n: (spec.title, spec.years) for n, spec in SPECS.items()}


def award_period(phase: int) -> str:
    """The period a phase's awards reward, as the documents write it after the movement's name: the years it
    counts (``COUNTED_YEARS``): "giai đoạn I (2026-2028)", "giai đoạn II (2029-2030)"."""
    years = COUNTED_YEARS[phase]
    return f"giai đoạn {_ROMAN[phase]} ({years[0]}-{years[-1]})"


def award_scope(phase: int) -> str:
    """Which results a phase's awards weigh, and how (``phase_awards``), in one sentence."""
    years = COUNTED_YEARS[phase]
    earlier = sorted(set(PLAN_PHASES[phase]) - set(years))
    shared = "".join(
        f" (kết quả năm {y} đã được xét khi sơ kết giai đoạn {_ROMAN[counted_phase(y)]}; mỗi năm đánh giá chỉ xét một lần)"
        for y in earlier)
    return (f"Khen thưởng {award_period(phase)} xét kết quả đánh giá các năm {years[0]}-{years[-1]}{shared}: đơn vị xếp "
            "loại từ Hoàn thành tốt nhiệm vụ trở lên, không còn tạm tính ở tất cả các năm có kết quả, xếp theo điểm bình "
            "quân; mô hình đã được công nhận đạt mức Tiêu biểu, Đề nghị khen thưởng hoặc Nhân rộng và điển hình được "
            "công nhận trong các năm đó.")


def counted_phase(year: int) -> int:
    """The phase an evaluation year counts in across phases (2028 → giai đoạn I)."""
    return 1 if year <= COUNTED_YEARS[1][-1] else 2


def phase_groups(years: Sequence[int]) -> list[tuple[str, tuple[int, ...]]]:
    """The subtotals of a review: (label, years) per phase among ``years``, each year in one group only."""
    out = []
    for n, counted in COUNTED_YEARS.items():
        mine = tuple(y for y in years if y in counted)
        if mine:
            span = f"{mine[0]}-{mine[-1]}" if len(mine) > 1 else str(mine[0])
            out.append((f"Giai đoạn {_ROMAN[n]} ({span})", mine))
    return out


PHASE_SHEETS = (
    "Tổng hợp giai đoạn", "Xếp loại theo năm", "Mô hình theo lĩnh vực", "Danh sách mô hình", "Điển hình",
    "Đề nghị khen thưởng", "Đề nghị khen thưởng giai đoạn",
)
NO_DATA = "Chưa có dữ liệu"
_RECOGNISED = {ModelStatus.RECOGNISED, ModelStatus.OUTSTANDING, ModelStatus.PROPOSED}
_OUTSTANDING = {ModelStatus.OUTSTANDING, ModelStatus.PROPOSED}


def trend(totals: Sequence[Fraction | None]) -> tuple[str, Fraction | None]:
    """(arrow, last − first) over the years that have a total; ("Chưa đủ dữ liệu", None) below two."""
    known = [t for t in totals if t is not None]
    if len(known) < 2:
        return "Chưa đủ dữ liệu", None
    diff = known[-1] - known[0]
    return ("↑" if diff > 0 else "↓" if diff < 0 else "→"), diff


def _units(years: Sequence[int], results: Mapping[int, Sequence[UnitResult]], data: Mapping[int, MasterInput]) -> list[Unit]:
    seen: dict[str, Unit] = {}
    for year in sorted(years, reverse=True):  # the latest registry first, its order
        if year in data:
            for row in data[year].units:
                seen.setdefault(row.code, row.unit)
    return list(seen.values())


def _overview(book: Book, title: str, years: Sequence[int],
              results: Mapping[int, Sequence[UnitResult]], data: Mapping[int, MasterInput], head: list[str]) -> None:
    widths = [14, 26, 14, *([9, 17] * len(years)), 11, 11]
    headers = ["Mã đơn vị", "Tên đơn vị", "Loại"]
    for y in years:
        headers += [f"Điểm {y}", f"Xếp loại {y}"]
    sheet = Sheet(book, PHASE_SHEETS[0], widths)
    annex_heading(sheet, f"{title} – điểm và xếp loại các năm", head)
    sheet.header([*headers, "Xu hướng", "Chênh lệch đầu – cuối"])
    by_year = {y: {r.code: r for r in results[y]} for y in results}
    for unit in _units(years, results, data):
        cells = [sheet.cell(unit.code), sheet.cell(unit.name), sheet.cell(unit.kind.value)]
        totals: list[Fraction | None] = []
        for y in years:
            if y not in by_year:  # "–" in the narrow points column: "Chưa có dữ liệu" wrapped there was clipped
                cells += [sheet.cell("–", "muted"), sheet.cell(NO_DATA, "muted")]
                totals.append(None)
                continue
            res = by_year[y].get(unit.code)
            if res is None:
                cells += [sheet.cell(None, "num"), sheet.cell("Không có trong danh sách năm này", "muted")]
                totals.append(None)
                continue
            cells += [sheet.cell(res.total, "num"), sheet.cell(res.rating_label, "center")]
            totals.append(res.total)
        arrow, diff = trend(totals)
        cells += [sheet.cell(arrow, "center"), sheet.cell(diff, "num")]
        sheet.append(cells)
    finish_sheet(sheet, _when(data), protect=False)


def _when(data: Mapping[int, MasterInput]) -> dt.datetime:
    return max((d.generated_at for d in data.values()), default=dt.datetime.now())


def _ratings(book: Book, title: str, years: Sequence[int], results: Mapping[int, Sequence[UnitResult]],
             head: list[str], when: dt.datetime) -> None:
    groups = phase_groups(years)
    totals = [(label, ys) for label, ys in groups] + ([("Cả giai đoạn (lượt)", tuple(years))] if len(groups) > 1 else [])
    landscape = len(years) + len(totals) > 5
    # portrait: wide enough for the national heading on one line above the table (100 %, new-commune 10)
    first, other = (30, 12) if landscape else (28, 13)
    sheet = Sheet(book, PHASE_SHEETS[1], [first, *([other] * (len(years) + len(totals)))], landscape=landscape)
    annex_heading(sheet, f"{title} – số đơn vị theo xếp loại", head)
    sheet.header(["Xếp loại", *(f"Năm {y}" for y in years), *(label for label, _ in totals)])

    def count(y: int, rating: Rating | None) -> int:
        rated = [r for r in results[y] if r.rated]
        return len([r for r in results[y] if not r.rated]) if rating is None else sum(1 for r in rated if r.rating is rating)

    for rating in (*Rating, None):
        label = rating.label if rating is not None else "Chưa xếp loại"
        if rating is None and not any(count(y, None) for y in years if y in results):
            continue
        cells = [sheet.cell(label)]
        for y in years:
            cells.append(sheet.cell(count(y, rating), "int") if y in results else sheet.cell(NO_DATA, "muted"))
        for _, ys in totals:  # unit-years: each evaluation year once (2028 in giai đoạn I)
            cells.append(sheet.cell(sum(count(y, rating) for y in ys if y in results), "int"))
        sheet.append(cells)
    finish_sheet(sheet, when, protect=False)


def _models_of(results: Sequence[UnitResult]) -> list[tuple[UnitResult, ModelEntry]]:
    return [(r, m) for r in results if r.row.submission for m in r.row.submission.models]


def _model_stats(book: Book, title: str, years: Sequence[int], results: Mapping[int, Sequence[UnitResult]],
                 head: list[str], when: dt.datetime) -> None:
    headers = ["Lĩnh vực", "Năm", "Đăng ký", "Được công nhận", "Tiêu biểu", "Nhân rộng", "Tập thể", "Cá nhân"]
    sheet = Sheet(book, PHASE_SHEETS[2], [26, 10, 8, 11, 8, 8, 8, 8], freeze=False, landscape=False)
    annex_heading(sheet, f"{title} – mô hình theo lĩnh vực và năm", head)
    sheet.header(headers)
    groups = phase_groups(years)

    def counts(field: str | None, ys: Sequence[int]) -> tuple[int, ...]:
        models = [m for y in ys if y in results for _, m in _models_of(results[y]) if field is None or m.field == field]
        return (
            len(models),
            sum(1 for m in models if m.status in _RECOGNISED or m.recognition_level),
            sum(1 for m in models if m.status in _OUTSTANDING),
            sum(1 for m in models if m.status is ModelStatus.REPLICATED),
            sum(1 for m in models if m.kind == "Tập thể"),
            sum(1 for m in models if m.kind == "Cá nhân"),
        )

    for field in FIELDS:
        for y in years:
            if y not in results:
                # "–" in the narrow count columns (the heading's line says which year has no data)
                sheet.append([sheet.cell(field), sheet.cell(y, "int"), *(sheet.cell("–", "muted") for _ in headers[2:])])
                continue
            sheet.append([sheet.cell(field), sheet.cell(y, "int"), *(sheet.cell(n, "int") for n in counts(field, (y,)))])
    # subtotals in "lượt": every evaluation year once (2028 counted in giai đoạn I only)
    subtotals = [*groups, *([("Cả giai đoạn", tuple(years))] if len(groups) > 1 else [])]
    for label, ys in subtotals:
        sheet.append([sheet.cell(f"Cộng {label[0].lower()}{label[1:]}"), sheet.cell(f"{ys[0]}-{ys[-1]}" if len(ys) > 1 else str(ys[0]), "center"),
                      *(sheet.cell(n, "int") for n in counts(None, ys))])
    finish_sheet(sheet, when, protect=False)


def _register(data: Mapping[int, MasterInput]) -> ModelRegister:
    """The commune register the phase reads: the ledger's (the latest year's input), or the phase's own rows."""
    latest = data[max(data)] if data else None
    if latest is not None and latest.register is not None:
        return latest.register
    return build_register(s for y, d in sorted(data.items()) for row in d.units if row.submission is not None
                          for s in sightings_of(row.code, y, row.submission))


def _trail(register: ModelRegister, kind: EntryKind, code: str, name: str,
           years: Sequence[int]) -> tuple[str | None, int | None, str | None]:
    """(code, first year, statuses over the phase's years) of a row, from the register."""
    entry = register.find(kind, code, name)
    if entry is None:  # pragma: no cover - every row of the phase is in the register built from it
        return None, None, None
    return entry.code, entry.first_year, entry.trend([y for y in years if y >= entry.first_year])


def _lists(book: Book, title: str, years: Sequence[int], results: Mapping[int, Sequence[UnitResult]],
           head: list[str], when: dt.datetime, register: ModelRegister) -> None:
    models = Sheet(book, PHASE_SHEETS[3], [7, 12, 22, 30, 16, 11, 16, 11, 15, 11, 10, 8, 30], freeze=False)
    annex_heading(models, f"{title} – danh sách mô hình", head)
    models.header(["Năm", "Mã đơn vị", "Tên đơn vị", "Tên mô hình", "Lĩnh vực", "Tập thể / Cá nhân", "Tình trạng",
                   "Cấp công nhận", "Số quyết định công nhận", "Ngày quyết định", "Mã trong sổ", "Năm đầu tiên",
                   "Tình trạng qua các năm"])
    exemplars = [(y, r, e) for y in years if y in results for r in results[y] if r.row.submission
                 for e in r.row.submission.exemplars]
    proposals = [(y, r, p) for y in years if y in results for r in results[y] if r.row.submission
                 for p in r.row.submission.proposals]
    for y in years:
        if y not in results:
            models.append([models.cell(y, "int"), models.cell("–", "muted"), models.cell(NO_DATA, "muted")])
            continue
        for r, m in _models_of(results[y]):
            code, first, trail = _trail(register, EntryKind.MODEL, r.code, m.name, years)
            models.append([
                models.cell(y, "int"), models.cell(r.code), models.cell(r.row.unit.name), models.cell(m.name),
                models.cell(m.field), models.cell(m.kind), models.cell(m.status.value), models.cell(m.recognition_level),
                models.cell(m.decision_no), models.cell(m.decision_date, "date"), models.cell(code, "center"),
                models.cell(first, "int"), models.cell(trail),
            ])
    finish_sheet(models, when, protect=False)
    ex = Sheet(book, PHASE_SHEETS[4], [7, 12, 22, 28, 11, 16, 40, 11, 10, 8, 30], freeze=False)
    annex_heading(ex, f"{title} – danh sách điển hình", head)
    ex.header(["Năm", "Mã đơn vị", "Tên đơn vị", "Tên tập thể, cá nhân điển hình", "Tập thể / Cá nhân", "Lĩnh vực",
               "Thành tích, cách làm hiệu quả", "Cấp công nhận", "Mã trong sổ", "Năm đầu tiên", "Tình trạng qua các năm"])
    for y, r, e in exemplars:
        code, first, trail = _trail(register, EntryKind.EXEMPLAR, r.code, e.name, years)
        ex.append([ex.cell(y, "int"), ex.cell(r.code), ex.cell(r.row.unit.name), ex.cell(e.name), ex.cell(e.kind),
                   ex.cell(e.field), ex.cell(e.achievements), ex.cell(e.recognition_level), ex.cell(code, "center"),
                   ex.cell(first, "int"), ex.cell(trail)])
    for y in years:
        if y not in results:
            ex.append([ex.cell(y, "int"), ex.cell("–", "muted"), ex.cell(NO_DATA, "muted")])
    finish_sheet(ex, when, protect=False)
    pr = Sheet(book, PHASE_SHEETS[5], [7, 12, 20, 17, 9, 24, 11, 22, 30, 30], freeze=False)
    annex_heading(pr, f"{title} – đề nghị khen thưởng", head)
    pr.header(["Năm", "Mã đơn vị", "Tên đơn vị", "Xếp loại đơn vị", "Tổng điểm", "Tập thể, cá nhân được đề nghị",
               "Tập thể / Cá nhân", "Hình thức khen thưởng", "Tóm tắt thành tích", "Điều kiện đề nghị"])
    for y, r, p in proposals:
        verdict = eligibility(r)
        pr.append([pr.cell(y, "int"), pr.cell(r.code), pr.cell(r.row.unit.name), pr.cell(r.rating.label, "center"),
                   pr.cell(r.total, "num"), pr.cell(p.subject), pr.cell(p.kind), pr.cell(p.form),
                   pr.cell(p.achievements), pr.cell(verdict, "text" if verdict.startswith("Đủ") else "warn")])
    for y in years:
        if y not in results:
            pr.append([pr.cell(y, "int"), pr.cell("–", "muted"), pr.cell(NO_DATA, "muted")])
    finish_sheet(pr, when, protect=False)


def _awards(book: Book, phase: int, results: Mapping[int, Sequence[UnitResult]], register: ModelRegister,
            quota: int | None, head: str, when: dt.datetime) -> PhaseCandidateList:
    """"Đề nghị khen thưởng giai đoạn": the phase's candidates (``phase_awards``) over the years it counts, as the
    year master's "Đề nghị khen thưởng" lists the year's: source, mean total, years rated, results, verdict, quota."""
    years = COUNTED_YEARS[phase]
    listed = phase_candidates(results, years, register, quota=quota)
    sheet = Sheet(book, PHASE_SHEETS[6], [7, 12, 20, 24, 10, 14, 9, 8, 17, 26, 28, 8, 32, 24])
    # the heading holds two lines: where and when; then what is weighed, the quota and why no nominations
    quota_text = f" Số lượng Giấy khen của Hội đồng: {quota}." if quota is not None else ""
    info = [head, f"{award_scope(phase)}{quota_text} {NOMINATIONS_NOTE}"]
    annex_heading(sheet, f"Đề nghị khen thưởng {award_period(phase)} – phong trào “Dân vận khéo”", info)
    sheet.header(["Thứ tự xét", "Mã đơn vị", "Tên đơn vị", "Tập thể, cá nhân được đề nghị", "Tập thể / Cá nhân", "Nguồn",
                  "Điểm bình quân", "Số năm xếp loại", "Kết quả các năm", "Mô hình, điển hình gắn với",
                  "Tóm tắt thành tích", "Nữ / tập thể ≥ 70% nữ", "Điều kiện đề nghị", "Số lượng Giấy khen"])
    for c in listed:
        female = None if c.female is None else ("Có" if c.female else "Không")
        sheet.append([
            sheet.cell(c.number, "int"), sheet.cell(c.unit_code), sheet.cell(c.unit_name), sheet.cell(c.subject),
            sheet.cell(c.kind), sheet.cell(c.source_text), sheet.cell(c.average, "num"), sheet.cell(c.years_rated, "int"),
            sheet.cell(c.results_text or None), sheet.cell("; ".join(c.models) or None),
            sheet.cell(c.achievements or None), sheet.cell(female, "center"),
            sheet.cell(c.verdict, "text" if c.eligible else "warn"),
            sheet.cell(c.quota_note or None, "warn" if c.within_quota is False else "text"),
        ])
    finish_sheet(sheet, when, protect=False)
    return listed


def write_phase_review(path: Path, phase: int, years_data: Mapping[int, MasterInput], *, report_number: str = "",
                       report_date: dt.date | None = None, giay_khen_quota: int | None = None) -> WriteResult:
    """The sơ kết (phase 1) or tổng kết (phase 2) workbook from the masters' inputs of the phase's years; its
    annexes go with the phase's own report (``report_number`` / ``report_date``: [documents.phase1] …); the phase's
    commendation candidates within ``giay_khen_quota`` ([awards] phase_giay_khen_quota)."""
    if phase not in PHASES:
        raise ValueError(f"Giai đoạn {phase} không có; chỉ có 1 (sơ kết 2026–2028) và 2 (tổng kết 2026–2030).")
    with no_gc_pauses():
        return _write_phase_review(Path(path), phase, years_data, report_number, report_date, giay_khen_quota)


def _write_phase_review(path: Path, phase: int, years_data: Mapping[int, MasterInput], report_number: str,
                        report_date: dt.date | None, quota: int | None) -> WriteResult:
    spec = SPECS[phase]
    title, years = spec.title, spec.years
    data = {y: d for y, d in years_data.items() if y in years}
    results = {y: compute(d) for y, d in data.items()}
    latest = data[max(data)] if data else None
    when = _when(data)
    missing = [str(y) for y in years if y not in data]
    letterhead = (letterhead_for(latest.letterhead, latest.commune, latest.province) if latest else Letterhead())
    place = f"{latest.commune}, {latest.province}" if latest else f"{letterhead.commune}, {letterhead.province}"
    head = [  # the heading holds two lines: where and when (and the years without data), then the convention
        f"{place} · Lập lúc {when:%d/%m/%Y %H:%M}" + (f". {NO_DATA} năm {', '.join(missing)}." if missing else "."),
        CONVENTION,
    ]
    # the annexes go with the phase's own report ([documents.phase1] report_number / report_date), as the .docx
    reference = reference_line(letterhead, report_number, report_date)
    book = Book(letterhead, title=title.capitalize(), reference=reference)
    _overview(book, title, years, results, data, head)
    short = [head[0], SHORT_CONVENTION]  # the other annexes: the rule in one line (stated in full on the first)
    _ratings(book, title, years, results, short, when)
    _model_stats(book, title, years, results, short, when)
    register = _register(data)
    _lists(book, title, years, results, short, when, register)
    _awards(book, phase, results, register, quota, head[0], when)
    written, message = save_atomic(book.save, Path(path), when=when)
    return WriteResult(path=written, requested=Path(path), message=message)
