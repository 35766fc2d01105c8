"""What a rendered document still lacks: blanks and placeholders highlighted, the "DỰ THẢO" mark, the list.

A value nobody configured (a number, a date, a signer's name) reaches the template as ``blank(what)``: the
visible blank "…" wrapped in two private-use characters around the description of what is missing
("số báo cáo ([documents] report_number)"). After docxtpl has rendered the document, ``finish`` replaces each
by a yellow-highlighted "…" and collects its description; every other highlighted run (the "[Cán bộ viết: …]"
paragraphs of dvk's templates, or whatever a commune's template marks in yellow) is a placeholder the staff
still have to write. A document with anything missing gets a boxed "DỰ THẢO" at the top of its first page.

``context_text`` prepares text for docxtpl: a Word manual line break (U+000B) or a form feed becomes a line
break (never glues two words), other control characters are dropped, and docxtpl's own escapes
("{_{", "}_}", "{_%", "%_}") in unit text are protected, so a unit's text prints exactly as typed.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lxml import etree

__all__ = ["DRAFT_MARK", "Finished", "blank", "context_text", "finish", "is_blank", "strip_blanks"]

_OPEN, _CLOSE = "\ue000", "\ue001"
_UNDERSCORE = "\ue010"  # a "_" of unit text next to a brace or "%": docxtpl would take "{_{" for its escape
_BLANK_RE = re.compile(f"{_OPEN}([^{_OPEN}{_CLOSE}]*){_CLOSE}")
_STRAY = re.compile(f"[{_OPEN}{_CLOSE}]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\u2028\u2029]")
_ESCAPES = re.compile(r"(?<=[{%])_|_(?=[}%])")

#: The mark on the first page of a document that is not ready to sign.
DRAFT_MARK = "DỰ THẢO"
BLANK = "…"

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{_W_NS}}}"
_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")


def blank(what: str) -> str:
    """The visible blank "…" of a value not configured, carrying ``what`` is missing (Vietnamese)."""
    return f"{_OPEN}{_STRAY.sub('', what)}{_CLOSE}"


def is_blank(text: str) -> bool:
    """Is ``text`` exactly one ``blank``?"""
    return bool(_BLANK_RE.fullmatch(text))


def strip_blanks(text: str) -> str:
    """``text`` as a person reads it: every ``blank`` shown as "…"."""
    return _STRAY.sub("", _BLANK_RE.sub(BLANK, text))


def context_text(text: str) -> str:
    """Text as it may go into a template: line breaks docxtpl understands ("\\n"), no control characters, and
    docxtpl's escape sequences protected (restored by ``finish``)."""
    text = _BREAKS.sub("\n", text)
    text = _CONTROL.sub("", text)  # \a and \f would be a new paragraph and a page break for docxtpl
    return _ESCAPES.sub(_UNDERSCORE, text)


@dataclass(frozen=True)
class Finished:
    data: bytes
    missing: tuple[str, ...]  # what is missing, in order, each once (Vietnamese)

    @property
    def draft(self) -> bool:
        return bool(self.missing)


def _highlighted(run: etree._Element) -> bool:
    mark = run.find(f"{_W}rPr/{_W}highlight")
    return mark is not None and mark.get(f"{_W}val", "none") != "none"


def _text_run(template: etree._Element, text: str, *, highlight: bool) -> etree._Element:
    """A run with the properties of ``template`` holding ``text`` (highlighted yellow when asked)."""
    run = etree.Element(f"{_W}r")
    rpr = template.find(f"{_W}rPr")
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    if highlight:
        rpr = run.find(f"{_W}rPr")
        if rpr is None:
            rpr = etree.SubElement(run, f"{_W}rPr")
        for old in rpr.findall(f"{_W}highlight"):
            rpr.remove(old)
        mark = etree.Element(f"{_W}highlight")
        mark.set(f"{_W}val", "yellow")
        _insert_in_order(rpr, mark)
    t = etree.SubElement(run, f"{_W}t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


# w:rPr children in the order of the schema (CT_RPr's sequence), for inserting w:highlight in its place
_RPR_ORDER = [
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
    "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
    "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em",
    "lang", "eastAsianLayout", "specVanish", "oMath",
]


def _insert_in_order(rpr: etree._Element, child: etree._Element) -> None:
    name = etree.QName(child).localname
    rank = _RPR_ORDER.index(name)
    for i, existing in enumerate(rpr):
        other = etree.QName(existing).localname
        if other in _RPR_ORDER and _RPR_ORDER.index(other) > rank:
            rpr.insert(i, child)
            return
    rpr.append(child)


def _split_run(run: etree._Element, found: list[str]) -> None:
    """Replace the blanks of a run by highlighted "…" runs; record their descriptions in ``found``."""
    texts = run.findall(f"{_W}t")
    if len(texts) != 1 or len(run) > (2 if run.find(f"{_W}rPr") is not None else 1):
        for t in texts:  # an unusual run (several texts, breaks): highlight the whole run
            if t.text and _OPEN in t.text:
                found.extend(m.group(1) for m in _BLANK_RE.finditer(t.text))
                t.text = strip_blanks(t.text)
                rpr = run.find(f"{_W}rPr")
                if rpr is None:
                    rpr = etree.Element(f"{_W}rPr")
                    run.insert(0, rpr)
                if rpr.find(f"{_W}highlight") is None:
                    mark = etree.Element(f"{_W}highlight")
                    mark.set(f"{_W}val", "yellow")
                    _insert_in_order(rpr, mark)
        return
    text = texts[0].text or ""
    parts: list[tuple[str, bool]] = []
    pos = 0
    for m in _BLANK_RE.finditer(text):
        if m.start() > pos:
            parts.append((_STRAY.sub("", text[pos:m.start()]), False))
        parts.append((BLANK, True))
        found.append(m.group(1))
        pos = m.end()
    if pos < len(text):
        parts.append((_STRAY.sub("", text[pos:]), False))
    parent = run.getparent()
    assert parent is not None
    index = parent.index(run)
    for offset, (piece, marked) in enumerate(p for p in parts if p[0]):
        parent.insert(index + offset, _text_run(run, piece, highlight=marked))
    parent.remove(run)


def _draft_paragraph() -> etree._Element:
    """A boxed, bold "DỰ THẢO" at the top left of the first page."""
    xml = (
        f'<w:p xmlns:w="{_W_NS}"><w:pPr>'
        '<w:pBdr><w:top w:val="single" w:sz="12" w:space="1" w:color="000000"/>'
        '<w:left w:val="single" w:sz="12" w:space="4" w:color="000000"/>'
        '<w:bottom w:val="single" w:sz="12" w:space="1" w:color="000000"/>'
        '<w:right w:val="single" w:sz="12" w:space="4" w:color="000000"/></w:pBdr>'
        '<w:spacing w:before="0" w:after="120"/><w:ind w:left="0" w:right="6860"/><w:jc w:val="center"/></w:pPr>'
        '<w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" '
        'w:eastAsia="Times New Roman"/><w:b/><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr>'
        f'<w:t>{DRAFT_MARK}</w:t></w:r></w:p>'
    )
    return etree.fromstring(xml)


def _placeholders(root: etree._Element) -> list[str]:
    """The text of each highlighted stretch (consecutive highlighted runs of a paragraph)."""
    out: list[str] = []
    for p in root.iter(f"{_W}p"):
        current: list[str] = []
        for run in p.iter(f"{_W}r"):
            if _highlighted(run):
                current.append("".join(t.text or "" for t in run.iter(f"{_W}t")))
            elif current:
                out.append("".join(current))
                current = []
        if current:
            out.append("".join(current))
    return [" ".join(t.split()) for t in out if t.strip() and t.strip() != BLANK]


def _shorten(text: str, width: int = 110) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def finish(data: bytes, problems: Sequence[str] = (), *, draft_mark: bool = True) -> Finished:
    """The rendered .docx with its blanks highlighted, and what is missing: the blanks' descriptions, the
    highlighted placeholders, then ``problems`` (found by the caller: provisional results, dates). A document
    with anything missing gets the "DỰ THẢO" mark (unless ``draft_mark`` is False)."""
    blanks: list[str] = []
    placeholders: list[str] = []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        parts: dict[str, bytes] = {}
        roots: dict[str, etree._Element] = {}
        for item in zin.infolist():
            raw = zin.read(item.filename)
            if _PARTS.match(item.filename):
                root = etree.fromstring(raw, parser)
                for t in list(root.iter(f"{_W}t")):
                    if t.text and _UNDERSCORE in t.text:
                        t.text = t.text.replace(_UNDERSCORE, "_")
                for run in [r for r in root.iter(f"{_W}r") if any(_OPEN in (t.text or "") for t in r.iter(f"{_W}t"))]:
                    _split_run(run, blanks)
                for t in root.iter(f"{_W}t"):
                    if t.text and _CLOSE in t.text:
                        t.text = _STRAY.sub("", t.text)
                placeholders += _placeholders(root)
                roots[item.filename] = root
            elif item.filename == "docProps/core.xml":
                text = raw.decode("utf-8").replace(_UNDERSCORE, "_")
                raw = _STRAY.sub("", _BLANK_RE.sub(BLANK, text)).encode("utf-8")
            parts[item.filename] = raw
        missing = _unique([*blanks, *(f"đoạn cần viết: {_shorten(p)}" for p in placeholders), *problems])
        if missing and draft_mark and "word/document.xml" in roots:
            body = roots["word/document.xml"].find(f"{_W}body")
            if body is not None:
                body.insert(0, _draft_paragraph())
        for item in zin.infolist():
            raw = parts[item.filename]
            if item.filename in roots:
                raw = etree.tostring(roots[item.filename], xml_declaration=True, encoding="UTF-8", standalone=True)
            zout.writestr(item, raw)
    return Finished(out.getvalue(), tuple(missing))


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        text = " ".join(item.split())
        if text:
            seen.setdefault(text, None)
    return list(seen)
