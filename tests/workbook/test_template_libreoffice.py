"""A real spreadsheet engine recalculates the template: LibreOffice headless opens the blank template and
random fillings (valid and not), computes every formula with no error value, and its points, totals and
rating equal the Python ``score()``. Its saved copies read back to the same Submission."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from schemas import Rubric, Unit, UnitKind, score
from schemas.rubric import InputKind
from schemas.validate import validate
from schemas.values import ERROR_VALUES
from tests.support.libreoffice import recalc_many
from workbook.fill import fill_template
from workbook.grid import to_raw_submission
from workbook.layout import Layout
from workbook.reader import read_workbook
from workbook.template import write_template

from .sheet_support import TABLES, UNITS, valid_values

pytestmark = pytest.mark.libreoffice


def _number(rng: random.Random, *, integer: bool) -> Any:
    kind = rng.random()
    if kind < 0.55:
        return rng.randint(0, 150)
    if kind < 0.7:
        return Decimal(rng.randint(0, 15000)) / 100  # a decimal: not an integer for a count
    if kind < 0.8:
        return 0
    if kind < 0.87:
        return None
    if kind < 0.94:
        return -rng.randint(1, 20)
    return "chưa có số liệu"


def _level(rng: random.Random, choices: tuple[str, ...]) -> Any:
    kind = rng.random()
    if kind < 0.8:
        return rng.choice(choices)
    if kind < 0.88:
        return rng.choice(choices).lower()  # both engines match levels case-insensitively
    if kind < 0.94:
        return None
    return "không rõ"


def random_filling(rng: random.Random, layout: Layout, rubric: Rubric, *, wild: bool) -> dict[str, Any]:
    """A wild filling changes every input; a near one changes a few of a good filling (totals near the
    thresholds, so every rating and cap shows up)."""
    values = valid_values()
    specs = [spec for c in rubric.criteria for spec in c.inputs]
    for spec in specs if wild else rng.sample(specs, rng.randint(0, 4)):
        if spec.kind is InputKind.LEVEL:
            values[spec.name] = _level(rng, spec.choices)
        else:
            values[spec.name] = _number(rng, integer=spec.kind is InputKind.INTEGER)
    if wild and rng.random() < 0.7:  # a survey with a plausible sample
        n = rng.randint(20, 400)
        values["S1.target"], values["S1.result"] = n, rng.randint(0, n)
    values["info.head_discipline"] = rng.choice(("Không", "Không", "Khiển trách", "Cảnh cáo", "Cách chức trở lên"))
    values["info.ko_corruption"] = rng.choice(("Không",) * 5 + ("Có",))
    values["info.ko_prosecuted"] = rng.choice(("Không",) * 5 + ("Có",))
    return values


def _errors_in(path: Path) -> list[tuple[str, str, Any]]:
    wb = load_workbook(path, data_only=True)
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.strip().upper() in ERROR_VALUES:
                    found.append((ws.title, cell.coordinate, cell.value))
    return found


def test_libreoffice_computes_the_same_scores_as_python(tmp_path: Path, blank_template: Path, rubric: Rubric,
                                                        layout: Layout) -> None:
    rng = random.Random(20261215)
    files: list[Path] = [blank_template]
    hnd = Unit(code="HND", name="Hội Nông dân", kind=UnitKind.MTTQ_DOAN_THE)
    files.append(write_template(tmp_path / "hnd-2027.xlsx", rubric, year=2027, unit=hnd))
    files.append(fill_template(blank_template, tmp_path / "tot.xlsx", valid_values(), TABLES))
    for n in range(10):
        filling = random_filling(rng, layout, rubric, wild=n < 3)
        files.append(fill_template(blank_template, tmp_path / f"ngau-nhien-{n}.xlsx", filling,
                                   TABLES if rng.random() < 0.7 else {}))
    outs = recalc_many(files, tmp_path / "lo")

    ratings_seen = set()
    for original, computed in zip(files, outs, strict=True):
        assert _errors_in(computed) == [], original.name
        read = read_workbook(original, rubric, registry={**UNITS, "HND": hnd})
        ws = load_workbook(computed, data_only=True)["Chấm điểm"]
        sub = read.validated.submission
        if original in files[:2]:  # no fact typed yet (blank, or pre-filled for a unit): nothing is scored
            drop_down = next(dv for dv in ws.data_validations.dataValidation if "F6" in dv.sqref)
            assert (drop_down.type, drop_down.formula1) == ("list", "'Danh mục'!$A$2:$A$4")  # LibreOffice kept it
            for name in ("K1.points", "total", "zero_count", "rating"):
                assert ws[layout.output(name).cell].value in (None, ""), name
            continue
        # the template's native formulas preview the points a sheet claims; dvk counts a criterion whose inputs
        # have an error as 0 (tests/workbook/master/test_invalid_not_rated_valid.py): compare the claimed points
        claimed = validate(rubric, to_raw_submission(layout, read.grid), registry={**UNITS, "HND": hnd},
                           zero_invalid=False).submission
        assert claimed is not None
        card = score(rubric, claimed)
        for c in card.criteria:
            native = ws[layout.output(f"{c.code}.points").cell].value
            assert native == pytest.approx(float(c.points), abs=1e-9), (original.name, c.code, native, c.points)
        for name, expected in (("base_total", card.base_total), ("bonus", card.bonus), ("penalty", card.penalty),
                               ("total", card.total)):
            native = ws[layout.output(name).cell].value
            assert round(native, 2) == round(float(expected), 2), (original.name, name)
            assert native == pytest.approx(float(expected), abs=1e-9)
        assert ws[layout.output("zero_count").cell].value == len(card.zero_criteria)
        assert ws[layout.output("rating").cell].value == card.rating.label, (original.name, card.total, card.reasons)
        ratings_seen.add(card.rating)
        # The copy LibreOffice saved reads back to the same Submission (sheet names, dates, numbers kept).
        again = read_workbook(computed, rubric, registry=UNITS)
        assert again.validated.submission == sub, original.name
        assert {i.key() for i in again.issues} == {i.key() for i in read.issues}
    assert len(ratings_seen) >= 3, ratings_seen
    assert Fraction(score(rubric, read_workbook(files[2], rubric).validated.submission).total) > 95  # type: ignore[arg-type]


def test_formula_results_are_read_as_the_unit_saw_them(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    """A formula typed into an input: after a real engine computed it, the reader uses the computed value and
    warns; a formula that fails gives the error value, reported at its cell."""
    values = valid_values(K1_target="=40+60", K1_result="=1/0")
    filled = fill_template(blank_template, tmp_path / "cong-thuc.xlsx", values, TABLES)
    (computed,) = recalc_many([filled], tmp_path / "lo")
    result = read_workbook(computed, rubric, registry=UNITS)
    assert [i.key() for i in result.issues] == [
        ("Chấm điểm", "F10", "formula-in-input"),
        ("Chấm điểm", "G10", "formula-in-input"),
        ("Chấm điểm", "G10", "error-value"),
    ]
    assert result.validated.submission is not None
    assert result.grid[("Chấm điểm", "F10")] == 100  # the computed value
    assert result.validated.submission.facts["K1.target"] is None  # K1 has an error: it counts 0 as a whole
    points = load_workbook(computed, data_only=True)["Chấm điểm"]["J10"].value
    assert points == 0  # the native formula does not let the error through
