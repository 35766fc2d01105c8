"""Phase reviews (DOMAIN.md §2, §8): sơ kết giai đoạn I (2026–2028) and tổng kết giai đoạn II (2028–2030).

Per unit the total and rating of each year of the phase and the trend (first → last year with a total);
ratings per year; models by field and year (registered, recognised, outstanding, replicated; collective vs
individual); the lists of models, exemplars and commendation proposals, each model and exemplar with its code in
the commune register, its first year and its status over the phase's years. A year without data shows
"Chưa có dữ liệu". Counting rules: every model listed is *registered*; *recognised* = status Được công nhận,
Tiêu biểu or Đề nghị khen thưởng, or a recognition level given; *outstanding* = Tiêu biểu or Đề nghị khen
thưởng; *replicated* = Nhân rộng.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path

from schemas import FIELDS, ModelEntry, ModelStatus, Rating, Unit
from schemas.office import Letterhead
from schemas.register import EntryKind, ModelRegister, build_register, sightings_of

from .atomic import save_atomic
from .cells import Book, Sheet
from .data import MasterInput, UnitResult, WriteResult
from .form import annex_heading, finish_sheet, letterhead_for, reference_line
from .scores import compute
from .sheets_entries import eligibility
from .writer import no_gc_pauses

__all__ = ["NO_DATA", "PHASES", "PHASE_SHEETS", "trend", "write_phase_review"]

PHASES: dict[int, tuple[str, tuple[int, ...]]] = {
    1: ("SƠ KẾT GIAI ĐOẠN I (2026–2028)", (2026, 2027, 2028)),
    2: ("TỔNG KẾT GIAI ĐOẠN II (2028–2030)", (2028, 2029, 2030)),
}
PHASE_SHEETS = (
    "Tổng hợp giai đoạn", "Xếp loại theo năm", "Mô hình theo lĩnh vực", "Danh sách mô hình", "Điển hình",
    "Đề nghị khen thưởng",
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
            if y not in by_year:
                cells += [sheet.cell(NO_DATA, "muted"), sheet.cell(NO_DATA, "muted")]
                totals.append(None)
                continue
            res = by_year[y].get(unit.code)
            if res is None:
                cells += [sheet.cell(None, "num"), sheet.cell("Không có trong danh sách năm này", "muted")]
                totals.append(None)
                continue
            cells += [sheet.cell(res.total, "num"), sheet.cell(res.rating.label, "center")]
            totals.append(res.total)
        arrow, diff = trend(totals)
        cells += [sheet.cell(arrow, "center"), sheet.cell(diff, "num")]
        sheet.append(cells)
    finish_sheet(sheet, _when(data), protect=False)


def _when(data: Mapping[int, MasterInput]) -> dt.datetime:
    return max((d.generated_at for d in data.values()), default=dt.datetime.now())


def _ratings(book: Book, title: str, years: Sequence[int], results: Mapping[int, Sequence[UnitResult]],
             head: list[str], when: dt.datetime) -> None:
    sheet = Sheet(book, PHASE_SHEETS[1], [30, *([14] * len(years))], landscape=False)
    annex_heading(sheet, f"{title} – số đơn vị theo xếp loại", head)
    sheet.header(["Xếp loại", *(f"Năm {y}" for y in years)])
    for rating in Rating:
        cells = [sheet.cell(rating.label)]
        for y in years:
            if y in results:
                counted = [r for r in results[y] if r.row.status != "pending"]
                cells.append(sheet.cell(sum(1 for r in counted if r.rating is rating), "int"))
            else:
                cells.append(sheet.cell(NO_DATA, "muted"))
        sheet.append(cells)
    finish_sheet(sheet, when, protect=False)


def _models_of(results: Sequence[UnitResult]) -> list[tuple[UnitResult, ModelEntry]]:
    return [(r, m) for r in results if r.row.submission for m in r.row.submission.models]


def _model_stats(book: Book, title: str, years: Sequence[int], results: Mapping[int, Sequence[UnitResult]],
                 head: list[str], when: dt.datetime) -> None:
    headers = ["Lĩnh vực", "Năm", "Đăng ký", "Được công nhận", "Tiêu biểu", "Nhân rộng", "Tập thể", "Cá nhân"]
    sheet = Sheet(book, PHASE_SHEETS[2], [20, 7, 8, 11, 8, 8, 8, 8], freeze=False, landscape=False)
    annex_heading(sheet, f"{title} – mô hình theo lĩnh vực và năm", head)
    sheet.header(headers)
    for field in FIELDS:
        for y in years:
            if y not in results:
                sheet.append([sheet.cell(field), sheet.cell(y, "int"), sheet.cell(NO_DATA, "muted")])
                continue
            models = [m for _, m in _models_of(results[y]) if m.field == field]
            counts = (
                len(models),
                sum(1 for m in models if m.status in _RECOGNISED or m.recognition_level),
                sum(1 for m in models if m.status in _OUTSTANDING),
                sum(1 for m in models if m.status is ModelStatus.REPLICATED),
                sum(1 for m in models if m.kind == "Tập thể"),
                sum(1 for m in models if m.kind == "Cá nhân"),
            )
            sheet.append([sheet.cell(field), sheet.cell(y, "int"), *(sheet.cell(n, "int") for n in counts)])
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
            models.append([models.cell(y, "int"), models.cell(NO_DATA, "muted")])
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
            ex.append([ex.cell(y, "int"), ex.cell(NO_DATA, "muted")])
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
            pr.append([pr.cell(y, "int"), pr.cell(NO_DATA, "muted")])
    finish_sheet(pr, when, protect=False)


def write_phase_review(path: Path, phase: int, years_data: Mapping[int, MasterInput]) -> WriteResult:
    """The sơ kết (phase 1) or tổng kết (phase 2) workbook from the masters' inputs of the phase's years."""
    if phase not in PHASES:
        raise ValueError(f"Giai đoạn {phase} không có; chỉ có giai đoạn 1 (2026–2028) và 2 (2028–2030).")
    with no_gc_pauses():
        return _write_phase_review(Path(path), phase, years_data)


def _write_phase_review(path: Path, phase: int, years_data: Mapping[int, MasterInput]) -> WriteResult:
    title, years = PHASES[phase]
    data = {y: d for y, d in years_data.items() if y in years}
    results = {y: compute(d) for y, d in data.items()}
    latest = data[max(data)] if data else None
    when = _when(data)
    missing = [str(y) for y in years if y not in data]
    letterhead = (letterhead_for(latest.letterhead, latest.commune, latest.province) if latest else Letterhead())
    head = [
        f"{latest.commune}, {latest.province}" if latest else f"{letterhead.commune}, {letterhead.province}",
        f"Lập lúc {when:%d/%m/%Y %H:%M}" + (f". {NO_DATA} năm {', '.join(missing)}." if missing else "."),
    ]
    # the annexes go with the phase's report: [documents] report_number / report_date, as the .docx report
    reference = reference_line(letterhead, latest.report_number, latest.report_date) if latest else ""
    book = Book(letterhead, title=title.capitalize(), reference=reference)
    _overview(book, title, years, results, data, head)
    _ratings(book, title, years, results, head, when)
    _model_stats(book, title, years, results, head, when)
    _lists(book, title, years, results, head, when, _register(data))
    written, message = save_atomic(book.save, Path(path), when=when)
    return WriteResult(path=written, requested=Path(path), message=message)
