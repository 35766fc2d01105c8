"""Untouched: a template holding only what dvk pre-filled, compared cell by cell over the layout's inputs."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from schemas import default_rubric
from schemas.models import Unit, UnitKind
from workbook.fill import fill_template
from workbook.layout import build_layout
from workbook.prefill import prefill_values, untouched
from workbook.reader import read_grid
from workbook.template import write_template

RUBRIC = default_rubric()
LAYOUT = build_layout(RUBRIC)
UNIT = Unit(code="HND", name="Hội Nông dân", kind=UnitKind.MTTQ_DOAN_THE, email="hnd@caominh.example.vn", phone="0209 3870 456")


def _template(tmp_path: Path, unit: Unit = UNIT) -> Path:
    return write_template(tmp_path / f"{unit.code}.xlsx", RUBRIC, year=2026, unit=unit)


def _grid(path: Path):  # type: ignore[no-untyped-def]
    grid, issues = read_grid(path, LAYOUT)
    assert not [i for i in issues if i.is_error]
    return grid


def test_the_unit_template_as_written_and_resaved_is_untouched(tmp_path: Path) -> None:
    path = _template(tmp_path)
    now = prefill_values(LAYOUT, 2026, UNIT)
    assert now["info.contact"] == "0209 3870 456, hnd@caominh.example.vn"
    assert untouched(LAYOUT, _grid(path), [now])
    wb = load_workbook(path)  # saved again by another program: the bytes change, the inputs do not
    wb.save(path)
    assert untouched(LAYOUT, _grid(path), [now])


def test_the_first_typed_value_anywhere_makes_a_submission(tmp_path: Path) -> None:
    now = [prefill_values(LAYOUT, 2026, UNIT)]
    template = _template(tmp_path)
    typed = fill_template(template, tmp_path / "a.xlsx", {"K1.result": 0})
    assert not untouched(LAYOUT, _grid(typed), now)
    table = fill_template(template, tmp_path / "b.xlsx", {}, {"models": [{"name": "Mô hình dân vận khéo"}]})
    assert not untouched(LAYOUT, _grid(table), now)
    renamed = fill_template(template, tmp_path / "c.xlsx", {"info.unit_name": "Hội Nông dân xã Cao Minh"})
    assert not untouched(LAYOUT, _grid(renamed), now)
    cleared = fill_template(template, tmp_path / "d.xlsx", {"info.contact": None})  # nothing typed, one cleared
    assert untouched(LAYOUT, _grid(cleared), now)


def test_the_prefill_dvk_recorded_counts_when_the_registry_changed_since(tmp_path: Path) -> None:
    grid = _grid(_template(tmp_path))
    moved = UNIT.model_copy(update={"phone": None, "email": "hoinongdan@caominh.example.vn"})
    assert not untouched(LAYOUT, grid, [prefill_values(LAYOUT, 2026, moved)])
    assert untouched(LAYOUT, grid, [prefill_values(LAYOUT, 2026, moved), prefill_values(LAYOUT, 2026, UNIT)])
    other = Unit(code="CCB", name="Hội Cựu chiến binh", kind=UnitKind.MTTQ_DOAN_THE)
    assert not untouched(LAYOUT, _grid(_template(tmp_path, other)), [prefill_values(LAYOUT, 2026, UNIT)])


def test_the_blank_template_is_untouched_for_the_year_only(tmp_path: Path) -> None:
    blank = write_template(tmp_path / "mau.xlsx", RUBRIC, year=2026)
    assert untouched(LAYOUT, _grid(blank), [prefill_values(LAYOUT, 2026)])
    assert not untouched(LAYOUT, _grid(blank), [prefill_values(LAYOUT, 2027)])
