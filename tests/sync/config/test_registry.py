"""Reading the units registry from CSV and .xlsx files; tolerant kinds; Vietnamese errors naming the row."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from schemas.errors import ConfigError
from schemas.models import UnitKind
from sync.config.registry import parse_kind, read_registry, sorted_units, spreadsheet_id

SHEET_ID = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
URL = f"https://docs.google.com/spreadsheets/d/{SHEET_ID}/edit#gid=0"


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _rows(units: list) -> list[tuple]:
    return [(u.code, u.name, u.kind, u.email, u.sheet) for u in units]


def test_csv_with_bom_semicolons_and_vietnamese_headers(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "don-vi.csv",
        "\ufeffMã đơn vị;Tên đơn vị;Loại;Email;Bảng tính\n"
        f"VP;Văn phòng HĐND và UBND;Phòng, ban;vp@caominh.vn;{URL}\n"
        "\n"
        "NAMO;Thôn Nà Mò;thon xom;;\n"
        "MTTQ;Ủy ban MTTQ Việt Nam xã;MTTQ, ĐOÀN THỂ;;" + SHEET_ID + "-2\n",
    )
    assert _rows(read_registry(path)) == [
        ("VP", "Văn phòng HĐND và UBND", UnitKind.PHONG_BAN, "vp@caominh.vn", SHEET_ID),
        ("NAMO", "Thôn Nà Mò", UnitKind.THON_XOM, None, None),
        ("MTTQ", "Ủy ban MTTQ Việt Nam xã", UnitKind.MTTQ_DOAN_THE, None, SHEET_ID + "-2"),
    ]


def test_csv_with_commas_and_english_or_bilingual_headers(tmp_path: Path) -> None:
    english = _write(tmp_path / "units.csv", 'code,name,kind,email\nTYT,Trạm Y tế,"Đơn vị thuộc UBND xã",\n')
    assert _rows(read_registry(english)) == [("TYT", "Trạm Y tế", UnitKind.DON_VI_THUOC, None, None)]
    bilingual = _write(tmp_path / "b.csv", 'Mã đơn vị/code,Tên đơn vị/name,Loại/kind\nKT,Phòng Kinh tế,"Phòng, ban"\n')
    assert _rows(read_registry(bilingual)) == [("KT", "Phòng Kinh tế", UnitKind.PHONG_BAN, None, None)]


def test_decomposed_names_are_stored_in_nfc(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Thôn Bản Chang")
    path = _write(tmp_path / "u.csv", f"code,name,kind\nBC,{nfd},Thôn, xóm\n".replace("Thôn, xóm", '"Thôn, xóm"'))
    assert read_registry(path)[0].name == "Thôn Bản Chang"


def test_xlsx_registry(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Mã đơn vị", "Tên đơn vị", "Loại", "Email", "Bảng tính", "Ghi chú"])
    ws.append(["HND", "Hội Nông dân", "MTTQ, đoàn thể", "hnd@caominh.vn", URL, "thêm cột khác cũng được"])
    ws.append([None, None, None, None, None, None])
    ws.append(["TH", "Trường Tiểu học Cao Minh", "Đơn vị thuộc UBND xã", None, None, None])
    path = tmp_path / "don-vi.xlsx"
    wb.save(path)
    assert _rows(read_registry(path)) == [
        ("HND", "Hội Nông dân", UnitKind.MTTQ_DOAN_THE, "hnd@caominh.vn", SHEET_ID),
        ("TH", "Trường Tiểu học Cao Minh", UnitKind.DON_VI_THUOC, None, None),
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("code,name,kind\nVP,Văn phòng,Hợp tác xã\n", "dòng 2, cột Loại: 'Hợp tác xã' không hợp lệ; chọn một trong: “Phòng, ban”"),
        ("code,name,kind\nVP,Văn phòng,\"Phòng, ban\"\nvp,Văn phòng 2,\"Phòng, ban\"\n",
         "dòng 3: mã đơn vị 'vp' trùng với"),
        ("code,name,kind\nPB 01,Văn phòng,\"Phòng, ban\"\n", "dòng 2, cột Mã đơn vị: mã đơn vị 'PB 01' có dấu cách"),
        ("code,name,kind\n,Văn phòng,\"Phòng, ban\"\n", "dòng 2, cột Mã đơn vị: mã đơn vị đang để trống"),
        ("code,name\nVP,Văn phòng\n", "dòng 1: thiếu cột “Loại”"),
        ("code,name,kind,email\nVP,Văn phòng,\"Phòng, ban\",không-phải-email\n", "cột Email: 'không-phải-email' không phải"),
        ("code,name,kind,sheet\nVP,Văn phòng,\"Phòng, ban\",https://example.com/x y\n", "cột Bảng tính:"),
        ("\n\n", "tệp danh sách đơn vị đang trống"),
    ],
)
def test_registry_errors_name_the_row(tmp_path: Path, content: str, expected: str) -> None:
    path = _write(tmp_path / "danh-sach.csv", content)
    with pytest.raises(ConfigError) as err:
        read_registry(path)
    assert str(err.value).startswith(str(path))
    assert expected in str(err.value)


def test_registry_file_problems(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Không tìm thấy tệp danh sách đơn vị"):
        read_registry(tmp_path / "khong-co.csv")
    legacy = _write(tmp_path / "cu.csv", "code,name,kind\nVP,Phòng,Phòng\n", encoding="latin-1")  # an 8-bit code page
    with pytest.raises(ConfigError, match="không phải mã UTF-8"):
        read_registry(legacy)
    with pytest.raises(ConfigError, match=r"phải là tệp \.csv hoặc \.xlsx"):
        read_registry(_write(tmp_path / "u.txt", "code,name,kind\n"))
    with pytest.raises(ConfigError, match="không mở được tệp Excel"):
        read_registry(_write(tmp_path / "hong.xlsx", "not a zip"))


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("Phòng, ban", UnitKind.PHONG_BAN),
        ("phong ban", UnitKind.PHONG_BAN),
        ("PHÒNG BAN", UnitKind.PHONG_BAN),
        ("mttq, doan the", UnitKind.MTTQ_DOAN_THE),
        ("Đơn vị thuộc UBND xã", UnitKind.DON_VI_THUOC),
        ("don vi thuoc ubnd xa", UnitKind.DON_VI_THUOC),
        ("Thôn, xóm", UnitKind.THON_XOM),
        ("THON_XOM", UnitKind.THON_XOM),
    ],
)
def test_parse_kind_is_tolerant(typed: str, kind: UnitKind) -> None:
    assert parse_kind(typed) is kind


@given(st.text(max_size=30))
def test_parse_kind_returns_a_kind_or_a_vietnamese_value_error(text: str) -> None:
    try:
        assert isinstance(parse_kind(text), UnitKind)
    except ValueError as err:
        assert "không hợp lệ; chọn một trong" in str(err)


def test_spreadsheet_id() -> None:
    assert spreadsheet_id(URL) == SHEET_ID
    assert spreadsheet_id(f"  {SHEET_ID}  ") == SHEET_ID
    with pytest.raises(ValueError, match="không phải địa chỉ Google Sheets"):
        spreadsheet_id("https://example.com/a b")


def test_sorted_units_follow_the_vietnamese_alphabet(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "u.csv",
        'code,name,kind\nD,Đoàn Thanh niên,"MTTQ, đoàn thể"\nA2,Ấp Mới,"Thôn, xóm"\nB,Bản Chang,"Thôn, xóm"\n'
        'A1,An Bình,"Thôn, xóm"\nDU,Dân quân,"Phòng, ban"\n',
    )
    units = read_registry(path)
    assert [u.code for u in units] == ["D", "A2", "B", "A1", "DU"]  # the registry keeps the file order
    assert [u.name for u in sorted_units(units)] == ["An Bình", "Ấp Mới", "Bản Chang", "Dân quân", "Đoàn Thanh niên"]
