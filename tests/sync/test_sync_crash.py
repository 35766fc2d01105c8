"""Kill the sync mid-run (SIGKILL, a real subprocess) and run again: nothing duplicated, nothing lost.
And `dvk sync --watch`: one instance at a time, a graceful stop on SIGTERM, a log file."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from openpyxl import load_workbook

from sync.ledger import Ledger
from sync.service import run_sync
from tests.sync.sync_support import UNITS, facts_for, filled, settings, write_config

CODES = [u.code for u in UNITS][:20]


def _dvk(*args: str, stderr: int = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", "import sys; from sync.cli import main; sys.exit(main(sys.argv[1:]))", *args],
        stdout=subprocess.DEVNULL, stderr=stderr, env={**os.environ, "COLUMNS": "200"},
    )


def test_killed_sync_leaves_a_consistent_ledger_and_the_rerun_completes(tmp_path: Path) -> None:
    config = write_config(tmp_path, CODES)
    for code in CODES:
        filled(tmp_path, f"{code}.xlsx", facts_for(code, **{"K1.result": 50 + CODES.index(code)}))
    s = settings(config)
    rnd = random.Random(7)
    for _ in range(4):
        proc = _dvk("sync", "--config", str(config), "--format", "json")
        time.sleep(rnd.uniform(0.3, 2.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if s.ledger_path.exists():
            con = sqlite3.connect(s.ledger_path)
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            dupes = con.execute(
                "SELECT unit_code, COUNT(*) FROM versions GROUP BY unit_code, year, content_hash HAVING COUNT(*) > 1"
            ).fetchall()
            assert dupes == []
            con.close()
    report = run_sync(s)
    assert {u.status for u in report.units} <= {"ok", "unchanged"}
    with Ledger.open(s.ledger_path) as ledger:
        latest = ledger.latest_all(2026)
        assert set(latest) == set(CODES)
        assert all(len(ledger.history(2026, code)) == 1 for code in CODES)
        totals = {code: float(rec.score().total) for code, rec in latest.items()}  # type: ignore[union-attr]
    assert totals == {code: 100 - 8 + 8 * (50 + i) / 100 for i, code in enumerate(CODES)}
    assert load_workbook(report.master.path, read_only=True).sheetnames[0] == "Tổng hợp"  # type: ignore[union-attr]


def test_watch_runs_one_instance_and_stops_gracefully(tmp_path: Path) -> None:
    config = write_config(tmp_path, ["VP-UBND", "HND"])
    filled(tmp_path, "VP-UBND.xlsx", facts_for("VP-UBND"))
    s = settings(config)
    first = _dvk("sync", "--config", str(config), "--watch", "--interval", "5")
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not s.master_path().exists():
            time.sleep(0.1)
        assert s.master_path().exists(), "the service never wrote the master"
        second = _dvk("sync", "--config", str(config), "--watch", "--interval", "5", stderr=subprocess.PIPE)
        _, err = second.communicate(timeout=300)
        assert second.returncode == 2
        assert "Đang có một tiến trình dvk sync --watch khác chạy" in err.decode("utf-8")
    finally:
        first.send_signal(signal.SIGTERM)
        code = first.wait(timeout=300)
    assert code == 0
    log = s.log_path.read_text(encoding="utf-8")
    assert "bắt đầu dịch vụ đồng bộ" in log and "SIGTERM" in log and "dừng dịch vụ đồng bộ" in log
    with Ledger.open(s.ledger_path) as ledger:
        assert all(r.status != "running" for r in ledger.runs())
