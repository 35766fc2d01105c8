"""The reader: a valid filling reads back; each bad input gives its Issue at its cell, or a file-level error."""

from __future__ import annotations

import shutil
import unicodedata
import zipfile
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.styles import Font

from schemas import Rubric, UnsafeFileError, WorkbookError, score
from workbook.legacy_text import from_unicode
from workbook.reader import ReadResult, read_grid, read_workbook

from .sheet_support import TABLES, UNITS, fill, valid_values

Edit = Callable[[Any], None]


def _filled(tmp_path: Path, template: Path, values: dict[str, Any] | None = None,
            tables: dict[str, list[dict[str, Any]]] | None = None, edit: Edit | None = None) -> Path:
    path = fill(template, tmp_path / "phieu.xlsx", values, tables)
    if edit is not None:
        wb = load_workbook(path)
        edit(wb)
        wb.save(path)
    return path


def _read(path: Path, rubric: Rubric) -> ReadResult:
    return read_workbook(path, rubric, registry=UNITS)


def _keys(result: ReadResult, *codes: str) -> list[tuple[str | None, str | None, str]]:
    return [i.key() for i in result.issues if not codes or i.code in codes]


def test_a_valid_filling_reads_back(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    result = _read(_filled(tmp_path, blank_template), rubric)
    assert result.issues == ()
    sub = result.validated.submission
    assert sub is not None and sub.unit_code == "VP-UBND" and sub.year == 2026
    assert str(sub.facts["K1.result"]) == "92.5" and sub.facts["Q1.flag"] == "Không"
    assert sub.evidence == {"K1": "Báo cáo số 12/BC-UBND ngày 05/12/2026"}
    assert sub.models[0].name == "Dân vận khéo trong chuyển đổi số" and str(sub.models[0].start_date) == "2026-03-01"
    assert sub.info.signed_on is not None and sub.info.signed_on.isoformat() == "2026-12-10"
    card = score(rubric, sub)
    # A 10 + K1 7.4 + K2 4 + V1 8 + V2 3 + Q 12 + H 12 + S1 10 + S2 3 + P1 110/12 + P2 3 + P3 2 + D 11, bonus 1
    assert card.total == Fraction(2867, 30)


def test_xlsm_is_read(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    path = shutil.copy(_filled(tmp_path, blank_template), tmp_path / "phieu.xlsm")
    assert _read(Path(path), rubric).issues == ()


# --- file-level errors (preflight) -----------------------------------------------------------------------


def test_old_xls_is_refused(tmp_path: Path, rubric: Rubric) -> None:
    path = tmp_path / "cu.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    with pytest.raises(UnsafeFileError, match=r"định dạng Excel cũ \(\.xls\)") as err:
        _read(path, rubric)
    assert err.value.context["reason"] == "legacy-xls"


def test_csv_renamed_xlsx_is_refused(tmp_path: Path, rubric: Rubric) -> None:
    path = tmp_path / "phieu.xlsx"
    path.write_text("Mã đơn vị;Năm\nVP-UBND;2026\n", encoding="utf-8")
    with pytest.raises(UnsafeFileError, match=r"phieu\.xlsx") as err:
        _read(path, rubric)
    assert err.value.context["reason"] == "not-a-zip"


def test_password_protected_file_is_refused(tmp_path: Path, rubric: Rubric) -> None:
    path = tmp_path / "mat-khau.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024) + "EncryptedPackage".encode("utf-16-le") + bytes(4096))
    with pytest.raises(UnsafeFileError, match="mật khẩu") as err:
        _read(path, rubric)
    assert err.value.context["reason"] == "encrypted"


def test_zip_bomb_is_refused(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    path = shutil.copy(_filled(tmp_path, blank_template), tmp_path / "bom.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/media/image1.bin", bytes(60 * 2**20))
    with pytest.raises(UnsafeFileError) as err:
        _read(Path(path), rubric)
    assert err.value.context["reason"] == "zip-bomb"


def test_absurd_dimension_is_refused(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    src = _filled(tmp_path, blank_template)
    dst = tmp_path / "rong.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":
                start = data.index(b"<dimension ref=\"")
                end = data.index(b"\"", start + 16)
                data = data[:start] + b"<dimension ref=\"A1:XFD1048576" + data[end:]
            zout.writestr(item, data)
    with pytest.raises(UnsafeFileError) as err:
        _read(dst, rubric)
    assert err.value.context["reason"] == "absurd-dimension"


def test_xml_entities_are_refused(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    src = _filled(tmp_path, blank_template)
    dst = tmp_path / "laughs.xlsx"
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = bomb + data
            zout.writestr(item, data)
    with pytest.raises(UnsafeFileError):
        _read(dst, rubric)


def test_a_damaged_workbook_is_a_workbook_error(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    src = _filled(tmp_path, blank_template)
    dst = tmp_path / "hong.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data[: len(data) // 2]
            zout.writestr(item, data)
    with pytest.raises(WorkbookError, match=r"hong\.xlsx"):
        _read(dst, rubric)


# --- issues at a cell ----------------------------------------------------------------------------------


def test_another_template_version(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    def edit(wb: Any) -> None:
        wb["Thông tin đơn vị"]["C3"] = "Cao Minh 2026/2025.9/1"

    result = _read(_filled(tmp_path, blank_template, edit=edit), rubric)
    assert _keys(result) == [("Thông tin đơn vị", "C3", "template-version-mismatch")]
    assert result.validated.submission is None
    assert "Cao Minh 2026/2025.9/1" in result.issues[0].message


def test_missing_template_version_is_a_warning(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    def edit(wb: Any) -> None:
        wb["Thông tin đơn vị"]["C3"] = None

    result = _read(_filled(tmp_path, blank_template, edit=edit), rubric)
    assert _keys(result) == [("Thông tin đơn vị", "C3", "template-version-missing")]
    assert result.ok


def test_unit_not_in_registry(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    result = _read(_filled(tmp_path, blank_template, valid_values(info_unit_code="XYZ")), rubric)
    assert _keys(result) == [("Thông tin đơn vị", "C4", "unknown-unit")]
    assert result.validated.submission is None


@pytest.mark.parametrize("year", [2025, 2031])
def test_year_outside_the_plan(tmp_path: Path, blank_template: Path, rubric: Rubric, year: int) -> None:
    result = _read(_filled(tmp_path, blank_template, valid_values(info_year=year)), rubric)
    assert _keys(result) == [("Thông tin đơn vị", "C6", "year-out-of-range")]


def test_renamed_sheet(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    def edit(wb: Any) -> None:
        wb["Chấm điểm"].title = "Chấm điểm (2)"

    result = _read(_filled(tmp_path, blank_template, edit=edit), rubric)
    assert _keys(result) == [("Chấm điểm", None, "sheet-missing")]
    assert "“Chấm điểm (2)”" in result.issues[0].message
    assert not result.ok


def test_deleted_sheet(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    def edit(wb: Any) -> None:
        del wb["Mô hình"]

    result = _read(_filled(tmp_path, blank_template, edit=edit), rubric)
    # A3 says "Có" and B1 claims a recognised model, but the models table cannot be read: the core reports both.
    assert _keys(result) == [("Mô hình", None, "sheet-missing"), ("Chấm điểm", "F8", "models-table-empty"),
                             ("Chấm điểm", "F26", "bonus-not-recognised")]


def test_rows_typed_below_a_table(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    registered = {k: v for k, v in TABLES["models"][0].items() if k not in ("recognition_level", "decision_no", "decision_date")}
    rows = TABLES["models"] + [{**registered, "status": "Đăng ký"}] * 30  # one recognised: B1 "Được xã công nhận" = 1
    result = _read(_filled(tmp_path, blank_template, tables={"models": rows}), rubric)
    assert _keys(result) == [("Mô hình", "B35", "table-extra-rows")]
    assert result.validated.submission is not None and len(result.validated.submission.models) == 30


def test_row_inserted_in_the_score_sheet(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    def edit(wb: Any) -> None:
        wb["Chấm điểm"].insert_rows(10)

    result = _read(_filled(tmp_path, blank_template, edit=edit), rubric)
    assert ("Chấm điểm", "A10", "layout-changed") in _keys(result)
    assert len(_keys(result, "layout-changed")) == 1


def test_row_deleted_in_a_table_and_header_renamed(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    def edit(wb: Any) -> None:
        wb["Điển hình"].delete_rows(7)
        wb["Đề nghị khen thưởng"]["D4"] = "Hình thức"

    result = _read(_filled(tmp_path, blank_template, edit=edit), rubric)
    assert _keys(result) == [("Điển hình", "A7", "layout-changed"), ("Đề nghị khen thưởng", "D4", "layout-changed")]


def test_formula_in_an_input_cell(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    result = _read(_filled(tmp_path, blank_template, valid_values(K1_target="=50+50")), rubric)
    # openpyxl stores no computed value, so the value seen is blank: reported as missing too.
    assert _keys(result) == [("Chấm điểm", "F10", "formula-in-input"), ("Chấm điểm", "F10", "required-missing")]
    assert "=50+50" in result.issues[0].message
    # one story for the cell: the warning names the criterion and says the blank value is taken as not typed
    assert result.issues[0].criterion == "K1" and "coi ô này là chưa nhập" in result.issues[0].message


def test_error_value_in_an_input_cell(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    result = _read(_filled(tmp_path, blank_template, valid_values(K1_result="#DIV/0!")), rubric)
    assert _keys(result) == [("Chấm điểm", "G10", "error-value")]


def test_text_in_a_number_cell(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    result = _read(_filled(tmp_path, blank_template, valid_values(S1_result="khoảng 100")), rubric)
    assert _keys(result) == [("Chấm điểm", "G18", "value-not-a-number")]


def test_number_typed_as_text(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    result = _read(_filled(tmp_path, blank_template, valid_values(K2_result="12,5")), rubric)
    assert _keys(result) == [("Chấm điểm", "G11", "number-as-text")]
    assert result.issues[0].is_error  # the sheet's formula counts it 0: dvk refuses it rather than count more
    assert "đọc được là 12,5" in result.issues[0].message  # the decimal comma the message asks users to type
    assert result.validated.submission is not None
    assert result.validated.submission.facts["K2.result"] is None  # K2 counts 0, as in the unit's own sheet


def test_merged_input_cells(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    def edit(wb: Any) -> None:
        wb["Chấm điểm"].merge_cells("F10:G10")

    result = _read(_filled(tmp_path, blank_template, edit=edit), rubric)
    assert _keys(result) == [("Chấm điểm", "F10", "merged-input-cell"), ("Chấm điểm", "G10", "required-missing")]


@pytest.mark.parametrize(("font", "encoding"), [(".VnTime", "tcvn3"), ("VNI-Times", "vni")])
def test_legacy_encoding_is_converted(tmp_path: Path, blank_template: Path, rubric: Rubric, font: str, encoding: str) -> None:
    text = "Báo cáo số 12 của Hội Nông dân"
    legacy = from_unicode(text, encoding)  # type: ignore[arg-type]
    assert legacy != text

    def edit(wb: Any) -> None:
        cell = wb["Chấm điểm"]["I10"]
        cell.value = legacy
        cell.font = Font(name=font, size=12)

    result = _read(_filled(tmp_path, blank_template, edit=edit), rubric)
    assert _keys(result) == [("Chấm điểm", "I10", "legacy-encoding-converted")]
    assert result.validated.submission is not None
    assert result.validated.submission.evidence["K1"] == text
    assert result.grid[("Chấm điểm", "I10")] == text


def test_legacy_text_without_its_font_is_reported(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    legacy = from_unicode("Trường Tiểu học Việt Bắc", "tcvn3")
    result = _read(_filled(tmp_path, blank_template, valid_values(info_head=legacy)), rubric)
    assert _keys(result) == [("Thông tin đơn vị", "C7", "legacy-encoding-suspected")]


def test_decomposed_unicode_is_reported_and_normalised(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hoà")
    result = _read(_filled(tmp_path, blank_template, valid_values(info_head=nfd)), rubric)
    assert _keys(result) == [("Thông tin đơn vị", "C7", "text-not-nfc")]
    assert result.validated.submission is not None
    assert result.validated.submission.info.head == unicodedata.normalize("NFC", "Nguyễn Thị Hoà")
    assert result.grid[("Thông tin đơn vị", "C7")] == nfd  # the grid keeps what was typed


def test_read_grid_reads_only_the_ranges(tmp_path: Path, blank_template: Path, rubric: Rubric) -> None:
    from workbook.layout import build_layout

    def edit(wb: Any) -> None:
        wb["Chấm điểm"]["Z500"] = "ngoài vùng"

    layout = build_layout(rubric)
    grid, issues = read_grid(_filled(tmp_path, blank_template, edit=edit), layout)
    assert issues == []
    assert ("Chấm điểm", "Z500") not in grid
    assert grid[("Chấm điểm", "A6")] == "A1" and grid[("Mô hình", "A5")] == 1
    assert len(grid) == 2 * 11 + 9 * 22 + 19 * 36 + 8 * 36 + 7 * 26
