"""What dvk records of a master's staff cells is exactly what is read back from the file (H3): otherwise a cell
left alone would look like an edit. The write id travels in the file through openpyxl and LibreOffice saves."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from schemas import default_rubric
from tests.support.libreoffice import recalc
from workbook.master import Appraisal, read_staff_edits, write_master
from workbook.master.written import NOTE, STAMP_PROPERTY, cell_token, note_token

from .factory import sample

STORED = {  # stored appraisals (values in the ledger) of awkward shapes, and notes
    "CA": Appraisal(values={"K1": Decimal("2.35"), "M1": Decimal(0)}, note="  Đã xác minh  "),
    "HND": Appraisal(values={"S1": Decimal("2.50")}, note="=không phải công thức"),
    "TYT": Appraisal(values={"D3": Decimal(2)}, note="Dòng một\nDòng hai"),  # a penalty: its size
}
TYPED_INVALID = {"DTN": {"K2 thẩm định": 99, "A1 thẩm định": "abc"}, "CA": {"K2 thẩm định": "=2+3"}}


def _type(path: Path, typed: dict[str, dict[str, object]]) -> None:
    wb = load_workbook(path)
    ws = wb["Chi tiết tiêu chí"]
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Mã đơn vị")
    cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    for r in range(header + 1, ws.max_row + 1):
        for head, value in typed.get(str(ws.cell(r, 1).value), {}).items():
            ws.cell(r, cols[head]).value = value
    wb.save(path)


def _tokens(path: Path) -> tuple[dict[str, dict[str, str]], str | None]:
    staff = read_staff_edits(path, default_rubric())
    out: dict[str, dict[str, str]] = {}
    for code, unit in staff.units.items():
        cells = {key: token for key, cell in unit.values.items() if (token := cell_token(cell)) is not None}
        if (note := note_token(unit.note)) is not None:
            cells[NOTE] = note
        if cells:
            out[code] = cells
    return out, staff.stamp


def test_the_record_of_a_write_is_what_the_file_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "tong-hop.xlsx"
    data = replace(sample(11, seed=3), appraisals=STORED)
    first = write_master(path, data, stamp="lan-1")
    _type(path, TYPED_INVALID)  # invalid values typed: dvk writes them back as typed
    second = write_master(path, data, staff=read_staff_edits(path, default_rubric()), stamp="lan-2")
    assert second.written["DTN"]["K2"] == "?99" and second.written["CA"]["K2"] == "?=2+3"
    assert second.written["CA"]["K1"] == "=2.35" and second.written["TYT"]["D3"] == "=2"
    assert second.written["CA"][NOTE] == "Đã xác minh"
    assert first.written != second.written
    assert _tokens(path) == (second.written, "lan-2")


def test_the_write_id_survives_excel_like_saves(tmp_path: Path) -> None:
    path = tmp_path / "tong-hop.xlsx"
    result = write_master(path, replace(sample(5, seed=1), appraisals=STORED), stamp="abc123")
    wb = load_workbook(path)
    assert [(p.name, p.value) for p in wb.custom_doc_props] == [(STAMP_PROPERTY, "abc123")]
    wb.save(path)  # openpyxl
    assert _tokens(path) == (result.written, "abc123")
    again = recalc(path, tmp_path / "lo")  # LibreOffice opens and saves it as .xlsx
    assert _tokens(again) == (result.written, "abc123")
