"""The xlwings Lite parts of a saved .xlsx, read only: the embedded code and whether a re-save broke it.

An Office add-in that is part of a workbook is stored as a web-extension part
(``xl/webextensions/webextension1.xml``, reached through ``xl/webextensions/taskpanes.xml``). LibreOffice keeps
``taskpanes.xml`` on a re-save but drops the web-extension part it points to: Excel then shows an empty task
pane and the code is gone. ``lite_state``/``lite_problem`` tell such a file apart. Writing the parts is the
add-in's job (``addin.embed``, which re-exports these); reading them lives here so ``dvk validate`` can warn
without the CLI importing the add-in layer.

Every read is bounded (review H7): a part is refused by its declared size before it is inflated
(``MAX_PART_BYTES``), and reading stops at that size whatever the zip claims; the XML is parsed without DTDs.
A part that cannot be read is ``LiteState.DAMAGED`` with a Vietnamese reason ("phần mã xlwings Lite hỏng"),
a warning on that file only.
"""

from __future__ import annotations

import json
import zipfile
import zlib
from enum import Enum
from pathlib import Path

from schemas.errors import WorkbookError

__all__ = [
    "CODE_KEYS",
    "MAX_PART_BYTES",
    "REL_TASKPANES",
    "TASKPANES_PART",
    "TASKPANES_RELS",
    "WEBEXTENSION_PART",
    "WE_NS",
    "LitePartsError",
    "LiteState",
    "embedded_code",
    "lite_problem",
    "lite_properties",
    "lite_state",
]

#: Document-setting key of each file — best understanding, not verified.
CODE_KEYS = {"main.py": "main.py", "requirements.txt": "requirements.txt"}
WEBEXTENSION_PART = "xl/webextensions/webextension1.xml"
TASKPANES_PART = "xl/webextensions/taskpanes.xml"
TASKPANES_RELS = "xl/webextensions/_rels/taskpanes.xml.rels"
WE_NS = "http://schemas.microsoft.com/office/webextensions/webextension/2010/11"
REL_TASKPANES = "http://schemas.microsoft.com/office/2011/relationships/webextensiontaskpanes"


#: The web-extension part dvk embeds is ~180 KB (the rules as Python, JSON-escaped); a part many times that
#: is no Lite code but a deflate bomb or junk: it is refused without being inflated (review H7).
MAX_PART_BYTES = 4 * 2**20
_MAX_SMALL_PART = 64 * 2**10  # taskpanes.xml, its relationships, _rels/.rels


class LitePartsError(WorkbookError):
    """The Lite parts of a file cannot be read (too large, malformed XML, a DTD, a value that is not JSON).
    Context: ``path``, ``reason`` (Vietnamese, what is wrong with the part)."""


def _read_part(z: zipfile.ZipFile, name: str, path: Path, limit: int = MAX_PART_BYTES) -> bytes:
    """The bytes of one part, never more than ``limit`` inflated (the zip's declared size is checked first;
    reading stops at the limit whatever the entry claims)."""
    info = z.getinfo(name)
    if info.file_size > limit:
        raise _damaged(path, f"phần {name} quá lớn: {info.file_size / 2**20:.0f} MB khi giải nén")
    with z.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise _damaged(path, f"phần {name} quá lớn")
    return data


def _damaged(path: Path, reason: str) -> LitePartsError:
    return LitePartsError(_damaged_message(Path(path).name, reason), path=str(path), reason=reason)


def _damaged_message(name: str, reason: str) -> str:
    return (
        f"Tệp {name}: phần mã xlwings Lite hỏng ({reason}) nên dvk không đọc được. Số liệu trong tệp vẫn được "
        "kiểm tra như thường; chỉ các hàm DVK_… và kịch bản trong Excel không dùng được. Cách khắc phục: tạo lại "
        "mẫu phiếu có mã bằng lệnh “dvk template --with-lite” rồi chép số liệu sang, hoặc mở tệp bằng Excel, bấm "
        "nút xlwings Lite và dán lại main.py, requirements.txt (tạo bằng “dvk addin lite --out lite”), rồi lưu."
    )


def _properties(xlsx_path: Path) -> dict[str, str] | None:
    """Every property of the web-extension part (name → raw value); None when the file has no such part.
    ``LitePartsError`` for a part that cannot be read safely."""
    import defusedxml
    import defusedxml.ElementTree as ET

    path = Path(xlsx_path)
    try:
        with zipfile.ZipFile(path) as z:
            if WEBEXTENSION_PART not in z.namelist():
                return None
            data = _read_part(z, WEBEXTENSION_PART, path)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as err:
        raise _damaged(path, "tệp nén bị hỏng") from err
    try:
        root = ET.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException as err:
        raise _damaged(path, "có khai báo XML không an toàn (DOCTYPE/ENTITY)") from err
    except (ET.ParseError, ValueError) as err:
        raise _damaged(path, "nội dung XML không đúng dạng") from err
    return {p.get("name", ""): p.get("value", "") for p in root.iter(f"{{{WE_NS}}}property")}


def embedded_code(xlsx_path: Path) -> dict[str, str]:
    """The files embedded by ``embed_lite`` (empty when none): file name → text.
    ``LitePartsError`` (Vietnamese) when the part is there but damaged."""
    props = _properties(xlsx_path) or {}
    keys = {v: k for k, v in CODE_KEYS.items()}
    out: dict[str, str] = {}
    for name, raw in props.items():
        if name not in keys:
            continue
        try:
            value = json.loads(raw or '""')
        except ValueError as err:  # json.JSONDecodeError, and a number too long to convert
            raise _damaged(Path(xlsx_path), f"giá trị “{name}” không phải chuỗi JSON") from err
        if not isinstance(value, str):
            raise _damaged(Path(xlsx_path), f"giá trị “{name}” không phải chuỗi JSON")
        out[keys[name]] = value
    return out


def lite_properties(xlsx_path: Path) -> dict[str, str]:
    """Every document setting of the Lite web-extension part (name → raw JSON value); empty when none.
    ``LitePartsError`` when the part is damaged."""
    return _properties(xlsx_path) or {}


class LiteState(Enum):
    NONE = "none"  # no add-in part at all
    OK = "ok"  # the task pane and its web extension (with the code) are there
    BROKEN = "broken"  # a task pane is left whose web extension is gone (a re-save by LibreOffice)
    DAMAGED = "damaged"  # the web-extension part is there but unreadable (malformed, a DTD, not JSON, too large)


def _state(xlsx_path: Path) -> tuple[LiteState, str]:
    """(state, the reason when damaged)."""
    path = Path(xlsx_path)
    names: set[str] = set()
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            root_rels = (_read_part(z, "_rels/.rels", path, _MAX_SMALL_PART).decode("utf-8", "replace")
                         if "_rels/.rels" in names else "")
    except LitePartsError as err:  # an absurd _rels/.rels: only a Lite file's concern here
        if WEBEXTENSION_PART in names or TASKPANES_PART in names:
            return LiteState.DAMAGED, str(err.context.get("reason", ""))
        return LiteState.NONE, ""
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError):
        return LiteState.NONE, ""  # not a zip at all: whoever reads the file says so
    pane = TASKPANES_PART in names or REL_TASKPANES in root_rels
    extension = WEBEXTENSION_PART in names
    if not pane and not extension:
        return LiteState.NONE, ""
    if pane and extension and TASKPANES_PART in names and TASKPANES_RELS in names:
        try:
            return (LiteState.OK if embedded_code(path) else LiteState.BROKEN), ""
        except LitePartsError as err:
            return LiteState.DAMAGED, str(err.context.get("reason", ""))
    if extension:  # a web extension without its task pane: read it all the same, to say what is wrong
        try:
            embedded_code(path)
        except LitePartsError as err:
            return LiteState.DAMAGED, str(err.context.get("reason", ""))
    return LiteState.BROKEN, ""


def lite_state(xlsx_path: Path) -> LiteState:
    """Whether ``xlsx_path`` carries xlwings Lite parts: intact, broken by a re-save, or damaged. Never raises
    for the parts' content: each part is read within ``MAX_PART_BYTES`` and parsed without DTDs."""
    return _state(xlsx_path)[0]


def lite_problem(xlsx_path: Path) -> str | None:
    """A Vietnamese message saying what to do when the Lite parts of ``xlsx_path`` are broken or damaged, else
    None. Never raises for a damaged part (one bad file never stops a batch)."""
    state, reason = _state(xlsx_path)
    name = Path(xlsx_path).name
    if state is LiteState.DAMAGED:
        return _damaged_message(name, reason)
    if state is not LiteState.BROKEN:
        return None
    return (
        f"Tệp {name}: phần mã xlwings Lite đã bị mất (còn khung tác vụ nhưng không còn phần bổ trợ), thường do "
        "tệp đã được mở và lưu lại bằng LibreOffice. Số liệu trong tệp vẫn dùng được; chỉ các hàm DVK_… và kịch "
        "bản không chạy. Cách khắc phục: tạo lại mẫu phiếu có mã bằng lệnh “dvk template --with-lite”, hoặc mở tệp "
        "bằng Excel, bấm nút xlwings Lite và dán lại main.py, requirements.txt (tạo bằng “dvk addin lite --out "
        "lite”), rồi lưu bằng Excel. Đừng lưu lại tệp này bằng LibreOffice."
    )
