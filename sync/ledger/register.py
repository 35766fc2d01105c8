"""The ledger's commune register of models and exemplars (schema version 6; ``schemas.register`` joins it).

    register_entries  (kind, unit, name key) → code ("MH-0001", "ĐH-0001"), assigned once and kept
    register_links    code → the code staff linked it into (a renamed model: two names, one entry)
    register_rows     the model and exemplar rows of every unit's current version, per year

``refresh_register(ledger, year)`` rebuilds a year's rows from the current versions (each sync pass and each
`dvk report`), giving a code to every new name; ``load_register`` reads the whole register back;
``link``/``unlink`` record what staff decided (`dvk models link`). Functions take an open
:class:`~sync.ledger.Ledger`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from schemas.errors import DvkError
from schemas.models import Exemplar, ModelEntry
from schemas.register import (
    DEFAULT_ISSUERS,
    EntryKind,
    ModelRegister,
    Sighting,
    assign_codes,
    build_register,
    sightings_of,
)

if TYPE_CHECKING:
    from .store import Ledger

__all__ = ["link", "load_register", "refresh_register", "register_years", "unlink"]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def _codes(conn: Any) -> dict[tuple[str, str, str], str]:
    return {(r["kind"], r["unit_code"], r["name_key"]): r["code"]
            for r in conn.execute("SELECT code, kind, unit_code, name_key FROM register_entries")}


def register_years(ledger: Ledger) -> set[int]:
    """The years the register holds rows for (a year with no model listed anywhere holds none)."""
    return {int(r[0]) for r in ledger._read("SELECT DISTINCT year FROM register_rows")}


def refresh_register(ledger: Ledger, year: int, *, units: Iterable[str] | None = None) -> int:
    """Rebuild the rows of ``year`` from every unit's current version (of ``units`` when given: the registered
    units; a version of a code no longer registered is left out). Returns the number of rows written."""
    wanted = set(units) if units is not None else None
    sightings: list[tuple[Sighting, int]] = []
    for code, record in sorted(ledger.latest_all(year).items()):
        if wanted is not None and code not in wanted:
            continue
        submission = record.submission()
        if submission is None:
            continue
        sightings += [(s, record.id) for s in sightings_of(code, year, submission)]
    with ledger._write() as conn:
        codes = assign_codes((s for s, _ in sightings), _codes(conn))
        known = _codes(conn)
        now = _now()
        for key, code in codes.items():
            if key not in known:
                first = min(s.year for s, _ in sightings if s.key == key)
                conn.execute(
                    "INSERT INTO register_entries (code, kind, unit_code, name_key, first_year, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (code, key[0], key[1], key[2], first, now),
                )
        conn.execute("DELETE FROM register_rows WHERE year = ?", (year,))
        for s, version_id in sightings:
            conn.execute(
                "INSERT INTO register_rows (year, kind, unit_code, position, name_key, version_id, entry)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (year, s.kind.value, s.unit_code, s.position, s.key[2], version_id, s.row.model_dump_json()),
            )
    return len(sightings)


def load_register(ledger: Ledger, *, issuers: Mapping[str, str] = DEFAULT_ISSUERS) -> ModelRegister:
    """The whole register (every year stored), its codes and staff's links applied."""
    sightings = []
    for r in ledger._read("SELECT year, kind, unit_code, position, entry FROM register_rows ORDER BY year, kind, unit_code, position"):
        kind = EntryKind(r["kind"])
        data = json.loads(r["entry"])
        row = ModelEntry.model_validate(data) if kind is EntryKind.MODEL else Exemplar.model_validate(data)
        sightings.append(Sighting(kind, r["unit_code"], int(r["year"]), row, int(r["position"])))
    codes = {(r["kind"], r["unit_code"], r["name_key"]): r["code"]
             for r in ledger._read("SELECT code, kind, unit_code, name_key FROM register_entries")}
    links = {r["code"]: r["into_code"] for r in ledger._read("SELECT code, into_code FROM register_links")}
    return build_register(sightings, codes=codes, links=links, issuers=issuers)


def _entry(conn: Any, code: str) -> Any:
    wanted = code.strip().upper().replace("DH-", "ĐH-")
    row = conn.execute("SELECT code, kind, unit_code FROM register_entries WHERE code = ?", (wanted,)).fetchone()
    if row is None:
        raise DvkError(f"Không có mô hình, điển hình mã “{code.strip()}” trong sổ (xem mã bằng lệnh dvk models).")
    return row


def _root(conn: Any, code: str) -> str:
    seen = {code}
    while True:
        row = conn.execute("SELECT into_code FROM register_links WHERE code = ?", (code,)).fetchone()
        if row is None or row["into_code"] in seen:
            return code
        code = row["into_code"]
        seen.add(code)


def link(ledger: Ledger, code: str, into: str) -> tuple[str, str]:
    """Record that entry ``code`` is the same model (or exemplar) as ``into`` (renamed): one entry from now on,
    with ``into``'s code. Returns the two codes as stored."""
    with ledger._write() as conn:
        source, target = _entry(conn, code), _entry(conn, into)
        if source["kind"] != target["kind"]:
            raise DvkError(f"Không nối được {source['code']} với {target['code']}: một là mô hình, một là điển hình.")
        if _root(conn, target["code"]) == source["code"] or source["code"] == target["code"]:
            raise DvkError(f"{source['code']} và {target['code']} đã là một (hoặc {target['code']} đã nối vào "
                           f"{source['code']}); không nối vòng.")
        conn.execute(
            "INSERT INTO register_links (code, into_code, linked_at) VALUES (?, ?, ?)"
            " ON CONFLICT (code) DO UPDATE SET into_code = excluded.into_code, linked_at = excluded.linked_at",
            (source["code"], target["code"], _now()),
        )
    return source["code"], target["code"]


def unlink(ledger: Ledger, code: str) -> bool:
    """Undo ``link`` for ``code`` (it is its own entry again). False when it was not linked."""
    with ledger._write() as conn:
        entry = _entry(conn, code)
        cur = conn.execute("DELETE FROM register_links WHERE code = ?", (entry["code"],))
        return cur.rowcount > 0
