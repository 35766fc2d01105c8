"""Text stays text in the template (review H6): a unit name, a rubric's wording or a commune's place that starts
with = + - @ (or is DDE) is a string cell with Excel's quote prefix, never a formula; the unit's own untouched
template is still read as that unit's."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from schemas import Rubric
from schemas.models import Unit, UnitKind
from schemas.office import Letterhead
from workbook.layout import INFO_SHEET, Layout
from workbook.reader import read_workbook
from workbook.template import write_template
from workbook.text_cells import looks_like_formula, put_text

HOSTILE = [
    '=HYPERLINK("http://127.0.0.1:9/","Hội Nông dân")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "=cmd|' /C calc'!A0",
]
MARKERS = (b"127.0.0.1", b"cmd|", b"SUM(1+1)", b"1+1")


def _formulas(path: Path) -> list[bytes]:
    """Every formula of the package that holds one of the hostile texts."""
    found: list[bytes] = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                found += [f for f in re.findall(rb"<f[^>]*>([^<]*)</f>", z.read(name)) if any(m in f for m in MARKERS)]
    return found


def _text_cells(path: Path, texts: list[str]) -> dict[str, list[tuple[str, str, bool]]]:
    """text → [(sheet!cell, data type, quote prefix)] for every cell of the workbook holding one of ``texts``."""
    wb = load_workbook(path)
    out: dict[str, list[tuple[str, str, bool]]] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                for text in texts:
                    if isinstance(cell.value, str) and text in cell.value:
                        out.setdefault(text, []).append((f"{ws.title}!{cell.coordinate}", cell.data_type,
                                                         bool(cell.quotePrefix)))
    return out


@pytest.mark.parametrize("name", HOSTILE)
def test_a_unit_name_from_the_registry_is_text_in_its_template(tmp_path: Path, rubric: Rubric, layout: Layout,
                                                                 name: str) -> None:
    unit = Unit(code="HND", name=name, kind=UnitKind.MTTQ_DOAN_THE, phone="+84 208 3861 114", email="=hnd@example.vn")
    path = write_template(tmp_path / "HND.xlsx", rubric, year=2026, unit=unit)
    assert _formulas(path) == []
    cell = load_workbook(path)[INFO_SHEET][layout.input("info.unit_name").cell]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (name, "s", True)
    contact = load_workbook(path)[INFO_SHEET][layout.input("info.contact").cell]
    assert contact.data_type == "s" and contact.quotePrefix  # "+84 …" typed as a phone number
    # the unit's own untouched template is read as that unit's: the name is not "missing", no formula warning
    read = read_workbook(path, rubric)
    about_name = [i for i in read.issues if i.cell == layout.input("info.unit_name").cell]
    assert about_name == [], about_name
    assert read.grid[(INFO_SHEET, layout.input("info.unit_name").cell)] == name


def test_names_listed_on_the_guide_and_the_commune_text_are_text(tmp_path: Path, rubric: Rubric) -> None:
    units = [Unit(code=f"U{i}", name=text, kind=UnitKind.THON_XOM) for i, text in enumerate(HOSTILE)]
    units.append(Unit(code="-X", name="Thôn có mã lạ", kind=UnitKind.THON_XOM))
    head = Letterhead(commune="=IMPORTXML(\"http://127.0.0.1:9/\",\"//a\")", place="@Cao Minh", office="-Văn phòng",
                      phone="+84 1")
    path = write_template(tmp_path / "t.xlsx", rubric, year=2026, units=units, letterhead=head)
    assert _formulas(path) == []
    cells = _text_cells(path, [*HOSTILE, "@Cao Minh", "-X: Thôn có mã lạ", "-Văn phòng"])
    assert set(cells) == {*HOSTILE, "@Cao Minh", "-X: Thôn có mã lạ", "-Văn phòng"}, cells
    for where in cells.values():
        assert all(kind == "s" for _, kind, _ in where), where
    wb = load_workbook(path)
    for where in cells.values():
        for ref, _, quoted in where:
            sheet, coord = ref.split("!")
            value = wb[sheet][coord].value
            assert quoted == looks_like_formula(value), (ref, value)


def test_a_rubric_worded_like_formulas_is_printed_as_text(tmp_path: Path, rubric: Rubric) -> None:
    first = rubric.criteria[0]
    hostile = rubric.model_copy(update={"criteria": (
        first.model_copy(update={"title": "=1+1", "field": "@SUM(1+1)"}), *rubric.criteria[1:]
    )})
    path = write_template(tmp_path / "t.xlsx", hostile, year=2026)
    assert _formulas(path) == []
    cells = _text_cells(path, ["=1+1", "@SUM(1+1)"])
    assert {kind for where in cells.values() for _, kind, _ in where} == {"s"}, cells


def test_put_text_keeps_every_kind_of_text() -> None:
    from openpyxl import Workbook

    ws = Workbook().active
    assert ws is not None
    for i, text in enumerate([*HOSTILE, "Hội Nông dân", "a\x07b", ""], start=1):
        put_text(ws.cell(i, 1), text)
    got = [(c.value, c.data_type, bool(c.quotePrefix)) for c in ws["A"]]
    assert got[: len(HOSTILE)] == [(t, "s", True) for t in HOSTILE]
    assert got[len(HOSTILE):] == [("Hội Nông dân", "s", False), ("ab", "s", False), (None, "n", False)]
