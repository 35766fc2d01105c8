"""The commune register of models and exemplars (mô hình, điển hình “Dân vận khéo”): one identity across years.

The plan follows each model through its life cycle — phát hiện → bồi dưỡng → công nhận → nhân rộng (Kế hoạch
II.4, III.4) — but units list their models afresh on each year's sheet. The register joins those rows:

* **Identity.** A model (or exemplar) is its table, its unit and its name *normalised* (``name_key``: NFC,
  case-folded, spaces collapsed); it gets a code (``MH-0001`` for models, ``ĐH-0001`` for exemplars) the
  first time it is seen, and keeps it. Its field and kind are those of the latest year; its first year is the
  earliest year it is listed. A renamed model is *linked* by staff to its old entry (``links``): the two
  names are then one entry.
* **Per year**: the life-cycle status the unit typed (exemplars have no status column: “Được công nhận” from
  the first year a row carries a recognition on, else “Đăng ký”) and the recognition (level, decision number and
  date, the issuer named from the level).
* **Decision numbers** (``decision_flags``): one number of one level and year given to entries of two units,
  or written with two dates, is flagged on every row that uses it. One decision may recognise several models,
  so a number shared by two units is a notice to check against the decision, not an error.

Pure: the ledger stores the rows and codes (``sync.ledger.register``); ``build_register`` joins them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property

from .models import Exemplar, ModelEntry, ModelStatus, Submission
from .recognition import decision_key, is_recognised
from .text import clean_text, vn_sort_key

__all__ = [
    "DEFAULT_ISSUERS",
    "EXEMPLAR_RECOGNISED",
    "EXEMPLAR_REGISTERED",
    "DecisionFlag",
    "EntryKind",
    "ModelRegister",
    "RegisterEntry",
    "Sighting",
    "YearState",
    "assign_codes",
    "build_register",
    "code_number",
    "name_key",
    "sightings_of",
    "status_of",
]


class EntryKind(StrEnum):
    """The two tables of the register; the value is the key of the sheet's table (``schemas.forms``)."""

    MODEL = "models"
    EXEMPLAR = "exemplars"

    @property
    def label(self) -> str:
        return "Mô hình" if self is EntryKind.MODEL else "Điển hình"

    @property
    def prefix(self) -> str:
        return "MH" if self is EntryKind.MODEL else "ĐH"


#: The status of an exemplar row (its table has no status column): recognised or registered.
EXEMPLAR_RECOGNISED = ModelStatus.RECOGNISED.value
EXEMPLAR_REGISTERED = ModelStatus.REGISTERED.value

#: Who issued a recognition, by level, when the caller does not name the commune and province.
DEFAULT_ISSUERS: Mapping[str, str] = {"Xã": "UBND cấp xã", "Tỉnh": "UBND cấp tỉnh"}

_SHOWN = 3  # other uses named in a notice; the rest are counted
_CODE = re.compile(r"^(MH|ĐH|DH)-(\d+)$", re.IGNORECASE)


def name_key(name: str) -> str:
    """The name as identity compares it: NFC, case-folded, runs of spaces collapsed (accents kept)."""
    return clean_text(name).casefold()


def code_number(code: str) -> int | None:
    """The sequence number of a register code ("MH-0007" → 7); None for anything else."""
    m = _CODE.match(code.strip())
    return int(m[2]) if m else None


def status_of(kind: EntryKind, row: ModelEntry | Exemplar) -> str:
    """The life-cycle status of a row: a model's as typed; an exemplar's from its recognition."""
    if isinstance(row, ModelEntry):
        return row.status.value
    return EXEMPLAR_RECOGNISED if is_recognised(row) else EXEMPLAR_REGISTERED


@dataclass(frozen=True)
class Sighting:
    """One row of one unit's sheet of one year (``position``: its order on the sheet)."""

    kind: EntryKind
    unit_code: str
    year: int
    row: ModelEntry | Exemplar
    position: int = 0

    @cached_property
    def key(self) -> tuple[str, str, str]:
        return (self.kind.value, self.unit_code, name_key(self.row.name))


def sightings_of(unit_code: str, year: int, submission: Submission) -> list[Sighting]:
    """Every model and exemplar row of one unit's sheet."""
    out = [Sighting(EntryKind.MODEL, unit_code, year, m, i) for i, m in enumerate(submission.models)]
    out += [Sighting(EntryKind.EXEMPLAR, unit_code, year, e, i) for i, e in enumerate(submission.exemplars)]
    return out


@dataclass(frozen=True)
class YearState:
    """An entry in one year: as its unit listed it, with its status and recognition."""

    year: int
    unit_code: str
    name: str
    field: str
    kind: str  # "Tập thể" | "Cá nhân"
    status: str
    level: str = ""  # "" | "Xã" | "Tỉnh"
    decision_no: str = ""
    decision_date: dt.date | None = None
    issuer: str = ""
    lead_unit: str = ""

    @property
    def recognised(self) -> bool:
        return bool(self.level and decision_key(self.decision_no) and self.decision_date is not None)

    @property
    def recognition(self) -> str:
        """"Xã, 12/QĐ-UBND ngày 15/10/2026 (UBND xã Cao Minh)"; "" when not recognised."""
        if not (self.level or self.decision_no):
            return ""
        parts = [p for p in (self.level, self.decision_no) if p]
        text = ", ".join(parts)
        if self.decision_date:
            text += f" ngày {self.decision_date:%d/%m/%Y}"
        return text + (f" ({self.issuer})" if self.issuer else "")


_ORDER = {s.value: i for i, s in enumerate(ModelStatus)}


def _rank(status: str) -> int:
    """How far along the life cycle a status is (“Dừng” last: a stopped model is said so)."""
    return _ORDER.get(status, -1)


@dataclass(frozen=True)
class RegisterEntry:
    """One model or exemplar of the commune across the years."""

    code: str
    kind: EntryKind
    unit_code: str
    name: str  # as listed in its latest year
    field: str  # of its latest year
    kind_of_subject: str  # "Tập thể" | "Cá nhân" of its latest year
    first_year: int
    years: tuple[YearState, ...]  # ascending by year, one per year listed
    names: tuple[str, ...] = ()  # every name it was listed under (a renamed model has two)
    linked: tuple[str, ...] = ()  # codes staff linked into this one

    def state(self, year: int) -> YearState | None:
        return next((s for s in self.years if s.year == year), None)

    def status(self, year: int) -> str:
        s = self.state(year)
        return s.status if s else ""

    def recognition_as_of(self, year: int) -> YearState | None:
        """The latest year up to ``year`` whose row carries a recognition (a recognition is kept once given)."""
        found = [s for s in self.years if s.year <= year and s.recognised]
        return found[-1] if found else None

    @property
    def latest(self) -> YearState:
        return self.years[-1]

    def trend(self, years: Iterable[int] | None = None) -> str:
        """"2026: Đăng ký → 2027: Được công nhận → 2028: Nhân rộng" (the years listed, or those asked for)."""
        wanted = list(years) if years is not None else [s.year for s in self.years]
        parts = []
        for y in wanted:
            s = self.state(y)
            parts.append(f"{y}: {s.status if s else 'không kê khai'}")
        return " → ".join(parts)


@dataclass(frozen=True)
class DecisionFlag:
    """A decision number of one level and year used by entries of two units, or written with different dates."""

    decision_no: str  # as first written
    level: str
    year: int  # of the decision (its date; the sheet's year when undated)
    uses: tuple[tuple[str, str, str, dt.date | None, int], ...]  # (code, unit, name, date, sheet year)

    @cached_property
    def dates(self) -> tuple[dt.date, ...]:
        return tuple(sorted({d for *_, d, _ in self.uses if d is not None}))

    @property
    def conflict(self) -> bool:
        """Two dates for one number: certainly wrong somewhere (a shared number may be one decision)."""
        return len(self.dates) > 1

    @cached_property
    def _named(self) -> tuple[tuple[str, str], ...]:
        """(code, how a notice names the use), each once, in order of use."""
        named: dict[str, str] = {}
        for c, u, n, d, _ in self.uses:
            named.setdefault(f"{u} – “{n}”" + (f" ngày {d:%d/%m/%Y}" if d and self.conflict else ""), c)
        return tuple((c, text) for text, c in named.items())

    @cached_property
    def _own(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for c, _ in self._named:
            counts[c] = counts.get(c, 0) + 1
        return counts

    def message_for(self, code: str) -> str:
        """The notice on the rows of ``code`` (Vietnamese)."""
        others = len(self._named) - self._own.get(code, 0)
        seen: list[str] = []
        for c, text in self._named:
            if c != code:
                seen.append(text)
                if len(seen) == _SHOWN:
                    break
        if others > len(seen):
            seen.append(f"và {others - len(seen)} mục khác (xem dvk models)")
        level = f" (cấp {self.level})" if self.level else ""
        if self.conflict:
            dates = ", ".join(f"{d:%d/%m/%Y}" for d in self.dates)
            return (f"Số quyết định {self.decision_no}{level} năm {self.year} được ghi với các ngày khác nhau ({dates}); "
                    f"cũng dùng cho: {'; '.join(seen)}. Hãy đối chiếu với quyết định công nhận gốc.")
        return (f"Số quyết định {self.decision_no}{level} năm {self.year} cũng được ghi cho: {'; '.join(seen)}. Nếu một "
                "quyết định công nhận nhiều mô hình, điển hình thì không sao; nếu không, hãy đối chiếu với quyết định gốc.")


@dataclass(frozen=True)
class ModelRegister:
    """Every entry of the commune, and the decision numbers used more than once."""

    entries: tuple[RegisterEntry, ...] = ()
    flags: tuple[DecisionFlag, ...] = ()
    _index: Mapping[tuple[str, str, str], str] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def _codes(self) -> dict[str, RegisterEntry]:
        out = {e.code: e for e in self.entries}
        out.update({old: e for e in self.entries for old in e.linked})
        return out

    @cached_property
    def _flags_of(self) -> dict[str, list[tuple[int, DecisionFlag]]]:
        out: dict[str, list[tuple[int, DecisionFlag]]] = {}
        for f in self.flags:
            for c, *_, y in f.uses:
                out.setdefault(c, []).append((y, f))
        return out

    def by_code(self, code: str) -> RegisterEntry | None:
        return self._codes.get(code.strip().upper().replace("DH-", "ĐH-"))

    def find(self, kind: EntryKind | str, unit_code: str, name: str) -> RegisterEntry | None:
        """The entry a sheet's row (its table, unit and name) belongs to."""
        code = self._index.get((EntryKind(kind).value, unit_code, name_key(name)))
        return self.by_code(code) if code else None

    def in_year(self, year: int, kind: EntryKind | None = None) -> list[RegisterEntry]:
        return [e for e in self.entries if e.state(year) is not None and (kind is None or e.kind is kind)]

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({s.year for e in self.entries for s in e.years}))

    def notices(self, code: str, year: int | None = None) -> list[str]:
        """The decision-number notices of one entry (of one sheet year, or any)."""
        flags: dict[int, DecisionFlag] = {}
        for y, f in self._flags_of.get(code, ()):
            if year is None or y == year:
                flags[id(f)] = f
        return [f.message_for(code) for f in flags.values()]


def assign_codes(
    sightings: Iterable[Sighting], known: Mapping[tuple[str, str, str], str]
) -> dict[tuple[str, str, str], str]:
    """``known`` (key → code) with a new code for every key not in it, in order of first year, unit, name."""
    codes = dict(known)
    first: dict[tuple[str, str, str], tuple[int, str, int]] = {}
    for s in sightings:
        if s.key not in codes:
            old = first.get(s.key)
            here = (s.year, s.unit_code, s.position)
            first[s.key] = min(old, here) if old else here
    top = {kind.value: max((code_number(c) or 0 for k, c in codes.items() if k[0] == kind.value), default=0)
           for kind in EntryKind}
    for key in sorted(first, key=lambda k: (first[k], k)):
        top[key[0]] += 1
        codes[key] = f"{EntryKind(key[0]).prefix}-{top[key[0]]:04d}"
    return codes


def _canonical(code: str, links: Mapping[str, str]) -> str:
    seen = {code}
    while code in links and links[code] not in seen:
        code = links[code]
        seen.add(code)
    return code


def _merge(year: int, rows: Sequence[Sighting], issuers: Mapping[str, str]) -> YearState:
    """One year's state from the rows of that year (two rows of one entry: the furthest status, any recognition)."""
    best = max(rows, key=lambda s: (_rank(status_of(s.kind, s.row)), -s.position))
    recognised = [s for s in rows if is_recognised(s.row)] or [s for s in rows if s.row.recognition_level or s.row.decision_no]
    rec = recognised[0].row if recognised else best.row
    row = best.row
    return YearState(
        year=year, unit_code=best.unit_code, name=row.name, field=row.field, kind=row.kind,
        status=status_of(best.kind, row), level=rec.recognition_level, decision_no=rec.decision_no,
        decision_date=rec.decision_date, issuer=issuers.get(rec.recognition_level, "") if rec.recognition_level else "",
        lead_unit=row.lead_unit if isinstance(row, ModelEntry) else "",
    )


def build_register(
    sightings: Iterable[Sighting],
    *,
    codes: Mapping[tuple[str, str, str], str] | None = None,
    links: Mapping[str, str] | None = None,
    issuers: Mapping[str, str] = DEFAULT_ISSUERS,
) -> ModelRegister:
    """The register from every row seen. ``codes``: key (table, unit, name key) → code, as stored (keys without
    one get a new code, ``assign_codes``); ``links``: code → the code it was linked into by staff."""
    seen = list(sightings)
    all_codes = assign_codes(seen, codes or {})
    links = dict(links or {})
    groups: dict[str, list[Sighting]] = {}
    for s in seen:
        groups.setdefault(_canonical(all_codes[s.key], links), []).append(s)
    index = {key: _canonical(code, links) for key, code in all_codes.items()}
    entries: list[RegisterEntry] = []
    for code, rows in groups.items():
        by_year: dict[int, list[Sighting]] = {}
        for s in rows:
            by_year.setdefault(s.year, []).append(s)
        states = tuple(_merge(y, by_year[y], issuers) for y in sorted(by_year))
        if rows[0].kind is EntryKind.EXEMPLAR:  # dvk's own status of an exemplar: a recognition, once given, stays
            first = next((i for i, st in enumerate(states) if st.recognised), None)
            if first is not None:
                states = tuple(replace(st, status=EXEMPLAR_RECOGNISED) if i > first else st for i, st in enumerate(states))
        latest = states[-1]
        names: list[str] = []
        for s in sorted(rows, key=lambda s: (s.year, s.position)):
            if s.row.name not in names:
                names.append(s.row.name)
        entries.append(RegisterEntry(
            code=code, kind=rows[0].kind, unit_code=latest.unit_code, name=latest.name, field=latest.field,
            kind_of_subject=latest.kind, first_year=states[0].year, years=states, names=tuple(names),
            linked=tuple(sorted(c for c in set(all_codes[s.key] for s in rows) if c != code)),
        ))
    entries.sort(key=lambda e: (e.kind is EntryKind.EXEMPLAR, e.first_year, e.unit_code, vn_sort_key(e.name), e.code))
    return ModelRegister(entries=tuple(entries), flags=decision_flags(seen, index), _index=index)


def decision_flags(sightings: Iterable[Sighting], index: Mapping[tuple[str, str, str], str]) -> tuple[DecisionFlag, ...]:
    """Decision numbers of one level and year used by entries of two units, or written with different dates."""
    groups: dict[tuple[str, str, int], list[tuple[Sighting, str]]] = {}
    for s in sightings:
        number = decision_key(s.row.decision_no)
        if not number:
            continue
        year = s.row.decision_date.year if s.row.decision_date else s.year
        groups.setdefault((number, s.row.recognition_level, year), []).append((s, index[s.key]))
    flags = []
    for (_, level, year), uses in groups.items():
        units = {s.unit_code for s, _ in uses}
        entries = {code for _, code in uses}
        dates = {s.row.decision_date for s, _ in uses if s.row.decision_date is not None}
        if (len(units) > 1 and len(entries) > 1) or len(dates) > 1:
            flags.append(DecisionFlag(
                decision_no=uses[0][0].row.decision_no, level=level, year=year,
                uses=tuple((code, s.unit_code, s.row.name, s.row.decision_date, s.year) for s, code in uses),
            ))
    flags.sort(key=lambda f: (f.year, f.level, f.decision_no))
    return tuple(flags)
