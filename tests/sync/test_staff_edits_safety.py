"""Staff edits are never lost (reliability review "Data loss"): a master of another year, a renamed sheet or
header, a unit-code typo, the master open in Excel, an inserted column, a date typed as an appraisal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from sync.cli import main
from sync.ledger import Ledger
from sync.service import run_sync
from tests.sync.sync_support import facts_for, filled, settings, write_config
from tests.sync.test_staff_edits_sync import _rows, _table, _type

CODES = ["VP-UBND", "P-KT"]
DETAIL = "Chi tiết tiêu chí"


def _commune(tmp_path: Path, master: str = "tong-hop/tong-hop-{year}.xlsx") -> Path:
    config = write_config(tmp_path, CODES)
    text = config.read_text(encoding="utf-8").replace('master = "tong-hop/tong-hop-{year}.xlsx"', f'master = "{master}"')
    config.write_text(text, encoding="utf-8")
    for code in CODES:
        filled(tmp_path, f"{code}.xlsx", facts_for(code))
    return config


def _appraised(tmp_path: Path, master: str = "tong-hop/tong-hop-{year}.xlsx") -> tuple[Path, Path]:
    config = _commune(tmp_path, master)
    path = run_sync(settings(config)).master.path  # type: ignore[union-attr]
    _type(path, {"VP-UBND": {"K1 thẩm định": 6, "Ghi chú của hội đồng": "Thiếu minh chứng"}})
    return config, path


def test_a_master_path_without_year_is_not_carried_into_the_next_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config, path = _appraised(tmp_path, "tong-hop/tong-hop.xlsx")
    before = path.read_bytes()
    monkeypatch.setenv("DVK_COMMUNE__YEAR", "2027")
    assert main(["sync", "--config", str(config)]) == 2
    assert "là của năm 2026, không phải năm 2027" in " ".join(capsys.readouterr().err.split())
    assert path.read_bytes() == before
    with Ledger.open(tmp_path / "tong-hop" / "dvk-ledger.sqlite") as ledger:
        assert ledger.appraisals(2027) == {}


def test_report_for_another_year_onto_a_master_is_refused(tmp_path: Path) -> None:
    config, path = _appraised(tmp_path)
    before = path.read_bytes()
    assert main(["report", "--config", str(config), "--year", "2027", "--out", str(path)]) == 2
    assert path.read_bytes() == before
    with Ledger.open(tmp_path / "tong-hop" / "dvk-ledger.sqlite") as ledger:
        assert ledger.appraisals(2027) == {}


@pytest.mark.parametrize("what", ["sheet", "header", "not-a-master"])
def test_what_cannot_be_read_back_keeps_the_old_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], what: str
) -> None:
    config, path = _appraised(tmp_path)
    if what == "not-a-master":
        wb = Workbook()
        wb.active.title = "Sổ của tôi"
        wb.save(path)
    else:
        wb, header, cols = _table(path, DETAIL)
        if what == "sheet":
            wb[DETAIL].title = "Chi tiết"
        else:
            wb[DETAIL].cell(header, cols["K1 thẩm định"]).value = "K1 (hội đồng)"
        wb.save(path)
    before = path.read_bytes()
    capsys.readouterr()
    assert main(["sync", "--config", str(config)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "không ghi đè" in err and "Traceback" not in err
    assert ("K1 thẩm định" in err) if what == "header" else ("Chi tiết tiêu chí" in err)
    assert path.read_bytes() == before


def test_a_unit_code_typo_in_a_master_row_is_said_and_the_old_file_kept(tmp_path: Path) -> None:
    config, path = _appraised(tmp_path)
    wb, header, cols = _table(path, DETAIL)
    ws = wb[DETAIL]
    for r in range(header + 1, ws.max_row + 1):
        if ws.cell(r, cols["Mã đơn vị"]).value == "P-KT":
            ws.cell(r, cols["Mã đơn vị"]).value = "P-KTT"
            ws.cell(r, cols["K1 thẩm định"]).value = 5
    wb.save(path)
    report = run_sync(settings(config))
    message = report.master.message  # type: ignore[union-attr]
    assert "mã đơn vị “P-KTT” không có trong danh sách" in message and "K1=5" in message
    assert report.master is not None
    kept = list(path.parent.glob("tong-hop-2026 (ban cu *).xlsx"))
    assert len(kept) == 1 and "P-KTT" in str(_rows(kept[0], DETAIL).keys())
    said = [str(c) for line in load_workbook(path)["Lỗi"].iter_rows(values_only=True) for c in line if c]
    assert any("P-KTT" in text and "K1=5" in text for text in said)  # listed on "Lỗi" of the new master too
    with Ledger.open(tmp_path / "tong-hop" / "dvk-ledger.sqlite") as ledger:
        assert set(ledger.appraisals(2026)) == {"VP-UBND"}


def test_a_master_open_in_excel_gets_one_copy_whose_edits_are_read_back(tmp_path: Path) -> None:
    config, path = _appraised(tmp_path)
    owner = path.with_name("~$" + path.name)
    owner.write_bytes(b"owner")  # Excel has it open
    s = settings(config)
    beside = run_sync(s).master.path  # type: ignore[union-attr]
    assert beside.name == "tong-hop-2026 (ban moi).xlsx"
    _type(beside, {"P-KT": {"M1 thẩm định": 1}})  # staff type into the copy
    for _ in range(2):
        assert run_sync(s).master.path == beside  # type: ignore[union-attr]
    assert sorted(p.name for p in path.parent.glob("tong-hop-2026*.xlsx")) == [
        "tong-hop-2026 (ban moi).xlsx", "tong-hop-2026.xlsx"]
    with Ledger.open(s.ledger_path) as ledger:
        stored = ledger.appraisals(2026)
    assert stored["P-KT"].values == {"M1": Decimal(1)} and stored["VP-UBND"].values == {"K1": Decimal(6)}
    # Excel saves the original on close (newer than the copy, its M1 cell still empty): M1 typed into the copy
    # is not cleared by it, and a note typed into the original counts too
    _type(path, {"VP-UBND": {"Ghi chú của hội đồng": "Đã xác minh"}})
    owner.unlink()  # Excel closed: the master is written again, with both, and the merged copy goes
    result = run_sync(s).master
    assert result is not None and result.path == path and not beside.exists()
    rows = _rows(path, DETAIL)
    assert rows["P-KT"]["M1 thẩm định"] == 1 and rows["VP-UBND"]["K1 thẩm định"] == 6
    assert rows["VP-UBND"]["Ghi chú của hội đồng"] == "Đã xác minh"


def test_an_inserted_column_keeps_the_old_file_and_a_date_stays_a_date(tmp_path: Path) -> None:
    config, path = _appraised(tmp_path)
    wb, header, cols = _table(path, DETAIL)
    ws = wb[DETAIL]
    ws.insert_cols(3)
    ws.cell(header, 3).value = "Nhận xét riêng"
    ws.cell(header + 1, 3).value = "Cần xác minh thêm"
    for r in range(header + 1, ws.max_row + 1):
        if ws.cell(r, 1).value == "P-KT":
            ws.cell(r, cols["K2 thẩm định"] + 1).value = dt.datetime(2026, 1, 5)
    wb.save(path)
    report = run_sync(settings(config))
    message = report.master.message  # type: ignore[union-attr]
    assert "“Nhận xét riêng” (1 ô)" in message and "ban cu" in message
    (kept,) = path.parent.glob("tong-hop-2026 (ban cu *).xlsx")
    assert load_workbook(kept)[DETAIL].cell(header + 1, 3).value == "Cần xác minh thêm"
    rows = _rows(path, DETAIL)
    assert rows["P-KT"]["K2 thẩm định"] == "05/01/2026" and rows["VP-UBND"]["K1 thẩm định"] == 6
