"""The printed form's details in the file: page numbers from page 2, the report an annex is attached to, what
"Trễ hạn" is counted from, the on-screen view that opens at the table (the printed form unchanged), and the
formulas filled down stored as shared formulas."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from workbook.master import PHASE_SHEETS, SHEETS, MasterInput, compute, write_master, write_phase_review
from workbook.master.cells import HEADER_ROW
from workbook.master.form import WORKING_SHEET
from workbook.master.sheets_scores import DETAIL_SHEET, DetailLayout, col
from workbook.master.writer import REPORT_ANNEXES

from .factory import sample


def _with(data: MasterInput, **changes: object) -> MasterInput:
    return MasterInput(**{**data.__dict__, **changes})


def _sheet_xml(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        names = sorted((n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)),
                       key=lambda n: int(re.findall(r"\d+", n)[0]))
        return [z.read(n).decode() for n in names]


def _attached(path: Path) -> dict[str, str]:
    """The "(Kèm theo …)" line of each sheet that is an annex of the report (under "Phụ lục IV" and the title);
    a working sheet has none and says so instead."""
    wb = load_workbook(path)
    try:
        out = {}
        for ws in wb:
            heading = [str(c.value) for r in ws.iter_rows(max_row=HEADER_ROW - 1) for c in r if c.value]
            found = [t for t in heading if t.startswith("(Kèm theo")]
            if WORKING_SHEET in heading:
                assert found == [] and not any(t.startswith("Phụ lục") for t in heading), (ws.title, heading)
                continue
            assert len(found) == 1 and f"Phụ lục {REPORT_ANNEXES[ws.title]}" in heading, (ws.title, heading)
            out[ws.title] = found[0]
        return out
    finally:
        wb.close()


def test_page_number_top_centre_from_the_second_page(tmp_path: Path) -> None:
    data = sample(5)
    master = write_master(tmp_path / "m.xlsx", data).path
    review = write_phase_review(tmp_path / "p.xlsx", 1, {2026: data}).path
    for path, count in ((master, len(SHEETS)), (review, len(PHASE_SHEETS))):
        xmls = _sheet_xml(path)
        assert len(xmls) == count
        for xml in xmls:
            footer = re.search(r"<headerFooter([^>]*)>(.*?)</headerFooter>", xml)
            assert footer, path.name
            attrs, body = footer.groups()
            assert 'differentFirst="1"' in attrs and 'scaleWithDoc="0"' in attrs  # none on page 1; 13 pt as set
            assert re.fullmatch(r'<oddHeader>&amp;C&amp;"Times New Roman,Regular"&amp;13&amp;P</oddHeader>', body)
            assert "<firstHeader>" not in body and "Trang" not in body  # no footer "Trang N/M" any more
            assert 'useFirstPageNumber="1"' in xml  # each annex numbered from its own first page


def test_annex_line_names_the_configured_report(tmp_path: Path) -> None:
    data = sample(5)
    configured = _with(data, report_number="15/BC-UBND", report_date=dt.date(2026, 12, 25))
    lines = _attached(write_master(tmp_path / "a.xlsx", configured).path)
    assert set(lines) == set(REPORT_ANNEXES) == {"Chi tiết tiêu chí", "Biểu đồ"}  # Phụ lục IV and V of the report
    for title, line in lines.items():
        assert line == "(Kèm theo Báo cáo số 15/BC-UBND ngày 25 tháng 12 năm 2026 của Ủy ban nhân dân xã Cao Minh)", title
    blank = _attached(write_master(tmp_path / "b.xlsx", data).path)
    for title, line in blank.items():
        assert line == "(Kèm theo Báo cáo số …/BC-UBND ngày … tháng … năm … của Ủy ban nhân dân xã Cao Minh)", title
    # a number without a date (and the reverse): what is missing stays a visible blank; months 3–12 unpadded
    only_number = _attached(write_master(tmp_path / "c.xlsx", _with(data, report_number="15/BC-UBND")).path)
    assert only_number["Biểu đồ"] == "(Kèm theo Báo cáo số 15/BC-UBND ngày … tháng … năm … của Ủy ban nhân dân xã Cao Minh)"
    only_date = _attached(write_master(tmp_path / "d.xlsx", _with(data, report_date=dt.date(2027, 3, 5))).path)
    assert only_date["Biểu đồ"] == "(Kèm theo Báo cáo số …/BC-UBND ngày 05 tháng 3 năm 2027 của Ủy ban nhân dân xã Cao Minh)"
    # the phase review repeats what its .docx report prints: every sheet is a working sheet
    assert _attached(write_phase_review(tmp_path / "p.xlsx", 1, {2026: configured}, report_number="20/BC-UBND").path) == {}


def test_status_sheet_says_lateness_is_from_first_receipt(tmp_path: Path) -> None:
    wb = load_workbook(write_master(tmp_path / "m.xlsx", sample(5)).path)
    ws = wb["Tình trạng nộp"]
    headers = [c.value for c in ws[HEADER_ROW]]
    assert headers[4] == "Thời điểm dvk nhận" and headers[5] == "Đúng hạn / Trễ hạn"
    heading = [str(ws.cell(r, c).value) for r in range(1, HEADER_ROW) for c in range(1, 4) if ws.cell(r, c).value]
    note = ("Đúng hạn / Trễ hạn tính từ phiếu đầu tiên của đơn vị (đọc được, đã điền) theo thời điểm dvk nhận được, "
            "không theo ngày sửa tệp; bản sửa gửi sau hạn vẫn giữ đúng hạn.")
    assert note in heading
    wb.close()


def test_sheets_open_at_the_table_with_the_header_frozen(tmp_path: Path) -> None:
    wb = load_workbook(write_master(tmp_path / "m.xlsx", sample(5)).path)
    frozen = [ws for ws in wb if ws.freeze_panes]
    assert {ws.title for ws in frozen} >= {"Tổng hợp", "Chi tiết tiêu chí", "Tình trạng nộp", "Lỗi"}
    for ws in frozen:
        view = ws.sheet_view
        pane = view.pane
        # the header row (row 10) is the top of the window and stays; the heading above it is for the print
        assert view.topLeftCell == f"A{HEADER_ROW}", ws.title
        assert pane.state == "frozen" and pane.ySplit == 1 and pane.xSplit == 2, ws.title
        assert pane.topLeftCell == f"C{HEADER_ROW + 1}", ws.title
        assert view.selection[-1].activeCell == f"C{HEADER_ROW + 1}", ws.title
        # the printed form is unchanged: the heading is printed, the header repeats on every page
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}", ws.title
        assert str(ws.print_area).startswith(f"'{ws.title}'!$A$1:"), ws.title
    wb.close()


def test_formulas_filled_down_are_shared_and_read_back_per_row(tmp_path: Path) -> None:
    data = sample(11)  # with units that sent nothing: listed last, without formulas
    path = write_master(tmp_path / "m.xlsx", data).path
    results = compute(data)
    scored = sum(1 for r in results if r.card is not None)
    assert 1 < scored < len(results)
    layout = DetailLayout(data.rubric, len(results), data.preset)
    total = col(layout.total_col)
    detail = _sheet_xml(path)[SHEETS.index(DETAIL_SHEET)]
    first, last = HEADER_ROW + 1, HEADER_ROW + scored
    # one formula per column, filled down over the scored units (as Excel stores a formula filled down)
    assert re.search(rf'<c r="{total}{first}"[^>]*><f t="shared" ref="{total}{first}:{total}{last}" si="\d+">', detail)
    assert re.search(rf'<c r="{total}{first + 1}"[^>]*><f t="shared" si="\d+"/><v>', detail)
    wb = load_workbook(path)
    ws = wb[DETAIL_SHEET]
    for r in range(first, last + 1):  # each row reads back as its own formula
        assert ws[f"{total}{r}"].value == layout.total_formula(r), r
        assert ws[f"{col(layout.rating_col)}{r}"].value == layout.rating_formula(r), r
    assert ws[f"{total}{last + 1}"].value is None  # a unit without a card has no formula
    wb.close()


def test_a_heading_too_wide_for_its_block_breaks_after_its_dash() -> None:
    """New-commune review, defect 10: "HỘI ĐỒNG THI ĐUA – KHEN / THƯỞNG" in a narrow block."""
    from workbook.master.form import fit_heading

    council = "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG"
    assert fit_heading(council, 60) == council
    assert fit_heading(council, 38) == "HỘI ĐỒNG THI ĐUA –\nKHEN THƯỞNG"
    assert fit_heading("TM. " + council, 40) == "TM. HỘI ĐỒNG THI ĐUA –\nKHEN THƯỞNG"
    assert fit_heading("ỦY BAN NHÂN DÂN XÃ TÂN LẬP", 20) == "ỦY BAN NHÂN DÂN\nXÃ TÂN LẬP"
    assert fit_heading("UBND XÃ CAO MINH", 25) == "UBND XÃ CAO MINH"
