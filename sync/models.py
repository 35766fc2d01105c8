"""The commune register of models and exemplars from the ledger, as `dvk models` and the master show it.

    update_register(settings, ledger, year) -> ModelRegister  rebuild the rows of the year (and of the years that have
                                                               none yet) from the current versions, read it all
    register_table(register, year=None) -> RegisterTable  one row per entry: code, unit, name, field, first year,
                                                          status per year, recognition, decision-number notices
    issuers(settings)                                      who recognises at each level ("UBND xã Cao Minh", …)

Renamed models: staff link the new name's code into the old one (`dvk models link MH-0007 MH-0003`); the link
is stored in the ledger (``sync.ledger.register``) and survives every rebuild. That is the one mechanism: the
export is for reading and printing, and nothing typed into it is read back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schemas.register import EntryKind, ModelRegister, RegisterEntry

from .config import Settings
from .ledger import Ledger
from .ledger.register import load_register, refresh_register, register_years

__all__ = ["RegisterTable", "issuers", "read_register", "register_table", "update_register"]


def issuers(settings: Settings) -> dict[str, str]:
    """Who issues a recognition at each level: the commune's People's Committee, the province's."""
    commune, province = settings.commune.name, settings.commune.province
    province_name = province if province.casefold().startswith("tỉnh") else f"tỉnh {province}"
    return {"Xã": f"UBND {commune}", "Tỉnh": f"UBND {province_name}"}


def update_register(settings: Settings, ledger: Ledger, year: int | None = None) -> ModelRegister:
    """Rebuild the register rows of ``year`` (default: the configured year) and of every year the ledger holds
    that has no rows yet (a ledger from before the register) from the current versions, then read it all."""
    present = set(ledger.years())
    wanted = {y for y in present if y not in register_years(ledger)} | ({year or settings.year} & present)
    units = list(settings.registry())
    for y in sorted(wanted):
        refresh_register(ledger, y, units=units)
    return read_register(settings, ledger)


def read_register(settings: Settings, ledger: Ledger) -> ModelRegister:
    """The register as stored (no rebuild), its issuers named after the commune and the province."""
    return load_register(ledger, issuers=issuers(settings))


@dataclass(frozen=True)
class RegisterTable:
    """The register as a table: the same columns in the console, CSV, .xlsx and JSON."""

    year: int | None
    years: tuple[int, ...]
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    entries: tuple[RegisterEntry, ...]
    register: ModelRegister

    def to_json(self) -> dict[str, Any]:
        def entry(e: RegisterEntry) -> dict[str, Any]:
            rec = e.recognition_as_of(self.year or max(self.years or (0,)))
            return {
                "code": e.code, "kind": e.kind.value, "unit": e.unit_code, "name": e.name, "names": list(e.names),
                "field": e.field, "subject_kind": e.kind_of_subject, "first_year": e.first_year,
                "statuses": {str(s.year): s.status for s in e.years if self.year is None or s.year <= self.year},
                "recognition": None if rec is None else {
                    "level": rec.level, "decision_no": rec.decision_no,
                    "decision_date": rec.decision_date.isoformat() if rec.decision_date else None,
                    "issuer": rec.issuer, "year": rec.year,
                },
                "linked": list(e.linked),
                "notices": self.register.notices(e.code, self.year),
            }

        flags = [f for f in self.register.flags if self.year is None or any(y == self.year for *_, y in f.uses)]
        return {
            "year": self.year,
            "entries": [entry(e) for e in self.entries],
            "decision_flags": [{
                "decision_no": f.decision_no, "level": f.level, "year": f.year, "conflict": f.conflict,
                "uses": [{"code": c, "unit": u, "name": n, "date": d.isoformat() if d else None, "year": y}
                         for c, u, n, d, y in f.uses],
            } for f in flags],
        }


def register_table(register: ModelRegister, year: int | None = None) -> RegisterTable:
    """The entries listed in ``year`` (every entry when None), with their status in each year up to it."""
    years = tuple(y for y in register.years if year is None or y <= year)
    entries = tuple(register.in_year(year) if year is not None else register.entries)
    headers = (
        "Mã trong sổ", "Loại", "Mã đơn vị", "Tên", "Tên khác", "Lĩnh vực", "Tập thể / Cá nhân", "Năm đầu tiên",
        *(f"Tình trạng {y}" for y in years), "Cấp công nhận", "Số quyết định", "Ngày quyết định", "Cơ quan công nhận",
        "Kiểm tra số quyết định",
    )
    rows = []
    for e in entries:
        rec = e.recognition_as_of(year or max(years or (0,)))
        rows.append((
            e.code, EntryKind(e.kind).label, e.unit_code, e.name, "; ".join(n for n in e.names if n != e.name),
            e.field, e.kind_of_subject, e.first_year, *(e.status(y) for y in years),
            rec.level if rec else "", rec.decision_no if rec else "", rec.decision_date if rec else None,
            rec.issuer if rec else "", " ".join(register.notices(e.code, year)),
        ))
    return RegisterTable(year, years, headers, tuple(rows), entries, register)
