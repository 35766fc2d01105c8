"""Checks on a file before openpyxl opens it: is it a real, safe .xlsx/.xlsm?

`preflight` refuses, with a Vietnamese message that names the file and says what to do, a file that is
missing or empty, an old .xls, a password-protected (encrypted) workbook, a text or other non-zip file
named .xlsx, a zip that is no spreadsheet (.docx, .ods, .xlsb renamed), a zip bomb, a worksheet declaring
an absurd dimension, and any XML part that declares a DTD or entities (billion laughs, external entities).
It reads only the zip directory and the first kilobytes of the XML parts.

`ensure_defused` makes the standard library XML parsers refuse entities too (defusedxml); openpyxl already
parses with defusedxml when it is installed (``openpyxl.xml.DEFUSEDXML``), so this is a second guard.
"""

from __future__ import annotations

import functools
import hashlib
import re
import struct
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from math import ceil
from pathlib import Path
from typing import BinaryIO

import defusedxml
import defusedxml.ElementTree as DefusedET

from schemas.errors import UnsafeFileError

__all__ = ["MAX_FILE_BYTES", "check_size", "ensure_defused", "preflight", "sha256_of"]

#: No evaluation sheet or master comes near this on disk (a filled sheet is ~100 KB, a master of 300 units a
#: few MB): a bigger file is refused before it is hashed or opened.
MAX_FILE_BYTES = 64 * 2**20

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
_ENCRYPTION_STREAMS = ("EncryptedPackage", "EncryptionInfo")

_MAX_MEMBERS = 5_000
_MAX_RATIO = 200  # uncompressed / compressed, for a workbook whose parts exceed _RATIO_FLOOR
_RATIO_FLOOR = 8 * 2**20
_PROLOG_LIMIT = 64 * 2**10  # bytes read to find the root element of an XML part
_DIMENSION_PEEK = 16 * 2**10  # bytes read at the start of a sheet to find <dimension>
_CONTENT_TYPES_LIMIT = 2**20

_WORKBOOK_TYPES = frozenset(
    "application/vnd." + kind
    for kind in (
        "openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "openxmlformats-officedocument.spreadsheetml.template.main+xml",
        "ms-excel.sheet.macroEnabled.main+xml",
        "ms-excel.template.macroEnabled.main+xml",
    )
)
_WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_UNIQUE_COUNT = re.compile(rb"\buniqueCount\s*=\s*[\"']\s*([0-9]{1,12})\s*[\"']")
_SI_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,40}:)?si[\s>/]")
_TAG_OVERLAP = 64  # bytes carried from one chunk to the next so a tag cut in two is counted once
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"

_SAVE_AS_XLSX = "Hãy mở tệp bằng Excel hoặc LibreOffice rồi Lưu thành (Save As) “Sổ làm việc Excel (.xlsx)”."


def _refuse(path: Path, reason: str, message: str) -> UnsafeFileError:
    return UnsafeFileError(message, path=str(path), reason=reason)


# --- public API ----------------------------------------------------------------------------------------


@functools.cache
def ensure_defused() -> None:
    """Patch the standard library XML parsers with defusedxml, once per process.

    defusedxml 0.7 imports its deprecated ``cElementTree`` shim while patching; that DeprecationWarning
    is silenced here (the shim is not used).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        defusedxml.defuse_stdlib()


def sha256_of(path: Path) -> str:
    """The SHA-256 of the file's bytes (hex), read in blocks, for provenance."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def check_size(path: Path, limit: int = MAX_FILE_BYTES) -> None:
    """Refuse a file larger than ``limit`` bytes (before reading it at all)."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # reported by whoever opens it
    if size > limit:
        raise _refuse(
            path,
            "too-large",
            f"Tệp “{path.name}” quá lớn ({size / 2**20:.0f} MB, giới hạn {limit // 2**20} MB) nên dvk không đọc. "
            "Phiếu tự đánh giá chỉ vài trăm KB: hãy xóa ảnh, trang thừa hoặc chép số liệu sang mẫu phiếu gốc "
            "rồi gửi lại.",
        )


#: A filled template holds a few hundred shared strings (its labels and what the unit typed; a table of a
#: hundred rows adds a few thousand). openpyxl reads every one of them before the first cell (about 0.2 s per
#: 10,000, with memory to match), so a file with a million unused strings cost 19 s and 325 MB (review H12).
MAX_SHARED_STRINGS = 20_000
MAX_SHARED_BYTES = 8 * 2**20


def preflight(
    path: Path, *, max_uncompressed: int = 50 * 2**20, max_cells: int = 2_000_000, max_file: int = MAX_FILE_BYTES,
    max_shared_strings: int = MAX_SHARED_STRINGS, max_shared_bytes: int = MAX_SHARED_BYTES,
) -> None:
    """Refuse ``path`` with an `UnsafeFileError` unless it is a plain, sane .xlsx/.xlsm workbook.

    ``max_shared_strings`` / ``max_shared_bytes`` bound the shared-strings part (counted from its tags, not
    from the ``uniqueCount`` it declares); a master or a units file passes larger limits than a submission."""
    ensure_defused()
    name = path.name
    if path.is_dir():
        raise _refuse(path, "not-found", f"“{path}” là một thư mục, không phải tệp. Hãy chỉ đến tệp .xlsx cần đọc.")
    if not path.is_file():
        raise _refuse(
            path,
            "not-found",
            f"Không tìm thấy tệp “{path}”. Hãy kiểm tra lại tên và thư mục của tệp.",
        )
    check_size(path, max_file)
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise _refuse(
            path,
            "unreadable",
            f"Không mở được tệp “{name}” ({exc.strerror}). Hãy đóng tệp trong các chương trình khác, "
            "kiểm tra quyền truy cập rồi thử lại.",
        ) from exc
    with fh:
        head = fh.read(8)
        if not head:
            raise _refuse(
                path,
                "empty",
                f"Tệp “{name}” rỗng (0 byte). Hãy gửi lại tệp phiếu đánh giá đã lưu đầy đủ.",
            )
        if head == _OLE_SIGNATURE:
            if _is_encrypted_package(fh):
                raise _refuse(
                    path,
                    "encrypted",
                    f"Tệp “{name}” được đặt mật khẩu nên không đọc được. Hãy mở tệp bằng Excel, vào "
                    "Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa mật khẩu, "
                    "bấm OK rồi lưu và gửi lại.",
                )
            raise _refuse(
                path,
                "legacy-xls",
                f"Tệp “{name}” là định dạng Excel cũ (.xls). {_SAVE_AS_XLSX}",
            )
    if not head.startswith(_ZIP_SIGNATURES):
        raise _refuse(path, "not-a-zip", _not_excel_message(name, head + _peek(path)))
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(path, archive, max_uncompressed=max_uncompressed, max_cells=max_cells,
                           max_strings=max_shared_strings, max_string_bytes=max_shared_bytes)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
        raise _refuse(
            path,
            "bad-zip",
            f"Tệp “{name}” bị hỏng hoặc không phải tệp Excel thật. Hãy mở lại tệp gốc bằng Excel, "
            "lưu thành .xlsx và gửi lại.",
        ) from exc


# --- non-zip files -------------------------------------------------------------------------------------


def _peek(path: Path) -> bytes:
    with path.open("rb") as fh:
        fh.seek(8)
        return fh.read(4096)


def _not_excel_message(name: str, start: bytes) -> str:
    text = start.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").lower()
    if text.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml")):
        kind = " mà là một trang web hoặc tệp XML được đặt tên như tệp Excel"
    elif _looks_like_text(start):
        kind = " mà là một tệp văn bản (ví dụ CSV) được đổi tên thành .xlsx"
    else:
        kind = ""
    return f"Tệp “{name}” không phải tệp Excel thật{kind}. {_SAVE_AS_XLSX}"


def _looks_like_text(data: bytes) -> bool:
    if not data or b"\x00" in data:
        return False
    for encoding in ("utf-8", "cp1258", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return all(ch.isprintable() or ch in "\t\r\n" for ch in text)
    return False


# --- OLE2 compound files (.xls, encrypted OOXML) -------------------------------------------------------

_ENDOFCHAIN = 0xFFFFFFFE
_MAX_REGULAR_SECTOR = 0xFFFFFFFA


def _is_encrypted_package(fh: BinaryIO) -> bool:
    """Whether the compound file's directory names the EncryptedPackage/EncryptionInfo streams."""
    try:
        names = set(_ole_directory_names(fh))
    except (ValueError, struct.error):
        return _scan_for_names(fh)  # a damaged directory: fall back to a plain byte scan
    return any(stream in names for stream in _ENCRYPTION_STREAMS)


def _ole_directory_names(fh: BinaryIO) -> Iterator[str]:
    fh.seek(0)
    header = fh.read(512)
    if len(header) < 512:
        raise ValueError("short compound file header")
    (sector_shift,) = struct.unpack_from("<H", header, 0x1E)
    if sector_shift not in (9, 12):
        raise ValueError("bad sector size")
    size = 1 << sector_shift
    fat_count, first_dir = struct.unpack_from("<II", header, 0x2C)
    first_difat, difat_count = struct.unpack_from("<II", header, 0x44)
    file_size = fh.seek(0, 2)
    max_sectors = file_size // size + 1

    def sector(number: int) -> bytes:
        if number > _MAX_REGULAR_SECTOR or number >= max_sectors:
            raise ValueError(f"sector {number} out of range")
        fh.seek((number + 1) * size)
        data = fh.read(size)
        if len(data) < size:
            raise ValueError("truncated sector")
        return data

    fat_sectors = [n for n in struct.unpack_from("<109I", header, 0x4C) if n <= _MAX_REGULAR_SECTOR]
    next_difat = first_difat
    for _ in range(min(difat_count, max_sectors)):
        if next_difat > _MAX_REGULAR_SECTOR:
            break
        entries = struct.unpack(f"<{size // 4}I", sector(next_difat))
        fat_sectors.extend(n for n in entries[:-1] if n <= _MAX_REGULAR_SECTOR)
        next_difat = entries[-1]
    fat: list[int] = []
    for number in fat_sectors[:fat_count]:
        fat.extend(struct.unpack(f"<{size // 4}I", sector(number)))

    current = first_dir
    for _ in range(max_sectors):
        if current == _ENDOFCHAIN:
            return
        data = sector(current)
        for offset in range(0, size, 128):
            (name_length,) = struct.unpack_from("<H", data, offset + 0x40)
            if 2 <= name_length <= 64:
                yield data[offset : offset + name_length - 2].decode("utf-16-le", errors="replace")
        if current >= len(fat):
            raise ValueError("directory chain leaves the FAT")
        current = fat[current]
    raise ValueError("directory chain loops")


def _scan_for_names(fh: BinaryIO) -> bool:
    needles = [stream.encode("utf-16-le") for stream in _ENCRYPTION_STREAMS]
    overlap = max(len(needle) for needle in needles)
    fh.seek(0)
    tail = b""
    while block := fh.read(2**20):
        window = tail + block
        if any(needle in window for needle in needles):
            return True
        tail = window[-overlap:]
    return False


# --- zip packages --------------------------------------------------------------------------------------


def _check_archive(
    path: Path, archive: zipfile.ZipFile, *, max_uncompressed: int, max_cells: int, max_strings: int,
    max_string_bytes: int,
) -> None:
    name = path.name
    members = archive.infolist()
    names = {info.filename for info in members}
    if len(members) > _MAX_MEMBERS:
        raise _refuse(path, "zip-bomb", _bomb_message(name, f"chứa {_vn_int(len(members))} thành phần"))
    declared = sum(info.file_size for info in members)
    if declared > max_uncompressed:
        size_mb = declared / 2**20
        raise _refuse(path, "zip-bomb", _bomb_message(name, f"bung ra tới {_vn_int(round(size_mb))} MB"))
    compressed = sum(info.compress_size for info in members)
    if declared > _RATIO_FLOOR and declared > _MAX_RATIO * max(compressed, 1):
        ratio = declared // max(compressed, 1)
        raise _refuse(path, "zip-bomb", _bomb_message(name, f"nén bất thường (tỉ lệ {_vn_int(ratio)}:1)"))
    if any(info.flag_bits & 0x1 for info in members):
        raise _refuse(
            path,
            "encrypted",
            f"Tệp “{name}” bị mã hóa nên không đọc được. Hãy gửi bản không đặt mật khẩu.",
        )
    _check_kind(path, archive, names)
    for info in members:
        if info.filename.endswith((".xml", ".rels", ".vml")) and _declares_dtd(archive, info):
            raise _refuse(
                path,
                "xml-entities",
                f"Tệp “{name}” chứa khai báo XML không an toàn (DOCTYPE/ENTITY) nên bị từ chối. Tệp "
                "Excel thật không có các khai báo này; hãy lưu lại từ Excel thành .xlsx hoặc báo cho "
                "cán bộ phụ trách.",
            )
    sheets, shared = _worksheet_parts(path, archive, names)
    for part in shared:
        _check_shared_strings(path, archive, part, max_strings=max_strings, max_bytes=max_string_bytes)
    for part in sheets:
        cells = _declared_cells(archive, part)
        if cells is not None and cells > max_cells:
            raise _refuse(
                path,
                "absurd-dimension",
                f"Tệp “{name}” có một trang tính khai báo vùng dữ liệu quá lớn ({_vn_int(cells)} ô, giới hạn "
                f"{_vn_int(max_cells)}). Hãy xóa các dòng, cột thừa ở cuối trang tính rồi lưu và gửi lại.",
            )


def _bomb_message(name: str, what: str) -> str:
    return (
        f"Tệp “{name}” {what}, không giống một phiếu đánh giá bình thường nên bị từ chối để bảo vệ máy. "
        "Hãy kiểm tra lại tệp, xóa dữ liệu thừa, lưu lại và gửi lại."
    )


def _check_kind(path: Path, archive: zipfile.ZipFile, names: set[str]) -> None:
    name = path.name
    kind = ""
    if "mimetype" in names:
        with archive.open("mimetype") as fh:
            mimetype = fh.read(200)
        if b"opendocument.spreadsheet" in mimetype:
            kind = " mà là bảng tính OpenDocument (.ods)"
        elif b"opendocument" in mimetype:
            kind = " mà là tài liệu OpenDocument"
    elif "word/document.xml" in names:
        kind = " mà là văn bản Word (.docx)"
    elif "ppt/presentation.xml" in names:
        kind = " mà là bản trình chiếu PowerPoint (.pptx)"
    elif "xl/workbook.bin" in names:
        kind = " mà là sổ làm việc nhị phân (.xlsb)"
    if kind or "[Content_Types].xml" not in names:
        raise _refuse(path, "not-a-spreadsheet", f"Tệp “{name}” không phải tệp Excel .xlsx{kind}. {_SAVE_AS_XLSX}")


def _worksheet_parts(path: Path, archive: zipfile.ZipFile, names: set[str]) -> tuple[list[str], list[str]]:
    """The worksheet parts and the shared-strings parts (by content type and by the usual name); refuse a
    package with no workbook."""
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > _CONTENT_TYPES_LIMIT:
        raise _refuse(path, "zip-bomb", _bomb_message(path.name, "có phần mô tả nội dung quá lớn"))
    try:
        root = DefusedET.fromstring(archive.read(info))
    except (DefusedET.ParseError, defusedxml.DefusedXmlException) as exc:
        raise _refuse(
            path,
            "bad-zip",
            f"Tệp “{path.name}” bị hỏng (không đọc được phần mô tả nội dung). Hãy mở lại bằng Excel, "
            "lưu thành .xlsx và gửi lại.",
        ) from exc
    overrides = {
        node.get("PartName", "").lstrip("/"): node.get("ContentType", "") for node in root.iter(f"{_CT_NS}Override")
    }
    if not any(content_type in _WORKBOOK_TYPES for content_type in overrides.values()):
        raise _refuse(
            path,
            "not-a-spreadsheet",
            f"Tệp “{path.name}” không phải tệp Excel .xlsx (không có sổ làm việc bên trong). {_SAVE_AS_XLSX}",
        )
    parts = {part for part, content_type in overrides.items() if content_type == _WORKSHEET_TYPE}
    parts |= {n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    shared = {part for part, content_type in overrides.items() if content_type == _SHARED_STRINGS_TYPE}
    shared |= {n for n in names if n.lower() == "xl/sharedstrings.xml"}
    return sorted(part for part in parts if part in names), sorted(part for part in shared if part in names)


def _check_shared_strings(path: Path, archive: zipfile.ZipFile, part: str, *, max_strings: int, max_bytes: int) -> None:
    """Refuse a shared-strings part larger than ``max_bytes`` inflated, or declaring or holding more than
    ``max_strings`` strings: openpyxl would read them all before the first cell. The tags are counted while
    the part streams (at most ``max_bytes``), so a part that under-declares its ``uniqueCount`` is caught too."""
    info = archive.getinfo(part)
    if info.file_size > max_bytes:
        raise _refuse(path, "too-many-strings", _strings_message(
            path.name, f"có phần chữ dùng chung bung ra tới {_vn_int(ceil(info.file_size / 2**20))} MB "
            f"(giới hạn {_vn_int(max_bytes // 2**20)} MB)"))
    count = 0
    tail = b""
    with archive.open(info) as fh:
        head = True
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            if head:
                declared = _UNIQUE_COUNT.search(data[:4096])
                if declared and int(declared.group(1)) > max_strings:
                    raise _refuse(path, "too-many-strings", _strings_message(
                        path.name, f"khai báo {_vn_int(int(declared.group(1)))} chuỗi chữ dùng chung (giới hạn "
                        f"{_vn_int(max_strings)})"))
                head = False
            cut = max(len(data) - _TAG_OVERLAP, 0)
            count += sum(1 for m in _SI_TAG.finditer(data) if m.start() < cut)
            tail = data[cut:]
            if count > max_strings:
                break
    count += sum(1 for _ in _SI_TAG.finditer(tail)) if count <= max_strings else 0
    if count > max_strings:
        raise _refuse(path, "too-many-strings", _strings_message(
            path.name, f"chứa hơn {_vn_int(max_strings)} chuỗi chữ dùng chung"))


def _strings_message(name: str, what: str) -> str:
    return (
        f"Tệp “{name}” {what}, không giống một phiếu đánh giá bình thường nên bị từ chối để bảo vệ máy. Thường do "
        "tệp có thêm trang tính hoặc dữ liệu dán vào từ nơi khác: hãy xóa các trang, dòng thừa, hoặc chép số liệu "
        "sang mẫu phiếu gốc, rồi lưu và gửi lại."
    )


def _vn_int(n: int) -> str:
    """1000000 → "1.000.000" (Vietnamese groups thousands with a dot)."""
    return f"{n:,}".replace(",", ".")


def _declares_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether the prolog of an XML part (what precedes its root element) holds a DOCTYPE or ENTITY.

    Only the prolog can declare them. It is read up to `_PROLOG_LIMIT` bytes; a part whose prolog is
    longer than that is no part Excel writes, and counts as unsafe.
    """
    with archive.open(info) as fh:
        raw = fh.read(_PROLOG_LIMIT)
    text = _decode_prefix(raw)
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        return True
    position = 0
    while True:
        while position < len(text) and text[position] in " \t\r\n\ufeff":
            position += 1
        if position >= len(text):
            return len(raw) >= _PROLOG_LIMIT  # nothing but whitespace, comments and PIs so far
        if text.startswith("<?", position):
            end, closing = text.find("?>", position), 2
        elif text.startswith("<!--", position):
            end, closing = text.find("-->", position), 3
        else:
            return False  # the root element (or no XML at all, which openpyxl reports)
        if end < 0:
            return len(raw) >= _PROLOG_LIMIT
        position = end + closing


def _decode_prefix(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"<\x00")):
        return raw.decode("utf-16-le", errors="replace")
    if raw.startswith((b"\xfe\xff", b"\x00<")):
        return raw.decode("utf-16-be", errors="replace")
    return raw.removeprefix(b"\xef\xbb\xbf").decode("latin-1")


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref\s*=\s*[\"']([A-Za-z0-9:$]+)[\"']")
_CELL = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]{1,7})")


def _declared_cells(archive: zipfile.ZipFile, part: str) -> int | None:
    """The number of cells of the sheet's ``<dimension ref=…>``; None when the start has no dimension."""
    with archive.open(part) as fh:
        head = fh.read(_DIMENSION_PEEK)
    match = _DIMENSION.search(head)
    if match is None:
        return None
    ends = [_CELL.fullmatch(ref) for ref in match.group(1).decode("ascii").upper().split(":")]
    if not ends or len(ends) > 2 or any(end is None for end in ends):
        return None
    corners = [(_column_number(end.group(1)), int(end.group(2))) for end in ends if end is not None]
    (col1, row1), (col2, row2) = corners[0], corners[-1]
    return (abs(col2 - col1) + 1) * (abs(row2 - row1) + 1)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number
