"""The official form (OFFICE.md, after Nghị định 30/2020/NĐ-CP) as python-docx building blocks.

The default templates are built from these: A4, margins 20/20/30/15 mm, Times New Roman, Vietnamese as the
language of the text, the two-column heading with its short rules, the title and subject, the signature block
beside "Nơi nhận:" (kept on one page), annexes each in a section of its own whose pages are numbered from 1
(Phụ lục I, III.1đ), with the rule under the reference line of Mẫu 2.1; tables whose header row repeats on
every page and whose rows never break across pages; page numbers centred in the top margin from page 2.
Text may hold Jinja tags; the blocks do not care.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

__all__ = ["FONT", "LANGUAGE", "MARGINS_MM", "Form", "Run"]

FONT = "Times New Roman"
LANGUAGE = "vi-VN"
#: top, bottom, left, right (OFFICE.md: 20–25, 20–25, 30–35, 15–20).
MARGINS_MM = (20, 20, 30, 15)
#: landscape annexes: the binding edge (30 mm) at the top, as the master's landscape sheets
LANDSCAPE_MARGINS_MM = (30, 20, 20, 20)
_TEXT_WIDTH_CM = (210 - MARGINS_MM[2] - MARGINS_MM[3]) / 10
_LANDSCAPE_WIDTH_CM = (297 - LANDSCAPE_MARGINS_MM[2] - LANDSCAPE_MARGINS_MM[3]) / 10


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    size: float | None = None
    mark: bool = False  # a placeholder the staff replace: highlighted


def _fonts(rpr: object) -> None:
    fonts = rpr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)  # type: ignore[attr-defined]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)


def _language(rpr: object) -> None:
    lang = rpr.find(qn("w:lang"))  # type: ignore[attr-defined]
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)  # type: ignore[attr-defined]  # last of the run properties used here, as the schema wants
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.set(qn("w:bidi"), "ar-SA")


def _cant_split(row: object) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    cant = OxmlElement("w:cantSplit")
    header = trpr.find(qn("w:tblHeader"))
    if header is not None:
        header.addprevious(cant)  # CT_TrPr: cantSplit before tblHeader
    else:
        trpr.append(cant)


def _restart_numbering(section: object) -> None:
    """Page numbers of this section start at 1 (Phụ lục I, III.1đ)."""
    sectpr = section._sectPr  # type: ignore[attr-defined]
    for old in sectpr.findall(qn("w:pgNumType")):
        sectpr.remove(old)
    num = OxmlElement("w:pgNumType")
    num.set(qn("w:start"), "1")
    follow = [qn(f"w:{t}") for t in ("cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi",
                                     "rtlGutter", "docGrid", "printerSettings")]
    for child in sectpr:
        if child.tag in follow:
            child.addprevious(num)
            return
    sectpr.append(num)


def _border(paragraph: Paragraph, edge: str = "bottom") -> None:
    ppr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{edge}")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        line.set(qn(k), v)
    bdr.append(line)
    ppr.append(bdr)






def _cell_margins(table: Table, cm: float = 0.1) -> None:
    """Narrow left/right cell margins (the schema wants ``tblCellMar`` before ``tblLook``)."""
    tblpr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:w"), str(round(cm * 567)))
        e.set(qn("w:type"), "dxa")
        mar.append(e)
    look = tblpr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(mar)
    else:
        tblpr.append(mar)


def _widths(table: Table, widths_cm: Sequence[float]) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    for col, width in zip(table.columns, widths_cm, strict=True):
        col.width = Cm(width)


def _repeat_header(table: Table) -> None:
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))


def _page_field(paragraph: Paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "2"), ("end", None)):
        if kind is not None:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)


class Form:
    """A document being built to the official form."""

    def __init__(self, title: str) -> None:
        self.doc: DocxDocument = Document()
        core = self.doc.core_properties
        core.title, core.author, core.comments = title, "dvk", "Mẫu văn bản của dvk; xã có thể sửa trong Word."
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        top, bottom, left, right = MARGINS_MM
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.left_margin, section.right_margin = Mm(left), Mm(right)
        section.header_distance, section.footer_distance = Mm(10), Mm(10)
        styles = self.doc.styles
        for name in ("Normal", "Header", "Footer", "Table Grid"):
            style = styles[name]
            style.font.name = FONT
            _fonts(style.element.get_or_add_rPr())
        normal = styles["Normal"]
        normal.font.size = Pt(14)
        fmt = normal.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
            if rpr is not None:
                _fonts(rpr)
                _language(rpr)
        for fonts in self.doc.styles.element.iter(qn("w:rFonts")):  # every style (Word's "Macro Text" is Courier)
            _fonts(fonts.getparent())
        # page numbers: centred in the top margin, from the second page
        section.different_first_page_header_footer = True
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(header)
        section.first_page_header.paragraphs[0].text = ""
        self._first = True
        self._width = _TEXT_WIDTH_CM

    # -- paragraphs ------------------------------------------------------------------------------

    def _paragraph(self, container: DocxDocument | _Cell | None = None) -> Paragraph:
        target = container if container is not None else self.doc
        if isinstance(target, _Cell) and len(target.paragraphs) == 1 and not target.paragraphs[0].text and self._fresh_cell(target):
            return target.paragraphs[0]
        return target.add_paragraph()

    @staticmethod
    def _fresh_cell(cell: _Cell) -> bool:
        return not cell.paragraphs[0].runs

    def line(
        self,
        *runs: Run | str,
        align: str = "justify",
        size: float = 14,
        indent: bool = False,
        before: float = 6,
        after: float = 0,
        keep: bool = False,
        cell: _Cell | None = None,
        rule: bool = False,
        rule_indent_cm: float = 0,
    ) -> Paragraph:
        """One paragraph of runs (plain strings are regular text)."""
        p = self._paragraph(cell)
        p.alignment = {
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
            "left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }[align]
        fmt = p.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        if indent:
            fmt.first_line_indent = Cm(1.27)
        if keep:
            fmt.keep_with_next = True
        for item in runs:
            r = Run(item) if isinstance(item, str) else item
            run = p.add_run(r.text)
            run.bold, run.italic = r.bold or None, r.italic or None
            run.font.size = Pt(r.size or size)
            if r.mark:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        if rule:  # a short solid rule under the line: an empty paragraph with a top border, indented
            ruler = cell.add_paragraph() if cell is not None else self.doc.add_paragraph()
            _border(ruler, "top")  # first: python-docx then puts spacing and indents after it, in schema order
            rfmt = ruler.paragraph_format
            rfmt.space_before, rfmt.space_after, rfmt.line_spacing = Pt(3), Pt(0), Pt(4)
            rfmt.left_indent = rfmt.right_indent = Cm(rule_indent_cm)
            ruler.add_run("").font.size = Pt(2)
        return p

    def text(self, *runs: Run | str, **kw: object) -> Paragraph:
        """A body paragraph: justified, first line indented."""
        return self.line(*runs, indent=True, **kw)  # type: ignore[arg-type]

    def placeholder(self, what: str) -> Paragraph:
        """A judgement paragraph the staff write: marked, in brackets."""
        return self.text(Run(f"[Cán bộ viết: {what}]", italic=True, mark=True))

    def section_title(self, text: str) -> Paragraph:
        return self.line(Run(text, bold=True), align="justify", indent=True, before=8, keep=True)

    def tag(self, tag: str) -> Paragraph:
        """A paragraph holding only a docxtpl paragraph tag (``{%p for … %}``): it disappears when rendered."""
        return self.line(tag, before=0, after=0)

    def page_break(self) -> None:
        p = self.doc.add_paragraph()
        p.add_run().add_break(WD_BREAK.PAGE)

    def landscape_section(self) -> None:  # pragma: no cover - kept for communes that want wide annexes
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.page_width, section.page_height = Mm(297), Mm(210)

    # -- blocks ----------------------------------------------------------------------------------

    def heading(self, issuer: Sequence[Run], number: str, date_line: str | None) -> None:
        """The two-column heading: issuer and number left; national heading, motto and date line right (a
        biên bản has no date line: Phụ lục III, Mẫu 1.9)."""
        table = self.doc.add_table(rows=2, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        left_w = 6.6
        right_w = _TEXT_WIDTH_CM - left_w
        _widths(table, (left_w, right_w))
        for row in table.rows:
            _cant_split(row)
        left, right = table.cell(0, 0), table.cell(0, 1)
        for i, r in enumerate(issuer):
            last = i == len(issuer) - 1
            self.line(r, align="center", size=13, before=0, cell=left, rule=last, rule_indent_cm=left_w / 3.2 if last else 0)
        self.line(Run("{{ office.national_heading }}", bold=True, size=12), align="center", before=0, cell=right)
        self.line(Run("{{ office.motto }}", bold=True, size=13), align="center", before=0, cell=right,
                  rule=True, rule_indent_cm=2.1)
        self.line(Run(number, size=13), align="center", before=6, cell=table.cell(1, 0))
        if date_line is not None:
            self.line(Run(date_line, italic=True, size=13), align="center", before=6, cell=table.cell(1, 1))

    def title(self, kind: str, *subject: str) -> None:
        self.line(Run(kind, bold=True, size=14), align="center", before=18)
        for i, line in enumerate(subject):
            last = i == len(subject) - 1
            self.line(Run(line, bold=True, size=14), align="center", before=0,
                      rule=last, rule_indent_cm=6.0 if last else 0)
        self.line("", before=0)

    def signature(self, signer: str = "signer", *, recipients: bool = True, left: str | None = None,
                  note: bool = False, recipients_below: bool = False) -> None:
        """The signature block, kept on one page with the paragraph before it: the recipients (or another signer,
        ``left``) on the left; on the right the capacity lines of the context's ``signer`` (a ``Signer``), room
        for the signature and seal, the signer's other position when there is one, the name.
        ``note``: "(Ký, ghi rõ họ tên)" under the capacity, as a form filled by hand has it."""
        if self.doc.paragraphs:
            self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        table = self.doc.add_table(rows=1, cols=2)
        _widths(table, (6.2, self._width - 6.2))
        _cant_split(table.rows[0])
        lcell, rcell = table.cell(0, 0), table.cell(0, 1)
        if recipients:
            self.line(Run("Nơi nhận:", bold=True, italic=True, size=12), align="left", before=12, cell=lcell)
            self.line("{%p for r in paper.recipients %}", align="left", before=0, size=11, cell=lcell)
            self.line(Run("{{ r }}", size=11), align="left", before=0, cell=lcell)
            self.line("{%p endfor %}", align="left", before=0, size=11, cell=lcell)
        if left is not None:
            self._signer(lcell, left, note=note)
        if recipients_below:  # a biên bản: "Nơi nhận" under the secretary's name (Phụ lục III, Mẫu 1.9)
            self.line(Run("Nơi nhận:", bold=True, italic=True, size=12), align="left", before=12, cell=lcell)
            self.line("{%p for r in paper.recipients %}", align="left", before=0, size=11, cell=lcell)
            self.line(Run("{{ r }}", size=11), align="left", before=0, cell=lcell)
            self.line("{%p endfor %}", align="left", before=0, size=11, cell=lcell)
        self._signer(rcell, signer, note=note)

    def _signer(self, cell: _Cell, signer: str, *, note: bool) -> None:
        self.line(f"{{%p for l in {signer}.lines %}}", align="center", before=0, size=13, cell=cell)
        self.line(Run("{{ l }}", bold=True, size=13), align="center", before=0, cell=cell)
        self.line("{%p endfor %}", align="center", before=0, size=13, cell=cell)
        if note:
            self.line(Run("(Ký, ghi rõ họ tên)", italic=True, size=12), align="center", before=0, cell=cell)
        for _ in range(4):
            self.line("", before=0, cell=cell)
        self.line(f"{{%p if {signer}.position %}}", align="center", before=0, size=13, cell=cell)
        self.line(Run(f"{{{{ {signer}.position }}}}", bold=True, size=13), align="center", before=0, cell=cell)
        self.line("{%p endif %}", align="center", before=0, size=13, cell=cell)
        self.line(Run(f"{{{{ {signer}.name }}}}", bold=True, size=14), align="center", before=0, cell=cell)

    def annex_heading(self, number: str, title: Sequence[str], reference: str, *, landscape: bool = False) -> None:
        """A new section (its pages numbered from 1), "Phụ lục N", the title, the reference line and its rule
        (Nghị định 30/2020, Phụ lục III, Mẫu 2.1)."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = width, height
        top, bottom, left, right = LANDSCAPE_MARGINS_MM if landscape else MARGINS_MM
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.left_margin, section.right_margin = Mm(left), Mm(right)
        section.different_first_page_header_footer = True
        _restart_numbering(section)
        self._width = _LANDSCAPE_WIDTH_CM if landscape else _TEXT_WIDTH_CM
        self.line(Run(f"Phụ lục {number}".strip(), bold=True, size=14), align="center", before=0, keep=True)
        for line in title:
            self.line(Run(line, bold=True, size=14), align="center", before=0, keep=True)
        rule = (self._width - 3.0) / 2
        self.line(Run(reference, italic=True, size=13), align="center", before=0, after=0, keep=True, rule=True,
                  rule_indent_cm=rule)
        self.line("", before=0, size=8)

    def table(
        self,
        headers: Sequence[str],
        cells: Sequence[str],
        widths_cm: Sequence[float],
        loop: str,
        *,
        size: float = 12,
        align: Sequence[str] | None = None,
        groups: tuple[str, str] | None = None,
    ) -> Table:
        """A bordered table: one header row (repeated on every page) and one row per item of ``loop``.

        ``loop`` is ``"u in units"``; ``cells`` the placeholders of each column (``"{{ u.total }}"``).
        ``groups``: ``(outer loop, group title)`` for an outer loop with a title row per group.
        """
        scale = self._width / sum(widths_cm)
        widths = [w * scale for w in widths_cm]
        ncols = len(headers)
        rows = 1 + 3 + (3 if groups else 0)
        table = self.doc.add_table(rows=rows, cols=ncols)
        table.style = self.doc.styles["Table Grid"]
        _cell_margins(table)
        _widths(table, widths)
        _repeat_header(table)
        for row in table.rows:
            _cant_split(row)
        aligns = list(align or ["left"] * ncols)
        for j, head in enumerate(headers):
            self.line(Run(head, bold=True, size=size), align="center", before=2, after=2, cell=table.cell(0, j))
        r = 1
        if groups:
            outer, title = groups
            self.line(f"{{%tr for {outer} %}}", align="left", before=0, size=size, cell=table.cell(r, 0))
            merged = table.cell(r + 1, 0).merge(table.cell(r + 1, ncols - 1))
            self.line(Run(title, bold=True, size=size), align="left", before=2, after=2, cell=merged)
            r += 2
        self.line(f"{{%tr for {loop} %}}", align="left", before=0, size=size, cell=table.cell(r, 0))
        for j, text in enumerate(cells):
            self.line(Run(text, size=size), align=aligns[j], before=2, after=2, cell=table.cell(r + 1, j))
        self.line("{%tr endfor %}", align="left", before=0, size=size, cell=table.cell(r + 2, 0))
        if groups:
            self.line("{%tr endfor %}", align="left", before=0, size=size, cell=table.cell(r + 3, 0))
        return table

    def save(self, path: object) -> None:
        self.doc.save(path)  # type: ignore[arg-type]
