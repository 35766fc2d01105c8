""""Biểu đồ": native Excel charts with their data on the same sheet.

Three tables side by side (total by unit, units per rating, average points per field) and three charts over
them. The chart data are values computed when the file is written (appraisals included); they follow staff
edits on the next ``dvk report``.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.legend import Legend
from openpyxl.workbook import Workbook

from schemas import Rating

from .cells import HEADER_ROW, Sheet, Styles
from .data import MasterInput, UnitResult

__all__ = ["CHART_SHEET", "field_averages", "write_charts"]

CHART_SHEET = "Biểu đồ"


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


def _bar(title: str, y_title: str, *, horizontal: bool = False) -> BarChart:
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.title = title
    chart.y_axis.title = y_title
    chart.y_axis.majorGridlines = None
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.style = 10
    chart.legend = None
    return chart


def write_charts(wb: Workbook, styles: Styles, data: MasterInput, results: Sequence[UnitResult]) -> None:
    ranked = [r for r in results if r.card is not None]
    counts = [(rating.label, sum(1 for r in results if r.rating is rating)) for rating in Rating]
    fields = field_averages(data, results)
    sheet = Sheet(wb, CHART_SHEET, [12, 30, 10, 3, 28, 10, 3, 22, 14, 12], styles=styles, landscape=True)
    sheet.title_block(
        [
            f"BIỂU ĐỒ KẾT QUẢ NĂM {data.year}",
            f"{data.commune}, {data.province}",
            "Số liệu của biểu đồ được tính khi lập tệp (đã tính điểm thẩm định).",
        ]
    )
    sheet.header(
        ["Mã đơn vị", "Tên đơn vị", "Tổng điểm", "", "Xếp loại", "Số đơn vị", "", "Lĩnh vực", "Điểm trung bình", "Điểm tối đa"],
        repeat=False,
    )
    for i in range(max(len(ranked), len(counts), len(fields))):
        cells = [None] * 10
        if i < len(ranked):
            res = ranked[i]
            cells[0:3] = [sheet.cell(res.code), sheet.cell(res.row.unit.name), sheet.cell(res.total, "num")]
        if i < len(counts):
            cells[4:6] = [sheet.cell(counts[i][0]), sheet.cell(counts[i][1], "int")]
        if i < len(fields):
            name, avg, top = fields[i]
            cells[7:10] = [sheet.cell(name), sheet.cell(avg, "num"), sheet.cell(top, "num")]
        sheet.append(cells)
    ws = sheet.ws
    first = HEADER_ROW + 1

    by_rating = _bar("Số đơn vị theo xếp loại", "Số đơn vị")
    by_rating.add_data(Reference(ws, min_col=6, min_row=HEADER_ROW, max_row=HEADER_ROW + len(counts)), titles_from_data=True)
    by_rating.set_categories(Reference(ws, min_col=5, min_row=first, max_row=HEADER_ROW + len(counts)))
    by_rating.dataLabels = DataLabelList(showVal=True)
    by_rating.width, by_rating.height = 16, 8
    ws.add_chart(by_rating, "L2")

    by_field = _bar("Điểm trung bình theo lĩnh vực", "Điểm")
    by_field.add_data(Reference(ws, min_col=9, max_col=10, min_row=HEADER_ROW, max_row=HEADER_ROW + len(fields)), titles_from_data=True)
    by_field.set_categories(Reference(ws, min_col=8, min_row=first, max_row=HEADER_ROW + len(fields)))
    by_field.legend = Legend()
    by_field.legend.position = "b"
    by_field.width, by_field.height = 16, 8
    ws.add_chart(by_field, "L19")

    if ranked:
        by_unit = _bar("Tổng điểm theo đơn vị", "Tổng điểm", horizontal=True)
        last = HEADER_ROW + len(ranked)
        by_unit.add_data(Reference(ws, min_col=3, min_row=HEADER_ROW, max_row=last), titles_from_data=True)
        by_unit.set_categories(Reference(ws, min_col=2, min_row=first, max_row=last))
        by_unit.x_axis.scaling.orientation = "maxMin"  # rank 1 on top
        by_unit.width, by_unit.height = 18, min(max(8.0, 0.5 * len(ranked) + 3), 200.0)
        ws.add_chart(by_unit, "L36")
    sheet.finish(autofilter=False)
