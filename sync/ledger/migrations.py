"""The ledger's schema as ordered migrations. Version N runs once, in one transaction, recorded in schema_version.

Add a migration by appending ``Migration(N + 1, ...)``; never edit one that has shipped. A ledger written by a
newer dvk (a version above ``LATEST``) is refused rather than guessed at.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from schemas.errors import LedgerError

__all__ = ["LATEST", "MIGRATIONS", "Migration", "migrate", "schema_version"]


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "sync runs, fetched versions, unit statuses, source state",
        (
            """CREATE TABLE runs (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                started_at  TEXT NOT NULL,
                finished_at TEXT,
                status      TEXT NOT NULL DEFAULT 'running'
                            CHECK (status IN ('running', 'ok', 'partial', 'failed', 'interrupted')),
                counts      TEXT NOT NULL DEFAULT '{}',
                error       TEXT
            )""",
            """CREATE TABLE versions (
                id            INTEGER PRIMARY KEY AUTOINCREMENT,
                unit_code     TEXT NOT NULL,
                year          INTEGER NOT NULL,
                source        TEXT NOT NULL CHECK (source IN ('folder', 'google')),
                revision      TEXT NOT NULL,
                content_hash  TEXT NOT NULL CHECK (length(content_hash) = 64),
                fetched_at    TEXT NOT NULL,
                raw           TEXT NOT NULL,
                submission    TEXT,
                issues        TEXT NOT NULL DEFAULT '[]',
                score         TEXT,
                run_id        INTEGER REFERENCES runs (id),
                current_seq   INTEGER NOT NULL,
                UNIQUE (unit_code, year, content_hash)
            )""",
            "CREATE INDEX versions_current ON versions (year, unit_code, current_seq)",
            "CREATE INDEX versions_seq ON versions (current_seq)",
            """CREATE TABLE unit_status (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id      INTEGER NOT NULL REFERENCES runs (id),
                unit_code   TEXT NOT NULL,
                year        INTEGER NOT NULL,
                status      TEXT NOT NULL CHECK (status IN ('ok', 'unchanged', 'invalid', 'error', 'missing')),
                source      TEXT CHECK (source IS NULL OR source IN ('folder', 'google')),
                revision    TEXT,
                message     TEXT NOT NULL DEFAULT '',
                recorded_at TEXT NOT NULL
            )""",
            "CREATE INDEX unit_status_latest ON unit_status (year, unit_code, id)",
            """CREATE TABLE source_state (
                unit_code  TEXT NOT NULL,
                year       INTEGER NOT NULL,
                source     TEXT NOT NULL CHECK (source IN ('folder', 'google')),
                revision   TEXT NOT NULL,
                checked_at TEXT NOT NULL,
                PRIMARY KEY (unit_code, year, source)
            )""",
        ),
    ),
    Migration(
        2,
        "staff appraisal and council notes read back from the master (append-only history)",
        (
            """CREATE TABLE appraisals (
                id         INTEGER PRIMARY KEY AUTOINCREMENT,
                unit_code  TEXT NOT NULL,
                year       INTEGER NOT NULL,
                criterion  TEXT NOT NULL,
                value      TEXT,
                seen_at    TEXT NOT NULL,
                version_id INTEGER REFERENCES versions (id)
            )""",
            "CREATE INDEX appraisals_current ON appraisals (year, unit_code, criterion, id)",
            """CREATE TABLE notes (
                id         INTEGER PRIMARY KEY AUTOINCREMENT,
                unit_code  TEXT NOT NULL,
                year       INTEGER NOT NULL,
                text       TEXT NOT NULL,
                seen_at    TEXT NOT NULL,
                version_id INTEGER REFERENCES versions (id)
            )""",
            "CREATE INDEX notes_current ON notes (year, unit_code, id)",
        ),
    ),
    Migration(
        3,
        "notices per unit status; files of the intake folder already read (skip re-parsing)",
        (
            "ALTER TABLE unit_status ADD COLUMN notices TEXT NOT NULL DEFAULT '[]'",
            """CREATE TABLE file_state (
                path         TEXT PRIMARY KEY,
                size         INTEGER NOT NULL,
                mtime_ns     INTEGER NOT NULL,
                sha256       TEXT NOT NULL,
                layout_key   TEXT NOT NULL,
                unit_code    TEXT NOT NULL,
                year         INTEGER NOT NULL,
                content_hash TEXT NOT NULL,
                seen_at      TEXT NOT NULL
            )""",
        ),
    ),
)

_SHEETS_AND_WRITE_BACKS: tuple[str, ...] = (
    """CREATE TABLE google_sheets (
        unit_code      TEXT NOT NULL,
        year           INTEGER NOT NULL,
        spreadsheet_id TEXT NOT NULL,
        url            TEXT NOT NULL,
        owner          TEXT,
        folder_id      TEXT,
        tabs           TEXT NOT NULL DEFAULT '{}',
        shared         TEXT NOT NULL DEFAULT '{}',
        created_at     TEXT NOT NULL,
        locked_at      TEXT,
        lock_version   INTEGER,
        PRIMARY KEY (unit_code, year)
    )""",
    "CREATE UNIQUE INDEX google_sheets_id ON google_sheets (spreadsheet_id)",
    """CREATE TABLE write_backs (
        spreadsheet_id TEXT PRIMARY KEY,
        result_hash    TEXT NOT NULL,
        rows           INTEGER NOT NULL DEFAULT 0,
        highlighted    TEXT NOT NULL DEFAULT '[]',
        tabs           TEXT NOT NULL DEFAULT '{}',
        written_at     TEXT NOT NULL
    )""",
)

_HELD_FILES: tuple[str, ...] = (
    # A file of the intake folder held for staff because its unit code and unit name (or file name) disagree:
    # when dvk first saw its content (the receipt time it keeps once released), whether it is still in the
    # folder, and to which unit it was released — by staff (`dvk intake release`) or by the unit resending the
    # same content with the code fixed ("resent").
    """CREATE TABLE held_files (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        year          INTEGER NOT NULL,
        content_hash  TEXT NOT NULL CHECK (length(content_hash) = 64),
        body_hash     TEXT NOT NULL,
        path          TEXT NOT NULL,
        sha256        TEXT NOT NULL,
        claimed_code  TEXT,
        named_code    TEXT,
        reason        TEXT NOT NULL DEFAULT '',
        first_seen_at TEXT NOT NULL,
        last_seen_at  TEXT NOT NULL,
        present       INTEGER NOT NULL DEFAULT 1 CHECK (present IN (0, 1)),
        released_to   TEXT,
        released_at   TEXT,
        released_how  TEXT CHECK (released_how IS NULL OR released_how IN ('staff', 'resent')),
        version_id    INTEGER REFERENCES versions (id),
        UNIQUE (year, content_hash)
    )""",
    "CREATE INDEX held_files_body ON held_files (year, body_hash)",
)

#: What dvk pre-filled in each provisioned sheet (an untouched sheet is no submission) and when its drop-downs
#: and protection were set through the Sheets API.
_SHEET_PREFILL: tuple[str, ...] = (
    "ALTER TABLE google_sheets ADD COLUMN prefill TEXT NOT NULL DEFAULT '{}'",
    "ALTER TABLE google_sheets ADD COLUMN protected_at TEXT",
)

# Unit codes are identities in one canonical form (schemas.text.canonical_code: upper case, trimmed; codes are
# ASCII, so SQLite's upper() is that form). A row whose canonical key already exists keeps its old spelling
# (UPDATE OR IGNORE): nothing is deleted, and such a row is simply not reached any more.
_CODE_TABLES = ("versions", "unit_status", "source_state", "appraisals", "notes", "file_state", "google_sheets",
                "register_entries", "register_rows")
_MASTER_WRITES: tuple[str, ...] = (
    """CREATE TABLE staff_cells (
        hash  TEXT PRIMARY KEY,
        cells TEXT NOT NULL
    )""",
    """CREATE TABLE master_writes (
        write_id   TEXT PRIMARY KEY,
        year       INTEGER NOT NULL,
        path       TEXT NOT NULL,
        cells_hash TEXT NOT NULL REFERENCES staff_cells (hash),
        written_at TEXT NOT NULL
    )""",
    *(f"UPDATE OR IGNORE {table} SET unit_code = upper(trim(unit_code)) WHERE unit_code <> upper(trim(unit_code))"
      for table in _CODE_TABLES),
    *(f"UPDATE held_files SET {column} = upper(trim({column})) WHERE {column} <> upper(trim({column}))"
      for column in ("claimed_code", "named_code", "released_to")),
)


#: The commune register of models and exemplars (``sync.ledger.register``): each entry's code, assigned once and
#: kept; the links staff made between two names of one model; the rows of the units' sheets per year, rebuilt
#: from the current versions on every pass (``refresh_register``).
_REGISTER: tuple[str, ...] = (
    """CREATE TABLE register_entries (
        code       TEXT PRIMARY KEY,
        kind       TEXT NOT NULL CHECK (kind IN ('models', 'exemplars')),
        unit_code  TEXT NOT NULL,
        name_key   TEXT NOT NULL,
        first_year INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (kind, unit_code, name_key)
    )""",
    """CREATE TABLE register_links (
        code      TEXT PRIMARY KEY REFERENCES register_entries (code),
        into_code TEXT NOT NULL REFERENCES register_entries (code),
        linked_at TEXT NOT NULL,
        CHECK (code <> into_code)
    )""",
    """CREATE TABLE register_rows (
        year       INTEGER NOT NULL,
        kind       TEXT NOT NULL CHECK (kind IN ('models', 'exemplars')),
        unit_code  TEXT NOT NULL,
        position   INTEGER NOT NULL,
        name_key   TEXT NOT NULL,
        version_id INTEGER REFERENCES versions (id),
        entry      TEXT NOT NULL,
        PRIMARY KEY (year, kind, unit_code, position)
    )""",
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration(4, "Google Sheets provisioned per unit and year, their shares and lock; what dvk wrote back",
              _SHEETS_AND_WRITE_BACKS),
    Migration(5, "files held for staff (unit code and name disagree): first seen, still present, released to",
              _HELD_FILES),
    Migration(6, "the commune register of models and exemplars: codes, links between names, rows per year",
              _REGISTER),
    Migration(7, "what dvk pre-filled in each provisioned sheet (an untouched sheet is no submission); when its "
              "drop-downs and protection were set through the Sheets API", _SHEET_PREFILL),
    Migration(8, "what dvk wrote into the staff cells of each master it wrote (by write id); unit codes upper case",
              _MASTER_WRITES),
)
# Applied in this order, each once: versions must be 1, 2, 3 … without a gap or a repeat (a migration merged out
# of order would be skipped silently by a ledger that already has a higher version).
if [m.version for m in MIGRATIONS] != list(range(1, len(MIGRATIONS) + 1)):  # pragma: no cover - a coding error
    raise RuntimeError(f"ledger migrations out of order: {[m.version for m in MIGRATIONS]}")

LATEST = MIGRATIONS[-1].version

_VERSION_TABLE = """CREATE TABLE IF NOT EXISTS schema_version (
    version     INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at  TEXT NOT NULL
)"""


def schema_version(conn: sqlite3.Connection) -> int:
    """The schema version of a ledger connection: 0 for an empty database."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()
    return int(row[0])


def migrate(conn: sqlite3.Connection, path: Path, *, target: int = LATEST) -> int:
    """Bring the schema to ``target`` in one transaction; returns the version reached.

    ``conn`` must be in autocommit mode (``isolation_level=None``): the transaction is explicit here.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = schema_version(conn)
        if current > LATEST:
            raise LedgerError(
                f"Sổ lưu trữ {path} được tạo bởi phiên bản dvk mới hơn (lược đồ {current}, phiên bản này chỉ hiểu "
                f"đến {LATEST}). Hãy cập nhật dvk; không sửa hay xóa tệp này bằng tay.",
                path=str(path),
            )
        conn.execute(_VERSION_TABLE)
        now = dt.datetime.now(dt.UTC).isoformat()
        for migration in MIGRATIONS:
            if current < migration.version <= target:
                for statement in migration.statements:
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.description, now),
                )
                current = migration.version
        conn.execute("COMMIT")
    except BaseException:
        # a Ctrl-C right after COMMIT leaves no transaction to roll back: that is no damaged ledger
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise
    return current
