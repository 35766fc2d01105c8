"""The "Chấm điểm" sheet: one row per criterion with its fact inputs, evidence and points by native formula,
then base total, bonus, penalty, total, the count of zero criteria and the self-assessed rating."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from openpyxl.styles import Font
from openpyxl.workbook.workbook import Workbook

from schemas.office import BLANK, official_date
from schemas.rubric import Criterion, Rubric, RuleKind

from .layout import INFO_SHEET, SCORE_HEADER_ROW, SCORE_SHEET, Layout, quote_sheet, split_a1
from .styles import (
    BODY,
    BOLD,
    BORDER,
    CENTER,
    FONT_NAME,
    HEADER_FILL,
    INPUT_FILL,
    MUTED_FILL,
    NOTE,
    OUTPUT_FILL,
    SMALL,
    SUBTITLE,
    TITLE,
    UNLOCKED,
    WRAP,
    estimate_lines,
    print_setup,
    protect,
    row_height,
)
from .template_cache import FormulaCache
from .template_formulas import points_formula, rating_formula, sum_of, zero_count_formula
from .template_lists import Lists, add_validation
from .template_print import fit_scale, keep_block_together
from .text_cells import put_text

__all__ = ["SLOT_MARKS", "ScoreSheetText", "rule_text", "write_score_sheet"]

#: The marks of the input slots in the headers and the rule texts: plain digits in parentheses, which every
#: font renders (circled digits overlapped the text where a font lacked them).
SLOT_MARKS = tuple(f"({i})" for i in range(1, 10))
_SLOT_MARKS = SLOT_MARKS


def vn_number(value: Decimal | int) -> str:
    """1.5 → "1,5"; 3 → "3"."""
    d = Decimal(value).normalize()
    return format(d, "f").replace(".", ",")


def rule_text(rubric: Rubric, c: Criterion) -> str:
    """What to type for a criterion and how the points follow, in Vietnamese."""
    inputs = c.inputs
    top = vn_number(c.max_points)
    marks = [f"{_SLOT_MARKS[i]} {spec.label}" for i, spec in enumerate(inputs)]
    rule = c.rule
    if rule is RuleKind.LEVEL:
        levels = "; ".join(f"{lv.label}: {vn_number(lv.points)}" for lv in c.levels)
        return f"{marks[0]} (chọn): {levels}"
    per = vn_number(c.per_item or 0)
    if rule is RuleKind.COUNT:
        return f"{marks[0]}: mỗi lần {per} điểm, tối đa {top}"
    if rule is RuleKind.DEDUCT:
        return f"{marks[0]}: {top} điểm, trừ {per} điểm mỗi vụ việc"
    if rule is RuleKind.PENALTY:
        return f"{marks[0]}: trừ {per} điểm mỗi trường hợp, tối đa −{top}"
    if rule is RuleKind.WEIGHTED:
        parts = [f"{m} (×{vn_number(w.weight)})" for m, w in zip(marks, c.weights, strict=True)]
        backed = ("\nMỗi số phải có đủ dòng tương ứng ở trang “Mô hình”/“Điển hình” (cấp, số, ngày quyết định "
                  "công nhận); khai nhiều hơn là lỗi" if c.weight_rows else "")
        return "\n".join(parts) + f"\nCộng tối đa +{top}{backed}"
    if rule is RuleKind.TIERS:
        tiers = "; ".join(f"≥{vn_number(t.min_rate)}%: {vn_number(t.points)}" for t in rubric.satisfaction.tiers)
        return (
            f"{marks[0]} (tối thiểu {rubric.satisfaction.min_sample})\n{marks[1]}\n"
            f"Tỷ lệ (2)/(1): {tiers}; thấp hơn: 0"
        )
    lines = [marks[0], marks[1]]
    if c.zero_if is not None:
        lines.append(f"{marks[2]} (Có/Không): “{c.zero_if.zero_on}” → 0 điểm")
    tail = f"Điểm = {top} × (2) / (1), tối đa {top}"
    if c.zero_target == "full":
        tail += f"; (1) = 0 → {top}"
    lines.append(tail)
    return "\n".join(lines)


_WIDTHS = {"code": 6, "field": 12, "title": 30, "max_points": 7, "what": 32, "slot": 12, "evidence": 24, "points": 10}
_HEADERS = {
    "code": "Mã",
    "field": "Lĩnh vực",
    "title": "Nội dung tiêu chí",
    "max_points": "Điểm tối đa",
    "what": "Thông tin cần nhập và cách tính điểm",
    "evidence": "Minh chứng (số, ngày văn bản, tài liệu)",
    "points": "Điểm tự chấm",
}
_SLOT_HEADERS = ("Chỉ tiêu / Số lượng / Mức", "Kết quả", "Thông tin thêm")


def _info_ref(layout: Layout, key: str) -> str:
    letters, row = split_a1(layout.input(f"info.{key}").cell)
    return f"{quote_sheet(INFO_SHEET)}!${letters}${row}"


@dataclass(frozen=True)
class ScoreSheetText:
    """What the score sheet prints that does not come from the rubric: the unit (pre-filled or blank), the year
    and the place of the date line above the signatures."""

    year: int
    unit_name: str = ""
    place: str = ""


def write_score_sheet(
    wb: Workbook, rubric: Rubric, layout: Layout, lists: Lists, sheet_text: ScoreSheetText | None = None,
    cache: FormulaCache | None = None,
) -> None:
    info = sheet_text or ScoreSheetText(year=0)
    cache = cache if cache is not None else FormulaCache()
    ws = wb.create_sheet(SCORE_SHEET)
    cols = layout.score_columns
    last_col = cols.points
    year_ref, unit_ref = _info_ref(layout, "year"), _info_ref(layout, "unit_name")
    heading = "PHIẾU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM PHONG TRÀO THI ĐUA “DÂN VẬN KHÉO” NĂM "
    ws["A1"] = f'="{heading}"&{year_ref}'
    ws["A2"] = f'="Đơn vị: "&{unit_ref}'
    if info.year:
        cache.put(SCORE_SHEET, "A1", f"{heading}{info.year}")
    cache.put(SCORE_SHEET, "A2", f"Đơn vị: {info.unit_name}")
    ws["A3"] = (
        "Ô nền vàng: đơn vị nhập số liệu hoặc chọn mức; ô xám: tiêu chí không cần thông tin này. "
        "Cột “Điểm tự chấm” và các dòng tổng do công thức tự tính — không nhập điểm."
    )
    for ref, font in (("A1", TITLE), ("A2", SUBTITLE), ("A3", NOTE)):
        ws[ref].font = font
        ws[ref].alignment = CENTER if ref != "A3" else WRAP
        ws.merge_cells(f"{ref}:{last_col}{ref[1:]}")
    ws.row_dimensions[1].height = 22
    ws.row_dimensions[3].height = 32
    first_slot, last_slot = cols.slots[0], cols.slots[-1]
    ws[f"{first_slot}4"] = f"Số liệu, mức đạt được: {', '.join(SLOT_MARKS[: len(cols.slots)])} như ghi ở cột {cols.what}"
    ws[f"{first_slot}4"].font = BOLD
    ws[f"{first_slot}4"].alignment = CENTER
    if first_slot != last_slot:
        ws.merge_cells(f"{first_slot}4:{last_slot}4")
    header_cells = {
        cols.code: _HEADERS["code"], cols.field: _HEADERS["field"], cols.title: _HEADERS["title"],
        cols.max_points: _HEADERS["max_points"], cols.what: _HEADERS["what"], cols.evidence: _HEADERS["evidence"],
        cols.points: _HEADERS["points"],
    }
    for i, letter in enumerate(cols.slots):
        header_cells[letter] = f"{_SLOT_MARKS[i]} {_SLOT_HEADERS[i] if i < len(_SLOT_HEADERS) else ''}".strip()
    for letter, text in header_cells.items():
        cell = ws[f"{letter}{SCORE_HEADER_ROW}"]
        cell.value = text
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = CENTER
        cell.border = BORDER
    ws.row_dimensions[4].height = row_height(2)
    ws.row_dimensions[SCORE_HEADER_ROW].height = row_height(4)
    widths = {cols.code: "code", cols.field: "field", cols.title: "title", cols.max_points: "max_points",
              cols.what: "what", cols.evidence: "evidence", cols.points: "points"}
    for letter, key in widths.items():
        ws.column_dimensions[letter].width = _WIDTHS[key]
    for letter in cols.slots:
        ws.column_dimensions[letter].width = _WIDTHS["slot"]

    base_refs: list[str] = []
    bonus_refs: list[str] = []
    penalty_refs: list[str] = []
    for c in rubric.criteria:
        row = layout.row_of(c.code)
        what = rule_text(rubric, c)
        sign = "+" if c.is_bonus else "−" if c.is_penalty else ""
        values = {
            cols.code: c.code, cols.field: c.field, cols.title: c.title, cols.what: what,
            cols.max_points: f"{sign}{_vn(c.max_points)}" if sign else _plain(c.max_points),
        }
        for letter, value in values.items():
            cell = ws[f"{letter}{row}"]
            if isinstance(value, str):
                put_text(cell, value)  # a commune's own rubric wording is text, whatever it starts with
            else:
                cell.value = value
            cell.font = BOLD if letter == cols.code else SMALL if letter == cols.what else BODY
            cell.alignment = CENTER if letter in (cols.code, cols.max_points) else WRAP
            cell.border = BORDER
        refs: list[str] = []
        for i, letter in enumerate(cols.slots):
            cell = ws[f"{letter}{row}"]
            cell.border = BORDER
            if i < len(c.inputs):
                spec = c.inputs[i]
                ref = f"{letter}{row}"
                refs.append(ref)
                cell.fill = INPUT_FILL
                cell.protection = UNLOCKED
                cell.font = BODY
                cell.alignment = CENTER
                kind = {"number": "number", "integer": "integer", "level": "level"}[spec.kind.value]
                add_validation(
                    ws, ref, kind, f"{c.code} – {spec.label}", choices=spec.choices,
                    list_ref=lists.ranges.get(spec.choices), help=f"{_SLOT_MARKS[i]} {spec.label}",
                )
            else:
                cell.fill = MUTED_FILL
        ev = ws[f"{cols.evidence}{row}"]
        ev.fill, ev.protection, ev.font, ev.alignment, ev.border = INPUT_FILL, UNLOCKED, BODY, WRAP, BORDER
        add_validation(ws, f"{cols.evidence}{row}", "text", f"{c.code} – Minh chứng",
                       help="Số, ngày văn bản hoặc tên tài liệu chứng minh kết quả.")
        pts = ws[f"{cols.points}{row}"]
        pts.value = points_formula(rubric, c, refs, lists.lookups.get(c.code))
        pts.number_format = '"−"0.00;"−"0.00;0.00' if c.is_penalty else "0.00"
        pts.fill, pts.font, pts.alignment, pts.border = OUTPUT_FILL, BOLD, CENTER, BORDER
        (bonus_refs if c.is_bonus else penalty_refs if c.is_penalty else base_refs).append(f"{cols.points}{row}")
        lines = max(
            estimate_lines(what, _WIDTHS["what"], 11) * 11 / 12, estimate_lines(c.title, _WIDTHS["title"]),
            estimate_lines(c.field, _WIDTHS["field"]), 2,
        )
        ws.row_dimensions[row].height = row_height(int(-(-lines // 1)))
        cache.put(SCORE_SHEET, f"{cols.points}{row}", 0)  # no fact is ever pre-filled: every rule gives 0

    out = {o.name: o.cell for o in layout.outputs}
    preset = rubric.preset()
    first_row, last_row = layout.criterion_rows[0][1], layout.criterion_rows[-1][1]
    entered = f"COUNTA(${first_slot}${first_row}:${last_slot}${last_row})>0"
    for c in rubric.criteria:  # blank until the unit has typed a fact (the blank template prints no score)
        ref = f"{cols.points}{layout.row_of(c.code)}"
        ws[ref].value = f'=IF({entered},{str(ws[ref].value)[1:]},"")'
        cache.put(SCORE_SHEET, ref, "")
    totals = [
        ("base_total", f"Tổng điểm chuẩn (tối đa {_vn(rubric.base_max)})", sum_of(base_refs), "0.00"),
        ("bonus", f"Điểm thưởng (tối đa +{_vn(rubric.bonus_cap)})", f"MIN({_plain(rubric.bonus_cap)},{sum_of(bonus_refs)})", "0.00"),
        ("penalty", f"Điểm trừ (tối đa −{_vn(rubric.penalty_cap)})",
         f"MIN({_plain(rubric.penalty_cap)},{sum_of(penalty_refs)})", '"−"0.00;"−"0.00;0.00'),
        ("total", "TỔNG ĐIỂM = điểm chuẩn + điểm thưởng − điểm trừ",
         f"{out['base_total']}+{out['bonus']}-{out['penalty']}", "0.00"),
        ("zero_count", "Số tiêu chí chuẩn được 0 điểm", zero_count_formula(base_refs)[1:], "0"),
        ("rating", f"Xếp loại tự đánh giá (cách xếp loại: {preset.name})",
         rating_formula(preset, out["total"], out["zero_count"],
                        {k: _info_ref(layout, k) for k in ("head_discipline", "ko_corruption", "ko_prosecuted")})[1:],
         "@"),
    ]
    label_width = sum(_WIDTHS[k] for k in ("code", "field", "title", "max_points", "what"))
    for name, label, formula, fmt in totals:
        letters, row = split_a1(out[name])
        label_cell = ws[f"A{row}"]
        put_text(label_cell, label)
        label_cell.font = BOLD
        label_cell.alignment = WRAP
        label_end = cols.evidence if letters == cols.points else cols.what
        ws.merge_cells(f"A{row}:{label_end}{row}")
        if letters != cols.points:
            ws.merge_cells(f"{letters}{row}:{cols.points}{row}")
            for letter in (*cols.slots, cols.evidence, cols.points):
                ws[f"{letter}{row}"].border = BORDER
        value = ws[out[name]]
        value.value = f'=IF({entered},{formula},"")'
        cache.put(SCORE_SHEET, out[name], "")
        value.number_format = fmt
        value.font, value.fill, value.border = BOLD, OUTPUT_FILL, BORDER
        value.alignment = CENTER
        ws.row_dimensions[row].height = row_height(estimate_lines(label, label_width, bold=True))
    totals_row = split_a1(out["base_total"])[1]
    rating_row = split_a1(out["rating"])[1]
    ws.row_dimensions[rating_row].height = row_height(2)
    note_row = rating_row + 1
    note = (
        "Xếp loại trên là tự đánh giá theo bộ tiêu chí (đã áp dụng quy tắc tiêu chí 0 điểm, kỷ luật người đứng đầu "
        "và các trường hợp không hoàn thành ở trang “Thông tin đơn vị”). Kết quả chính thức do Hội đồng Thi đua – "
        "Khen thưởng xã quyết định. Điểm và xếp loại hiện ra khi đơn vị đã nhập số liệu."
    )
    ws[f"A{note_row}"] = note
    ws[f"A{note_row}"].font = NOTE
    ws[f"A{note_row}"].alignment = WRAP
    ws.merge_cells(f"A{note_row}:{last_col}{note_row}")
    all_width = label_width + _WIDTHS["slot"] * len(cols.slots) + _WIDTHS["evidence"] + _WIDTHS["points"]
    ws.row_dimensions[note_row].height = row_height(estimate_lines(note, all_width, 11), 11)
    # Signatures: the place and date line, then the preparer (left) and the head of the unit (right).
    date_row = note_row + 2
    sign_row = date_row + 1
    left_end, right_start = cols.what, first_slot
    put_text(ws[f"{right_start}{date_row}"], official_date(None, info.place or BLANK))
    ws[f"{right_start}{date_row}"].font = Font(name=FONT_NAME, size=12, italic=True)
    rows = [
        (sign_row, "NGƯỜI LẬP BIỂU", "NGƯỜI ĐỨNG ĐẦU ĐƠN VỊ", BOLD),
        (sign_row + 1, "(Ký, ghi rõ họ tên)", "(Ký, ghi rõ họ tên, đóng dấu)", NOTE),
    ]
    for r, left, right, font in rows:
        ws[f"A{r}"], ws[f"{right_start}{r}"] = left, right
        ws[f"A{r}"].font = ws[f"{right_start}{r}"].font = font
    name_row = sign_row + 5
    ws[f"{right_start}{name_row}"] = f'={_info_ref(layout, "head")}&""'
    ws[f"{right_start}{name_row}"].font = BOLD
    cache.put(SCORE_SHEET, f"{right_start}{name_row}", "")
    for r in (date_row, sign_row, sign_row + 1, name_row):
        ws[f"A{r}"].alignment = ws[f"{right_start}{r}"].alignment = CENTER
        ws.merge_cells(f"A{r}:{left_end}{r}")
        ws.merge_cells(f"{right_start}{r}:{last_col}{r}")
        ws.row_dimensions[r].height = row_height(1)
    ws.freeze_panes = f"{cols.max_points}{SCORE_HEADER_ROW + 1}"
    printed = [_WIDTHS[k] for k in ("code", "field", "title", "max_points", "what")]
    printed += [_WIDTHS["slot"]] * len(cols.slots) + [_WIDTHS["evidence"], _WIDTHS["points"]]
    scale = fit_scale(printed, landscape=True) or 75
    print_setup(ws, landscape=True, title_rows=f"{SCORE_HEADER_ROW}:{SCORE_HEADER_ROW}", scale=scale)
    ws.print_area = f"A1:{last_col}{name_row}"
    heights = {r: float(d.height) for r, d in ws.row_dimensions.items() if d.height}
    keep_block_together(
        ws, heights, first_row=1, block=(totals_row, name_row), repeated=heights.get(SCORE_HEADER_ROW, 15.0),
        landscape=True, scale=scale,
    )
    protect(ws)


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _vn(value: Decimal) -> str:
    return vn_number(value)
