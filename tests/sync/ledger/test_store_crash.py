"""Crash safety: a writer killed with SIGKILL at random moments leaves a consistent ledger; a rerun completes it."""

from __future__ import annotations

import hashlib
import importlib.util
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from sync.ledger import Ledger, canonical_json

CHILD = Path(__file__).with_name("ledger_crash_child.py")
UNITS = 800
YEAR = 2026


def _child_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ledger_crash_child", CHILD)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _start(db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(CHILD), str(db), str(UNITS)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _committed(output: str) -> dict[str, tuple[int, str]]:
    out = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "committed":
            out[parts[1]] = (int(parts[2]), parts[3])
    return out


def _check(db: Path, child: ModuleType, committed: dict[str, tuple[int, str]]) -> int:
    """The ledger is consistent; every commit the child reported is there, intact. Returns the version count."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        dupes = conn.execute(
            "SELECT unit_code, year, COUNT(*) FROM versions GROUP BY unit_code, year HAVING COUNT(*) > 1"
        ).fetchall()
        assert dupes == []
        rows = conn.execute("SELECT id, unit_code, content_hash, raw FROM versions").fetchall()
    finally:
        conn.close()
    codes = {child.unit_code(i): i for i in range(UNITS)}
    for version_id, code, digest, raw in rows:
        expected = canonical_json(child.payload(codes[code]))
        assert raw == expected
        assert digest == hashlib.sha256(expected.encode()).hexdigest()
        if code in committed:
            assert committed[code] == (version_id, digest)
    assert set(committed) <= {r[1] for r in rows}
    with Ledger.open(db) as ledger:  # readable through the API, appraisals too
        latest = ledger.latest_all(YEAR)
        assert {k: (v.id, v.content_hash) for k, v in latest.items() if k in committed} == committed
        appraisals = ledger.appraisals(YEAR)
        assert all(appraisals[code].note == f"Ghi chú {codes[code]}" for code in committed)
    return len(rows)


@pytest.mark.slow
def test_sigkill_at_random_moments_then_rerun_completes(tmp_path: Path) -> None:
    child = _child_module()
    db = tmp_path / "dvk-ledger.sqlite"
    rng = random.Random()
    committed: dict[str, tuple[int, str]] = {}
    killed_mid_run = 0
    for _ in range(5):
        proc = _start(db)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
        time.sleep(rng.uniform(0.01, 0.4))
        proc.kill()  # SIGKILL: no cleanup, no rollback by the child
        output, _ = proc.communicate(timeout=30)
        killed_mid_run += "done" not in output
        new = _committed(output)
        for code, value in new.items():  # a unit committed earlier keeps its version
            assert committed.setdefault(code, value) == value
        _check(db, child, committed)
    assert killed_mid_run >= 3  # the kills really landed in the middle of the writing
    proc = _start(db)
    output, errors = proc.communicate(timeout=900)
    assert proc.returncode == 0, errors
    assert output.rstrip().endswith("done")
    for code, value in _committed(output).items():
        assert committed.setdefault(code, value) == value
    assert _check(db, child, committed) == UNITS
    assert len(committed) == UNITS
