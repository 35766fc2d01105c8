"""Embedding the xlwings Lite code in a saved .xlsx: the Office web-extension (add-in) part.

An Office add-in that is part of a workbook is stored as a web-extension part
(``xl/webextensions/webextension1.xml``, reached from the package through ``xl/webextensions/taskpanes.xml``,
ECMA-376 extension [MS-OWEXML]); the settings an add-in saves with ``Office.context.document.settings``
are the ``<we:property name=… value=…>`` entries of that part, each value JSON-encoded. openpyxl drops
these parts on save, so ``embed_lite`` adds them to the finished file.

Besides the two files, a workbook Lite saved carries ``pyodideVersion`` and ``addinVersion`` (the Pyodide
and add-in versions that wrote it), so they are written too; ``Office.AutoShowTaskpaneWithDocument`` is not
(real Lite files lack it; Lite's own workbook setting "Startup Behavior" decides whether it starts).

LibreOffice keeps ``taskpanes.xml`` on a re-save but drops the web-extension part it points to: Excel then
shows an empty task pane and the code is gone. ``lite_state``/``lite_problem`` tell such a file apart.

Verified here: the result is a valid package that openpyxl and LibreOffice open, and the parts carry the
code. Best understanding, not verified against Excel (no Excel in this environment): that xlwings Lite
keeps its ``main.py`` and ``requirements.txt`` as document settings under the keys below, its store asset
id, and the two version values (from Lite's published changelog). If Lite does not pick the code up, paste
the two files from ``dvk addin lite`` into its editor.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Mapping
from pathlib import Path

from schemas.errors import WorkbookError
from workbook.lite_parts import (
    CODE_KEYS,
    REL_TASKPANES,
    TASKPANES_PART,
    TASKPANES_RELS,
    WE_NS,
    WEBEXTENSION_PART,
    LitePartsError,
    LiteState,
    embedded_code,
    lite_problem,
    lite_properties,
    lite_state,
)

from .bundle import LiteBundle

__all__ = [
    "ADDIN_VERSION",
    "CODE_KEYS",
    "LITE_STORE_ID",
    "PYODIDE_VERSION",
    "WEBEXTENSION_PART",
    "LitePartsError",
    "LiteState",
    "embed_lite",
    "embedded_code",
    "lite_problem",
    "lite_properties",
    "lite_state",
]

#: Office Store (AppSource) asset id of xlwings Lite — best understanding, not verified.
LITE_STORE_ID = "WA200008175"
#: The versions a Lite-saved workbook records (document settings ``pyodideVersion``, ``addinVersion``): the
#: Pyodide of Lite's changelog (1.0.0.0-12, "Upgraded to Pyodide 0.27.5") and its latest add-in release.
PYODIDE_VERSION = "0.27.5"
ADDIN_VERSION = "1.0.0.0-28"
_TASKPANES_PART = TASKPANES_PART
_TASKPANES_RELS = TASKPANES_RELS
_WE_NS = WE_NS
_TP_NS = "http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_TASKPANES = REL_TASKPANES
_REL_WEBEXTENSION = "http://schemas.microsoft.com/office/2011/relationships/webextension"
_CT_WEBEXTENSION = "application/vnd.ms-office.webextension+xml"
_CT_TASKPANES = "application/vnd.ms-office.webextensiontaskpanes+xml"


def _attr(text: str) -> str:
    """Escape for a double-quoted XML attribute, keeping newlines and tabs (attribute normalisation)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
        .replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#9;")
    )


def _webextension_xml(files: Mapping[str, str], store_id: str) -> str:
    props = [(CODE_KEYS.get(name, name), json.dumps(text, ensure_ascii=False)) for name, text in files.items()]
    props += [("pyodideVersion", json.dumps(PYODIDE_VERSION)), ("addinVersion", json.dumps(ADDIN_VERSION))]
    properties = "".join(f'<we:property name="{_attr(k)}" value="{_attr(v)}"/>' for k, v in props)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<we:webextension xmlns:we="{_WE_NS}" id="{{{str(uuid.uuid4()).upper()}}}">'
        f'<we:reference id="{store_id.lower()}" version="1.0.0.0" store="en-US" storeType="OMEX"/>'
        f'<we:alternateReferences><we:reference id="{store_id}" version="1.0.0.0" store="{store_id}" storeType="OMEX"/>'
        "</we:alternateReferences>"
        f"<we:properties>{properties}</we:properties>"
        "<we:bindings/>"
        f'<we:snapshot xmlns:r="{_R_NS}"/>'
        "</we:webextension>"
    )


_TASKPANES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<wetp:taskpanes xmlns:wetp="{_TP_NS}">'
    '<wetp:taskpane dockstate="right" visibility="0" width="438" row="1">'
    f'<wetp:webextensionref xmlns:r="{_R_NS}" r:id="rId1"/>'
    "</wetp:taskpane></wetp:taskpanes>"
)
_TASKPANES_RELS_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL_WEBEXTENSION}" Target="webextension1.xml"/>'
    "</Relationships>"
)


def _files_of(bundle: LiteBundle | Path | Mapping[str, str]) -> dict[str, str]:
    if isinstance(bundle, LiteBundle):
        return bundle.files
    if isinstance(bundle, Path):
        names = ("main.py", "requirements.txt")
        missing = [n for n in names if not (bundle / n).is_file()]
        if missing:
            raise WorkbookError(
                f"Thư mục {bundle} thiếu {', '.join(missing)}. Hãy tạo bằng lệnh: dvk addin lite --out {bundle}",
                path=str(bundle),
            )
        return {n: (bundle / n).read_text(encoding="utf-8") for n in names}
    return dict(bundle)


def _content_types(xml: str) -> str:
    xml = re.sub(r'<Override PartName="/xl/webextensions/[^"]*"[^>]*/>', "", xml)
    overrides = (
        f'<Override PartName="/{WEBEXTENSION_PART}" ContentType="{_CT_WEBEXTENSION}"/>'
        f'<Override PartName="/{_TASKPANES_PART}" ContentType="{_CT_TASKPANES}"/>'
    )
    return xml.replace("</Types>", overrides + "</Types>")


def _root_rels(xml: str) -> str:
    xml = re.sub(rf'<Relationship [^>]*Type="{re.escape(_REL_TASKPANES)}"[^>]*/>', "", xml)
    ids = set(re.findall(r'Id="([^"]+)"', xml))
    n = 1
    while f"rIdWe{n}" in ids:
        n += 1
    rel = f'<Relationship Id="rIdWe{n}" Type="{_REL_TASKPANES}" Target="{_TASKPANES_PART}"/>'
    return xml.replace("</Relationships>", rel + "</Relationships>")


def embed_lite(
    xlsx_path: Path, bundle: LiteBundle | Path | Mapping[str, str], *, store_id: str = LITE_STORE_ID
) -> None:
    """Add (or replace) the xlwings Lite web-extension part carrying ``main.py`` and ``requirements.txt``.

    ``bundle``: a ``LiteBundle``, a folder written by ``dvk addin lite``, or a mapping file name → text.
    The file is rewritten atomically (a temporary file in the same folder, then a rename).
    """
    files = _files_of(bundle)
    path = Path(xlsx_path)
    try:
        source = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as err:
        raise WorkbookError(f"Không mở được tệp {path} như một sổ tính .xlsx.", path=str(path)) from err
    fd, tmp_name = tempfile.mkstemp(prefix=".dvk-lite-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with source, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
            for item in source.infolist():
                if item.filename.startswith("xl/webextensions/"):
                    continue
                data = source.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    data = _content_types(data.decode("utf-8")).encode("utf-8")
                elif item.filename == "_rels/.rels":
                    data = _root_rels(data.decode("utf-8")).encode("utf-8")
                out.writestr(item, data)
            out.writestr(WEBEXTENSION_PART, _webextension_xml(files, store_id))
            out.writestr(_TASKPANES_PART, _TASKPANES_XML)
            out.writestr(_TASKPANES_RELS, _TASKPANES_RELS_XML)
        shutil.copymode(path, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
