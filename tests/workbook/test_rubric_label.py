"""The rubric dvk ships is named as the default one (review D26): another commune using it unchanged sees
"bộ tiêu chí mặc định của dvk “Cao Minh 2026”", a commune's own rubric is named as it is."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from schemas.rubric import Rubric, default_rubric, rubric_label
from workbook.template import write_template


def test_the_shipped_rubric_is_called_the_default() -> None:
    assert rubric_label(default_rubric()) == "bộ tiêu chí mặc định của dvk “Cao Minh 2026” (phiên bản 2026.1)"
    own = default_rubric().model_copy(update={"name": "Tân Lập 2026"})
    assert rubric_label(own) == "bộ tiêu chí “Tân Lập 2026” (phiên bản 2026.1)"


def test_the_template_guide_names_the_default_rubric(tmp_path: Path, rubric: Rubric) -> None:
    path = write_template(tmp_path / "mau.xlsx", rubric, year=2026, commune="xã Tân Lập")
    guide = load_workbook(path).worksheets[0]
    texts = [str(c.value) for row in guide.iter_rows(max_row=4) for c in row if c.value]
    assert "UBND xã Tân Lập — bộ tiêu chí mặc định của dvk “Cao Minh 2026” (phiên bản 2026.1)" in texts
