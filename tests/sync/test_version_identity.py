"""Which file is a unit's current version: the content dvk received last (by the time it first saw it).

The reviews' repro `revert-by-mtime.sh` and `wrong-year-silent.sh`, and the reliability review's "two files
for one unit" and "a file whose unit code was changed to another unit's", as tests.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from sync.cli import main
from sync.ledger import Ledger
from sync.service import run_sync
from sync.sources import FileSeen, from_folder
from tests.sync.sync_support import LAYOUT, RUBRIC, facts_for, filled, settings, write_config
from workbook.preflight import sha256_of

CODES = ["VP-UBND", "P-KT", "HND"]
T0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def commune(tmp_path: Path) -> Path:
    return write_config(tmp_path, CODES)


def _touch(path: Path, moment: dt.datetime) -> None:
    os.utime(path, (moment.timestamp(), moment.timestamp()))


def _unit(report: object, code: str) -> object:
    return next(u for u in report.units if u.code == code)  # type: ignore[attr-defined]


def test_touching_an_older_file_does_not_make_it_current_again(commune: Path) -> None:
    root, s = commune.parent, settings(commune)
    old = filled(root, "HND.xlsx", facts_for("HND", **{"K1.result": 34}), mtime=T0)
    first = _unit(run_sync(s, now=T0), "HND")
    filled(root, "HND-gui-lai.xlsx", facts_for("HND", **{"K1.result": 38}), mtime=T0 + dt.timedelta(days=1))
    second = _unit(run_sync(s, now=T0 + dt.timedelta(days=1)), "HND")
    assert second.status == "ok" and second.total > first.total  # type: ignore[attr-defined]
    # the old attachment is opened and saved again (or downloaded again): newest mtime of all
    _touch(old, T0 + dt.timedelta(days=2))
    third = _unit(run_sync(s, now=T0 + dt.timedelta(days=2)), "HND")
    assert third.total == second.total  # type: ignore[attr-defined]
    assert third.status == "unchanged"  # type: ignore[attr-defined]
    notices = " ".join(third.notices)  # type: ignore[attr-defined]
    assert "“HND.xlsx” là bản cũ" in notices and "phiên bản 1" in notices
    with Ledger.open(s.ledger_path) as ledger:
        latest = ledger.latest("HND", 2026)
        assert latest is not None and latest.revision != ""
        assert len(ledger.history(2026, "HND")) == 2
        assert ledger.last_statuses(2026)["HND"].notices == tuple(third.notices)  # type: ignore[attr-defined]
    # the same copy saved under another name (a second download) is also an older copy
    shutil.copy(old, root / "nop-bai" / "HND (1).xlsx")
    fourth = _unit(run_sync(s), "HND")
    assert fourth.total == second.total and "“HND (1).xlsx” là bản cũ" in " ".join(fourth.notices)  # type: ignore[attr-defined]


def test_two_new_files_in_one_pass_say_both_and_which_counts(commune: Path) -> None:
    root, s = commune.parent, settings(commune)
    filled(root, "P-KT.xlsx", facts_for("P-KT", **{"K1.result": 30}), mtime=T0)
    filled(root, "P-KT-sua.xlsx", facts_for("P-KT", **{"K1.result": 40}), mtime=T0 + dt.timedelta(hours=2))
    unit = _unit(run_sync(s), "P-KT")
    (notice,) = [n for n in unit.notices if "2 tệp" in n]  # type: ignore[attr-defined]
    assert "“P-KT.xlsx”" in notice and "“P-KT-sua.xlsx”" in notice and "Tính tệp “P-KT-sua.xlsx”" in notice
    assert unit.revision == sha256_of(root / "nop-bai" / "P-KT-sua.xlsx")  # type: ignore[attr-defined]


def test_received_time_is_when_dvk_first_saw_the_content_not_the_mtime(commune: Path) -> None:
    root, s = commune.parent, settings(commune)
    # saved long before the deadline, but it reaches dvk only after it (batch-saved attachments the other way
    # round would all be late): the time dvk first saw it counts
    filled(root, "VP-UBND.xlsx", facts_for("VP-UBND"), mtime=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    seen = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
    run_sync(s, now=seen)
    later = seen + dt.timedelta(days=5)
    _touch(root / "nop-bai" / "VP-UBND.xlsx", later)
    run_sync(s, now=later)
    with Ledger.open(s.ledger_path) as ledger:
        latest = ledger.latest("VP-UBND", 2026)
        assert latest is not None and latest.fetched_at == seen


def test_a_file_naming_another_unit_is_held_not_taken_as_its_version(commune: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, s = commune.parent, settings(commune)
    filled(root, "VP-UBND.xlsx", facts_for("VP-UBND"))
    run_sync(s)
    # P-KT's file with its code cell edited to VP-UBND (name and file name still say Phòng Kinh tế / P-KT)
    filled(root, "P-KT.xlsx", facts_for("P-KT", **{"info.unit_code": "VP-UBND", "K1.result": 10}))
    report = run_sync(s)
    assert _unit(report, "VP-UBND").total == 100.0  # type: ignore[attr-defined]
    (held,) = [o for o in report.other_files if o.name == "P-KT.xlsx"]
    assert held.status == "error" and "Phiếu ghi mã VP-UBND nhưng" in held.message
    assert any("P-KT.xlsx" in n for n in _unit(report, "VP-UBND").notices)  # type: ignore[attr-defined]
    assert report.failed
    with Ledger.open(s.ledger_path) as ledger:
        assert len(ledger.history(2026, "VP-UBND")) == 1
    # the unit name alone also tells: a file named otherwise, with P-KT's name and VP-UBND's code
    (root / "nop-bai" / "P-KT.xlsx").unlink()
    filled(root, "bao-cao.xlsx", facts_for("P-KT", **{"info.unit_code": "VP-UBND", "K1.result": 10}))
    assert main(["sync", "--config", str(commune)]) == 1
    out = capsys.readouterr().out
    assert "tên đơn vị là “Phòng Kinh tế”" in " ".join(out.split())


def test_a_file_for_another_year_is_a_notice_on_the_units_row(commune: Path) -> None:
    root, s = commune.parent, settings(commune)
    filled(root, "HND.xlsx", facts_for("HND", **{"info.year": 2027}))
    report = run_sync(s)
    unit = _unit(report, "HND")
    assert unit.status == "missing"  # type: ignore[attr-defined]
    assert any("phiếu ghi năm 2027, đợt đánh giá là 2026" in n for n in unit.notices)  # type: ignore[attr-defined]
    again = _unit(run_sync(s), "HND")  # the notice stays while the file is there
    assert any("phiếu ghi năm 2027" in n for n in again.notices)  # type: ignore[attr-defined]


def test_files_of_unknown_units_or_invalid_years_make_the_pass_exit_1(commune: Path) -> None:
    root = commune.parent
    filled(root, "VP-UBND.xlsx", facts_for("VP-UBND"))
    filled(root, "P-KT.xlsx", facts_for("P-KT"))
    filled(root, "HND.xlsx", facts_for("HND"))
    assert main(["sync", "--config", str(commune)]) == 0
    filled(root, "LA.xlsx", facts_for("HND", **{"info.unit_code": "KHONGCO", "info.unit_name": "Không có"}))
    assert main(["sync", "--config", str(commune)]) == 1
    (root / "nop-bai" / "LA.xlsx").unlink()
    filled(root, "HND-2031.xlsx", facts_for("HND", **{"info.year": 2031}))
    assert main(["sync", "--config", str(commune)]) == 1


def test_a_known_file_is_not_parsed_again(tmp_path: Path) -> None:
    folder = tmp_path / "nop-bai"
    folder.mkdir()
    (folder / "HND.xlsx").write_bytes(b"not a workbook at all")
    calls: list[tuple[int, int, str]] = []

    def known(path: Path, size: int, mtime_ns: int, sha256: str) -> FileSeen:
        calls.append((size, mtime_ns, sha256))
        return FileSeen("HND", 2026)

    (item,) = from_folder(folder, LAYOUT, RUBRIC, {}, default_year=2026, known_file=known)
    assert item.unchanged and item.error is None and item.unit_code == "HND"
    assert calls and calls[0][0] == len(b"not a workbook at all")


def test_the_second_pass_skips_files_it_knows(commune: Path) -> None:
    root, s = commune.parent, settings(commune)
    path = filled(root, "HND.xlsx", facts_for("HND"))
    run_sync(s)
    with Ledger.open(s.ledger_path) as ledger:
        state = ledger.file_state(str(path))
    stat = path.stat()
    assert state is not None and (state.size, state.mtime_ns, state.unit_code) == (stat.st_size, stat.st_mtime_ns, "HND")
    assert _unit(run_sync(s), "HND").status == "unchanged"  # type: ignore[attr-defined]
