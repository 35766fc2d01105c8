"""The Layout: every rubric input has one cell, one defined name, and lies inside the ranges read."""

from __future__ import annotations

import re

from openpyxl.utils.cell import range_boundaries

from schemas import INFO_FIELDS, TABLES, Rubric
from workbook.layout import META_VERSION, Layout, build_layout, defined_name_for, split_a1

_EXCEL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
_CELL_LIKE = re.compile(r"^[A-Za-z]{1,3}[0-9]+$")


def _covered(layout: Layout, sheet: str, cell: str) -> bool:
    for rng in layout.ranges():
        title, ref = rng.rsplit("!", 1)
        if title.strip("'").replace("''", "'") != sheet:
            continue
        c1, r1, c2, r2 = range_boundaries(ref)
        c, r, _, _ = range_boundaries(cell)
        if c1 <= c <= c2 and r1 <= r <= r2:  # type: ignore[operator]
            return True
    return False


def test_every_input_of_the_rubric_and_forms_has_one_cell(layout: Layout, rubric: Rubric) -> None:
    names = [i.name for i in layout.inputs]
    expected = (
        [META_VERSION]
        + [f.name for f in INFO_FIELDS]
        + [n for c in rubric.criteria for n in [*(s.name for s in c.inputs), f"{c.code}.evidence"]]
    )
    assert names == expected
    cells = [(i.sheet, i.cell) for i in layout.inputs]
    assert len(set(cells)) == len(cells)
    assert layout.input("K1.target").cell == "F10" and layout.input("Q1.flag").cell == "H14"
    assert layout.input("info.year").role == "integer" and layout.input("S2.level").choices == ("Không có", "Có")


def test_defined_names_are_valid_excel_names(layout: Layout) -> None:
    names = [i.defined_name for i in layout.inputs] + [t.defined_name for t in layout.tables]
    assert len(set(names)) == len(names)
    for name in names:
        assert _EXCEL_NAME.match(name) and not _CELL_LIKE.match(name), name
    assert layout.input("K1.target").defined_name == "dvk_K1_target" == defined_name_for("K1.target")


def test_ranges_cover_every_input_and_table_cell_with_few_ranges(layout: Layout) -> None:
    ranges = layout.ranges()
    assert ranges == (
        "'Thông tin đơn vị'!B3:C13",
        "'Chấm điểm'!A6:I27",
        "'Mô hình'!A4:S39",
        "'Điển hình'!A4:H39",
        "'Đề nghị khen thưởng'!A4:G29",
    )
    for i in layout.inputs:
        assert _covered(layout, i.sheet, i.cell), i.name
    for t in layout.tables:
        assert [c.key for c in t.columns] == [c.key for c in next(s for s in TABLES if s.key == t.key).columns]
        for c in t.columns:
            assert _covered(layout, t.sheet, f"{c.letter}{t.first_row}")
            assert _covered(layout, t.sheet, f"{c.letter}{t.last_row + t.overflow_rows}")


def test_json_names_every_input_and_table(layout: Layout) -> None:
    data = layout.to_json()
    assert data["template_version"] == "Mặc định dvk/2026.1/1"
    assert [i["name"] for i in data["inputs"]] == [i.name for i in layout.inputs]
    k1 = next(i for i in data["inputs"] if i["name"] == "K1.target")
    assert k1 == {
        "name": "K1.target", "sheet": "Chấm điểm", "cell": "F10", "criterion": "K1", "role": "target",
        "type": "number", "choices": [], "label": "Chỉ tiêu được giao", "defined_name": "dvk_K1_target",
    }
    year = next(i for i in data["inputs"] if i["name"] == "info.year")
    assert (year["criterion"], year["role"], year["type"]) == (None, "integer", "integer")
    models = data["tables"][0]
    assert (models["key"], models["sheet"], models["header_row"], models["first_row"], models["max_rows"]) == (
        "models", "Mô hình", 4, 5, 30,
    )
    assert models["columns"][0] == {
        "key": "name", "letter": "B", "label": "Tên mô hình", "type": "text", "choices": [], "required": True,
    }


def test_layout_follows_the_rubric(rubric: Rubric) -> None:
    """A rubric with one criterion fewer moves the rows below it and changes the template version."""
    smaller = rubric.model_copy(update={"criteria": tuple(c for c in rubric.criteria if c.code != "A2"), "version": "x"})
    layout = build_layout(smaller)
    assert layout.template_version == "Cao Minh 2026/x/1"  # not dvk's own rubric any more: named as it is
    assert build_layout(rubric).template_version == "Mặc định dvk/2026.1/1"
    assert build_layout(rubric).legacy_versions == ("Cao Minh 2026/2026.1/1",) and not layout.legacy_versions
    assert layout.input("K1.target").cell == "F9"
    assert "A2.count" not in {i.name for i in layout.inputs}
    assert build_layout(rubric) is build_layout(rubric)  # cached


def test_split_a1() -> None:
    assert split_a1("AB123") == ("AB", 123)
