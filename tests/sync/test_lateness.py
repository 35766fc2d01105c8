"""Receipt and lateness with the clock played (an injected `now`): the review's repro
`repro_lateness_and_status.sh` (new-commune-year.md defects 1–4, 17) as tests, on a real folder, ledger and master.

* on time, then a correction after the deadline → still on time, "bản sửa ngày …", never listed late;
* a file held because its unit code and name disagree → "Chờ xác nhận", not KHT; released (by staff, or by the
  unit resending it with the code fixed) → counted with the time dvk first received it;
* late with A4 "Đúng hạn" typed → A4 at dvk's value ("Chậm") and a warning on the unit's row;
* an unreadable file → "Chưa xếp loại – tệp không đọc được", no clerk instruction in an official annex.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from sync.cli import main
from sync.ledger import Ledger
from sync.ledger.held import held_files
from sync.release import release_file
from sync.reporting import write_year_master
from sync.service import run_sync
from tests.sync.sync_support import facts_for, filled, settings, write_config
from tests.workbook.master.conftest import rows_by_code
from workbook.master.cells import HEADER_ROW

CODES = ["VP-UBND", "P-KT", "HND", "TYT"]


def at(day: int, hour: int = 8) -> dt.datetime:
    """A moment of December 2026, local time (the deadline is 15/12/2026)."""
    return dt.datetime(2026, 12, day, hour, 0).astimezone()


@pytest.fixture
def commune(tmp_path: Path) -> Path:
    return write_config(tmp_path, CODES)


def _detail(master: Path, code: str, header: str) -> Any:
    return rows_by_code(master, "Chi tiết tiêu chí")[code][header]


def test_on_time_then_corrected_after_the_deadline_stays_on_time(commune: Path) -> None:
    root, s = commune.parent, settings(commune)
    # an error outside the criteria (the proposal's form is not in the list), sent on time
    bad = {"proposals": [{"subject": "Văn phòng", "kind": "Tập thể", "form": "Giấy khen"}]}
    filled(root, "VP-UBND.xlsx", facts_for("VP-UBND"), bad)
    run_sync(s, now=at(10))
    filled(root, "VP-UBND-sua.xlsx", facts_for("VP-UBND"))  # the correction dvk asked for, after the deadline
    report = run_sync(s, now=at(20))
    master = s.master_path()
    status = rows_by_code(master, "Tình trạng nộp")["VP-UBND"]
    assert status["Đúng hạn / Trễ hạn"] == "Đúng hạn (bản sửa ngày 20/12/2026)"
    assert status["Tình trạng"] == "Hợp lệ" and status["Phiên bản"] == 2
    assert _detail(master, "VP-UBND", "A4 tự chấm") == 2  # A4 from the first receipt: full
    unit = next(u for u in report.units if u.code == "VP-UBND")
    assert unit.rating_code == "HTXS" and not any("A4" in n for n in unit.notices)


def test_late_with_a4_on_time_typed_scores_a4_by_the_receipt_and_warns(commune: Path) -> None:
    root, s = commune.parent, settings(commune)
    filled(root, "HND.xlsx", facts_for("HND", **{"A4.level": "Chậm"}))  # the reverse: "Chậm" typed, on time
    run_sync(s, now=at(10))
    filled(root, "TYT.xlsx", facts_for("TYT"))  # A4 "Đúng hạn" typed, received on the 18th
    report = run_sync(s, now=at(18))
    master = s.master_path()
    assert _detail(master, "TYT", "A4 tự chấm") == 1  # "Chậm": dvk's record, not the typed "Đúng hạn"
    summary = rows_by_code(master, "Tổng hợp")
    assert "A4: đơn vị ghi “Đúng hạn” nhưng dvk nhận phiếu ngày 18/12/2026, trễ hạn 3 ngày" in summary["TYT"]["Lý do"]
    assert (summary["TYT"]["Tổng điểm"], summary["HND"]["Tổng điểm"]) == (99, 100)  # the same facts otherwise
    tyt = next(u for u in report.units if u.code == "TYT")
    assert any("A4: đơn vị ghi “Đúng hạn”" in n for n in tyt.notices)  # on the sync's row too
    assert _detail(master, "HND", "A4 tự chấm") == 2  # on time: full points although "Chậm" was typed
    assert "A4: đơn vị ghi “Chậm” nhưng dvk nhận phiếu ngày 10/12/2026, đúng hạn" in summary["HND"]["Lý do"]
    # the council may still decide otherwise: an appraisal of A4 wins and the warning goes
    wb = load_workbook(master)
    ws = wb["Chi tiết tiêu chí"]
    head = [c.value for c in ws[HEADER_ROW]]
    row = next(r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, 1).value == "TYT")
    ws.cell(row, head.index("A4 thẩm định") + 1).value = 2
    wb.save(master)
    with Ledger.open(s.ledger_path) as ledger:
        write_year_master(s, ledger, 2026, now=at(19))
    assert _detail(master, "TYT", "A4 thẩm định") == 2
    assert "A4: đơn vị ghi" not in str(rows_by_code(master, "Tổng hợp")["TYT"]["Lý do"])


def _khuon_ha(root: Path) -> Path:
    """P-KT's sheet with another unit's code typed in it (the neighbour's template, only the name changed)."""
    return filled(root, "Phong Kinh te.xlsx", facts_for("P-KT", **{"info.unit_code": "HND"}))


def test_a_held_file_waits_for_staff_then_counts_from_its_first_receipt(commune: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    root, s = commune.parent, settings(commune)
    held = _khuon_ha(root)
    run_sync(s, now=at(14))
    report = run_sync(s, now=at(16))  # after the deadline, still held
    units = {u.code: u for u in report.units}
    assert units["P-KT"].status == "held" and units["P-KT"].rating_code is None
    assert units["HND"].status == "held"  # the code's unit too: the file may be its own
    (other,) = report.other_files
    assert "dvk intake release" in other.message and "--unit P-KT" in other.message
    master = s.master_path()
    summary = rows_by_code(master, "Tổng hợp")
    assert summary["P-KT"]["Xếp loại"] == "Chờ xác nhận" and summary["P-KT"]["Xếp hạng"] is None
    status = rows_by_code(master, "Tình trạng nộp")["P-KT"]
    assert (status["Tình trạng"], status["Đúng hạn / Trễ hạn"]) == ("Chờ xác nhận", "Chờ xác nhận")
    assert "Chờ xác nhận: tệp “Phong Kinh te.xlsx” (nhận lúc 14/12/2026 08:00)" in status["Thông báo"]
    # the console says the whole reason once (the list of files not taken), the rows a short note
    capsys.readouterr()
    assert main(["sync", "--config", str(commune)]) == 1
    out = " ".join(capsys.readouterr().out.split())
    assert out.count("Phiếu ghi mã HND nhưng") == 1 and ".;" not in out
    assert main(["intake", "list", "--config", str(commune)]) == 1  # a file still waits
    listed = " ".join(capsys.readouterr().out.split())
    assert "Phong Kinh te.xlsx" in listed and "14/12/2026 08:00" in listed and "--unit P-KT" in listed
    # staff confirm on the 18th: it counts for P-KT as received on the 14th, on time
    with Ledger.open(s.ledger_path) as ledger:
        done = release_file(s, ledger, Path("Phong Kinh te.xlsx"), "P-KT")
        assert done.current and done.new
        write_year_master(s, ledger, 2026, now=at(18))
        latest = ledger.latest("P-KT", 2026)
        assert latest is not None and latest.fetched_at == at(14)
        assert latest.submission() is not None and latest.submission().unit_code == "P-KT"  # type: ignore[union-attr]
    status = rows_by_code(master, "Tình trạng nộp")["P-KT"]
    assert status["Đúng hạn / Trễ hạn"] == "Đúng hạn" and status["Tình trạng"] == "Hợp lệ"
    assert _detail(master, "P-KT", "A4 tự chấm") == 2
    assert rows_by_code(master, "Tổng hợp")["HND"]["Xếp loại"] == "Không hoàn thành nhiệm vụ"  # not HND's after all
    # the next pass reads the file as P-KT's, never holds it again; a second release is refused
    report = run_sync(s, now=at(19))
    assert not report.other_files and next(u for u in report.units if u.code == "P-KT").status == "unchanged"
    assert main(["intake", "release", "--config", str(commune), str(held), "--unit", "P-KT"]) == 2
    assert "đã được xác nhận là phiếu của P-KT" in " ".join(capsys.readouterr().err.split())


def test_a_held_file_sent_again_with_the_code_fixed_keeps_its_first_receipt(commune: Path) -> None:
    root, s = commune.parent, settings(commune)
    held = _khuon_ha(root)
    run_sync(s, now=at(14))
    # the unit fixes the code as dvk's message says, in the same file, after the deadline
    wb = load_workbook(held)
    ws = wb["Thông tin đơn vị"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "HND")
    cell.value = "P-KT"
    wb.save(held)
    report = run_sync(s, now=at(18))
    unit = next(u for u in report.units if u.code == "P-KT")
    assert unit.status == "ok" and any("tính thời điểm nhận lần đầu là 14/12/2026 08:00" in n for n in unit.notices)
    status = rows_by_code(s.master_path(), "Tình trạng nộp")["P-KT"]
    assert status["Đúng hạn / Trễ hạn"] == "Đúng hạn (bản sửa ngày 18/12/2026)"
    with Ledger.open(s.ledger_path) as ledger:
        (record,) = held_files(ledger, 2026)
        assert (record.released_to, record.released_how, record.present) == ("P-KT", "resent", False)


def test_an_unreadable_file_is_not_rated_and_no_clerk_instruction_reaches_the_documents(commune: Path) -> None:
    root, s = commune.parent, settings(commune)
    for code in ("VP-UBND", "P-KT", "TYT"):
        filled(root, f"{code}.xlsx", facts_for(code))
    (root / "nop-bai" / "HND.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)  # an old .xls
    report = run_sync(s, now=at(20))
    hnd = next(u for u in report.units if u.code == "HND")
    assert hnd.status == "error" and hnd.rating_code is None
    master = s.master_path()
    summary = rows_by_code(master, "Tổng hợp")["HND"]
    assert summary["Xếp loại"] == "Chưa xếp loại – tệp không đọc được"
    assert "Hãy" not in str(summary["Lý do"])
    status = rows_by_code(master, "Tình trạng nộp")["HND"]
    assert status["Tình trạng"] == "Không đọc được" and ".xls" in str(status["Thông báo"])  # the clerk's sheet says why
    from sync.documents import write_documents
    from tests.workbook.documents.docx_support import docx_text, table_with_header

    out = root / "van-ban"
    with Ledger.open(s.ledger_path) as ledger:
        write_documents(s, ledger, out, kinds=("bao-cao", "to-trinh"), today=dt.date(2026, 12, 20))
    report_doc = out / "bao-cao-dan-van-kheo-2026.docx"
    annex = {r["Tên đơn vị"]: r for r in table_with_header(report_doc, "STT")}
    assert annex["Hội Nông dân"]["Xếp loại"] == "Chưa xếp loại – tệp không đọc được"
    text = " ".join(docx_text(report_doc).split())
    assert "Hãy mở" not in text and "Save As" not in text and "Lưu thành" not in text
    assert "1 đơn vị gửi tệp không đọc được, chưa xếp loại: Hội Nông dân." in text
    assert "Không hoàn thành nhiệm vụ: 0 đơn vị" in " ".join(docx_text(out / "to-trinh-khen-thuong-2026.docx").split())
