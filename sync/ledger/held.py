"""Files held for staff: a sheet whose unit code and unit name (or file name) disagree (schema version 5).

    held_files  (year, content) → where it was seen, when dvk first saw it, still in the folder, released to

A held file is never recorded as a version by itself: it waits for staff (``dvk intake release FILE --unit
CODE``) or for the unit to resend the same content with the code fixed. Either way it counts for the unit with
the time dvk *first* received it (``first_seen_at``), so fixing the code never makes an on-time unit late.
Functions take an open :class:`~sync.ledger.Ledger`; the table is created by migration 5.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store import Ledger

__all__ = [
    "HeldFile",
    "credit_resent",
    "held_files",
    "mark_absent",
    "release_held",
    "released_unit",
    "see_held",
]


def _iso(moment: dt.datetime | None) -> str:
    return (moment or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat()


def _time(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


@dataclass(frozen=True)
class HeldFile:
    """A file held for staff, as the ledger knows it."""

    id: int
    year: int
    content_hash: str  # the sheet's content as read (``sources.grid_as_raw``), as ``versions.content_hash``
    body_hash: str  # the content without the unit code and unit name cells
    path: str  # where it was last seen
    sha256: str
    claimed_code: str | None  # the unit code typed in the sheet
    named_code: str | None  # the unit its name (or file name) points to
    reason: str  # the Vietnamese message that held it
    first_seen_at: dt.datetime
    last_seen_at: dt.datetime
    present: bool  # seen in the last complete pass over the intake folder
    released_to: str | None = None
    released_at: dt.datetime | None = None
    released_how: str | None = None  # "staff" | "resent"
    version_id: int | None = None

    @property
    def waiting(self) -> bool:
        """Still in the folder and nobody said whose it is: the units it names wait for staff."""
        return self.present and self.released_to is None

    @property
    def units(self) -> tuple[str, ...]:
        """The units the file may belong to: the one its name points to first, then the code typed in it."""
        return tuple(dict.fromkeys(c for c in (self.named_code, self.claimed_code) if c))

    @property
    def name(self) -> str:
        return self.path.replace("\\", "/").rsplit("/", 1)[-1]


def _held(row: Any) -> HeldFile:
    first = _time(row["first_seen_at"])
    last = _time(row["last_seen_at"])
    assert first is not None and last is not None
    return HeldFile(
        id=int(row["id"]), year=int(row["year"]), content_hash=row["content_hash"], body_hash=row["body_hash"],
        path=row["path"], sha256=row["sha256"], claimed_code=row["claimed_code"], named_code=row["named_code"],
        reason=row["reason"], first_seen_at=first, last_seen_at=last, present=bool(row["present"]),
        released_to=row["released_to"], released_at=_time(row["released_at"]), released_how=row["released_how"],
        version_id=row["version_id"],
    )


def see_held(
    ledger: Ledger, *, year: int, content_hash: str, body_hash: str, path: str, sha256: str, claimed_code: str | None,
    named_code: str | None, reason: str, seen_at: dt.datetime | None = None,
) -> HeldFile:
    """Record that a held file was seen now; the first time keeps ``first_seen_at`` (dvk's receipt time)."""
    seen = _iso(seen_at)
    with ledger._write() as conn:
        conn.execute(
            "INSERT INTO held_files (year, content_hash, body_hash, path, sha256, claimed_code, named_code, reason,"
            " first_seen_at, last_seen_at, present) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"
            " ON CONFLICT (year, content_hash) DO UPDATE SET path = excluded.path, sha256 = excluded.sha256,"
            " claimed_code = excluded.claimed_code, named_code = excluded.named_code, reason = excluded.reason,"
            " last_seen_at = excluded.last_seen_at, present = 1",
            (year, content_hash, body_hash, path, sha256, claimed_code, named_code, reason, seen, seen),
        )
        row = conn.execute("SELECT * FROM held_files WHERE year = ? AND content_hash = ?", (year, content_hash)).fetchone()
    return _held(row)


def held_files(ledger: Ledger, year: int | None = None) -> list[HeldFile]:
    """Every held file (of ``year``, or all), in the order dvk first saw them."""
    if year is None:
        rows = ledger._read("SELECT * FROM held_files ORDER BY first_seen_at, id")
    else:
        rows = ledger._read("SELECT * FROM held_files WHERE year = ? ORDER BY first_seen_at, id", (year,))
    return [_held(r) for r in rows]


def mark_absent(ledger: Ledger, year: int, seen: set[int]) -> int:
    """After a complete pass over the folder: held files of ``year`` not seen in it are no longer waiting."""
    with ledger._write() as conn:
        rows = conn.execute("SELECT id FROM held_files WHERE year = ? AND present = 1", (year,)).fetchall()
        gone = [int(r["id"]) for r in rows if int(r["id"]) not in seen]
        conn.executemany("UPDATE held_files SET present = 0 WHERE id = ?", [(i,) for i in gone])
    return len(gone)


def release_held(ledger: Ledger, held_id: int, unit_code: str, *, how: str, version_id: int | None,
                 at: dt.datetime | None = None) -> None:
    """Record whose the held file is (``how``: "staff" or "resent") and the version it became or matched."""
    with ledger._write() as conn:
        conn.execute(
            "UPDATE held_files SET released_to = ?, released_at = ?, released_how = ?, version_id = ? WHERE id = ?",
            (unit_code, _iso(at), how, version_id, held_id),
        )


def credit_resent(ledger: Ledger, *, year: int, unit_code: str, body_hash: str, version_id: int,
                  at: dt.datetime | None = None) -> list[HeldFile]:
    """A unit sent, under its own code, the content of a file held for it (the code fixed, nothing else
    changed): the held file is released to the unit, which keeps the time dvk first received it."""
    matched = [
        h for h in held_files(ledger, year)
        if h.released_to is None and h.body_hash == body_hash and unit_code in h.units
    ]
    for h in matched:
        release_held(ledger, h.id, unit_code, how="resent", version_id=version_id, at=at)
    return matched


def released_unit(ledger: Ledger, content_hash: str) -> tuple[str, int] | None:
    """(unit, year) a held content was released to, when it was; the folder then reads the file as that unit's."""
    rows = ledger._read(
        "SELECT released_to, year FROM held_files WHERE content_hash = ? AND released_to IS NOT NULL ORDER BY id DESC",
        (content_hash,),
    )
    return (str(rows[0]["released_to"]), int(rows[0]["year"])) if rows else None
