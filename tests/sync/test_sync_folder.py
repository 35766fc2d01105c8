"""`dvk sync` from a folder of e-mailed files: statuses, versions, bad files, the master, exit codes."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sync.cli import main
from sync.ledger import Ledger
from sync.service import run_sync
from tests.sync.sync_support import facts_for, filled, settings, write_config

CODES = ["VP-UBND", "P-KT", "HND", "T-NAMO", "CA"]


@pytest.fixture
def commune(tmp_path: Path) -> Path:
    config = write_config(tmp_path, CODES)
    filled(tmp_path, "VP-UBND.xlsx", facts_for("VP-UBND"))
    filled(tmp_path, "P-KT.xlsx", facts_for("P-KT", **{"K1.result": 50}))
    filled(tmp_path, "HND.xlsx", facts_for("HND", **{"K1.result": "85 điểm"}))  # invalid
    (tmp_path / "nop-bai" / "T-NAMO.xlsx").write_text("Mã;Điểm\nT-NAMO;95\n", encoding="utf-8")  # CSV renamed
    (tmp_path / "nop-bai" / "ghi-chu.xls").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    return config


def test_one_pass_gives_each_unit_its_status_and_bad_files_do_not_stop_the_others(commune: Path) -> None:
    report = run_sync(settings(commune))
    by_code = {u.code: u for u in report.units}
    assert {c: u.status for c, u in by_code.items()} == {
        "VP-UBND": "ok", "P-KT": "ok", "HND": "invalid", "T-NAMO": "error", "CA": "missing",
    }
    assert by_code["VP-UBND"].total == 100.0 and by_code["VP-UBND"].rating_code == "HTXS"
    assert by_code["P-KT"].total == 96.0
    assert "không phải là số" in by_code["HND"].message and "Chấm điểm" in by_code["HND"].message
    assert "không phải là tệp Excel" in by_code["T-NAMO"].message or "CSV" in by_code["T-NAMO"].message
    # the .xls of no known unit is listed apart, with the reader's message
    (other,) = report.other_files
    assert other.status == "error" and ".xls" in other.message
    assert report.failed
    wb = load_workbook(report.master.path, read_only=True)  # type: ignore[union-attr]
    assert "Tổng hợp" in wb.sheetnames


def test_the_same_content_again_is_no_new_version(commune: Path) -> None:
    s = settings(commune)
    run_sync(s)
    again = run_sync(s)
    assert {u.code: u.status for u in again.units}["VP-UBND"] == "unchanged"
    assert {u.code: u.total for u in again.units}["VP-UBND"] == 100.0  # an unchanged unit keeps its total
    with Ledger.open(s.ledger_path) as ledger:
        assert len(ledger.history(2026, "VP-UBND")) == 1
    # re-saving the same facts into a new file (new bytes, same content) is still the same version
    filled(commune.parent, "VP-UBND.xlsx", facts_for("VP-UBND"))
    run_sync(s)
    with Ledger.open(s.ledger_path) as ledger:
        assert len(ledger.history(2026, "VP-UBND")) == 1


def test_a_corrected_file_becomes_a_new_version_and_a_broken_one_keeps_the_last_good(commune: Path) -> None:
    s = settings(commune)
    run_sync(s)
    filled(commune.parent, "HND.xlsx", facts_for("HND"))
    fixed = {u.code: u for u in run_sync(s).units}["HND"]
    assert fixed.status == "ok" and fixed.total == 100.0
    # the unit now sends a broken file: the status says so, the good version stays the latest
    (commune.parent / "nop-bai" / "HND.xlsx").write_bytes(b"PK\x03\x04 broken")
    broken = {u.code: u for u in run_sync(s).units}["HND"]
    assert broken.status == "error" and broken.total == 100.0
    with Ledger.open(s.ledger_path) as ledger:
        latest = ledger.latest("HND", 2026)
        assert latest is not None and latest.error_count == 0


def test_cli_json_shape_and_exit_code(commune: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sync", "--config", str(commune), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert set(data["units"][0]) >= {"code", "name", "status", "source", "revision", "total", "rating_code", "issues", "message"}
    assert data["requests"] == {"sheets": 0, "drive": 0, "sheets_reads": 0, "sheets_writes": 0, "drive_reads": 0,
                                "drive_writes": 0, "token_refreshes": 0}  # no Google source: nothing sent
    assert [u["code"] for u in data["units"]] == CODES
    vp = data["units"][0]
    assert vp["source"] == "folder" and len(vp["revision"]) == 64  # provenance: the file's sha256


def test_cli_all_fine_exits_0_and_prints_vietnamese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, ["VP-UBND"])
    filled(tmp_path, "VP-UBND.xlsx", facts_for("VP-UBND"))
    assert main(["sync", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "Kết quả đồng bộ năm 2026" in out and "Đã nhận" in out and "Tệp tổng hợp" in out


def test_a_bad_config_is_fatal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "dvk.toml"
    bad.write_text('[[units]]\ncode = "A"\nname = "B"\nkind = "Hợp tác xã"\n', encoding="utf-8")
    assert main(["sync", "--config", str(bad)]) == 2
    assert "kind" in capsys.readouterr().err


def test_ledger_is_sqlite_with_every_version(commune: Path) -> None:
    s = settings(commune)
    run_sync(s)
    con = sqlite3.connect(s.ledger_path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    units = {r[0] for r in con.execute("SELECT unit_code FROM versions")}
    assert units == {"VP-UBND", "P-KT", "HND"}
    con.close()


def test_a_missing_intake_folder_is_said_not_ignored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, ["VP-UBND"])
    (tmp_path / "nop-bai").rmdir()
    report = run_sync(settings(config))
    assert report.units[0].status == "missing"
    assert any("chưa có" in n and "nop-bai" in n for n in report.notices)
    # and messages with brackets reach the user intact (no rich markup eaten)
    assert main(["sheets", "check", "--config", str(config)]) == 2
    assert "[[units]]" in capsys.readouterr().err


def test_an_untouched_template_emailed_back_is_not_received(tmp_path: Path) -> None:
    """The unit's own template (`dvk template --unit`) sent back as it was: "Chưa nộp", no version; the first
    value typed makes it a submission; emptied again later, the version received stays current (a notice)."""
    from workbook.fill import fill_template
    from workbook.template import write_template

    config = write_config(tmp_path, ["VP-UBND", "HND"])
    s = settings(config)
    unit = s.registry()["HND"]
    sent = write_template(tmp_path / "mau-HND.xlsx", s.load_rubric(), year=2026, unit=unit)
    back = tmp_path / "nop-bai" / "HND.xlsx"
    back.write_bytes(sent.read_bytes())
    before = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)
    report = run_sync(s, now=before)
    hnd = {u.code: u for u in report.units}["HND"]
    assert (hnd.status, hnd.rating_code) == ("missing", None)
    assert "Tệp “HND.xlsx” chưa được điền" in hnd.message and hnd.message.startswith("Chưa nộp (còn hạn).")
    assert not report.failed and report.other_files == []
    with Ledger.open(s.ledger_path) as ledger:
        assert ledger.history(2026) == []
    fill_template(sent, back, {"info.head": "Hoàng Văn Minh"})
    hnd = {u.code: u for u in run_sync(s, now=before).units}["HND"]
    assert hnd.status == "invalid"  # received: one value typed, the rest missing
    back.write_bytes(sent.read_bytes())
    hnd = {u.code: u for u in run_sync(s, now=before).units}["HND"]
    assert hnd.status == "unchanged" and any("ngoài phần dvk điền sẵn" in n for n in hnd.notices)
