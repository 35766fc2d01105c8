"""Phase reviews (DOMAIN.md §2, §8): sơ kết giai đoạn I (2026–2028) and tổng kết giai đoạn II (2028–2030).

Per unit the total and rating of each year of the phase and the trend (first → last year with a total);
ratings per year; models by field and year (registered, recognised, outstanding, replicated; collective vs
individual); the lists of models, exemplars and commendation proposals. A year without data shows
"Chưa có dữ liệu". Counting rules: every model listed is *registered*; *recognised* = status Được công nhận,
Tiêu biểu or Đề nghị khen thưởng, or a recognition level given; *outstanding* = Tiêu biểu or Đề nghị khen
thưởng; *replicated* = Nhân rộng.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path

from openpyxl import Workbook

from schemas import FIELDS, ModelEntry, ModelStatus, Rating, Unit

from .atomic import save_atomic
from .cells import Sheet, Styles
from .data import MasterInput, UnitResult, WriteResult
from .scores import compute
from .sheets_entries import eligibility

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


def _overview(wb: Workbook, styles: Styles | None, title: str, years: Sequence[int],
              results: Mapping[int, Sequence[UnitResult]], data: Mapping[int, MasterInput], head: list[str]) -> Styles:
    widths = [12, 30, 16, *([10, 22] * len(years)), 16, 12]
    headers = ["Mã đơn vị", "Tên đơn vị", "Loại"]
    for y in years:
        headers += [f"Điểm {y}", f"Xếp loại {y}"]
    sheet = Sheet(wb, PHASE_SHEETS[0], widths, styles=styles, freeze="D6")
    sheet.title_block([f"{title} – ĐIỂM VÀ XẾP LOẠI CÁC NĂM", *head])
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
    sheet.finish()
    return sheet.styles


def _ratings(wb: Workbook, styles: Styles, title: str, years: Sequence[int], results: Mapping[int, Sequence[UnitResult]], head: list[str]) -> None:
    sheet = Sheet(wb, PHASE_SHEETS[1], [30, *([14] * len(years))], styles=styles, landscape=False)
    sheet.title_block([f"{title} – SỐ ĐƠN VỊ THEO XẾP LOẠI", *head])
    sheet.header(["Xếp loại", *(f"Năm {y}" for y in years)])
    for rating in Rating:
        cells = [sheet.cell(rating.label)]
        for y in years:
            if y in results:
                cells.append(sheet.cell(sum(1 for r in results[y] if r.rating is rating), "int"))
            else:
                cells.append(sheet.cell(NO_DATA, "muted"))
        sheet.append(cells)
    sheet.finish()


def _models_of(results: Sequence[UnitResult]) -> list[tuple[UnitResult, ModelEntry]]:
    return [(r, m) for r in results if r.row.submission for m in r.row.submission.models]


def _model_stats(wb: Workbook, styles: Styles, title: str, years: Sequence[int], results: Mapping[int, Sequence[UnitResult]], head: list[str]) -> None:
    headers = ["Lĩnh vực", "Năm", "Đăng ký", "Được công nhận", "Tiêu biểu", "Nhân rộng", "Tập thể", "Cá nhân"]
    sheet = Sheet(wb, PHASE_SHEETS[2], [24, 8, 10, 14, 10, 10, 10, 10], styles=styles, freeze="A6", landscape=False)
    sheet.title_block([f"{title} – MÔ HÌNH THEO LĨNH VỰC VÀ NĂM", *head])
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
    sheet.finish()


def _lists(wb: Workbook, styles: Styles, title: str, years: Sequence[int], results: Mapping[int, Sequence[UnitResult]], head: list[str]) -> None:
    models = Sheet(wb, PHASE_SHEETS[3], [8, 12, 26, 34, 20, 12, 18, 12, 18, 12], styles=styles, freeze="A6")
    models.title_block([f"{title} – DANH SÁCH MÔ HÌNH", *head])
    models.header(["Năm", "Mã đơn vị", "Tên đơn vị", "Tên mô hình", "Lĩnh vực", "Tập thể / Cá nhân", "Tình trạng",
                   "Cấp công nhận", "Số quyết định công nhận", "Ngày quyết định"])
    exemplars = [(y, r, e) for y in years if y in results for r in results[y] if r.row.submission
                 for e in r.row.submission.exemplars]
    proposals = [(y, r, p) for y in years if y in results for r in results[y] if r.row.submission
                 for p in r.row.submission.proposals]
    for y in years:
        if y not in results:
            models.append([models.cell(y, "int"), models.cell(NO_DATA, "muted")])
            continue
        for r, m in _models_of(results[y]):
            models.append([
                models.cell(y, "int"), models.cell(r.code), models.cell(r.row.unit.name), models.cell(m.name),
                models.cell(m.field), models.cell(m.kind), models.cell(m.status.value), models.cell(m.recognition_level),
                models.cell(m.decision_no), models.cell(m.decision_date, "date"),
            ])
    models.finish()
    ex = Sheet(wb, PHASE_SHEETS[4], [8, 12, 26, 30, 12, 20, 44, 12], styles=styles, freeze="A6")
    ex.title_block([f"{title} – DANH SÁCH ĐIỂN HÌNH", *head])
    ex.header(["Năm", "Mã đơn vị", "Tên đơn vị", "Tên tập thể, cá nhân điển hình", "Tập thể / Cá nhân", "Lĩnh vực",
               "Thành tích, cách làm hiệu quả", "Cấp công nhận"])
    for y, r, e in exemplars:
        ex.append([ex.cell(y, "int"), ex.cell(r.code), ex.cell(r.row.unit.name), ex.cell(e.name), ex.cell(e.kind),
                   ex.cell(e.field), ex.cell(e.achievements), ex.cell(e.recognition_level)])
    for y in years:
        if y not in results:
            ex.append([ex.cell(y, "int"), ex.cell(NO_DATA, "muted")])
    ex.finish()
    pr = Sheet(wb, PHASE_SHEETS[5], [8, 12, 26, 22, 10, 30, 12, 32, 40, 40], styles=styles, freeze="A6")
    pr.title_block([f"{title} – ĐỀ NGHỊ KHEN THƯỞNG", *head])
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
    pr.finish()


def write_phase_review(path: Path, phase: int, years_data: Mapping[int, MasterInput]) -> WriteResult:
    """The sơ kết (phase 1) or tổng kết (phase 2) workbook from the masters' inputs of the phase's years."""
    if phase not in PHASES:
        raise ValueError(f"Giai đoạn {phase} không có; chỉ có giai đoạn 1 (2026–2028) và 2 (2028–2030).")
    title, years = PHASES[phase]
    data = {y: d for y, d in years_data.items() if y in years}
    results = {y: compute(d) for y, d in data.items()}
    latest = data[max(data)] if data else None
    when = max((d.generated_at for d in data.values()), default=dt.datetime.now())
    missing = [str(y) for y in years if y not in data]
    head = [
        f"{latest.commune}, {latest.province}" if latest else "",
        f"Lập lúc {when:%d/%m/%Y %H:%M}" + (f". {NO_DATA} năm {', '.join(missing)}." if missing else "."),
    ]
    wb = Workbook(write_only=True)
    styles = _overview(wb, None, title, years, results, data, head)
    _ratings(wb, styles, title, years, results, head)
    _model_stats(wb, styles, title, years, results, head)
    _lists(wb, styles, title, years, results, head)
    wb.properties.title = title.capitalize()
    wb.properties.creator = "dvk"
    written, message = save_atomic(wb.save, Path(path), when=when)
    return WriteResult(path=written, requested=Path(path), message=message)
