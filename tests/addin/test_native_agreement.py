"""The Python functions and the template's native formulas agree (LibreOffice recalculates the template)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from addin.functions import dvk_diem, dvk_tongdiem, dvk_xeploai
from schemas import Rubric
from tests.support.libreoffice import recalc
from workbook.fill import fill_template
from workbook.layout import Layout
from workbook.template import write_template

from .test_checks import GOOD

VARIANT = {
    **GOOD, "A1.level": "Ban hành chậm", "K1.result": 37.5, "V2.result": 0, "Q1.flag": "Có", "S1.result": 101,
    "P2.result": 7, "P3.count": 1, "D3.level": "Khiển trách", "B1.province": 2, "M1.count": 2, "H1.result": 11,
    "info.head_discipline": "Khiển trách",
}


@pytest.mark.libreoffice
@pytest.mark.parametrize("values", [GOOD, VARIANT], ids=["good", "variant"])
def test_points_total_and_rating_match_the_template_formulas(
    tmp_path: Path, rubric: Rubric, layout: Layout, values: dict[str, Any]
) -> None:
    template = write_template(tmp_path / "mau.xlsx", rubric, year=2026)
    filled = fill_template(template, tmp_path / "phieu.xlsx", values)
    wb = openpyxl.load_workbook(recalc(filled, tmp_path / "lo"), data_only=True)
    points = []
    for c in rubric.criteria:
        inputs = [wb[i.sheet][i.cell].value for i in (layout.input(s.name) for s in c.inputs)]
        native = wb[layout.output(f"{c.code}.points").sheet][layout.output(f"{c.code}.points").cell].value
        assert dvk_diem(c.code, *inputs) == pytest.approx(native, abs=1e-9), c.code
        points.append(native)
    out = {o.name: wb[o.sheet][o.cell].value for o in layout.outputs}
    assert dvk_tongdiem([points]) == pytest.approx(out["total"], abs=1e-9)
    info = wb["Thông tin đơn vị"]
    head = layout.input("info.head_discipline")
    ko = [layout.input("info.ko_corruption"), layout.input("info.ko_prosecuted")]
    rating = dvk_xeploai([points], info[head.cell].value, [[info[k.cell].value] for k in ko])
    assert rating == out["rating"]
