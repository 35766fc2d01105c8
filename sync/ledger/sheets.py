"""The ledger's record of the Google Sheets dvk provisioned, wrote back to and locked (schema version 4, 7).

    google_sheets  (unit_code, year) → spreadsheet id, URL, owner, folder, tab ids, shares, lock state,
                   what dvk pre-filled (migration 7), when its drop-downs and protection were set (migration 7)
    write_backs    spreadsheet id → what dvk last wrote there (a hash of it, rows, highlighted cells)

The tables are created by migrations 4 and 7 (``sync.ledger.migrations``). Functions take an open
:class:`~sync.ledger.Ledger`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store import Ledger

__all__ = [
    "SheetRecord",
    "WriteBackState",
    "get_write_back",
    "record_sheet",
    "save_write_back",
    "set_lock",
    "sheets_for",
]

@dataclass(frozen=True)
class SheetRecord:
    unit_code: str
    year: int
    spreadsheet_id: str
    url: str
    owner: str | None
    folder_id: str | None
    tabs: dict[str, int] = field(default_factory=dict)  # tab title → sheetId
    shared: dict[str, str] = field(default_factory=dict)  # e-mail → role granted by dvk
    created_at: str = ""
    locked_at: str | None = None
    lock_version: int | None = None
    prefill: dict[str, Any] = field(default_factory=dict)  # input name → the value dvk wrote (the template's)
    protected_at: str | None = None  # drop-downs and protection set through the Sheets API

    @property
    def locked(self) -> bool:
        return self.locked_at is not None

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.unit_code, "year": self.year, "spreadsheet_id": self.spreadsheet_id, "url": self.url,
            "owner": self.owner, "folder_id": self.folder_id, "shared": dict(self.shared),
            "locked_at": self.locked_at, "lock_version": self.lock_version,
        }


@dataclass(frozen=True)
class WriteBackState:
    spreadsheet_id: str
    result_hash: str
    rows: int
    highlighted: tuple[tuple[str, str], ...]  # (tab, A1) dvk coloured
    tabs: dict[str, int]
    written_at: str


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def _sheet(row: Any) -> SheetRecord:
    return SheetRecord(
        unit_code=row["unit_code"], year=int(row["year"]), spreadsheet_id=row["spreadsheet_id"], url=row["url"],
        owner=row["owner"], folder_id=row["folder_id"], tabs=json.loads(row["tabs"]), shared=json.loads(row["shared"]),
        created_at=row["created_at"], locked_at=row["locked_at"], lock_version=row["lock_version"],
        prefill=json.loads(row["prefill"] or "{}"), protected_at=row["protected_at"],
    )


def sheets_for(ledger: Ledger, year: int) -> dict[str, SheetRecord]:
    """Every recorded sheet of ``year`` by unit code."""
    rows = ledger._read("SELECT * FROM google_sheets WHERE year = ? ORDER BY unit_code", (year,))
    return {row["unit_code"]: _sheet(row) for row in rows}


def record_sheet(
    ledger: Ledger, *, unit_code: str, year: int, spreadsheet_id: str, url: str, owner: str | None,
    folder_id: str | None, tabs: Mapping[str, int] | None = None, shared: Mapping[str, str] | None = None,
    prefill: Mapping[str, Any] | None = None, protected: bool | None = None,
) -> SheetRecord:
    """Insert or update a unit's sheet for the year. Shares merge with those recorded for the same sheet; a
    new spreadsheet id (a sheet made again) starts afresh: no shares, tabs or protection carried over.
    ``protected``: True records that its drop-downs and protection were set now, False that they were not."""
    with ledger._write() as conn:
        old = conn.execute("SELECT * FROM google_sheets WHERE unit_code = ? AND year = ?",
                           (unit_code, year)).fetchone()
        same = old is not None and old["spreadsheet_id"] == spreadsheet_id
        merged = {**(json.loads(old["shared"]) if same else {}), **dict(shared or {})}
        tab_ids = dict(tabs or {}) or (json.loads(old["tabs"]) if same else {})
        filled = dict(prefill) if prefill is not None else (json.loads(old["prefill"] or "{}") if same else {})
        stamp = (_now() if protected else None) if protected is not None else (old["protected_at"] if same else None)
        conn.execute(
            "INSERT INTO google_sheets (unit_code, year, spreadsheet_id, url, owner, folder_id, tabs, shared,"
            " created_at, prefill, protected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (unit_code, year) DO UPDATE SET"
            " spreadsheet_id = excluded.spreadsheet_id, url = excluded.url, owner = excluded.owner,"
            " folder_id = excluded.folder_id, tabs = excluded.tabs, shared = excluded.shared,"
            " prefill = excluded.prefill, protected_at = excluded.protected_at",
            (unit_code, year, spreadsheet_id, url, owner, folder_id, json.dumps(tab_ids, ensure_ascii=False),
             json.dumps(merged, ensure_ascii=False), _now(), json.dumps(filled, ensure_ascii=False, default=str), stamp),
        )
        row = conn.execute("SELECT * FROM google_sheets WHERE unit_code = ? AND year = ?", (unit_code, year)).fetchone()
    return _sheet(row)


def set_lock(ledger: Ledger, unit_code: str, year: int, *, version_id: int | None, locked: bool,
             shared: Mapping[str, str]) -> None:
    """Record a lock (the version evaluated, the roles after it) or an unlock."""
    with ledger._write() as conn:
        conn.execute(
            "UPDATE google_sheets SET locked_at = ?, lock_version = ?, shared = ? WHERE unit_code = ? AND year = ?",
            (_now() if locked else None, version_id if locked else None, json.dumps(dict(shared), ensure_ascii=False),
             unit_code, year),
        )


def get_write_back(ledger: Ledger, spreadsheet_id: str) -> WriteBackState | None:
    rows = ledger._read("SELECT * FROM write_backs WHERE spreadsheet_id = ?", (spreadsheet_id,))
    if not rows:
        return None
    row = rows[0]
    return WriteBackState(
        spreadsheet_id=row["spreadsheet_id"], result_hash=row["result_hash"], rows=int(row["rows"]),
        highlighted=tuple((str(a), str(b)) for a, b in json.loads(row["highlighted"])), tabs=json.loads(row["tabs"]),
        written_at=row["written_at"],
    )


def save_write_back(ledger: Ledger, spreadsheet_id: str, *, result_hash: str, rows: int,
                    highlighted: Sequence[tuple[str, str]], tabs: Mapping[str, int]) -> None:
    with ledger._write() as conn:
        conn.execute(
            "INSERT INTO write_backs (spreadsheet_id, result_hash, rows, highlighted, tabs, written_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (spreadsheet_id) DO UPDATE SET result_hash = excluded.result_hash,"
            " rows = excluded.rows, highlighted = excluded.highlighted, tabs = excluded.tabs,"
            " written_at = excluded.written_at",
            (spreadsheet_id, result_hash, rows, json.dumps([list(h) for h in highlighted], ensure_ascii=False),
             json.dumps(dict(tabs), ensure_ascii=False), _now()),
        )
