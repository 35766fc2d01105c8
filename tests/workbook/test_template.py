"""The template file: sheets, defined names, data validation, protection, print setup, pre-filling."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.workbook import Workbook

from schemas import Rubric, Unit, UnitKind, WorkbookError
from workbook.layout import Layout
from workbook.template import write_template

from .sheet_support import UNITS

SHEETS = ["Hướng dẫn", "Thông tin đơn vị", "Chấm điểm", "Mô hình", "Điển hình", "Đề nghị khen thưởng", "Danh mục"]


@pytest.fixture(scope="module")
def wb(blank_template: Path) -> Workbook:
    return load_workbook(blank_template)


def _validation(wb: Workbook, sheet: str, cell: str):  # type: ignore[no-untyped-def]
    found = [dv for dv in wb[sheet].data_validations.dataValidation if cell in dv.sqref]
    assert len(found) == 1, (sheet, cell, found)
    return found[0]


def _list_values(wb: Workbook, formula: str) -> list[str]:
    sheet, ref = formula.lstrip("=").rsplit("!", 1)
    ws = wb[sheet.strip("'")]
    c1, r1, _c2, r2 = range_boundaries(ref.replace("$", ""))
    return [ws.cell(row=r, column=c1).value for r in range(r1, r2 + 1)]  # type: ignore[arg-type, misc]


def test_sheets_in_order_lists_hidden(wb: Workbook) -> None:
    assert wb.sheetnames == SHEETS
    assert wb["Danh mục"].sheet_state == "hidden"
    assert [ws.sheet_state for ws in wb.worksheets[:-1]] == ["visible"] * 6
    assert wb.active.title == "Thông tin đơn vị"  # type: ignore[union-attr]


def test_every_input_has_a_defined_name_and_a_validation_with_an_error_message(wb: Workbook, layout: Layout) -> None:
    for item in layout.inputs:
        dn = wb.defined_names[item.defined_name]
        assert list(dn.destinations) == [(item.sheet, "$" + "$".join(_split(item.cell)))], item.name
        dv = _validation(wb, item.sheet, item.cell)
        assert dv.showErrorMessage and dv.errorStyle == "stop", item.name
        assert dv.error and dv.errorTitle and len(dv.errorTitle) <= 32 and len(dv.error) <= 225, item.name
        if item.type == "level":
            assert dv.type == "list"
            assert _list_values(wb, dv.formula1) == list(item.choices), item.name
        else:
            assert dv.type == {"number": "decimal", "integer": "whole", "date": "date", "text": "textLength"}[item.type]
    for table in layout.tables:
        assert wb.defined_names[table.defined_name].attr_text == table.data_ref
        for col in table.columns:
            dv = _validation(wb, table.sheet, f"{col.letter}{table.first_row}")
            assert f"{col.letter}{table.first_row}:{col.letter}{table.last_row}" in str(dv.sqref)
            assert dv.showErrorMessage
            if col.choices:
                assert _list_values(wb, dv.formula1) == list(col.choices)


def _split(cell: str) -> tuple[str, str]:
    letters = cell.rstrip("0123456789")
    return letters, cell[len(letters):]


def test_year_validation_and_messages_are_vietnamese(wb: Workbook, layout: Layout) -> None:
    year = _validation(wb, "Thông tin đơn vị", layout.input("info.year").cell)
    assert (year.type, year.operator, year.formula1, year.formula2) == ("whole", "between", "2026", "2030")
    k1 = _validation(wb, "Chấm điểm", layout.input("K1.target").cell)
    assert "phải là một số không âm" in k1.error
    assert k1.promptTitle.startswith("K1 – Chỉ tiêu") and k1.showInputMessage


def test_inputs_unlocked_and_tinted_everything_else_protected(wb: Workbook, layout: Layout) -> None:
    for title in SHEETS[:-1]:
        assert wb[title].protection.sheet is True
        assert wb[title].protection.password is None
    inputs = {(i.sheet, i.cell) for i in layout.inputs if not i.name.startswith("meta.")}
    for t in layout.tables:
        inputs |= {(t.sheet, f"{c.letter}{r}") for c in t.columns for r in range(t.first_row, t.last_row + 1)}
    for sheet, cell in inputs:
        c = wb[sheet][cell]
        assert c.protection.locked is False, (sheet, cell)
        assert c.fill.fgColor.rgb == "00FFF2CC", (sheet, cell)
    for sheet, cell in [("Chấm điểm", "A10"), ("Chấm điểm", "J10"), ("Chấm điểm", "H10"), ("Thông tin đơn vị", "C3"),
                        ("Thông tin đơn vị", "B4"), ("Mô hình", "A5"), ("Mô hình", "B35")]:
        assert wb[sheet][cell].protection.locked is True, (sheet, cell)


def test_print_setup_and_frozen_panes(wb: Workbook) -> None:
    for title, landscape in [("Hướng dẫn", False), ("Thông tin đơn vị", False), ("Chấm điểm", True), ("Mô hình", True)]:
        ws = wb[title]
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.page_setup.orientation == ("landscape" if landscape else "portrait")
        # never shrunk to fit: a fixed scale that keeps 11 pt text at 8 pt or more
        assert not ws.sheet_properties.pageSetUpPr.fitToPage
        assert 75 <= ws.page_setup.scale <= 100, title
    assert wb["Chấm điểm"].print_title_rows == "$5:$5"
    assert wb["Mô hình"].print_title_rows == "$4:$4"
    # 19 columns: printed across pages, number and name repeated, whole columns per page
    assert wb["Mô hình"].print_title_cols == "$A:$B"
    assert wb["Mô hình"].col_breaks.count >= 2
    assert wb["Mô hình"].page_setup.pageOrder == "overThenDown"
    assert wb["Chấm điểm"].freeze_panes == "D6"
    assert wb["Mô hình"].freeze_panes == "C5"
    assert wb["Chấm điểm"].column_dimensions["C"].width >= 30


def test_formulas_version_and_year(wb: Workbook, layout: Layout) -> None:
    ws = wb["Chấm điểm"]
    entered = "COUNTA($F$6:$H$27)>0"  # blank until the unit has typed a fact
    assert ws["J10"].value == (
        f"=IF({entered},IF(IF(ISNUMBER(F10),F10>=0,FALSE),IF(F10=0,0,IF(IF(ISNUMBER(G10),G10>=0,FALSE),"
        '8*MIN(G10/F10,1),0)),0),"")'
    )
    assert ws[layout.output("total").cell].value == f'=IF({entered},J29+J30-J31,"")'
    assert ws[layout.output("rating").cell].value.startswith(f"=IF({entered},CHOOSE(MAX(")
    info = wb["Thông tin đơn vị"]
    assert info["C3"].value == layout.template_version
    assert info[layout.input("info.year").cell].value == 2026
    assert info[layout.input("info.unit_code").cell].value is None
    assert "Hạn gửi phiếu: 15/12/2026" in "\n".join(str(c.value) for c in wb["Hướng dẫn"]["A"] if c.value)


def test_prefilled_for_a_unit(tmp_path: Path, rubric: Rubric, layout: Layout) -> None:
    unit = Unit(code="HND", name="Hội Nông dân", kind=UnitKind.MTTQ_DOAN_THE, email="hnd@caominh.vn")
    path = write_template(tmp_path / "HND.xlsx", rubric, year=2027, unit=unit, deadline=dt.date(2027, 12, 10),
                          contact="chị Hoa, 0912 345 678")
    wb = load_workbook(path)
    info = wb["Thông tin đơn vị"]
    assert info[layout.input("info.unit_code").cell].value == "HND"
    assert info[layout.input("info.unit_name").cell].value == "Hội Nông dân"
    assert info[layout.input("info.year").cell].value == 2027
    assert info[layout.input("info.contact").cell].value == "hnd@caominh.vn"
    guide = "\n".join(str(c.value) for c in wb["Hướng dẫn"]["A"] if c.value)
    assert "Hạn gửi phiếu: 10/12/2027" in guide and "chị Hoa, 0912 345 678" in guide and "mã đơn vị HND" in guide


def test_guide_lists_unit_codes(tmp_path: Path, rubric: Rubric) -> None:
    path = write_template(tmp_path / "t.xlsx", rubric, year=2026, units=list(UNITS.values()))
    guide = "\n".join(str(c.value) for c in load_workbook(path)["Hướng dẫn"]["A"] if c.value)
    assert "THON-NA-MO: Thôn Nà Mò" in guide


def test_year_outside_the_plan_is_refused(tmp_path: Path, rubric: Rubric) -> None:
    with pytest.raises(WorkbookError, match="2031 nằm ngoài giai đoạn 2026–2030"):
        write_template(tmp_path / "t.xlsx", rubric, year=2031)
    assert not (tmp_path / "t.xlsx").exists()


def test_small_and_leaves_no_temporary_file(tmp_path: Path, rubric: Rubric) -> None:
    path = write_template(tmp_path / "t.xlsx", rubric, year=2026)
    assert path.stat().st_size < 60_000
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]  # no temporary file left behind


def test_cached_results_for_viewers_that_do_not_recalculate(tmp_path: Path, rubric: Rubric, layout: Layout) -> None:
    """Protected View and previews show the stored result of a formula: the template stores those known now."""
    unit = Unit(code="HND", name="Hội Nông dân", kind=UnitKind.MTTQ_DOAN_THE)
    path = write_template(tmp_path / "HND.xlsx", rubric, year=2027, unit=unit)
    formulas = load_workbook(path)
    values = load_workbook(path, data_only=True)
    score = values["Chấm điểm"]
    assert formulas["Chấm điểm"]["A1"].value.startswith("=")  # still a native formula …
    assert score["A1"].value == "PHIẾU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM PHONG TRÀO THI ĐUA “DÂN VẬN KHÉO” NĂM 2027"  # … with its result
    assert score["A2"].value == "Đơn vị: Hội Nông dân"
    assert values["Mô hình"]["A2"].value == "Đơn vị: Hội Nông dân"
    # no fact typed yet: points, totals and rating are blank, not "0 … Không hoàn thành nhiệm vụ"
    for name in ("K1.points", "base_total", "total", "zero_count", "rating"):
        assert score[layout.output(name).cell].value in ("", None), name
    cached = sum(1 for ws in formulas.worksheets for row in ws.iter_rows() for c in row
                 if isinstance(c.value, str) and c.value.startswith("="))
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet3.xml").decode("utf-8")
    assert sheet.count("<f>") == sheet.count("</f><v>") and cached >= 30


def test_every_font_is_times_new_roman(blank_template: Path) -> None:
    with zipfile.ZipFile(blank_template) as z:
        styles = z.read("xl/styles.xml").decode("utf-8")
    names = re.findall(r'<name val="([^"]+)"', styles)
    assert len(names) >= 5 and set(names) == {"Times New Roman"}
    assert "<scheme" not in styles  # not tied to the theme's Calibri


def test_contact_office_comes_from_the_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sync.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "dvk.toml").write_text(
        '[commune]\nname = "xã Tân Lập"\noffice = "Văn phòng HĐND và UBND xã Tân Lập"\nphone = "0208.3861114"\n',
        encoding="utf-8",
    )
    assert main(["template", "--config", "dvk.toml", "--year", "2026", "--out", "t.xlsx"]) == 0
    guide = "\n".join(str(c.value) for c in load_workbook(tmp_path / "t.xlsx")["Hướng dẫn"]["A"] if c.value)
    assert "Hỏi đáp, hỗ trợ: Văn phòng HĐND và UBND xã Tân Lập — 0208.3861114." in guide
    assert "Phòng Văn hóa – Xã hội" not in guide
    sign = load_workbook(tmp_path / "t.xlsx")["Chấm điểm"]
    assert "Tân Lập, ngày … tháng … năm …" in [c.value for row in sign.iter_rows() for c in row]


def test_guide_fits_a4_portrait_and_slot_marks_are_plain(wb: Workbook) -> None:
    from workbook.styles import column_points, printable

    guide = wb["Hướng dẫn"]
    assert column_points(guide.column_dimensions["A"].width) * guide.page_setup.scale / 100 <= printable(False)[0]
    title = guide.row_dimensions[1].height
    assert title >= 2 * 14  # the title's two lines
    texts = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert not any(ch in t for t in texts for ch in "①②③④⑤")
    assert wb["Chấm điểm"]["F5"].value.startswith("(1) ")


def test_style_lists_by_identity_write_the_same_file(tmp_path: Path, rubric: Rubric,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """`fast_styles` only skips re-hashing a style object already used: every part of the file is the same as
    with openpyxl's own lists (docProps carry the time of writing)."""
    import workbook.template as template

    unit = next(iter(UNITS.values()))
    fast = write_template(tmp_path / "fast.xlsx", rubric, year=2026, unit=unit)
    monkeypatch.setattr(template, "fast_styles", lambda wb: wb)
    plain = write_template(tmp_path / "plain.xlsx", rubric, year=2026, unit=unit)
    with zipfile.ZipFile(fast) as a, zipfile.ZipFile(plain) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if not name.startswith("docProps/"):
                assert a.read(name) == b.read(name), name
        styles = a.read("xl/styles.xml").decode()
    assert styles.count("<font>") + styles.count("<font ") > 3  # the file does use several fonts
