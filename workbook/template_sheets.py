"""The sheets around "Chấm điểm": "Hướng dẫn", "Thông tin đơn vị" and the three tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from math import floor

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.pagebreak import Break

from schemas.forms import TABLES
from schemas.models import Unit
from schemas.rubric import Rubric, rubric_label
from schemas.validate import YEARS

from .layout import (
    GUIDE_SHEET,
    INFO_HELP_COL,
    INFO_LABEL_COL,
    INFO_SHEET,
    INFO_VALUE_COL,
    META_VERSION,
    SCORE_SHEET,
    Layout,
    TableLayout,
    quote_sheet,
    split_a1,
)
from .prefill import prefill_values
from .styles import (
    BODY,
    BOLD,
    BORDER,
    CENTER,
    HEADER_FILL,
    INPUT_FILL,
    MUTED_FILL,
    NOTE,
    SMALL,
    SUBTITLE,
    TITLE,
    UNLOCKED,
    WRAP,
    estimate_lines,
    print_setup,
    printable,
    protect,
    row_height,
)
from .template_cache import FormulaCache
from .template_lists import Lists, add_validation
from .template_print import WIDE_SCALE, column_pages, fit_scale, set_column_breaks
from .text_cells import put_text

__all__ = ["GUIDE_WIDTH", "GuideInfo", "write_guide", "write_info", "write_table"]

#: Width of the guide's one column: fits A4 portrait inside the margins at 100 % in Excel and LibreOffice.
GUIDE_WIDTH = 84


@dataclass(frozen=True)
class GuideInfo:
    year: int
    commune: str
    deadline: dt.date | None
    contact: str
    unit: Unit | None
    units: Sequence[Unit] = ()


def write_guide(wb: Workbook, rubric: Rubric, layout: Layout, info: GuideInfo) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = GUIDE_SHEET
    deadline = info.deadline.strftime("%d/%m/%Y") if info.deadline else f"15/12/{info.year}"
    contact = info.contact
    preset = rubric.preset()
    unit_line = (
        f"Mẫu phiếu này dành cho: {info.unit.name} (mã đơn vị {info.unit.code}). Không dùng phiếu của đơn vị khác."
        if info.unit
        else "Mã đơn vị do Bộ phận Thi đua cấp; nhập đúng mã ở trang “Thông tin đơn vị”."
    )
    lines: list[tuple[str, object]] = [
        (f"HƯỚNG DẪN ĐIỀN PHIẾU TỰ ĐÁNH GIÁ PHONG TRÀO THI ĐUA “DÂN VẬN KHÉO” NĂM {info.year}", TITLE),
        (f"UBND {info.commune} — {rubric_label(rubric)}", SUBTITLE),
        ("", BODY),
        (f"Hạn gửi phiếu: {deadline}. Hỏi đáp, hỗ trợ: {contact}.", BOLD),
        (unit_line, BODY),
        ("", BODY),
        ("Cách điền", SUBTITLE),
        ("1. Chỉ nhập vào các ô nền vàng. Các ô khác đã được khóa; không cần mật khẩu để xem hay in.", BODY),
        ("2. Trang “Thông tin đơn vị”: mã và tên đơn vị, năm, người đứng đầu, liên hệ; trả lời các câu hỏi về kỷ "
         "luật và vi phạm bằng cách chọn trong danh sách (bấm vào ô, chọn mũi tên).", BODY),
        ("3. Trang “Chấm điểm”: mỗi dòng là một tiêu chí. Nhập SỐ LIỆU (chỉ tiêu, kết quả, số phiếu, số lượng) hoặc "
         "chọn MỨC đạt được vào các ô (1), (2), (3) như cột “Thông tin cần nhập” ghi — không nhập điểm. Điểm, tổng điểm "
         "và xếp loại do công thức tự tính theo bộ tiêu chí.", BODY),
        ("4. Mỗi tiêu chí ghi minh chứng: số, ngày văn bản hoặc tên tài liệu. Ô trống ở cột số liệu được hiểu là "
         "chưa nhập (báo lỗi); nếu không có thì nhập 0.", BODY),
        ("5. Số nhập như thường lệ: 85 hoặc 85,5 (dấu phẩy là phần thập phân); không kèm chữ hay dấu %. Ngày nhập "
         "dạng ngày/tháng/năm, ví dụ 15/12/2026.", BODY),
        ("6. Các trang “Mô hình”, “Điển hình”, “Đề nghị khen thưởng”: mỗi mô hình, điển hình, đề nghị một dòng, "
         "từ dòng đầu tiên của bảng, không bỏ dòng trống. Cột có mũi tên: chọn trong danh sách.", BODY),
        ("7. Không đổi tên, không xóa trang; không chèn, xóa dòng hay cột; không gộp ô; không dán công thức vào "
         "ô nhập. dvk đọc phiếu theo đúng vị trí từng ô.", BODY),
        ("8. Dùng phông chữ Unicode (Times New Roman, Arial), bộ gõ Unicode dựng sẵn. Không dùng phông .VnTime "
         "(TCVN3) hay VNI-Times.", BODY),
        ("9. Có thể điền trên Excel, LibreOffice hoặc Google Trang tính; giữ nguyên định dạng .xlsx khi lưu.", BODY),
        ("", BODY),
        ("Xếp loại", SUBTITLE),
        (f"Theo “{preset.name}”: Hoàn thành xuất sắc nhiệm vụ từ {_n(preset.htxs)} điểm, Hoàn thành tốt nhiệm vụ từ "
         f"{_n(preset.htt)} điểm, Hoàn thành nhiệm vụ từ {_n(preset.ht)} điểm"
         + ("; có tiêu chí 0 điểm thì không xếp loại Hoàn thành tốt trở lên." if preset.zero_rule else ".")
         + " Người đứng đầu hoặc cấp phó bị khiển trách: tối đa Hoàn thành tốt; cảnh cáo: tối đa Hoàn thành; "
         "cách chức trở lên, tham nhũng, mất đoàn kết nghiêm trọng hoặc có cán bộ bị truy cứu hình sự: Không "
         "hoàn thành nhiệm vụ.", BODY),
        (f"Điểm chuẩn {_n(rubric.base_max)}; điểm thưởng tối đa +{_n(rubric.bonus_cap)}; điểm trừ tối đa "
         f"−{_n(rubric.penalty_cap)}.", BODY),
        ("", BODY),
        ("Kiểm tra trước khi gửi", SUBTITLE),
        ("Bộ phận Thi đua kiểm tra phiếu bằng dvk (lệnh “dvk validate”); mỗi lỗi chỉ rõ trang và ô cần sửa.", BODY),
        (f"Mẫu phiếu: {layout.template_version} — năm {info.year}.", NOTE),
    ]
    guide_rows = len(lines)  # the guide proper; the list of unit codes (if any) starts on a page of its own
    if info.units and not info.unit:
        lines.append(("Mã các đơn vị", SUBTITLE))
        lines.extend((f"{u.code}: {u.name}", BODY) for u in info.units)
    ws.column_dimensions["A"].width = GUIDE_WIDTH
    heights: list[float] = []
    for i, (text, font) in enumerate(lines, start=1):
        cell = ws.cell(row=i, column=1)
        put_text(cell, text)  # the commune's contact line, unit names: text, never a formula
        cell.font = font
        cell.alignment = WRAP
        size = float(font.sz or 12)  # type: ignore[attr-defined]
        if text:
            n_lines = estimate_lines(text, GUIDE_WIDTH, size, bold=bool(font.b))  # type: ignore[attr-defined]
            ws.row_dimensions[i].height = row_height(n_lines, size)
        else:
            ws.row_dimensions[i].height = _SPACER
        heights.append(float(ws.row_dimensions[i].height or _SPACER))
    if len(lines) > guide_rows:
        ws.row_breaks.append(Break(id=guide_rows))
    print_setup(ws, landscape=False, scale=_one_page_scale(sum(heights[:guide_rows])))
    protect(ws)


#: The height (points) of an empty line between the guide's sections.
_SPACER = 8.0


def _one_page_scale(height: float) -> int:
    """The print scale that keeps the guide on one A4 page: 100 %, or a little less when a long contact line
    (office, phone, e-mail) pushes its last lines onto an almost empty second page (new-commune review, defect
    13); never under 85 % (12 pt text stays above 10 pt)."""
    room = printable(landscape=False)[1] * 0.95
    return 100 if height <= room else max(85, floor(room / height * 100))


def _n(value: object) -> str:
    text = format(value, "f") if not isinstance(value, str) else value
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


_INFO_WIDTHS = (("A", 4), (INFO_LABEL_COL, 33), (INFO_VALUE_COL, 28), (INFO_HELP_COL, 21))


def write_info(wb: Workbook, layout: Layout, lists: Lists, info: GuideInfo) -> None:
    ws = wb.create_sheet(INFO_SHEET)
    ws["A1"] = f"THÔNG TIN ĐƠN VỊ — PHIẾU TỰ ĐÁNH GIÁ “DÂN VẬN KHÉO” NĂM {info.year}"
    ws["A1"].font = TITLE
    ws["A1"].alignment = WRAP
    ws.merge_cells(f"A1:{INFO_HELP_COL}1")
    ws.row_dimensions[1].height = row_height(estimate_lines(str(ws["A1"].value), sum(w for _, w in _INFO_WIDTHS), 14, bold=True), 14)
    ws["A2"] = "Nhập vào các ô nền vàng; ô có mũi tên: chọn trong danh sách."
    ws["A2"].font = NOTE
    ws.merge_cells(f"A2:{INFO_HELP_COL}2")
    for letter, width in _INFO_WIDTHS:
        ws.column_dimensions[letter].width = width
    widths = dict(_INFO_WIDTHS)
    prefill = prefill_values(layout, info.year, info.unit)  # what an untouched sheet holds (workbook.prefill)
    n = 0
    for item in layout.inputs:
        if item.sheet != INFO_SHEET:
            continue
        _letters, row = split_a1(item.cell)
        label = ws[f"{INFO_LABEL_COL}{row}"]
        put_text(label, item.label)
        label.font = BOLD if item.required else BODY
        label.alignment = WRAP
        label.border = BORDER
        value = ws[item.cell]
        prefilled = prefill.get(item.name)
        if isinstance(prefilled, str):
            put_text(value, prefilled)  # a unit named "=HYPERLINK(…)" in the registry stays a name (review H6)
        else:
            value.value = prefilled
        value.border = BORDER
        value.font = BODY
        value.alignment = WRAP
        if item.name == META_VERSION:
            value.fill = MUTED_FILL
            add_validation(ws, item.cell, "text", item.label)
        else:
            n += 1
            ws[f"A{row}"] = n
            ws[f"A{row}"].font = BODY
            ws[f"A{row}"].alignment = CENTER
            value.fill = INPUT_FILL
            value.protection = UNLOCKED
            if item.type == "date":
                value.number_format = "DD/MM/YYYY"
            elif item.type == "integer":
                value.number_format = "0"  # a year prints as 2026, never 2,026
            help_text = item.help + (" (bắt buộc)" if item.required else "")
            if item.name == "info.year":
                help_text = f"Từ {YEARS.start} đến {YEARS.stop - 1} (bắt buộc)"
            hint = ws[f"{INFO_HELP_COL}{row}"]
            put_text(hint, help_text.strip())
            hint.font = NOTE
            hint.alignment = WRAP
            add_validation(
                ws, item.cell, item.type, item.label, choices=item.choices, list_ref=lists.ranges.get(item.choices),
                help=help_text.strip(), year=item.name == "info.year",
            )
        hint_text = ws[f"{INFO_HELP_COL}{row}"].value or ""
        lines = max(
            estimate_lines(item.label, widths[INFO_LABEL_COL], bold=item.required),
            estimate_lines(str(value.value or ""), widths[INFO_VALUE_COL]),
            estimate_lines(str(hint_text), widths[INFO_HELP_COL], 11),
            2 if item.type == "text" and item.name != META_VERSION else 1,
        )
        ws.row_dimensions[row].height = row_height(lines)
    last = max(split_a1(i.cell)[1] for i in layout.inputs if i.sheet == INFO_SHEET)
    ws[f"{INFO_LABEL_COL}{last + 2}"] = (
        f"Điểm, tổng điểm và xếp loại: xem trang “{SCORE_SHEET}”. Số tiêu chí 0 điểm và xếp loại tự tính từ số liệu."
    )
    ws[f"{INFO_LABEL_COL}{last + 2}"].font = NOTE
    ws[f"{INFO_LABEL_COL}{last + 2}"].alignment = WRAP
    ws.merge_cells(f"{INFO_LABEL_COL}{last + 2}:{INFO_HELP_COL}{last + 2}")
    ws.row_dimensions[last + 2].height = row_height(2, 11)
    ws.freeze_panes = "A3"
    print_setup(ws, landscape=False, scale=fit_scale([w for _, w in _INFO_WIDTHS], landscape=False) or 75)
    protect(ws)


def write_table(
    wb: Workbook, table: TableLayout, title: str, lists: Lists, year: int, unit_ref: str,
    cache: FormulaCache | None = None, unit_name: str = "",
) -> None:
    ws = wb.create_sheet(table.sheet)
    spec = next(s for s in TABLES if s.key == table.key)
    widths = [(table.number_column, 5.0)] + [(c.letter, float(spec.column(c.key).width)) for c in table.columns]
    scale = fit_scale([w for _, w in widths], landscape=True)
    if scale is None:  # too wide for one page: across pages, number and name repeated on each
        scale = WIDE_SCALE
        pages = column_pages(widths, titles=2, landscape=True, scale=scale)
        set_column_breaks(ws, pages)
        ws.page_setup.pageOrder = "overThenDown"
        head_last = pages[0]
        title_cols = f"{table.number_column}:{table.columns[0].letter}"
    else:
        head_last = table.columns[-1].letter
        title_cols = None
    head_width = 0.0
    for letter, w in widths:
        head_width += w
        if letter == head_last:
            break
    ws["A1"] = f"{title.upper()} NĂM {year}"
    ws["A1"].font = TITLE
    ws.merge_cells(f"A1:{head_last}1")
    ws["A2"] = f'="Đơn vị: "&{unit_ref}'
    ws["A2"].font = SUBTITLE
    ws.merge_cells(f"A2:{head_last}2")
    if cache is not None:
        cache.put(table.sheet, "A2", f"Đơn vị: {unit_name}")
    rest = (f"không bỏ dòng trống; tối đa {table.max_rows} dòng. Cột có dấu (*) phải nhập khi dòng có nội dung; "
            "cột có mũi tên: chọn trong danh sách.")
    if title_cols is None:
        ws["A3"] = f"Mỗi dòng một {title.lower()}, nhập từ dòng {table.first_row}, {rest}"
        ws.merge_cells(f"A3:{head_last}3")
        lines = estimate_lines(str(ws["A3"].value), head_width, 11)
        notes = ["A3"]
    else:
        # across pages the print-title columns repeat the start of row 3 on every page: it holds a whole sentence
        # there, the rest follows on the first page only (it was cut mid-word: new-commune review, defect 13)
        first = table.columns[1].letter
        ws["A3"] = f"Mỗi dòng một {title.lower()}, từ dòng {table.first_row}."
        ws.merge_cells(f"A3:{table.columns[0].letter}3")
        ws[f"{first}3"] = rest[0].upper() + rest[1:]
        ws.merge_cells(f"{first}3:{head_last}3")
        repeated = widths[0][1] + widths[1][1]
        lines = max(estimate_lines(str(ws["A3"].value), repeated, 11),
                    estimate_lines(str(ws[f"{first}3"].value), head_width - repeated, 11))
        notes = ["A3", f"{first}3"]
    for ref in notes:
        ws[ref].font = NOTE
        ws[ref].alignment = WRAP
    ws.row_dimensions[3].height = row_height(lines, 11)
    header = ws[f"{table.number_column}{table.header_row}"]
    header.value = "STT"
    cells = [header]
    header_lines = 1
    for letter, w in widths:
        ws.column_dimensions[letter].width = w
    for col in table.columns:
        cell = ws[f"{col.letter}{table.header_row}"]
        cell.value = col.header
        cells.append(cell)
        header_lines = max(header_lines, estimate_lines(col.header, float(spec.column(col.key).width) - 2, bold=True))
    for cell in cells:
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = CENTER
        cell.border = BORDER
    ws.row_dimensions[table.header_row].height = row_height(header_lines)
    for n in range(table.max_rows):
        row = table.first_row + n
        num = ws[f"{table.number_column}{row}"]
        num.value = n + 1
        num.font, num.alignment, num.border = SMALL, CENTER, BORDER
        for col in table.columns:
            cell = ws[f"{col.letter}{row}"]
            cell.fill, cell.protection, cell.border, cell.font, cell.alignment = INPUT_FILL, UNLOCKED, BORDER, SMALL, WRAP
            if col.type == "date":
                cell.number_format = "DD/MM/YYYY"
    for col in table.columns:
        sqref = f"{col.letter}{table.first_row}:{col.letter}{table.last_row}"
        add_validation(
            ws, sqref, col.type, f"{table.sheet} – {col.label}", choices=col.choices,
            list_ref=lists.ranges.get(col.choices), help=("Bắt buộc khi dòng có nội dung. " if col.required else ""),
        )
    ws.freeze_panes = f"C{table.first_row}"
    print_setup(ws, landscape=True, title_rows=f"{table.header_row}:{table.header_row}", title_cols=title_cols,
                scale=scale)
    protect(ws)


def table_unit_ref(layout: Layout) -> str:
    letters, row = split_a1(layout.input("info.unit_name").cell)
    return f"{quote_sheet(INFO_SHEET)}!${letters}${row}"
