""""Biểu đồ": native Excel charts with their data on the same sheet, all inside the print area.

Page 1 (portrait): units per rating and average points per field, each chart above its small table. Page 2:
total per unit as horizontal bars, rank 1 on top (the first ``MAX_BARS`` units when there are more), then the
table of totals and the signature block. Units per rating and the field averages are formulas over "Chi tiết
tiêu chí" (they follow appraisals typed in Excel); the totals per unit are the values when the file was made.
Units with nothing received before the deadline ("Chưa nộp (còn hạn)") are left out of every chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from schemas import Rating

from .cells import FONT, Book, CellItem, Sheet
from .data import MasterInput, UnitResult
from .form import annex_heading, finish_sheet, is_annex
from .sheets_scores import DetailLayout

__all__ = ["CHART_SHEET", "MAX_BARS", "field_averages", "rating_counts", "write_charts"]

CHART_SHEET = "Biểu đồ"
MAX_BARS = 40
_WIDTHS = [32, 14, 14, 12, 14]  # "Mã đơn vị" holds a code such as T-BANCHANG on one line
_ROW = 15.0  # points: the rows a chart covers
_FONT = {"name": FONT, "size": 11}


def field_averages(data: MasterInput, results: Sequence[UnitResult]) -> list[tuple[str, Fraction | None, Fraction]]:
    """(field, average points over the units with a score, field maximum) for every field of the rubric."""
    rubric = data.rubric
    scored = [r.card for r in results if r.card is not None]
    out: list[tuple[str, Fraction | None, Fraction]] = []
    sums = dict.fromkeys(rubric.fields, Fraction(0))
    tops = dict.fromkeys(rubric.fields, Fraction(0))
    field_of = {c.code: c.field for c in rubric.base_criteria}
    for c in rubric.base_criteria:
        tops[c.field] += c.max_fraction
    for card in scored:
        for s in card.criteria:
            if s.code in field_of:
                sums[field_of[s.code]] += s.points
    for field in rubric.fields:
        out.append((field, sums[field] / len(scored) if scored else None, tops[field]))
    return out


def rating_counts(results: Sequence[UnitResult]) -> list[tuple[Rating, int]]:
    """Units per rating, leaving out the units not rated (nothing yet before the deadline, a held or an
    unreadable file: ``UnitResult.unrated``)."""
    counted = [r for r in results if r.rated]
    return [(rating, sum(1 for r in counted if r.rating is rating)) for rating in Rating]


def _chart(book: Book, kind: str, title: str, axis: str) -> Any:
    chart = book.wb.add_chart({"type": kind})
    chart.set_title({"name": title, "name_font": {**_FONT, "size": 12, "bold": True}})
    chart.set_legend({"none": True})
    # the value axis starts at 0: left to itself LibreOffice starts it near the lowest total (84), magnifying
    # small differences between units (new-commune review, defect 20)
    value_axis: dict[str, Any] = {"num_font": _FONT, "major_gridlines": {"visible": False}, "min": 0}
    if kind == "bar":  # a horizontal axis title; a vertical one would print rotated (the title says it all)
        value_axis.update({"name": axis, "name_font": _FONT})
    category_axis = {"num_font": _FONT}
    if kind == "bar":  # horizontal bars: x is the value axis, y the categories (rank 1 on top)
        chart.set_x_axis(value_axis)
        # every unit named (10 pt: this portrait sheet prints at 100 %)
        chart.set_y_axis({"num_font": {**_FONT, "size": 10}, "reverse": True, "interval_unit": 1})
    else:
        chart.set_y_axis(value_axis)
        chart.set_x_axis(category_axis)
    return chart


def _place(sheet: Sheet, chart: Any, rows: int) -> None:
    """Anchor ``chart`` at the next row and reserve ``rows`` rows for it (kept on one page)."""
    start = sheet.row
    width_px = sum(int(w * 7 + 0.5) + 5 for w in _WIDTHS)
    chart.set_size({"width": width_px - 10, "height": int(rows * _ROW * 4 / 3) - 6})
    sheet.ws.insert_chart(start, 0, chart, {"x_offset": 5, "y_offset": 3, "object_position": 1})
    for _ in range(rows):
        sheet.blank(_ROW)
    sheet.keep.append((start, sheet.row))


def write_charts(book: Book, data: MasterInput, results: Sequence[UnitResult]) -> None:
    ranked = [r for r in results if r.card is not None]
    counts = rating_counts(results)
    fields = field_averages(data, results)
    layout = DetailLayout(data.rubric, len(results), data.preset)
    sheet = Sheet(book, CHART_SHEET, _WIDTHS, landscape=False, freeze=False)
    annex_heading(sheet, f"Biểu đồ kết quả năm {data.year}", [f"{data.commune}, {data.province}"] + (
        [] if is_annex(sheet) else
        ["Số đơn vị theo xếp loại và điểm trung bình theo lĩnh vực tự cập nhật khi nhập điểm thẩm định."]))
    sheet.header(["Xếp loại", "Số đơn vị"], repeat=False)
    ratings_area = layout.area(layout.rating_col)
    first_count = sheet.row
    for rating, n in counts:
        sheet.append([sheet.cell(rating.label), sheet.formula(f'COUNTIF({ratings_area},"{rating.label}")', n, "int")])
    by_rating = _chart(book, "column", "Số đơn vị theo xếp loại", "Số đơn vị")
    by_rating.add_series({
        "name": "Số đơn vị",
        "categories": [CHART_SHEET, first_count, 0, first_count + len(counts) - 1, 0],
        "values": [CHART_SHEET, first_count, 1, first_count + len(counts) - 1, 1],
        "fill": {"color": "#4472C4"},
    })
    sheet.blank(8)
    _place(sheet, by_rating, 15)

    sheet.append([sheet.cell("Lĩnh vực", "header"), sheet.cell("Điểm trung bình", "header"),
                  sheet.cell("Điểm tối đa", "header")])
    first_field = sheet.row
    for j, (name, avg, top) in enumerate(fields):
        average: CellItem = (
            sheet.formula(f"AVERAGE({layout.area(layout.field_col(j))})", avg) if avg is not None
            else sheet.cell(None, "num")
        )
        sheet.append([sheet.cell(name), average, sheet.cell(top, "num")])
    by_field = _chart(book, "column", "Điểm trung bình theo lĩnh vực", "Điểm")
    for column, name, color in ((1, "Điểm trung bình", "#4472C4"), (2, "Điểm tối đa", "#A5A5A5")):
        by_field.add_series({
            "name": name,
            "categories": [CHART_SHEET, first_field, 0, first_field + len(fields) - 1, 0],
            "values": [CHART_SHEET, first_field, column, first_field + len(fields) - 1, column],
            "fill": {"color": color},
        })
    by_field.set_legend({"position": "bottom", "font": _FONT})
    sheet.blank(8)
    _place(sheet, by_field, 17)

    shown = ranked[:MAX_BARS]
    sheet.append([sheet.cell("Tên đơn vị", "header"), sheet.cell("Mã đơn vị", "header"),
                  sheet.cell("Tổng điểm", "header"), sheet.cell("Xếp hạng", "header")])
    first_unit = sheet.row
    sheet.keep.append((first_unit - 1, first_unit + 1))
    for res in ranked:
        sheet.append([sheet.cell(res.row.unit.name), sheet.cell(res.code), sheet.cell(res.total, "num"),
                      sheet.cell(res.rank, "int")])
    if shown:
        title = "Tổng điểm theo đơn vị" + (f" ({MAX_BARS} đơn vị đứng đầu)" if len(ranked) > MAX_BARS else "")
        by_unit = _chart(book, "bar", title, "Tổng điểm")
        by_unit.add_series({
            "name": "Tổng điểm",
            "categories": [CHART_SHEET, first_unit, 0, first_unit + len(shown) - 1, 0],
            "values": [CHART_SHEET, first_unit, 2, first_unit + len(shown) - 1, 2],
            "fill": {"color": "#4472C4"},
        })
        sheet.blank(8)
        # room for a two-line name per bar, so LibreOffice prints every unit's label (it drops some when they
        # crowd); at most 36 rows, so the signatures stay on the chart's page
        _place(sheet, by_unit, min(max(12, int(len(shown) * 2.2) + 6), 36))
    finish_sheet(sheet, data.generated_at, autofilter=False)
