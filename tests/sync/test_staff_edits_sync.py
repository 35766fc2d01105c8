"""Staff edits in the master survive every sync; resubmissions after appraisal are flagged; text stays text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from sync.cli import main
from sync.ledger import Ledger
from sync.service import run_sync
from tests.sync.sync_support import facts_for, filled, settings, write_config

CODES = ["VP-UBND", "P-KT", "HND"]


def _table(path: Path, sheet: str) -> tuple[Any, int, dict[str, int]]:
    wb = load_workbook(path)
    ws = wb[sheet]
    for row in ws.iter_rows(min_row=1, max_row=15):
        headers = {str(c.value): c.column for c in row if c.value is not None}
        if "Mã đơn vị" in headers:
            return wb, row[0].row, headers
    raise AssertionError(f"no header row in {sheet}")


def _rows(path: Path, sheet: str) -> dict[str, dict[str, Any]]:
    wb, header, cols = _table(path, sheet)
    ws = wb[sheet]
    out = {}
    for r in range(header + 1, ws.max_row + 1):
        code = ws.cell(r, cols["Mã đơn vị"]).value
        if code:
            out[str(code)] = {h: ws.cell(r, c).value for h, c in cols.items()}
    return out


def _type(path: Path, edits: dict[str, dict[str, Any]]) -> None:
    """Type values into "Chi tiết tiêu chí" as a person in Excel would."""
    wb, header, cols = _table(path, "Chi tiết tiêu chí")
    ws = wb["Chi tiết tiêu chí"]
    for r in range(header + 1, ws.max_row + 1):
        code = ws.cell(r, cols["Mã đơn vị"]).value
        for column, value in edits.get(str(code), {}).items():
            ws.cell(r, cols[column]).value = value
    wb.save(path)


def test_appraisals_and_notes_survive_twenty_syncs_and_count(tmp_path: Path) -> None:
    config = write_config(tmp_path, CODES)
    for code in CODES:
        filled(tmp_path, f"{code}.xlsx", facts_for(code))
    s = settings(config)
    master = run_sync(s).master.path  # type: ignore[union-attr]
    _type(master, {
        "VP-UBND": {"K1 thẩm định": 6, "Ghi chú của hội đồng": "Thiếu minh chứng chỉ tiêu kinh tế"},
        "P-KT": {"M1 thẩm định": "2,5", "Ghi chú của hội đồng": "Báo cáo chậm 3 ngày"},
    })
    for i in range(20):
        # units keep resubmitting: HND changes every time, VP-UBND once (after it was appraised)
        filled(tmp_path, "HND.xlsx", facts_for("HND", **{"K2.result": 5 + i}))
        if i == 7:
            filled(tmp_path, "VP-UBND.xlsx", facts_for("VP-UBND", **{"V2.result": 7}))
        report = run_sync(s)
        assert report.master is not None and report.master.path == master
    detail = _rows(master, "Chi tiết tiêu chí")
    assert detail["VP-UBND"]["K1 thẩm định"] == 6
    assert detail["VP-UBND"]["Ghi chú của hội đồng"] == "Thiếu minh chứng chỉ tiêu kinh tế"
    assert detail["P-KT"]["M1 thẩm định"] in (2.5, "2,5")
    assert detail["P-KT"]["Ghi chú của hội đồng"] == "Báo cáo chậm 3 ngày"
    totals = {u.code: u.total for u in report.units}
    # VP-UBND: K1 appraised 6 (−2), V2 resubmitted 7 of 8 → 3.5 (−0.5) → 97.5; P-KT: penalty 2.5 → 97.5
    assert totals["VP-UBND"] == 97.5 and totals["P-KT"] == 97.5
    summary = _rows(master, "Tổng hợp")
    assert summary["VP-UBND"]["Cần xem lại"] and not summary["P-KT"]["Cần xem lại"]
    outcomes = {u.code: u for u in report.units}  # the sync's own report says the same
    assert outcomes["VP-UBND"].needs_review and not outcomes["P-KT"].needs_review
    assert report.staff_edits == {"appraisals": 2, "notes": 2, "invalid": 0}
    with Ledger.open(s.ledger_path) as ledger:
        appraisal = ledger.appraisals(2026)
        assert appraisal["VP-UBND"].note == "Thiếu minh chứng chỉ tiêu kinh tế"
        assert len(ledger.history(2026, "HND")) == 20


def test_the_master_lost_the_ledger_restores_the_appraisal(tmp_path: Path) -> None:
    config = write_config(tmp_path, ["VP-UBND"])
    filled(tmp_path, "VP-UBND.xlsx", facts_for("VP-UBND"))
    s = settings(config)
    master = run_sync(s).master.path  # type: ignore[union-attr]
    _type(master, {"VP-UBND": {"K1 thẩm định": 7, "Ghi chú của hội đồng": "Đạt"}})
    run_sync(s)  # the edit is read into the ledger
    master.unlink()
    run_sync(s)
    detail = _rows(master, "Chi tiết tiêu chí")
    assert detail["VP-UBND"]["K1 thẩm định"] == 7 and detail["VP-UBND"]["Ghi chú của hội đồng"] == "Đạt"


def test_submitted_text_never_becomes_a_formula(tmp_path: Path) -> None:
    config = write_config(tmp_path, ["HND"])
    evil = ['=HYPERLINK("http://x.example","Bấm")', "+1", "@SUM(A1)", "-2+3"]
    tables = {"models": [
        {"name": text, "field": "Kinh tế", "kind": "Tập thể", "status": "Đăng ký", "lead_unit": text} for text in evil
    ]}
    filled(tmp_path, "HND.xlsx", facts_for("HND", **{"info.head": "=1+1"}), tables)
    master = run_sync(settings(config)).master.path  # type: ignore[union-attr]
    wb = load_workbook(master)
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in evil:
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    seen.add(cell.value)
    assert seen == set(evil)


def test_the_sync_summary_says_cần_xem_lại_and_what_was_read_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Review D25: the CLI table shows "Cần xem lại", the summary how many appraisals and notes the master gave."""
    config = write_config(tmp_path, ["VP-UBND", "HND"])
    for code in ("VP-UBND", "HND"):
        filled(tmp_path, f"{code}.xlsx", facts_for(code))
    master = run_sync(settings(config)).master.path  # type: ignore[union-attr]
    _type(master, {"VP-UBND": {"K1 thẩm định": 6, "M1 thẩm định": 1, "Ghi chú của hội đồng": "Thiếu minh chứng"}})
    run_sync(settings(config))  # the appraisal is read back, against version 1
    filled(tmp_path, "VP-UBND.xlsx", facts_for("VP-UBND", **{"V2.result": 7}))  # resubmitted after the appraisal
    assert main(["sync", "--config", str(config), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    review = {u["code"]: u["needs_review"] for u in data["units"]}
    assert review == {"VP-UBND": True, "HND": False}
    assert data["staff_edits"] == {"appraisals": 2, "notes": 1, "invalid": 0}
    assert main(["sync", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "Cần xem lại" in out
    assert "Đọc lại từ tệp tổng hợp: 2 điểm thẩm định, 1 ghi chú." in out


def test_an_appraisal_for_a_unit_that_sent_nothing_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Review D27: kept, not used until the unit submits — and said, in the CLI and on the unit's status row."""
    config = write_config(tmp_path, ["VP-UBND", "HND"])
    filled(tmp_path, "VP-UBND.xlsx", facts_for("VP-UBND"))
    master = run_sync(settings(config)).master.path  # type: ignore[union-attr]
    _type(master, {"HND": {"K1 thẩm định": 4}})
    assert main(["report", "--config", str(config)]) == 0
    said = " ".join(capsys.readouterr().out.split())
    expected = "Đơn vị HND chưa nộp phiếu: điểm thẩm định đã nhập (K1) được giữ lại nhưng chưa được tính"
    assert expected in said
    status = _rows(master, "Tình trạng nộp")
    assert expected in status["HND"]["Thông báo"] and "điểm thẩm định" not in str(status["VP-UBND"]["Thông báo"])
    assert _rows(master, "Chi tiết tiêu chí")["HND"]["K1 thẩm định"] == 4  # still kept


def test_report_says_what_was_read_back_and_an_out_of_range_number_stays_a_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """New-commune review, defect 16: `dvk report` gives the read-back line of `dvk sync` with the invalid
    appraisals counted, and 9 typed for an 8-point criterion is kept as the number 9 (red, on "Lỗi")."""
    config = write_config(tmp_path, ["VP-UBND", "HND"])
    for code in ("VP-UBND", "HND"):
        filled(tmp_path, f"{code}.xlsx", facts_for(code))
    master = run_sync(settings(config)).master.path  # type: ignore[union-attr]
    _type(master, {"VP-UBND": {"K1 thẩm định": 6, "Ghi chú của hội đồng": "Thiếu minh chứng"},
                   "HND": {"K1 thẩm định": 9, "K2 thẩm định": "mười"}})
    assert main(["report", "--config", str(config)]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "Đọc lại từ tệp tổng hợp: 1 điểm thẩm định, 1 ghi chú; 2 điểm thẩm định không hợp lệ" in said
    detail = _rows(master, "Chi tiết tiêu chí")
    assert detail["HND"]["K1 thẩm định"] == 9 and isinstance(detail["HND"]["K1 thẩm định"], int | float)
    assert detail["HND"]["K2 thẩm định"] == "mười"
    errors = load_workbook(master)["Lỗi"]
    assert sum(1 for row in errors.iter_rows(values_only=True) if "HND" in row and any(
        isinstance(v, str) and "thẩm định" in v for v in row)) == 2
    assert main(["sync", "--config", str(config), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["staff_edits"] == {"appraisals": 1, "notes": 1, "invalid": 2}


def test_a_macro_enabled_copy_beside_the_master_is_said_never_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """New-commune review, defect 8: an appraisal typed into "tong-hop-2026.xlsm" (the old guide's "Save As
    .xlsm") is named in `dvk report` and `dvk sync`, with what to do; a copy holding nothing new is not."""
    config = write_config(tmp_path, ["VP-UBND", "HND"])
    for code in ("VP-UBND", "HND"):
        filled(tmp_path, f"{code}.xlsx", facts_for(code))
    master = run_sync(settings(config)).master.path  # type: ignore[union-attr]
    _type(master, {"HND": {"K1 thẩm định": 7}})
    copy = master.with_suffix(".xlsm")
    copy.write_bytes(master.read_bytes())
    assert main(["report", "--config", str(config)]) == 0
    assert "xlsm" not in capsys.readouterr().out  # the same values as the master: nothing to say
    _type(copy, {"VP-UBND": {"S1 thẩm định": 5, "Ghi chú của hội đồng": "Xem lại"}})
    assert main(["report", "--config", str(config)]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert f"Tệp “{copy.name}” cạnh tệp tổng hợp có 1 điểm thẩm định (VP-UBND S1=5) và 1 ghi chú" in said
    assert "dvk chỉ đọc tệp .xlsx" in said and "dvk-ham.xlsm" in said
    assert _rows(master, "Chi tiết tiêu chí")["VP-UBND"]["S1 thẩm định"] is None  # never read, as said
    assert main(["sync", "--config", str(config), "--format", "json"]) == 0
    assert copy.name in json.loads(capsys.readouterr().out)["master_message"]
