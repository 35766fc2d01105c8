"""Every migration runs, once, in order: a new ledger and an old one reach the same schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sync.ledger import Ledger
from sync.ledger.migrations import LATEST, MIGRATIONS, migrate, schema_version


def _tables(path: Path) -> dict[str, set[str]]:
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: {c[1] for c in con.execute(f"PRAGMA table_info({n})")} for n in names}
    finally:
        con.close()


def test_versions_are_one_to_latest_without_a_gap() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, LATEST + 1))


def test_a_new_ledger_has_every_migration_applied(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with Ledger.open(path):
        pass
    con = sqlite3.connect(path)
    try:
        applied = [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY version")]
        assert schema_version(con) == LATEST
    finally:
        con.close()
    assert applied == list(range(1, LATEST + 1))
    tables = _tables(path)
    # one table or column of each migration since 4
    assert {"google_sheets", "held_files", "register_entries", "staff_cells", "master_writes"} <= set(tables)
    assert {"prefill", "protected_at"} <= tables["google_sheets"]


def test_a_ledger_of_version_4_is_brought_to_the_same_schema(tmp_path: Path) -> None:
    old, new = tmp_path / "old.sqlite", tmp_path / "new.sqlite"
    con = sqlite3.connect(old, isolation_level=None)
    try:
        assert migrate(con, old, target=4) == 4
        con.execute("INSERT INTO google_sheets (unit_code, year, spreadsheet_id, url, created_at) "
                    "VALUES ('hnd', 2026, 's1', 'https://example/s1', '2026-12-01T00:00:00+00:00')")
    finally:
        con.close()
    with Ledger.open(old):
        pass
    with Ledger.open(new):
        pass
    assert _tables(old) == _tables(new)
    con = sqlite3.connect(old)
    try:
        assert con.execute("SELECT unit_code, prefill FROM google_sheets").fetchall() == [("HND", "{}")]
    finally:
        con.close()


def test_codes_of_held_files_are_brought_to_the_canonical_form(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path, isolation_level=None)
    try:
        assert migrate(con, path, target=7) == 7
        con.execute(
            "INSERT INTO held_files (year, content_hash, body_hash, path, sha256, claimed_code, named_code, "
            "first_seen_at, last_seen_at, released_to, released_at, released_how) "
            "VALUES (2026, ?, 'b', 'x.xlsx', 's', ' dongtam', 'khuongHa', 't', 't', 'khuongha ', 't', 'staff')",
            ("0" * 64,),
        )
    finally:
        con.close()
    with Ledger.open(path):
        pass
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT claimed_code, named_code, released_to FROM held_files").fetchall() == [
            ("DONGTAM", "KHUONGHA", "KHUONGHA")]
    finally:
        con.close()
