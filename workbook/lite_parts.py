"""The xlwings Lite parts of a saved .xlsx, read only: the embedded code and whether a re-save broke it.

An Office add-in that is part of a workbook is stored as a web-extension part
(``xl/webextensions/webextension1.xml``, reached through ``xl/webextensions/taskpanes.xml``). LibreOffice keeps
``taskpanes.xml`` on a re-save but drops the web-extension part it points to: Excel then shows an empty task
pane and the code is gone. ``lite_state``/``lite_problem`` tell such a file apart. Writing the parts is the
add-in's job (``addin.embed``, which re-exports these); reading them lives here so ``dvk validate`` can warn
without the CLI importing the add-in layer.
"""

from __future__ import annotations

import json
import zipfile
from enum import Enum
from pathlib import Path

__all__ = [
    "CODE_KEYS",
    "REL_TASKPANES",
    "TASKPANES_PART",
    "TASKPANES_RELS",
    "WEBEXTENSION_PART",
    "WE_NS",
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


def embedded_code(xlsx_path: Path) -> dict[str, str]:
    """The files embedded by ``embed_lite`` (empty when none): file name → text."""
    import defusedxml.ElementTree as ET

    with zipfile.ZipFile(xlsx_path) as z:
        if WEBEXTENSION_PART not in z.namelist():
            return {}
        root = ET.fromstring(z.read(WEBEXTENSION_PART))
    keys = {v: k for k, v in CODE_KEYS.items()}
    out: dict[str, str] = {}
    for prop in root.iter(f"{{{WE_NS}}}property"):
        name = prop.get("name", "")
        if name in keys:
            out[keys[name]] = json.loads(prop.get("value", '""'))
    return out


def lite_properties(xlsx_path: Path) -> dict[str, str]:
    """Every document setting of the Lite web-extension part (name → raw JSON value); empty when none."""
    import defusedxml.ElementTree as ET

    with zipfile.ZipFile(xlsx_path) as z:
        if WEBEXTENSION_PART not in z.namelist():
            return {}
        root = ET.fromstring(z.read(WEBEXTENSION_PART))
    return {p.get("name", ""): p.get("value", "") for p in root.iter(f"{{{WE_NS}}}property")}


class LiteState(Enum):
    NONE = "none"  # no add-in part at all
    OK = "ok"  # the task pane and its web extension (with the code) are there
    BROKEN = "broken"  # a task pane is left whose web extension is gone (a re-save by LibreOffice)


def lite_state(xlsx_path: Path) -> LiteState:
    """Whether ``xlsx_path`` carries xlwings Lite parts, intact or broken."""
    try:
        with zipfile.ZipFile(xlsx_path) as z:
            names = set(z.namelist())
            root_rels = z.read("_rels/.rels").decode("utf-8", "replace") if "_rels/.rels" in names else ""
    except (OSError, zipfile.BadZipFile):
        return LiteState.NONE
    pane = TASKPANES_PART in names or REL_TASKPANES in root_rels
    extension = WEBEXTENSION_PART in names
    if not pane and not extension:
        return LiteState.NONE
    if pane and extension and TASKPANES_PART in names and TASKPANES_RELS in names:
        return LiteState.OK if embedded_code(xlsx_path) else LiteState.BROKEN
    return LiteState.BROKEN


def lite_problem(xlsx_path: Path) -> str | None:
    """A Vietnamese message saying what to do when the Lite parts of ``xlsx_path`` are broken, else None."""
    if lite_state(xlsx_path) is not LiteState.BROKEN:
        return None
    name = Path(xlsx_path).name
    return (
        f"Tệp {name}: phần mã xlwings Lite đã bị mất (còn khung tác vụ nhưng không còn phần bổ trợ), thường do "
        "tệp đã được mở và lưu lại bằng LibreOffice. Số liệu trong tệp vẫn dùng được; chỉ các hàm DVK_… và kịch "
        "bản không chạy. Cách khắc phục: tạo lại mẫu phiếu có mã bằng lệnh “dvk template --with-lite”, hoặc mở tệp "
        "bằng Excel, bấm nút xlwings Lite và dán lại main.py, requirements.txt (tạo bằng “dvk addin lite --out "
        "lite”), rồi lưu bằng Excel. Đừng lưu lại tệp này bằng LibreOffice."
    )
