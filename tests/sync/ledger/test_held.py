"""Held files in the ledger (migration 5): the first time dvk saw a held content, still in the folder, released."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from sync.ledger import LATEST, Ledger
from sync.ledger.held import credit_resent, held_files, mark_absent, release_held, released_unit, see_held
from sync.ledger.migrations import migrate

T0 = dt.datetime(2026, 12, 14, 8, 0, tzinfo=dt.UTC)


def _see(ledger: Ledger, when: dt.datetime, *, content: str = "a", path: str = "nop-bai/Khuon Ha.xlsx") -> int:
    held = see_held(ledger, year=2026, content_hash=content * 64, body_hash="body", path=path, sha256="f" * 64,
                    claimed_code="DONGTAM", named_code="KHUONGHA", reason="mã và tên không khớp", seen_at=when)
    return held.id


def test_a_held_file_keeps_its_first_receipt_and_is_released_once(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "l.sqlite") as ledger:
        first = _see(ledger, T0)
        again = _see(ledger, T0 + dt.timedelta(days=4), path="nop-bai/sub/Khuon Ha (1).xlsx")  # seen again, moved
        assert first == again
        (held,) = held_files(ledger, 2026)
        assert held.first_seen_at == T0 and held.last_seen_at == T0 + dt.timedelta(days=4)
        assert held.waiting and held.units == ("KHUONGHA", "DONGTAM") and held.name == "Khuon Ha (1).xlsx"
        assert released_unit(ledger, "a" * 64) is None
        # the unit sends the same content with the code fixed: released to it, by "resent"
        assert credit_resent(ledger, year=2026, unit_code="VP", body_hash="body", version_id=1) == []  # not its unit
        (credited,) = credit_resent(ledger, year=2026, unit_code="KHUONGHA", body_hash="body", version_id=None)  # type: ignore[arg-type]
        assert credited.id == first
        (held,) = held_files(ledger, 2026)
        assert (held.released_to, held.released_how, held.waiting) == ("KHUONGHA", "resent", False)
        assert released_unit(ledger, "a" * 64) == ("KHUONGHA", 2026)


def test_a_held_file_no_longer_in_the_folder_stops_waiting(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "l.sqlite") as ledger:
        kept, gone = _see(ledger, T0), _see(ledger, T0, content="b")
        assert mark_absent(ledger, 2026, {kept}) == 1
        state = {h.id: h for h in held_files(ledger, 2026)}
        assert state[kept].waiting and not state[gone].waiting and not state[gone].present
        release_held(ledger, kept, "KHUONGHA", how="staff", version_id=None)
        assert [h.waiting for h in held_files(ledger, 2026)] == [False, False]


def test_a_version_4_ledger_gains_the_held_files_table(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, path, target=4) == 4
    conn.close()
    with Ledger.open(path) as ledger:
        assert ledger.schema_version == LATEST >= 5
        _see(ledger, T0)
        assert len(held_files(ledger)) == 1
