"""Vietnamese labels for every issue code; "Chưa nộp (còn hạn)", notices, provisional ratings; no empty Google columns."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from openpyxl import load_workbook

from workbook.master import HistoryRow, MasterInput, UnitRow, write_master
from workbook.master.charts import rating_counts
from workbook.master.labels import ISSUE_LABELS
from workbook.master.scores import compute

from .conftest import sheet_rows, table
from .factory import master_input, missing, row, sample, unit

ROOT = Path(__file__).resolve().parents[3]
_EMITTERS = (
    re.compile(r"self\.(?:error|warning)\(\s*\"([a-z0-9-]+)\""),
    re.compile(r"_issue\(\s*\"([a-z0-9-]+)\""),
    re.compile(r"_refuse\(\s*\w+,\s*\"([a-z0-9-]+)\""),
    re.compile(r"code=\"([a-z0-9-]+)\""),
    re.compile(r"\"(appraisal-[a-z0-9-]+)\""),
)
_FILES = ("schemas/validate.py", "workbook/reader.py", "workbook/preflight.py", "workbook/master/staff.py")


def test_every_emitted_issue_code_has_a_vietnamese_label() -> None:
    slugs: set[str] = set()
    for name in _FILES:
        text = (ROOT / name).read_text(encoding="utf-8")
        for pattern in _EMITTERS:
            slugs.update(pattern.findall(text))
    assert len(slugs) > 30
    assert sorted(s for s in slugs if s not in ISSUE_LABELS) == []
    assert all(label and label[0].isupper() for label in ISSUE_LABELS.values())


def test_pending_units_notices_and_no_google_columns(tmp_path: Path) -> None:
    rows: list[UnitRow] = [row(unit(i)) for i in range(4)]
    rows[1] = dataclasses.replace(rows[1], notices=("Phiếu ghi năm 2027, đợt đánh giá là 2026",))
    rows.append(dataclasses.replace(missing(unit(5)), status="pending"))
    rows.append(missing(unit(6)))
    data = master_input(rows)
    path = write_master(tmp_path / "m.xlsx", data).path
    status = {r["Mã đơn vị"]: r for r in sheet_rows(path, "Tình trạng nộp")}
    assert "Trang tính Google" not in next(iter(status.values()))  # a folder-only commune
    pending, gone = status[unit(5).code], status[unit(6).code]
    # "Tình trạng" is the state of the unit's sheet (none yet); the deadline part is in "Đúng hạn / Trễ hạn"
    assert (pending["Đúng hạn / Trễ hạn"], pending["Tình trạng"]) == ("Chưa nộp (còn hạn)", "Chưa nộp")
    assert gone["Tình trạng"] == "Chưa nộp"
    assert "Phiếu ghi năm 2027" in str(status[unit(1).code]["Thông báo"])
    summary = {r["Mã đơn vị"]: r for r in sheet_rows(path, "Tổng hợp")}
    assert summary[unit(5).code]["Xếp loại"] == "Chưa nộp (còn hạn)"
    assert "còn hạn" in str(summary[unit(5).code]["Lý do"])
    assert summary[unit(6).code]["Xếp loại"] == "Không hoàn thành nhiệm vụ"
    wb = load_workbook(path, data_only=True)
    charted = {r["Xếp loại"]: r["Số đơn vị"] for r in table(wb["Biểu đồ"])}
    assert sum(charted.values()) == 5  # the pending unit is left out of the counts
    assert charted == {rt.label: n for rt, n in rating_counts(compute(data))}
    errors = table(wb["Lỗi"])
    assert errors == [] or "Liên kết" not in errors[0]
    header = [c.value for c in wb["Lỗi"][10]]
    assert "Liên kết" not in header and "Loại lỗi" in header and "Mã lỗi" in header
    # the English slug is a hidden working column: never printed in the annex (new-commune review, defect 12)
    letter = wb["Lỗi"].cell(10, header.index("Mã lỗi") + 1).column_letter
    assert wb["Lỗi"].column_dimensions[letter].hidden
    assert not wb["Lỗi"].column_dimensions[wb["Lỗi"].cell(10, header.index("Loại lỗi") + 1).column_letter].hidden


def test_provisional_rating_is_shown_and_not_eligible(tmp_path: Path) -> None:
    from workbook.master.cells import Book
    from workbook.master.form import letterhead_for
    from workbook.master.sheets_entries import write_entries
    from workbook.master.sheets_scores import PROVISIONAL, write_detail, write_summary

    data: MasterInput = sample(5)
    results = tuple(dataclasses.replace(r, provisional=r.code == "VP-UBND") for r in compute(data))
    book = Book(letterhead_for(data.letterhead, data.commune, data.province), title="t")
    write_summary(book, data, results)
    write_detail(book, data, results)
    write_entries(book, data, results)
    book.save(tmp_path / "p.xlsx")
    summary = {r["Mã đơn vị"]: r for r in sheet_rows(tmp_path / "p.xlsx", "Tổng hợp")}
    assert summary["VP-UBND"]["Tạm tính"] == PROVISIONAL and summary["P-KT"]["Tạm tính"] is None
    proposals = [r for r in sheet_rows(tmp_path / "p.xlsx", "Đề nghị khen thưởng") if r["Mã đơn vị"] == "VP-UBND"]
    assert proposals and all(str(r["Điều kiện đề nghị"]).startswith("Không đủ điều kiện: phiếu còn lỗi") for r in proposals)


def test_an_unreadable_file_is_not_called_not_submitted_and_hashes_are_short(tmp_path: Path) -> None:
    unreadable = dataclasses.replace(missing(unit(2)), status="error", status_message="Tệp không phải .xlsx")
    digest = "ab12" * 16  # a sha256 as the folder source records it
    data = master_input([row(unit(1)), unreadable], history=[
        HistoryRow(unit_code=unit(1).code, version=1, source="folder", revision=digest, received_at=None, total=90.0,
                   rating="HT"),
        HistoryRow(unit_code=unit(1).code, version=2, source="google", revision="2026-12-10T08:00:00.000Z",
                   received_at=None, total=91.0, rating="HT"),
    ])
    path = write_master(tmp_path / "m.xlsx", data).path
    status = {r["Mã đơn vị"]: r for r in table(load_workbook(path)["Tình trạng nộp"])}
    assert status[unit(2).code]["Đúng hạn / Trễ hạn"] == "Không đọc được"
    assert status[unit(1).code]["Đúng hạn / Trễ hạn"] == "Đúng hạn"
    history = table(load_workbook(path)["Lịch sử"])
    assert [r["Mã phiên bản nguồn"] for r in history] == [digest[:12], "2026-12-10T08:00:00.000Z"]
    subtitle = " ".join(str(c) for line in load_workbook(path)["Tổng hợp"].iter_rows(max_row=9, values_only=True)
                        for c in line if c)
    assert "Bộ tiêu chí mặc định của dvk (phiên bản 2026.1)" in subtitle
