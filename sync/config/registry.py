"""The units registry: who is evaluated. Entries come from ``[[units]]`` in dvk.toml or from a CSV/.xlsx file.

A registry file has one header row and one unit per row. Headers are matched case- and accent-insensitively,
in Vietnamese or English: "Mã đơn vị"/"code", "Tên đơn vị"/"name", "Loại"/"kind", "Email",
"Điện thoại"/"phone" (optional), "Bảng tính"/"sheet" (optional: a Google Sheets URL or id).
CSV files may be UTF-8 with or without BOM, separated by commas or semicolons.

Codes are identities in one canonical form (``schemas.text.canonical_code``: upper case, NFC, trimmed): a
``Unit`` holds it, and two entries whose codes are one identity ("hnd", "HND") are refused naming both.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from schemas.config_files import UNITS_LIMIT, ConfigFileError, describe, read_bounded, special_kind
from schemas.errors import ConfigError, WorkbookError
from schemas.models import Unit, UnitKind
from schemas.text import canonical_code, clean_text, fold, vn_sort_key

__all__ = [
    "UnitEntry",
    "check_unique",
    "describe_validation_error",
    "parse_kind",
    "read_registry",
    "sorted_units",
    "spreadsheet_id",
]

_CODE = re.compile(r"^[A-Za-z0-9_.\-]{1,20}$")
_SHEET_URL = re.compile(r"/spreadsheets/d/([A-Za-z0-9_\-]+)")
_SHEET_ID = re.compile(r"^[A-Za-z0-9_\-]{3,}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _squash(text: str) -> str:
    """Folded text without punctuation or spaces: "Phòng, ban" → "phongban"."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


_KIND_KEYS: dict[str, UnitKind] = {}
for _kind in UnitKind:
    _KIND_KEYS[_squash(_kind.value)] = _kind
    _KIND_KEYS[_squash(_kind.name)] = _kind


def _kind_choices() -> str:
    return ", ".join(f"“{k.value}”" for k in UnitKind)


def parse_kind(value: object) -> UnitKind:
    """A unit kind from what a person typed: exact, or case/accent/punctuation-insensitive ("thon xom")."""
    if isinstance(value, UnitKind):
        return value
    text = clean_text(str(value or ""))
    kind = _KIND_KEYS.get(_squash(text)) if text else None
    if kind is None:
        raise ValueError(f"'{text}' không hợp lệ; chọn một trong: {_kind_choices()}")
    return kind


def spreadsheet_id(value: str) -> str:
    """The spreadsheet id of a Google Sheets URL (…/spreadsheets/d/<id>/…) or of a bare id."""
    text = value.strip()
    match = _SHEET_URL.search(text)
    if match:
        return match.group(1)
    if _SHEET_ID.fullmatch(text):
        return text
    raise ValueError(
        f"'{text}' không phải địa chỉ Google Sheets (https://docs.google.com/spreadsheets/d/…) "
        "hoặc mã bảng tính hợp lệ"
    )


class UnitEntry(BaseModel):
    """One registered unit as written by a person: tolerant input, strict checks, Vietnamese messages."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    name: str
    kind: UnitKind
    email: str | None = None
    phone: str | None = None
    sheet: str | None = None

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value: object) -> str:
        text = clean_text(str(value if value is not None else ""))
        if not text:
            raise ValueError("mã đơn vị đang để trống")
        if " " in text:
            raise ValueError(f"mã đơn vị '{text}' có dấu cách; chỉ dùng chữ không dấu, số, '_', '.', '-'")
        if not _CODE.fullmatch(text):
            raise ValueError(
                f"mã đơn vị '{text}' không hợp lệ; chỉ dùng chữ không dấu, số, '_', '.', '-' (tối đa 20 ký tự)"
            )
        if not any(ch.isalnum() for ch in text):
            raise ValueError(f"mã đơn vị '{text}' phải có ít nhất một chữ hoặc số")
        return text  # as typed (messages quote it); ``to_unit`` gives the canonical code

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: object) -> str:
        text = clean_text(str(value if value is not None else ""))
        if not text:
            raise ValueError("tên đơn vị đang để trống")
        return text

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> UnitKind:
        return parse_kind(value)

    @field_validator("email", "phone", mode="before")
    @classmethod
    def _optional_text(cls, value: object) -> str | None:
        text = clean_text(str(value)) if value is not None else ""
        return text or None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.fullmatch(value):
            raise ValueError(f"'{value}' không phải địa chỉ email hợp lệ")
        return value

    @field_validator("sheet", mode="before")
    @classmethod
    def _sheet(cls, value: object) -> str | None:
        text = str(value).strip() if value is not None else ""
        return spreadsheet_id(text) if text else None

    def to_unit(self) -> Unit:
        return Unit(code=self.code, name=self.name, kind=self.kind, email=self.email, phone=self.phone, sheet=self.sheet)


def sorted_units(units: Iterable[Unit]) -> list[Unit]:
    """Units in Vietnamese alphabetical order of their names (for display; the registry keeps its order)."""
    return sorted(units, key=lambda u: (vn_sort_key(u.name), u.code))


def check_unique(
    units: Sequence[Unit], where: Sequence[str], prefix: str = "", spelled: Sequence[str] | None = None
) -> None:
    """Refuse two units whose codes are the same identity (``canonical_code``: case, Unicode form and
    surrounding spaces do not count) and a spreadsheet shared by two units.

    ``where[i]`` names unit i ("units[3]", "dòng 5"); ``prefix`` names the file ("dvk.toml: "); ``spelled[i]``
    is unit i's code as written (the message quotes both spellings).
    """
    problems: list[str] = []
    keys: list[str] = []
    codes: dict[str, int] = {}
    sheets: dict[str, int] = {}
    shown = list(spelled) if spelled is not None else [u.code for u in units]
    for i, unit in enumerate(units):
        first = codes.setdefault(canonical_code(unit.code), i)
        if first != i:
            same = "" if shown[i] == shown[first] else (
                f"; dvk không phân biệt chữ hoa, chữ thường trong mã đơn vị nên '{shown[i]}' và '{shown[first]}' "
                f"là cùng một mã ({unit.code})"
            )
            problems.append(
                f"{prefix}{where[i]}: mã đơn vị '{shown[i]}' trùng với {where[first]} ('{shown[first]}'){same}. "
                "Hãy đặt mã khác cho một trong hai đơn vị."
            )
            keys.append(where[i])
        if unit.sheet:
            first = sheets.setdefault(unit.sheet, i)
            if first != i:
                problems.append(f"{prefix}{where[i]}: bảng tính '{unit.sheet}' đã dùng cho đơn vị '{units[first].code}'")
                keys.append(where[i])
    if problems:
        raise ConfigError("\n".join(problems), key=keys[0])


# --- pydantic errors in Vietnamese -------------------------------------------------------------------------

_MESSAGES = {
    "missing": "thiếu giá trị (bắt buộc)",
    "extra_forbidden": "khóa không được hỗ trợ (gõ nhầm tên khóa?)",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "float_parsing": "phải là số",
    "float_type": "phải là số",
    "bool_parsing": "phải là true hoặc false",
    "bool_type": "phải là true hoặc false",
    "string_type": "phải là chuỗi ký tự (đặt trong dấu nháy kép)",
    "date_parsing": "không phải ngày hợp lệ (dạng 2026-12-15)",
    "date_from_datetime_parsing": "không phải ngày hợp lệ (dạng 2026-12-15)",
    "date_from_datetime_inexact": "phải là một ngày, không kèm giờ",
    "date_type": "không phải ngày hợp lệ (dạng 2026-12-15)",
    "list_type": "phải là một danh sách",
    "tuple_type": "phải là một danh sách (ví dụ các mục [[units]])",
    "string_too_long": "quá dài",
    "enum": "không phải một trong các giá trị cho phép",
    "model_type": "phải là một bảng (mục [..])",
    "dict_type": "phải là một bảng (mục [..])",
    "path_type": "phải là đường dẫn tệp",
}


def _where(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _reason(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", error["msg"])).removeprefix("Value error, ")
    seen = error.get("input")
    shown = f"'{seen}' " if isinstance(seen, str | int | float) and kind not in ("missing", "extra_forbidden") else ""
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sign = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[kind]
        bound = next(iter(ctx.values()), "")
        return f"{shown}phải {sign} {bound}"
    return shown + _MESSAGES.get(kind, str(error["msg"]))


def describe_validation_error(err: ValidationError, prefix: str, *, offset: tuple[int | str, ...] = ()) -> list[tuple[str, str]]:
    """(key path, "prefix: key: reason") for every error, key paths 1-based for list items ("units[3].kind")."""
    out = []
    for e in err.errors():
        key = _where((*offset, *e["loc"]))
        out.append((key, f"{prefix}: {key + ': ' if key else ''}{_reason(e)}"))
    return out


# --- reading a registry file -------------------------------------------------------------------------------

_HEADERS = {
    "code": ("ma don vi", "ma", "code", "unit code"),
    "name": ("ten don vi", "ten", "name", "unit name"),
    "kind": ("loai", "loai don vi", "kind", "type"),
    "email": ("email", "e-mail", "thu dien tu"),
    "phone": ("dien thoai", "so dien thoai", "phone"),
    "sheet": ("bang tinh", "google sheet", "sheet", "link", "duong dan"),
}
_COLUMN_NAMES = {
    "code": "Mã đơn vị", "name": "Tên đơn vị", "kind": "Loại", "email": "Email", "phone": "Điện thoại", "sheet": "Bảng tính",
}
_HEADER_KEYS = {alias: key for key, aliases in _HEADERS.items() for alias in aliases}


def _header_key(text: object) -> str | None:
    folded = fold(str(text or ""))
    if "/" in folded:  # "Mã đơn vị/code": either half may match
        for half in folded.split("/"):
            if half.strip() in _HEADER_KEYS:
                return _HEADER_KEYS[half.strip()]
    return _HEADER_KEYS.get(folded)


def _rows_csv(path: Path) -> list[tuple[int, list[object]]]:
    try:
        raw = read_bounded(path, UNITS_LIMIT)
    except ConfigFileError as err:
        raise ConfigError(describe(err, "Tệp danh sách đơn vị"), key=str(path)) from err
    except OSError as err:
        reason = "không có quyền đọc" if isinstance(err, PermissionError) else err.strerror or str(err)
        raise ConfigError(f"{path}: không đọc được tệp danh sách đơn vị ({reason}).", key=str(path)) from err
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ConfigError(
            f"{path}: tệp CSV không phải mã UTF-8; hãy lưu lại bằng “CSV UTF-8 (Comma delimited)”.", key=str(path)
        ) from err
    for number, line in enumerate(text.splitlines(), start=1):
        if "\0" in line:
            raise ConfigError(
                f"{path}, dòng {number}: có ký tự rỗng (NUL) — tệp bị hỏng hoặc không phải CSV; hãy lưu lại từ Excel.",
                key=str(path),
            )
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[object]]] = []
    try:
        for row in reader:
            rows.append((reader.line_num, list(row)))
    except csv.Error as err:
        limit = csv.field_size_limit()
        reason = (f"có một ô dài hơn {limit:,} ký tự (thường do thiếu dấu nháy kép đóng)".replace(",", ".")
                  if "field larger" in str(err) else "dòng không đúng dạng CSV")
        raise ConfigError(f"{path}, dòng {reader.line_num}: {reason}.", key=str(path)) from err
    return rows


def _rows_xlsx(path: Path) -> list[tuple[int, list[object]]]:
    from openpyxl import load_workbook  # imported here: only registry files need it

    from workbook.preflight import preflight

    try:  # a bomb, a fake or a huge file is refused before openpyxl opens it (10,000 units: ~20,000 strings)
        preflight(path, max_shared_strings=500_000, max_shared_bytes=64 * 2**20)
    except WorkbookError as err:
        raise ConfigError(f"{path}: không mở được tệp Excel danh sách đơn vị — {err}", key=str(path)) from err
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a broken file
        raise ConfigError(f"{path}: không mở được tệp Excel danh sách đơn vị ({err}).", key=str(path)) from err
    try:
        ws = wb.worksheets[0]
        return [(i, list(row)) for i, row in enumerate(ws.iter_rows(values_only=True), start=1)]
    finally:
        wb.close()


def read_registry(path: Path) -> list[Unit]:
    """The units listed in a CSV or .xlsx registry file, in file order; errors name the row."""
    suffix = path.suffix.lower()
    if path.is_dir():
        raise ConfigError(f"{path} là một thư mục; hãy chỉ tệp danh sách đơn vị .csv hoặc .xlsx.", key=str(path))
    special = special_kind(path)
    if special is not None:
        raise ConfigError(describe(ConfigFileError(path, "special", special), "Tệp danh sách đơn vị"), key=str(path))
    if not path.is_file():
        raise ConfigError(f"Không tìm thấy tệp danh sách đơn vị {path}.", key=str(path))
    if suffix == ".csv":
        rows = _rows_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        rows = _rows_xlsx(path)
    else:
        raise ConfigError(f"{path}: danh sách đơn vị phải là tệp .csv hoặc .xlsx.", key=str(path))
    rows = [(n, row) for n, row in rows if any(str(v).strip() for v in row if v is not None)]
    if not rows:
        raise ConfigError(f"{path}: tệp danh sách đơn vị đang trống.", key=str(path))
    header_row, header = rows[0]
    columns: dict[str, int] = {}
    for i, title in enumerate(header):
        key = _header_key(title)
        if key and key not in columns:
            columns[key] = i
    missing = [k for k in ("code", "name", "kind") if k not in columns]
    if missing:
        wanted = {"code": "“Mã đơn vị”", "name": "“Tên đơn vị”", "kind": "“Loại”"}
        raise ConfigError(
            f"{path}, dòng {header_row}: thiếu cột {', '.join(wanted[k] for k in missing)} ở dòng tiêu đề.", key=str(path)
        )
    if len(rows) == 1:
        raise ConfigError(
            f"{path}: tệp danh sách đơn vị chỉ có dòng tiêu đề, chưa có đơn vị nào; mỗi dòng tiếp theo là một đơn vị.",
            key=str(path),
        )
    units: list[Unit] = []
    where: list[str] = []
    spelled: list[str] = []
    problems: list[str] = []
    for number, row in rows[1:]:
        data = {key: row[i] if i < len(row) else None for key, i in columns.items()}
        label = f"{path}, dòng {number}"
        try:
            entry = UnitEntry.model_validate(data)
            units.append(entry.to_unit())
            spelled.append(entry.code)
            where.append(f"dòng {number}")
        except ValidationError as err:
            problems.extend(f"{label}, cột {_COLUMN_NAMES.get(str(e['loc'][0]), '?')}: {_reason(e)}" for e in err.errors())
    if problems:
        raise ConfigError("\n".join(problems), key=str(path))
    check_unique(units, where, f"{path}, ", spelled)
    return units

