"""The official form of every printed sheet (OFFICE.md, after Nghị định 30/2020/NĐ-CP), and its A4 layout.

Each sheet opens with the issuing body ("UBND XÃ …" / bold "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG") beside the
national heading and motto, with the rules under the body's name and the motto (Phụ lục I, II.1b, II.2b).
A sheet that is an annex of the report (``Book.annexes``: "Chi tiết tiêu chí" and "Biểu đồ" are the report's
Phụ lục IV and V, after the .docx report's I–III) then shows "Phụ lục IV" (14 pt), the title, "(Kèm theo Báo
cáo số … ngày …)" (13 pt italic) and its rule (Phụ lục III, Mẫu 2.1), and no signature; every other sheet is a
working sheet, "Biểu tổng hợp (tài liệu làm việc)", with no "Kèm theo" line. One or two information lines
follow (the method by its thresholds, never a software's name or another province's decision); the table's
header is on row ``HEADER_ROW``. A working sheet ends with the place and date line and the signature block
("NGƯỜI LẬP BIỂU" left, "TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG" / "CHỦ TỊCH" right), the names from the letterhead.

Print: A4 with the official margins; the scale is the largest that fits the table on one page wide but
never below ``MIN_SCALE`` (11 pt text stays above 8 pt: 8.25 pt). A table wider than that prints across pages with the
unit code and name repeated (print-title columns) and the header row repeated on every page. Page breaks are
set explicitly from the rows' heights, so a block (the heading with the first rows, the signature block, a
chart) never breaks across pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from math import floor

from schemas.office import BLANK, Letterhead, official_date
from schemas.rubric import PresetSpec

from .cells import HEADER_ROW, Sheet

__all__ = ["MIN_SCALE", "PAGE_NUMBER", "WORKING_SHEET", "annex_heading", "finish_sheet", "is_annex", "letterhead_for",
           "method_line", "reference_line", "signature_block"]

#: What a sheet that is not an annex of a document says where an annex says "Phụ lục IV".
WORKING_SHEET = "Biểu tổng hợp (tài liệu làm việc)"

MIN_SCALE = 75
_PT_PER_INCH = 72.0
_A4 = (595.3, 841.9)  # points, portrait
# margins in inches: (left, right, top, bottom); landscape puts the binding edge (30 mm) at the top
_PORTRAIT = (1.18, 0.71, 0.79, 0.79)
_LANDSCAPE = (0.79, 0.79, 1.18, 0.79)
_FILL = 0.96  # of the computed page height: room for LibreOffice's and Excel's own rounding
_MAX_BREAKS = 1000  # Excel keeps at most 1,023 manual page breaks


#: The page number: Arabic numerals, 13 pt, centred in the top margin (OFFICE.md); the first page has none
#: (``FormWorksheet`` writes ``differentFirst``) and the number keeps its size whatever the print scale.
PAGE_NUMBER = '&C&"Times New Roman,Regular"&13&P'


def reference_line(letterhead: Letterhead, number: str = "", day: dt.date | None = None) -> str:
    """"(Kèm theo Báo cáo số 15/BC-UBND ngày 25 tháng 12 năm 2026 của UBND xã Cao Minh)"; what is not
    configured stays a visible blank ("…/BC-UBND", "ngày … tháng … năm …")."""
    return (f"(Kèm theo Báo cáo số {number.strip() or BLANK + '/BC-UBND'} {official_date(day)} của Ủy ban nhân dân "
            f"{letterhead.commune})")


def letterhead_for(letterhead: Letterhead, commune: str, province: str) -> Letterhead:
    """The input's letterhead; a default (unconfigured) one takes the commune and province of the input."""
    if letterhead == Letterhead() and (commune, province) != (letterhead.commune, letterhead.province):
        return Letterhead(commune=commune, province=province)
    return letterhead


def _col_points(width: float) -> float:
    """A column's printed width in points (XlsxWriter: ``int(width × 7 + 0.5) + 5`` pixels at 96 dpi)."""
    return (int(width * 7 + 0.5) + 5) * 0.75


def _page(sheet: Sheet) -> tuple[float, float]:
    """(width, height) of the printable area in points at 100 %."""
    w, h = (_A4[1], _A4[0]) if sheet.landscape else _A4
    left, right, top, bottom = _LANDSCAPE if sheet.landscape else _PORTRAIT
    return w - (left + right) * _PT_PER_INCH, h - (top + bottom) * _PT_PER_INCH


def _layout(sheet: Sheet) -> tuple[int, bool, int]:
    """(scale %, repeat the first two columns, number of columns on the first page)."""
    page_w, _ = _page(sheet)
    cols = [_col_points(w) if i not in sheet.hidden else 0.0 for i, w in enumerate(sheet.widths)]
    total = sum(cols)
    usable = page_w * 0.95
    if total <= usable:
        scale, wide = 100, False
    elif total * MIN_SCALE / 100 <= usable:
        scale, wide = max(MIN_SCALE, floor(usable / total * 100)), False
    else:
        scale, wide = MIN_SCALE, True
    room = usable * 100 / scale
    span, acc = 0, 0.0
    for i, w in enumerate(cols):
        if acc + w > room and i > 1:
            break
        acc += w
        span = i + 1
    return scale, wide, max(span, min(2, sheet.ncols))


#: Characters of 12 pt bold capitals (Times New Roman metrics) per unit of column width, a little under what
#: Liberation Serif measures (0.73), plus a cell's padding: what a heading line needs not to wrap.
_CAPS_PER_UNIT = 0.70
_PADDING = 1.5


def _needed(text: str, size: float = 12.0) -> float:
    """Column-width units a line of bold capitals needs at ``size`` pt."""
    return len(text) * size / 12.0 / _CAPS_PER_UNIT + _PADDING


def _span_width(sheet: Sheet, first: int, last: int) -> float:
    return sum(w for i, w in enumerate(sheet.widths[first : last + 1], start=first) if i not in sheet.hidden)


def fit_heading(text: str, width: float) -> str:
    """``text`` as a heading block ``width`` units wide prints it: whole when it fits, else in two lines broken
    at a natural place (after the dash, before "XÃ …", else the space nearest the middle): never one word alone on
    the second line ("HỘI ĐỒNG THI ĐUA – KHEN / THƯỞNG", new-commune review, defect 10)."""
    if "\n" in text or _needed(text) <= width:
        return text
    for dash in (" - ", " – "):  # "HỘI ĐỒNG THI ĐUA - / KHEN THƯỞNG"
        if dash in text:
            head, tail = text.split(dash, 1)
            return f"{head}{dash.rstrip()}\n{tail}"
    for place in (" XÃ ", " PHƯỜNG ", " THỊ TRẤN "):  # "ỦY BAN NHÂN DÂN / XÃ TÂN LẬP", as ND 30 lays it out
        if place in text:
            head, tail = text.split(place, 1)
            return f"{head}\n{place.strip()} {tail}"
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return text
    middle = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return text[:middle] + "\n" + text[middle + 1 :]


def _blocks(sheet: Sheet, span: int, first: int = 0, right_needs: float = 0.0) -> tuple[int, int, int]:
    """(last column of the left block, first and last column of the right block) within the first page.

    The left block takes about 40 % of the width; when the right block is then narrower than ``right_needs``
    (the national heading on one line), the split moves left, keeping at least one column on the left."""
    visible = [i for i in range(first, span) if i not in sheet.hidden]
    if len(visible) < 2:
        only = visible[0] if visible else 0
        return only, only, only
    widths = [sheet.widths[i] for i in visible]
    total, acc, split = sum(widths), 0.0, 1
    for k, w in enumerate(widths):
        acc += w
        if acc >= total * 0.4:
            split = k + 1
            break
    split = min(max(split, 1), len(visible) - 1)
    while split > 1 and sum(widths[split:]) < right_needs:
        split -= 1
    return visible[split - 1], visible[split], visible[-1]


def is_annex(sheet: Sheet) -> bool:
    """Is the sheet printed as an annex of the report (else: a working sheet)?"""
    return sheet.title in sheet.book.annexes


def method_line(preset: PresetSpec) -> str:
    """How units are rated, by the thresholds themselves (not by the preset's name, which may cite another
    province's decision): "Xếp loại: Hoàn thành xuất sắc nhiệm vụ từ 95 điểm, …"."""
    def n(value: object) -> str:
        return f"{value}".removesuffix(".0").replace(".", ",")

    text = (f"Xếp loại: Hoàn thành xuất sắc nhiệm vụ từ {n(preset.htxs)} điểm, Hoàn thành tốt nhiệm vụ từ "
            f"{n(preset.htt)} điểm, Hoàn thành nhiệm vụ từ {n(preset.ht)} điểm")
    if preset.zero_rule:
        text += " (hai mức trên: không có tiêu chí 0 điểm)"
    if preset.htxs_quota_percent is not None:
        text += f"; số đơn vị Hoàn thành xuất sắc không quá {n(preset.htxs_quota_percent)}% số đơn vị Hoàn thành tốt"
    return text


def _rule(text_width_pt: float) -> str:
    """A solid rule of about ``text_width_pt`` as underscores at the "rule" style's 8 pt (4 pt each): a drawn line,
    not text (XlsxWriter draws no lines; a cell border would span the whole merged block)."""
    return "_" * max(5, round(text_width_pt / 4.0))


def annex_heading(sheet: Sheet, title: str, info: Sequence[str]) -> None:
    """Rows 1–9: issuing body and national heading with their rules; "Phụ lục IV", the title, the attachment
    line and its rule (an annex), or "Biểu tổng hợp (tài liệu làm việc)" and the title (a working sheet);
    ``info``."""
    lh = sheet.book.letterhead
    _, wide, span = _layout(sheet)
    if wide:
        # the print-title columns A:B repeat on every page: they hold the issuing body alone, the rest of the
        # heading is right of them (on the first page only)
        left_end, right_start, right_end = 1, 2, max(span - 1, 2)
        start = 2
    else:
        left_end, right_start, right_end = _blocks(sheet, span, right_needs=_needed(lh.national_heading))
        start = 0
        # the national heading on one line (12 pt bold capitals, about 0.68 em each): widen its block leftwards
        need = len(lh.national_heading) * 12 * 0.68
        while (right_start > 1 and sum(_col_points(sheet.widths[c]) for c in range(right_start, right_end + 1)
                                       if c not in sheet.hidden) < need):
            right_start -= 1
            left_end = right_start - 1
    last = max(right_end, left_end)
    left_width = _span_width(sheet, 0, left_end)
    sheet.merged([(0, left_end, fit_heading(lh.committee, left_width), "body_left"),
                  (right_start, right_end, lh.national_heading, "nation")])
    council = lh.council.upper()
    sheet.merged([(0, left_end, fit_heading(council, left_width), "body_left_bold"),
                  (right_start, right_end, lh.motto, "motto")])
    # the rules: a third of the body's name (II.2b), as long as the motto (II.1b); Times New Roman bold
    # capitals are about 0.7 em wide, the motto's letters about 0.5 em
    sheet.merged([(0, left_end, _rule(len(council) * 12 * 0.7 / 3), "rule"),
                  (right_start, right_end, _rule(len(lh.motto) * 13 * 0.5), "rule")], height=9)
    roman = sheet.book.annexes.get(sheet.title)
    if roman is not None:
        sheet.merged([(start, last, f"Phụ lục {roman}", "annex")], height=21)
        sheet.merged([(start, last, title.upper(), "title")])
        sheet.merged([(start, last, sheet.book.reference or reference_line(lh), "attached")])
        sheet.merged([(start, last, _rule(60), "rule")], height=9)
    else:
        sheet.merged([(start, last, WORKING_SHEET, "working")], height=20)
        sheet.merged([(start, last, title.upper(), "title")])
    room = HEADER_ROW - 1 - sheet.row
    lines = [line for line in info if line][:max(0, min(2, room))]
    for line in lines:
        sheet.merged([(start, last, line, "subtitle")])
    while sheet.row < HEADER_ROW - 1:
        sheet.blank(8)


def signature_block(sheet: Sheet, when: dt.datetime) -> None:
    """The place and date line and the signatures, under the table; kept on one page."""
    lh = sheet.book.letterhead
    _, wide, span = _layout(sheet)
    # not in the repeated columns A:B; nor in "Mã đơn vị" where a reader of the table looks for units
    left = 2 if (wide or sheet.signature_from) and span > 3 else 0
    left_end, right_start, right_end = _blocks(sheet, span, left)
    start = sheet.row
    sheet.blank(10)
    sheet.merged([(right_start, right_end, lh.date_line(when.date()), "date_line")])
    sheet.merged([(left, left_end, "NGƯỜI LẬP BIỂU", "sign"),
                  (right_start, right_end, fit_heading(f"TM. {lh.council.upper()}", _span_width(sheet, right_start, right_end)),
                   "sign")])
    sheet.merged([(left, left_end, "(Ký, ghi rõ họ tên)", "sign_note"), (right_start, right_end, "CHỦ TỊCH", "sign")])
    for _ in range(3):
        sheet.blank(20)
    sheet.merged([(left, left_end, lh.signer(lh.preparer), "sign"),
                  (right_start, right_end, lh.signer(lh.council_chair), "sign")])
    sheet.keep.append((start, sheet.row))


def _breaks(sheet: Sheet, page_h: float) -> list[int]:
    """Rows (0-based) that start a new page: greedy over the row heights, keeping blocks whole."""
    heights = sheet.heights
    repeat = heights[sheet.header_index] if sheet.header_index is not None else 0.0
    groups: dict[int, int] = {}
    first_data = HEADER_ROW + 1 if sheet.header_index is not None else HEADER_ROW
    groups[0] = min(first_data, len(heights))  # the heading stays with the header and the first row
    for start, end in sheet.keep:
        groups[start] = end
    out: list[int] = []
    used, i = 0.0, 0
    while i < len(heights):
        end = groups.get(i, i + 1)
        block = sum(heights[i:end])
        if i > 0 and used + block > page_h and used > repeat:
            out.append(i)
            used = repeat
        used += block
        i = end
    return out


def finish_sheet(
    sheet: Sheet, when: dt.datetime, *, autofilter: bool = True, protect: bool = True, signature: bool = True,
) -> None:
    """Signature block, print setup (A4, scale, titles, breaks), autofilter, frozen panes and protection."""
    ws = sheet.ws
    last_table_row = max(sheet.row - 1, HEADER_ROW - 1)
    last_col = sheet.ncols - 1
    if autofilter and sheet.header_index is not None:
        ws.autofilter(HEADER_ROW - 1, 0, last_table_row, last_col)
    if signature and not is_annex(sheet):  # an annex of a signed report carries no signature (Mẫu 2.1)
        signature_block(sheet, when)
    scale, wide, _ = _layout(sheet)
    ws.set_paper(9)  # A4
    if sheet.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    left, right, top, bottom = _LANDSCAPE if sheet.landscape else _PORTRAIT
    ws.set_margins(left=left, right=right, top=top, bottom=bottom)
    ws.set_print_scale(scale)
    # in the top margin, about halfway between the paper's edge and the text
    ws.set_header(PAGE_NUMBER, {"margin": round(top * 0.45, 2), "scale_with_doc": False})
    ws.set_start_page(1)  # every annex is numbered on its own, in Excel and in LibreOffice
    ws.print_area(0, 0, sheet.row - 1, last_col)
    if sheet.header_index is not None:
        ws.repeat_rows(sheet.header_index)
    if wide:
        ws.repeat_columns(0, 1)
        ws.print_across()
    _, page_h = _page(sheet)
    breaks = _breaks(sheet, page_h * 100 / scale * _FILL)
    if len(breaks) > _MAX_BREAKS:  # a huge table: let the application break it, keep only the signature whole
        breaks = [b for b in breaks if any(b == s for s, _ in sheet.keep)][-1:]
    if breaks:
        ws.set_h_pagebreaks(breaks)
    if sheet.freeze and sheet.header_index is not None:
        # on screen the sheet opens at its table: the header row frozen at the top (the unit code and name at
        # the left), the official heading above it left out of the frozen pane (it is for the printed page)
        ws.set_top_left_cell(HEADER_ROW - 1, 0)
        ws.set_selection(HEADER_ROW, 2, HEADER_ROW, 2)  # the first score, not a cell of the hidden heading
        ws.freeze_panes(1, 2, HEADER_ROW, 2)
    if protect:
        ws.protect("", {
            "sort": True, "autofilter": True, "format_columns": True, "format_rows": True,
            "select_locked_cells": True, "select_unlocked_cells": True,
        })
