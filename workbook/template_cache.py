"""Cached formula results and the default font, written into a saved template.

Excel's Protected View, phone previews and pandas show a formula's stored result (``<v>``) and never
recalculate. openpyxl writes formulas with an empty result, so ``finish_xlsx`` rewrites the saved package:
each formula cell whose value is known when dvk writes the file (the blank state, the pre-filled unit)
gets that value, and the workbook's default font (openpyxl's Calibri, tied to the theme) becomes Times
New Roman so every font of styles.xml is named Times New Roman. The formulas stay: Excel and LibreOffice
still recalculate on open (``fullCalcOnLoad``).
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import defusedxml.ElementTree as ET

from .styles import DEFAULT_FONT, FONT_NAME

__all__ = ["FormulaCache", "finish_xlsx"]

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

Cached = str | int | float


@dataclass
class FormulaCache:
    """The known results of formula cells: sheet title → cell → value ("" for an empty text)."""

    values: dict[str, dict[str, Cached]] = field(default_factory=dict)

    def put(self, sheet: str, cell: str, value: Cached) -> None:
        self.values.setdefault(sheet, {})[cell] = value


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → part name (``xl/worksheets/sheet3.xml``)."""
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{_NS_PKG}}}Relationship")}
    out: dict[str, str] = {}
    for sheet in wb.iter(f"{{{_NS_MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{_NS_REL}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        out[sheet.get("name", "")] = part
    return out


_CELL = re.compile(r'<c r="(?P<ref>[A-Z]+[0-9]+)"(?P<attrs>[^>]*?)>(?P<f><f>.*?</f>|<f [^>]*?>.*?</f>)(?:<v\s*/>|<v>.*?</v>)?</c>',
                   re.DOTALL)


def _with_values(xml: str, values: Mapping[str, Cached]) -> str:
    def repl(m: re.Match[str]) -> str:
        ref = m.group("ref")
        if ref not in values:
            return m.group(0)
        value = values[ref]
        attrs = re.sub(r'\s+t="[^"]*"', "", m.group("attrs"))
        if isinstance(value, str):
            return f'<c r="{ref}"{attrs} t="str">{m.group("f")}<v>{escape(value)}</v></c>'
        return f'<c r="{ref}"{attrs}>{m.group("f")}<v>{value!r}</v></c>'

    return _CELL.sub(repl, xml)


_DEFAULT_FONT_XML = (
    f'<font><sz val="{int(DEFAULT_FONT.sz)}"/><name val="{FONT_NAME}"/><family val="1"/></font>'
)


#: The order of a ``<font>``'s children in the schema (CT_Font); openpyxl writes ``name`` first.
_FONT_ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color", "name",
               "family", "charset", "scheme")


def _ordered_font(m: re.Match[str]) -> str:
    children = re.findall(r"<(\w+)\b[^>]*?/>", m.group(1))
    parts = re.findall(r"<\w+\b[^>]*?/>", m.group(1))
    rank = {name: i for i, name in enumerate(_FONT_ORDER)}
    ordered = [p for _, p in sorted(zip(children, parts, strict=True), key=lambda cp: rank.get(cp[0], len(rank)))]
    return "<font>" + "".join(ordered) + "</font>"


def _with_default_font(xml: str) -> str:
    """Every ``<font>`` of styles.xml named Times New Roman, none tied to the theme's font scheme, its children
    in schema order."""
    xml = re.sub(r"<fonts([^>]*)><font>.*?</font>", lambda m: f"<fonts{m.group(1)}>{_DEFAULT_FONT_XML}", xml, count=1,
                 flags=re.DOTALL)
    xml = re.sub(r'<name val="[^"]*"\s*/>', f'<name val="{FONT_NAME}"/>', xml)
    xml = re.sub(r'<scheme val="[^"]*"\s*/>', "", xml)
    return re.sub(r"<font>(.*?)</font>", _ordered_font, xml, flags=re.DOTALL)


def finish_xlsx(path: Path, cache: FormulaCache | None = None) -> None:
    """Rewrite ``path`` (an .xlsx openpyxl saved) in place: cached values of ``cache``, Times New Roman."""
    with zipfile.ZipFile(path) as src:
        parts = _sheet_parts(src)
        by_part = {parts[s]: v for s, v in (cache.values if cache else {}).items() if s in parts}
        fd, tmp_name = tempfile.mkstemp(prefix=".dvk-", suffix=".xlsx", dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
                for item in src.infolist():
                    data = src.read(item.filename)
                    if item.filename in by_part:
                        data = _with_values(data.decode("utf-8"), by_part[item.filename]).encode("utf-8")
                    elif item.filename == "xl/styles.xml":
                        data = _with_default_font(data.decode("utf-8")).encode("utf-8")
                    out.writestr(item, data)
            shutil.copymode(path, tmp)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
