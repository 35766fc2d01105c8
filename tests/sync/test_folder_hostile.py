"""The intake folder as the world leaves it: unreadable folders, links pointing outside, files rewritten while
dvk reads them (reliability review; repro `file_changes_during_read.py`, `file_changes_eof_abort.py`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

import workbook.reader as reader
from sync.cli import main
from sync.service import run_sync
from sync.sources import scan_folder
from tests.sync.sync_support import facts_for, filled, settings, write_config

CODES = ["VP-UBND", "P-KT"]


@pytest.fixture
def commune(tmp_path: Path) -> Path:
    config = write_config(tmp_path, CODES)
    filled(tmp_path, "P-KT.xlsx", facts_for("P-KT"))
    filled(tmp_path, "VP-UBND.xlsx", facts_for("VP-UBND", **{"K1.result": "=50+50"}))  # a formula: two reads
    return config


def test_a_link_pointing_outside_the_intake_folder_is_not_followed(commune: Path, tmp_path: Path) -> None:
    outside = tmp_path / "ngoai"
    outside.mkdir()
    secret = filled(tmp_path, "HND.xlsx", facts_for("HND"))
    secret.rename(outside / "HND.xlsx")
    (tmp_path / "nop-bai" / "HND.xlsx").symlink_to(outside / "HND.xlsx")
    (tmp_path / "nop-bai" / "passwd.xlsx").symlink_to("/etc/passwd")
    scan = scan_folder(tmp_path / "nop-bai")
    assert {p.name for p in scan.files} == {"P-KT.xlsx", "VP-UBND.xlsx"}
    assert len(scan.problems) == 2 and all("liên kết tắt trỏ ra ngoài" in p for p in scan.problems)
    report = run_sync(settings(commune))
    assert any("passwd.xlsx" in n for n in report.notices)
    assert not report.other_files
    # a link inside the folder is read: a second copy of known content, not a new version
    (tmp_path / "nop-bai" / "P-KT (ban sao).xlsx").symlink_to(tmp_path / "nop-bai" / "P-KT.xlsx")
    unit = next(u for u in run_sync(settings(commune)).units if u.code == "P-KT")
    assert unit.status == "unchanged"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_intake_folder_is_reported_not_nobody_submitted(commune: Path, tmp_path: Path) -> None:
    sub = tmp_path / "nop-bai" / "thang-12"
    sub.mkdir()
    sub.chmod(0)
    try:
        report = run_sync(settings(commune))
        assert report.failed and any("thang-12" in e for e in report.source_errors)
        (tmp_path / "nop-bai").chmod(0)
        report = run_sync(settings(commune))
        assert report.failed and all("không đọc được thư mục nhận tệp" in u.message for u in report.units
                                     if u.status == "missing")
    finally:
        (tmp_path / "nop-bai").chmod(0o755)
        sub.chmod(0o755)


def _rewrite_in_place(path: str | Path, keep: int) -> None:
    data = Path(path).read_bytes()
    with open(path, "r+b") as fh:
        fh.truncate(0)
        fh.write(data[:keep])


@pytest.mark.parametrize("when", ["before-second-read", "during-second-read"])
def test_a_file_rewritten_while_it_is_read_is_that_files_error(
    commune: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], when: str
) -> None:
    real = reader.load_workbook  # openpyxl's function as the reader sees it; the other program is simulated

    def racing(path: Any, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("data_only") and when == "before-second-read":
            _rewrite_in_place(path, len(Path(path).read_bytes()) // 2)  # BadZipFile on the second open
        wb = real(path, *args, **kwargs)
        if kwargs.get("data_only") and when == "during-second-read":
            _rewrite_in_place(path, Path(path).stat().st_size // 3)  # EOFError while the sheet streams
        return wb

    monkeypatch.setattr(reader, "load_workbook", racing)
    code = main(["sync", "--config", str(commune), "--format", "json"])
    captured = capsys.readouterr()
    assert code == 1, captured.err
    assert "Đã dừng theo yêu cầu" not in captured.err
    assert (tmp_path / "tong-hop" / "tong-hop-2026.xlsx").exists()
    import json

    units = {u["code"]: u for u in json.loads(captured.out)["units"]}
    assert units["P-KT"]["status"] == "ok"
    assert units["VP-UBND"]["status"] == "error" and "đang được ghi dở" in units["VP-UBND"]["message"]
