"""The unit evaluation template: ``write_template`` builds the .xlsx a unit fills, from the rubric's Layout.

Sheets: "Hướng dẫn", "Thông tin đơn vị", "Chấm điểm", "Mô hình", "Điển hình", "Đề nghị khen thưởng" and the
hidden "Danh mục" (choice lists). Input cells are unlocked and tinted, everything else protected without a
password; every input has a data validation and a workbook-scoped defined name (``dvk_K1_target``).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName

from schemas.errors import WorkbookError
from schemas.forms import INFO_FIELDS, TABLES
from schemas.models import Unit
from schemas.office import Letterhead
from schemas.rubric import Rubric
from schemas.validate import YEARS

from .files import give_file_mode
from .layout import Layout, build_layout, quote_sheet, split_a1
from .styles import fast_styles
from .template_cache import FormulaCache, finish_xlsx
from .template_lists import write_lists
from .template_score import ScoreSheetText, write_score_sheet
from .template_sheets import GuideInfo, table_unit_ref, write_guide, write_info, write_table

__all__ = ["save_workbook", "write_template"]


def _abs(sheet: str, cell: str) -> str:
    letters, row = split_a1(cell)
    return f"{quote_sheet(sheet)}!${letters}${row}"


def _define_names(wb: Workbook, layout: Layout) -> None:
    for item in layout.inputs:
        wb.defined_names[item.defined_name] = DefinedName(item.defined_name, attr_text=_abs(item.sheet, item.cell))
    for out in layout.outputs:
        wb.defined_names[out.defined_name] = DefinedName(out.defined_name, attr_text=_abs(out.sheet, out.cell))
    for table in layout.tables:
        wb.defined_names[table.defined_name] = DefinedName(table.defined_name, attr_text=table.data_ref)


def _extra_lists() -> list[tuple[str, tuple[str, ...]]]:
    lists = [(spec.label, spec.choices) for spec in INFO_FIELDS if spec.choices]
    for table in TABLES:
        lists.extend((f"{table.title} – {c.label}", c.choices) for c in table.columns if c.choices)
    return lists


def write_template(
    path: Path,
    rubric: Rubric,
    *,
    year: int,
    unit: Unit | None = None,
    commune: str | None = None,
    deadline: dt.date | None = None,
    contact: str = "",
    units: Sequence[Unit] = (),
    letterhead: Letterhead | None = None,
) -> Path:
    """Write the evaluation template for ``year`` (pre-filled for ``unit`` if given) to ``path``.

    ``letterhead`` (from ``Settings.letterhead()``) names the commune, the place of the date line and the
    office units ask (``contact`` overrides that line); ``commune`` alone builds one with the defaults.
    ``units`` (optional) lists the unit codes on the guide sheet of a template not made for one unit.
    Formula cells carry the results known now (the blank state, the pre-filled unit) for viewers that do
    not recalculate. The file is written to a temporary name first and renamed, so a reader never sees
    half a file.
    """
    if year not in YEARS:
        raise WorkbookError(
            f"Năm {year} nằm ngoài giai đoạn {YEARS.start}–{YEARS.stop - 1} của phong trào.", path=str(path)
        )
    layout = build_layout(rubric)
    head = letterhead or (Letterhead(commune=commune) if commune else Letterhead())
    info = GuideInfo(year=year, commune=head.commune, deadline=deadline, contact=contact or head.contact, unit=unit,
                     units=tuple(units))
    cache = FormulaCache()
    unit_name = unit.name if unit else ""
    wb = fast_styles(Workbook())
    write_guide(wb, rubric, layout, info)
    # "Danh mục" is written first so lists exist, then moved to the end of the workbook.
    lists = write_lists(wb, rubric, _extra_lists())
    write_info(wb, layout, lists, info)
    write_score_sheet(wb, rubric, layout, lists, ScoreSheetText(year=year, unit_name=unit_name, place=head.date_place),
                      cache)
    unit_ref = table_unit_ref(layout)
    for table, spec in zip(layout.tables, TABLES, strict=True):
        write_table(wb, table, spec.title, lists, year, unit_ref, cache, unit_name)
    lists_ws = wb.worksheets[1]
    wb.move_sheet(lists_ws, offset=len(wb.worksheets) - 2)
    wb.active = 1  # open on "Thông tin đơn vị"
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is wb.worksheets[1]
    _define_names(wb, layout)
    wb.properties.title = f"Phiếu tự đánh giá Dân vận khéo {year}"
    wb.properties.subject = layout.template_version
    wb.properties.creator = "dvk"
    return save_workbook(wb, Path(path), cache)


def save_workbook(wb: Workbook, path: Path, cache: FormulaCache | None = None) -> Path:
    """Save atomically: a temporary file in the same folder, then renamed over ``path``. The saved package
    gets the cached results of ``cache`` and Times New Roman as its default font (``finish_xlsx``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".dvk-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        finish_xlsx(Path(tmp), cache)
        give_file_mode(Path(tmp), path)
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise WorkbookError(f"Không ghi được tệp {path}: {err.strerror or err}.", path=str(path)) from err
    return path
