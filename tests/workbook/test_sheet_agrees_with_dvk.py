"""The unit's own sheet agrees with dvk (issue 15 item 6): for every way of typing a value that dvk accepts, the
template's native formulas, recalculated by a real engine (LibreOffice), give the same points, total and rating
as dvk; every way dvk understands but the sheet's formulas cannot count (a level without its accents, decomposed
Unicode, a non-breaking space, TRUE/FALSE, a number stored as text) is refused by dvk with an error at its cell.

Levels are chosen where "not read" changes the result (a level worth points, a "Có" that zeroes a criterion or
caps the rating), so a disagreement cannot hide behind a 0 = 0.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from schemas import Rubric, score
from tests.support.libreoffice import recalc_many
from workbook.fill import fill_template
from workbook.layout import Layout
from workbook.reader import read_workbook

from .sheet_support import TABLES, UNITS, valid_values

pytestmark = pytest.mark.libreoffice

#: Level inputs and the choice typed (each worth something, or zeroing / capping when read).
LEVELS: dict[str, str] = {
    "A1.level": "Ban hành chậm",  # 1.5 points
    "A4.level": "Chậm",  # 1 point
    "S2.level": "Không có",  # 3 points
    "D3.level": "Khiển trách",  # 2 points
    "Q1.flag": "Có",  # zeroes Q1 when read
    "info.head_discipline": "Cách chức trở lên",  # the rating is KHT when read
}
#: Number inputs and the value typed.
NUMBERS: dict[str, Any] = {"K1.result": 95.5, "S1.target": 120, "S1.result": 115, "A2.count": 2, "M1.count": 1}


def _unaccented(text: str) -> str:
    """The letters without their accents, the case kept ("Không có" → "Khong co")."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in plain if not unicodedata.combining(ch))


ACCEPTED_LEVELS: dict[str, Callable[[str], Any]] = {
    "dung": lambda c: c,
    "chu-thuong": str.lower,
    "chu-hoa": str.upper,
    "dau-cach": lambda c: "  " + c.replace(" ", "   ") + " ",
}
REFUSED_LEVELS: dict[str, Callable[[str], Any]] = {
    "khong-dau": _unaccented,
    "to-hop": lambda c: unicodedata.normalize("NFD", c),
    "cach-cung": lambda c: "\u00a0" + c.replace(" ", "\u00a0"),
}
ACCEPTED_NUMBERS: dict[str, Callable[[Any], Any]] = {"so": lambda v: v, "so-thuc": float}
REFUSED_NUMBERS: dict[str, Callable[[Any], Any]] = {
    "chu-phay": lambda v: str(v).replace(".", ","),
    "chu-cham": str,
    "chu-phan-tram": lambda v: f"{v}%",
}


def _values(level: Callable[[str], Any] | None, number: Callable[[Any], Any] | None) -> dict[str, Any]:
    values = valid_values(**dict(NUMBERS), **dict(LEVELS))
    if level is not None:
        values.update({name: level(choice) for name, choice in LEVELS.items()})
    if number is not None:
        values.update({name: number(value) for name, value in NUMBERS.items()})
    return values


def test_the_sheet_and_dvk_agree_on_every_accepted_value_and_dvk_refuses_the_rest(
    tmp_path: Path, blank_template: Path, rubric: Rubric, layout: Layout,
) -> None:
    cases: dict[str, tuple[dict[str, Any], bool]] = {}
    for name, level in ACCEPTED_LEVELS.items():
        cases[f"muc-{name}"] = (_values(level, None), True)
    for name, number in ACCEPTED_NUMBERS.items():
        cases[f"so-{name}"] = (_values(None, number), True)
    for name, level in REFUSED_LEVELS.items():
        cases[f"muc-{name}"] = (_values(level, None), False)
    yes_no = valid_values(**dict(NUMBERS), **dict(LEVELS))
    yes_no.update({"Q1.flag": True, "info.ko_corruption": False, "info.ko_prosecuted": False})
    cases["muc-dung-sai"] = (yes_no, False)
    for name, number in REFUSED_NUMBERS.items():
        cases[f"so-{name}"] = (_values(None, number), False)
    files = [fill_template(blank_template, tmp_path / f"{name}.xlsx", values, TABLES) for name, (values, _) in cases.items()]
    computed = recalc_many(files, tmp_path / "lo")

    for (name, (values, accepted)), original, recalculated in zip(cases.items(), files, computed, strict=True):
        read = read_workbook(original, rubric, registry=UNITS)
        sheet = load_workbook(recalculated, data_only=True)["Chấm điểm"]
        errors = {(i.sheet, i.cell): i for i in read.issues if i.is_error}
        if accepted:
            assert not errors, (name, [i.message for i in errors.values()])
            card = score(rubric, read.validated.submission)  # type: ignore[arg-type]
            for c in card.criteria:
                native = sheet[layout.output(f"{c.code}.points").cell].value
                assert native == pytest.approx(float(c.points), abs=1e-9), (name, c.code, native, c.points)
            assert sheet[layout.output("total").cell].value == pytest.approx(float(card.total), abs=1e-9), name
            assert sheet[layout.output("rating").cell].value == card.rating.label, name
            assert card.points("A1") == 1.5 and card.points("Q1") == 0 and card.rating.value == "KHT", name  # all read
            continue
        # refused: the sheet's own formula really cannot read it (here A1's level, K1's result counts 0) …
        if name.startswith("muc-") and name != "muc-dung-sai":
            assert sheet[layout.output("A1.points").cell].value == 0, name
        if name.startswith("so-"):
            assert sheet[layout.output("K1.points").cell].value == 0, name
        # … so dvk refuses it: every changed cell has an error at its own address, its criterion not counted from it
        changed = [n for n in (*LEVELS, *NUMBERS, "info.ko_corruption", "info.ko_prosecuted")
                   if values.get(n) != valid_values(**dict(NUMBERS), **dict(LEVELS)).get(n)]
        assert changed, name
        for input_name in changed:
            where = layout.input(input_name)
            issue = errors.get((where.sheet, where.cell))
            assert issue is not None, (name, input_name, [i.key() for i in read.issues])
            assert issue.code in ("level-not-counted", "number-as-text"), (name, input_name, issue.code)
            criterion = input_name.split(".")[0]
            if criterion != "info":
                assert issue.criterion == criterion
                counted = read.validated.submission
                assert counted is not None and counted.facts.get(input_name) is None, (name, input_name)
