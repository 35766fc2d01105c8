"""preflight refuses every kind of bad file before openpyxl opens it; real workbooks pass."""

from __future__ import annotations

import hashlib
import os
import struct
import subprocess
import tempfile
import unicodedata
import xml.etree.ElementTree as StdET
import zipfile
from collections.abc import Callable
from pathlib import Path

import defusedxml
import openpyxl
import openpyxl.xml
import pytest

from schemas.errors import UnsafeFileError, WorkbookError
from tests.support.libreoffice import recalc, soffice
from workbook.preflight import _ole_directory_names, ensure_defused, preflight, sha256_of

# --- builders ----------------------------------------------------------------------------------------------


def _workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Chấm điểm"
    ws["A1"] = "Mã"
    ws["C20"] = 12.5
    wb.save(path)
    return path


def _rewrite(src: Path, dst: Path, edit: Callable[[str, bytes], bytes | None]) -> Path:
    """Copy a zip, passing each member through ``edit`` (None drops it)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = edit(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)
    return dst


def _replace_member(tmp_path: Path, member: str, data: bytes, name: str = "book.xlsx") -> Path:
    base = _workbook(tmp_path / "base.xlsx")
    return _rewrite(base, tmp_path / name, lambda n, old: data if n == member else old)


_FREESECT, _ENDOFCHAIN, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _compound_file(streams: dict[str, bytes], *, sector_shift: int = 9) -> bytes:
    """A minimal valid OLE2 compound file (CFB v3 or v4): one FAT sector, the directory, big streams.

    Streams are stored in regular sectors (a stream shorter than 4096 bytes would belong in the mini
    stream; the tests give such streams no data).
    """
    size = 1 << sector_shift
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    assert all(len(streams[n]) in (0,) or len(streams[n]) >= 4096 for n in names)
    entries = ["Root Entry", *names]
    dir_sectors = -(-len(entries) * 128 // size)
    fat = [_FATSECT] + [n + 2 for n in range(dir_sectors - 1)] + [_ENDOFCHAIN]
    starts: dict[str, int] = {}
    for name in names:
        count = -(-len(streams[name]) // size)
        if count:
            starts[name] = len(fat)
            fat += [len(fat) + i + 1 for i in range(count - 1)] + [_ENDOFCHAIN]
    assert len(fat) <= size // 4
    fat += [_FREESECT] * (size // 4 - len(fat))

    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3 if sector_shift == 9 else 4, 0xFFFE, sector_shift, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, _ENDOFCHAIN, 0, _ENDOFCHAIN, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([_FREESECT] * 108))

    directory = bytearray()
    for i, name in enumerate(entries):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le")
        entry[0 : len(encoded)] = encoded
        kind = 5 if i == 0 else 2
        child = 1 if i == 0 and names else _NOSTREAM
        right = i + 1 if 0 < i < len(entries) - 1 else _NOSTREAM
        struct.pack_into("<HBBIII", entry, 0x40, len(encoded) + 2, kind, 1, _NOSTREAM, right, child)
        data = streams.get(name, b"")
        struct.pack_into("<IQ", entry, 0x74, starts.get(name, _ENDOFCHAIN), len(data))
        directory += entry
    while len(directory) % size:
        empty = bytearray(128)
        struct.pack_into("<III", empty, 0x44, _NOSTREAM, _NOSTREAM, _NOSTREAM)
        directory += empty

    body = struct.pack(f"<{size // 4}I", *fat) + bytes(directory)
    for name in names:
        data = streams[name]
        body += data + bytes(-len(data) % size)
    return bytes(header) + bytes(size - 512) + body


_ENCRYPTED_STREAMS = {
    "\x06DataSpaces": b"",
    "EncryptionInfo": b"",
    "EncryptedPackage": os.urandom(8192),
}


def _refusal(path: Path, **limits: int) -> tuple[str, str]:
    with pytest.raises(UnsafeFileError) as info:
        preflight(path, **limits)
    err = info.value
    assert isinstance(err, WorkbookError)
    assert err.context["path"] == str(path)
    assert path.name in err.message, err.message
    assert unicodedata.is_normalized("NFC", err.message)
    return str(err.context["reason"]), err.message


# --- files that pass ---------------------------------------------------------------------------------------


def test_a_workbook_written_by_openpyxl_passes(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "phiếu.xlsx")
    preflight(path)
    wb = openpyxl.load_workbook(path)
    assert wb["Chấm điểm"]["C20"].value == 12.5


def test_xlsm_is_accepted(tmp_path: Path) -> None:
    macro = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    plain = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    base = _workbook(tmp_path / "base.xlsx")
    path = _rewrite(base, tmp_path / "phiếu.xlsm", lambda n, d: d.replace(plain, macro))
    assert macro in zipfile.ZipFile(path).read("[Content_Types].xml")
    preflight(path)


@pytest.mark.libreoffice
def test_a_workbook_saved_by_libreoffice_passes(tmp_path: Path) -> None:
    saved = recalc(_workbook(tmp_path / "phiếu.xlsx"), tmp_path / "lo")
    preflight(saved)


# --- missing, empty, not a zip -----------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "không-có.xlsx"
    reason, message = _refusal(path)
    assert reason == "not-found"
    assert message.startswith("Không tìm thấy tệp")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "rỗng.xlsx"
    path.write_bytes(b"")
    assert _refusal(path) == ("empty", "Tệp “rỗng.xlsx” rỗng (0 byte). Hãy gửi lại tệp phiếu đánh giá đã lưu đầy đủ.")


def test_csv_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "phiếu.xlsx"
    path.write_text("Mã,Tiêu chí,Điểm\nA1,Chấp hành,3\n", encoding="utf-8")
    reason, message = _refusal(path)
    assert reason == "not-a-zip"
    assert "không phải tệp Excel thật" in message and "CSV" in message and "Lưu thành" in message


def test_html_and_binary_renamed_xlsx(tmp_path: Path) -> None:
    html = tmp_path / "trang.xlsx"
    html.write_bytes(b"<html><body><table><tr><td>1</td></tr></table></body></html>")
    reason, message = _refusal(html)
    assert reason == "not-a-zip" and "trang web" in message
    binary = tmp_path / "ảnh.xlsx"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    reason, message = _refusal(binary)
    assert reason == "not-a-zip" and "CSV" not in message


def test_broken_zip(tmp_path: Path) -> None:
    path = tmp_path / "hỏng.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    assert _refusal(path)[0] == "bad-zip"


def test_truncated_workbook(tmp_path: Path) -> None:
    data = _workbook(tmp_path / "base.xlsx").read_bytes()
    path = tmp_path / "cụt.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert _refusal(path)[0] == "bad-zip"


# --- OLE2: old .xls and encrypted workbooks ----------------------------------------------------------------


@pytest.mark.parametrize("sector_shift", [9, 12])
def test_old_xls(tmp_path: Path, sector_shift: int) -> None:
    path = tmp_path / "cũ.xlsx"
    streams = {"Workbook": os.urandom(4096), "\x05SummaryInformation": b""}
    path.write_bytes(_compound_file(streams, sector_shift=sector_shift))
    reason, message = _refusal(path)
    assert reason == "legacy-xls"
    assert message.startswith("Tệp “cũ.xlsx” là định dạng Excel cũ (.xls).")
    assert "Lưu thành" in message and ".xlsx" in message


@pytest.mark.parametrize("sector_shift", [9, 12])
def test_password_protected_workbook(tmp_path: Path, sector_shift: int) -> None:
    path = tmp_path / "mật-khẩu.xlsx"
    path.write_bytes(_compound_file(_ENCRYPTED_STREAMS, sector_shift=sector_shift))
    reason, message = _refusal(path)
    assert reason == "encrypted"
    assert "Bảo vệ sổ làm việc" in message and "Mã hóa bằng mật khẩu" in message and "xóa mật khẩu" in message


def test_encrypted_workbook_with_a_damaged_directory_is_still_recognised(tmp_path: Path) -> None:
    data = bytearray(_compound_file(_ENCRYPTED_STREAMS))
    struct.pack_into("<H", data, 0x1E, 7)  # an impossible sector size
    path = tmp_path / "mật-khẩu.xlsx"
    path.write_bytes(bytes(data))
    assert _refusal(path)[0] == "encrypted"


def test_a_stream_named_like_the_encrypted_one_inside_the_data_does_not_count(tmp_path: Path) -> None:
    data = "EncryptedPackage".encode("utf-16-le") * 300
    streams = {"Workbook": data + bytes(4096 - len(data) % 4096)}
    path = tmp_path / "cũ.xls"
    path.write_bytes(_compound_file(streams))
    assert _refusal(path)[0] == "legacy-xls"


@pytest.mark.libreoffice
def test_a_real_xls_saved_by_libreoffice(tmp_path: Path) -> None:
    src = _workbook(tmp_path / "phiếu.xlsx")
    with tempfile.TemporaryDirectory(prefix="dvk-lo-profile-") as profile:
        subprocess.run(
            [soffice(), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
             "--convert-to", "xls", "--outdir", str(tmp_path / "out"), str(src)],
            capture_output=True, check=True, timeout=900,
        )  # fmt: skip
    xls = tmp_path / "out" / "phiếu.xls"
    assert xls.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    with xls.open("rb") as fh:  # the directory is really parsed (not the fallback byte scan)
        assert {"Root Entry", "Workbook"} <= set(_ole_directory_names(fh))
    assert _refusal(xls)[0] == "legacy-xls"
    renamed = tmp_path / "đổi-tên.xlsx"
    renamed.write_bytes(xls.read_bytes())
    assert _refusal(renamed)[0] == "legacy-xls"


# --- zips that are no spreadsheet --------------------------------------------------------------------------


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


@pytest.mark.parametrize(
    ("members", "said"),
    [
        ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<a/>"}, ".ods"),
        ({"[Content_Types].xml": _TYPES, "word/document.xml": b"<w/>"}, "Word"),
        ({"[Content_Types].xml": _TYPES, "ppt/presentation.xml": b"<p/>"}, "PowerPoint"),
        ({"[Content_Types].xml": _TYPES, "xl/workbook.bin": b"\x00"}, ".xlsb"),
        ({"readme.txt": b"hello"}, ""),
        ({"[Content_Types].xml": _TYPES, "xl/workbook.xml": b"<workbook/>"}, "không có sổ làm việc"),
    ],
)
def test_zip_that_is_not_a_spreadsheet(tmp_path: Path, members: dict[str, bytes], said: str) -> None:
    path = _zip(tmp_path / "khác.xlsx", members)
    reason, message = _refusal(path)
    assert reason == "not-a-spreadsheet"
    assert "không phải tệp Excel .xlsx" in message and said in message


# --- zip bombs and absurd sizes ----------------------------------------------------------------------------


def test_zip_bomb_by_compression_ratio(tmp_path: Path) -> None:
    base = _workbook(tmp_path / "base.xlsx")
    path = tmp_path / "bom.xlsx"
    _rewrite(base, path, lambda n, d: d)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/media/image1.bin", bytes(20 * 2**20))  # 20 MiB of zeros, ~20 KB packed
    assert path.stat().st_size < 100_000
    reason, message = _refusal(path)
    assert reason == "zip-bomb" and "nén bất thường" in message


def test_zip_bomb_by_declared_size(tmp_path: Path) -> None:
    base = _workbook(tmp_path / "base.xlsx")
    path = _rewrite(base, tmp_path / "to.xlsx", lambda n, d: d + b" " * 300_000 if n.endswith("sheet1.xml") else d)
    preflight(path)  # within the default limits
    reason, message = _refusal(path, max_uncompressed=200_000)
    assert reason == "zip-bomb" and "MB" in message


def test_too_many_members(tmp_path: Path) -> None:
    base = _workbook(tmp_path / "base.xlsx")
    path = _rewrite(base, tmp_path / "nhiều.xlsx", lambda n, d: d)
    with zipfile.ZipFile(path, "a") as archive:
        for i in range(5_001):
            archive.writestr(f"customXml/item{i}.dat", b"")
    reason, message = _refusal(path)
    assert reason == "zip-bomb" and "thành phần" in message


def test_zip_level_encryption(tmp_path: Path) -> None:
    """A member with the zip "encrypted" flag (bit 0), set in its local and central headers."""
    path = _workbook(tmp_path / "khóa.xlsx")
    data = bytearray(path.read_bytes())
    member = b"xl/workbook.xml"
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(member.decode()).header_offset
    central = data.index(b"PK\x01\x02", data.index(member, local + 30))
    while data[central + 46 : central + 46 + len(member)] != member:
        central = data.index(b"PK\x01\x02", central + 4)
    data[local + 6] |= 0x1
    data[central + 8] |= 0x1
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(member.decode()).flag_bits & 0x1
    assert _refusal(path)[0] == "encrypted"


@pytest.mark.parametrize(("ref", "refused"), [("A1:XFD1048576", True), ("A1:Z100", False), ("$A$1:$IV$65536", True)])
def test_absurd_dimension(tmp_path: Path, ref: str, refused: bool) -> None:
    base = _workbook(tmp_path / "base.xlsx")
    path = _rewrite(
        base,
        tmp_path / "rộng.xlsx",
        lambda n, d: d.replace(b'<dimension ref="A1:C20"', f'<dimension ref="{ref}"'.encode()),
    )
    assert f'ref="{ref}"'.encode() in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    if not refused:
        preflight(path)
        return
    reason, message = _refusal(path)
    assert reason == "absurd-dimension" and "quá lớn" in message


def test_dimension_limit_is_a_parameter(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "phiếu.xlsx")  # A1:C20 = 60 cells
    preflight(path, max_cells=60)
    assert _refusal(path, max_cells=59)[0] == "absurd-dimension"


# --- XML entity attacks ------------------------------------------------------------------------------------

_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE worksheet [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"""


def test_billion_laughs_sheet_is_refused(tmp_path: Path) -> None:
    path = _replace_member(tmp_path, "xl/worksheets/sheet1.xml", _LAUGHS)
    reason, message = _refusal(path)
    assert reason == "xml-entities" and "không an toàn" in message


def test_openpyxl_itself_refuses_billion_laughs(tmp_path: Path) -> None:
    """The second guard: openpyxl parses with defusedxml, or with lxml without entity resolution when lxml is
    installed (python-docx, for `dvk docs`, needs it); the stdlib is patched too."""
    ensure_defused()
    assert openpyxl.xml.DEFUSEDXML is True
    refused: tuple[type[BaseException], ...] = (defusedxml.EntitiesForbidden,)
    if openpyxl.xml.LXML:
        from lxml.etree import XMLSyntaxError  # "Maximum entity amplification factor exceeded"

        refused = (*refused, XMLSyntaxError)
    sheet = _replace_member(tmp_path, "xl/worksheets/sheet1.xml", _LAUGHS, "sheet.xlsx")
    workbook_part = _LAUGHS.replace(b"DOCTYPE worksheet", b"DOCTYPE workbook")
    book = _replace_member(tmp_path, "xl/workbook.xml", workbook_part, "book.xlsx")
    for path in (sheet, book):
        # openpyxl wraps defusedxml's error in a ValueError ("Unable to read workbook ..."); lxml's comes as is.
        with pytest.raises((ValueError, *refused)) as info:
            openpyxl.load_workbook(path)
        causes = [info.value, info.value.__cause__]
        assert any(isinstance(err, refused) for err in causes), causes
    with pytest.raises(defusedxml.EntitiesForbidden):
        StdET.fromstring(_LAUGHS)  # the standard library parser, patched by ensure_defused


@pytest.mark.parametrize(
    "part",
    [
        b'<?xml version="1.0"?>\n<!DOCTYPE Types SYSTEM "http://127.0.0.1:9/x.dtd">\n<Types/>',
        b'<?xml version="1.0"?><!-- c --><?pi x?>\n<!doctype Types [<!ENTITY x SYSTEM "file:///etc/passwd">]><Types/>',
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY b "c">]><a/>'.encode("utf-16"),
        b"\xef\xbb\xbf<?xml version='1.0'?><!DOCTYPE a><a/>",
    ],
)
def test_any_dtd_in_any_part_is_refused(tmp_path: Path, part: bytes) -> None:
    path = _replace_member(tmp_path, "docProps/app.xml", part)
    assert _refusal(path)[0] == "xml-entities"


def test_a_prolog_longer_than_the_scan_is_refused(tmp_path: Path) -> None:
    part = b'<?xml version="1.0"?>' + b"<!--" + b"x" * 100_000 + b"-->" + b"<!DOCTYPE a><a/>"
    path = _replace_member(tmp_path, "docProps/core.xml", part)
    assert _refusal(path)[0] == "xml-entities"


def test_entity_text_in_a_cell_is_fine(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = '<!DOCTYPE x [<!ENTITY a "b">]> &amp; <!-- -->'
    path = tmp_path / "chữ.xlsx"
    wb.save(path)
    preflight(path)
    loaded = openpyxl.load_workbook(path).active
    assert loaded is not None and loaded["A1"].value == ws["A1"].value


# --- provenance --------------------------------------------------------------------------------------------


def test_sha256_of(tmp_path: Path) -> None:
    path = tmp_path / "dữ-liệu.bin"
    data = os.urandom(3 * 2**20 + 17)
    path.write_bytes(data)
    assert sha256_of(path) == hashlib.sha256(data).hexdigest()
    empty = tmp_path / "rỗng"
    empty.write_bytes(b"")
    assert sha256_of(empty) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


# --- shared strings (review H12) ---------------------------------------------------------------------------


def _with_shared_strings(tmp_path: Path, n: int, *, declared: int | None = None, name: str = "sst.xlsx",
                         prefix: str = "") -> Path:
    """A workbook with ``n`` unused shared strings (declaring ``declared``), added as Excel would add them."""
    body = "".join(f"<{prefix}si><{prefix}t>chuỗi thừa số {i:07d}</{prefix}t></{prefix}si>" for i in range(n))
    xmlns = f'xmlns{":" + prefix[:-1] if prefix else ""}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    part = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><{prefix}sst {xmlns} count="{n}" '
            f'uniqueCount="{n if declared is None else declared}">{body}</{prefix}sst>').encode()

    def edit(member: str, data: bytes) -> bytes:
        if member == "xl/_rels/workbook.xml.rels" and b"sharedStrings" not in data:
            return data.replace(b"</Relationships>", b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/'
                                b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        if member == "[Content_Types].xml" and b"sharedStrings" not in data:
            return data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
                                b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        return part if member == "xl/sharedStrings.xml" else data

    base = _workbook(tmp_path / "base.xlsx")
    with zipfile.ZipFile(base) as z:
        has_part = "xl/sharedStrings.xml" in z.namelist()
    path = _rewrite(base, tmp_path / name, edit)
    if not has_part:
        with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
            z.writestr("xl/sharedStrings.xml", part)
    return path


def test_a_file_with_too_many_shared_strings_is_refused_before_openpyxl_reads_them(tmp_path: Path) -> None:
    """A million unused strings cost 19 s and 325 MB in openpyxl; a submission holds a few hundred."""
    ok = _with_shared_strings(tmp_path, 5_000, name="ok.xlsx")
    preflight(ok)
    assert openpyxl.load_workbook(ok)["Chấm điểm"]["C20"].value == 12.5
    declared = _with_shared_strings(tmp_path, 30_000, name="declared.xlsx")
    reason, message = _refusal(declared)
    assert reason == "too-many-strings" and "30.000 chuỗi" in message and "giới hạn 20.000" in message
    # a part that declares one string but holds 25,000 (tags counted as the part streams), with a prefix
    lying = _with_shared_strings(tmp_path, 25_000, declared=1, name="lying.xlsx", prefix="x:")
    reason, message = _refusal(lying)
    assert reason == "too-many-strings" and "hơn 20.000 chuỗi" in message
    # the master's reader passes its own, larger limits
    preflight(declared, max_shared_strings=1_000_000, max_shared_bytes=128 * 2**20)


def test_a_shared_strings_part_too_large_is_refused_by_its_declared_size(tmp_path: Path) -> None:
    path = _with_shared_strings(tmp_path, 3_000, name="big.xlsx")
    reason, message = _refusal(path, max_shared_bytes=64 * 2**10)
    assert reason == "too-many-strings" and "phần chữ dùng chung" in message and "MB" in message
