"""The rubric dvk ships is named as the default one, neutrally (review D26, new-commune defect 14): another
commune using it unchanged never reads "Cao Minh" on its template; a commune's own rubric is named as it is.
Sheets issued under the earlier name of the same template ("Cao Minh 2026/2026.1/1") stay current."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from schemas.rubric import Rubric, default_rubric, rubric_label
from workbook.template import write_template


def test_the_shipped_rubric_is_called_the_default() -> None:
    assert rubric_label(default_rubric()) == "bộ tiêu chí mặc định của dvk (phiên bản 2026.1)"
    own = default_rubric().model_copy(update={"name": "Tân Lập 2026"})
    assert rubric_label(own) == "bộ tiêu chí “Tân Lập 2026” (phiên bản 2026.1)"


def test_the_template_guide_names_the_default_rubric(tmp_path: Path, rubric: Rubric) -> None:
    path = write_template(tmp_path / "mau.xlsx", rubric, year=2026, commune="xã Tân Lập")
    guide = load_workbook(path).worksheets[0]
    texts = [str(c.value) for row in guide.iter_rows(max_row=4) for c in row if c.value]
    assert "UBND xã Tân Lập — bộ tiêu chí mặc định của dvk (phiên bản 2026.1)" in texts


def test_a_tan_lap_template_never_says_cao_minh(tmp_path: Path, rubric: Rubric) -> None:
    from schemas.models import Unit, UnitKind
    from schemas.office import Letterhead

    unit = Unit(code="KHUONGHA", name="Thôn Khuôn Hạ", kind=UnitKind.THON_XOM)
    path = write_template(tmp_path / "KHUONGHA.xlsx", rubric, year=2026, unit=unit,
                          letterhead=Letterhead(commune="xã Tân Lập", province="Phú Thọ"))
    texts = [str(c.value) for ws in load_workbook(path).worksheets for row in ws.iter_rows() for c in row if c.value]
    assert not [t for t in texts if "Cao Minh" in t or "VP-UBND" in t]
    assert "Mặc định dvk/2026.1/1" in texts


def test_a_sheet_issued_under_the_earlier_name_is_still_current(tmp_path: Path, rubric: Rubric) -> None:
    from workbook.layout import INFO_SHEET, META_VERSION, build_layout
    from workbook.reader import read_workbook

    layout = build_layout(rubric)
    meta = layout.input(META_VERSION).cell
    path = write_template(tmp_path / "mau.xlsx", rubric, year=2026)
    for shown, refused in (("Cao Minh 2026/2026.1/1", False), ("Cao Minh 2026/2025.9/1", True),
                           ("Tân Lập 2026/2026.1/1", True)):
        wb = load_workbook(path)
        wb[INFO_SHEET][meta] = shown
        wb.save(tmp_path / "old.xlsx")
        codes = [i.code for i in read_workbook(tmp_path / "old.xlsx", rubric).issues]
        assert ("template-version-mismatch" in codes) is refused, (shown, codes)
