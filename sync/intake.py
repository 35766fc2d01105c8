"""Intake of one pass: what each fetched item does to its unit (the version identity rules) and to the ledger.

    IntakePass(ledger, rubric, preset, run_id, year, outcomes, others, layout_key).take(item) ... .finish()

* The current version of a unit is the content dvk received last, by the time it first saw it (the ledger's
  order), never the file's mtime. Known content showing up again from the folder is an older copy: a notice,
  never current again (a Google Sheet that undid its edits is current again: it is live).
* Two files of one unit read in one pass: a notice naming both and the one that counts. Between two contents
  dvk sees for the first time in the same pass, the file saved last counts (the folder is read oldest first):
  the only hint there is, and the notice lets staff check it.
* A registered unit's file for another year: a notice on its row, not recorded; a year outside the movement,
  an unknown unit, an unreadable file or a file held for staff (it names another unit): listed apart.
* A held file is recorded in the ledger's ``held_files`` with the time dvk first saw it; the rows of the units it
  may belong to say a file waits for staff ("Chờ xác nhận"). When the unit sends the same content with its code
  fixed, the held file is released to it (``credit_resent``): the unit keeps the first receipt time.
* The first receipt of a unit (``first_receipts``): its first *filled* version of the year (``schemas.receipt``),
  or a held file released to it, whichever dvk saw first. Lateness and the criteria that follow the receipt
  (A4) are decided from it, never from the current version's time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from schemas.receipt import is_filled, on_time
from schemas.rubric import Rubric
from schemas.scoring import score
from schemas.text import canonical_code
from schemas.validate import YEARS
from workbook.layout import Layout

from .ledger import Ledger
from .ledger.held import credit_resent, held_files, mark_absent, see_held
from .ledger.records import (
    FileState,
    UnitStatus,
    VersionRecord,
    content_hash,
    encode_issues,
    encode_score,
    encode_submission,
)
from .ledger.sheets import SheetRecord
from .sources import Fetched, body_hash, grid_as_raw

__all__ = ["IntakePass", "UnitOutcome", "first_receipts", "held_note", "late_change", "layout_key", "unit_on_time"]


@dataclass
class UnitOutcome:
    """What the pass did for one unit (the rows of the summary table and of ``--format json``)."""

    code: str
    name: str
    status: str = UnitStatus.MISSING.value
    source: str | None = None
    revision: str | None = None
    total: float | None = None
    rating_code: str | None = None
    issues: int = 0
    errors: int = 0
    message: str = ""
    notices: list[str] = field(default_factory=list)  # older copies, two files, another year (Vietnamese)
    provisional: bool = False  # the latest version has errors: the total is provisional
    eligible: bool = False  # eligible for commendation
    needs_review: bool = False  # resubmitted after the staff appraised an earlier version ("Cần xem lại")

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code, "name": self.name, "status": self.status, "source": self.source,
            "revision": self.revision, "total": self.total, "rating_code": self.rating_code,
            "issues": self.issues, "errors": self.errors, "message": self.message, "notices": list(self.notices),
            "provisional": self.provisional, "eligible": self.eligible, "needs_review": self.needs_review,
        }


def first_receipts(ledger: Ledger, rubric: Rubric, year: int, unit_code: str | None = None) -> dict[str, dt.datetime]:
    """When each unit's first submission of ``year`` reached dvk (``schemas.receipt``): its first filled version
    in the ledger, or a held file released to it (the time dvk first saw that file), whichever came first."""
    out: dict[str, dt.datetime] = {}
    filled: dict[int, bool] = {}

    def keep(code: str, when: dt.datetime) -> None:
        if code not in out or when < out[code]:
            out[code] = when

    for version in ledger.history(year, unit_code):
        filled[version.id] = is_filled(rubric, version.issues())
        if filled[version.id]:
            keep(version.unit_code, version.fetched_at)
    for held in held_files(ledger, year):
        code = held.released_to
        if code is None or (unit_code is not None and code != unit_code):
            continue
        if held.version_id is None or filled.get(held.version_id, False):
            keep(code, held.first_seen_at)
    return out


def unit_on_time(ledger: Ledger, rubric: Rubric, code: str, year: int, received: dt.datetime, counts: bool,
             deadline: dt.date | None) -> bool | None:
    """Is the unit on time, counting this item (received now) when it is a submission?"""
    if deadline is None:
        return None
    first = first_receipts(ledger, rubric, year, code).get(code)
    if counts and (first is None or received < first):
        first = received
    return on_time(first.astimezone().date() if first is not None else None, deadline)


def _record(
    ledger: Ledger, rubric: Rubric, preset: str, run_id: int, item: Fetched, year: int, deadline: dt.date | None = None,
) -> tuple[str, VersionRecord, bool]:
    """Store one fetched submission; (status, record, current): ``current`` False for an older copy."""
    assert item.grid is not None and item.validated is not None and item.unit_code is not None
    validated = item.validated
    sub = validated.submission
    timely = unit_on_time(ledger, rubric, item.unit_code, item.year or year, item.received_at,
                      is_filled(rubric, validated.issues), deadline) if sub is not None else None
    card = score(rubric, sub, preset=preset, on_time=timely) if sub is not None else None
    record, created = ledger.record_version(
        unit_code=item.unit_code,
        year=item.year or year,
        source=item.source,
        revision=item.revision,
        raw=grid_as_raw(item.grid),
        submission_json=encode_submission(sub) if sub is not None else None,
        issues_json=encode_issues(validated.issues),
        score_json=encode_score(card) if card is not None else None,
        run_id=run_id,
        fetched_at=item.received_at,
        revive_known=item.source == "google",  # a live sheet shows its content now; a file may be an old copy
    )
    latest = ledger.latest(item.unit_code, item.year or year)
    current = latest is not None and latest.id == record.id
    if not validated.ok:
        return UnitStatus.INVALID.value, record, current
    return (UnitStatus.OK if created else UnitStatus.UNCHANGED).value, record, current


def _message(item: Fetched, status: str) -> str:
    if item.error:
        return item.error
    if item.held:
        return item.held
    errors = [i for i in item.issues if i.is_error]
    if errors:
        first = errors[0]
        where = f"{first.sheet}!{first.cell}: " if first.sheet and first.cell else ""
        more = f" (và {len(errors) - 1} lỗi khác)" if len(errors) > 1 else ""
        return f"{where}{first.message}{more}"
    return {"ok": "Đã nhận phiên bản mới.", "unchanged": "Không có thay đổi."}.get(status, "")


def _local(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%d/%m/%Y %H:%M")


def _name(item: Fetched) -> str:
    return Path(item.location).name if item.source == "folder" else item.location


def held_note(name: str, claimed: str | None, named: str | None, first_seen: dt.datetime) -> str:
    """The short note on the row of a unit a held file may belong to (the full reason is listed once, apart)."""
    codes = " và ".join(c for c in (named, claimed) if c)
    return (f"Chờ xác nhận: tệp “{name}” (nhận lúc {_local(first_seen)}) có thể là phiếu của {codes}; mã và tên đơn "
            "vị trong tệp không khớp, cán bộ cần xác nhận trước khi tính.")


@dataclass
class IntakePass:
    """The state of one pass while items arrive."""

    ledger: Ledger
    rubric: Rubric
    preset: str
    run_id: int
    year: int
    outcomes: dict[str, UnitOutcome]
    others: list[UnitOutcome]
    layout_key: str
    layout: Layout | None = None  # to recognise a held file sent again with only its code fixed
    deadline: dt.date | None = None  # of ``year``: the criteria that follow the receipt (A4) are scored by it
    counts: dict[str, int] = field(default_factory=lambda: {"ok": 0, "unchanged": 0, "invalid": 0, "error": 0, "files": 0})
    files: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # unit → (file name, version id) read anew
    held_seen: set[int] = field(default_factory=set)  # held files seen in this pass (ids of ``held_files``)

    def take(self, item: Fetched) -> None:
        self.counts["files"] += 1
        code, year = item.unit_code, item.year or self.year
        registered = code in self.outcomes
        if registered and code is not None and year != self.year and not item.error:
            if item.unchanged:  # read and recorded in its own round (the folder kept last year's files): quiet
                return
            if year in YEARS:
                self._other_year(item, code, year)
            else:  # a year outside the movement: an invalid file, listed (the pass exits 1)
                self._other(item)
                self.outcomes[code].notices.append(
                    f"Tệp “{_name(item)}”: phiếu ghi năm {year}, ngoài giai đoạn {YEARS.start}–{YEARS.stop - 1}; "
                    "chưa được tính."
                )
            return
        if item.held or not registered or item.unit_code is None:
            self._other(item)
            return
        assert code is not None
        outcome = self.outcomes[code]
        if item.unchanged:
            if outcome.status == UnitStatus.MISSING.value:
                outcome.status = UnitStatus.UNCHANGED.value
            self.counts["unchanged"] += 1
            return
        if item.error or item.grid is None:
            # an error never hides a good version received in the same pass
            if outcome.status in (UnitStatus.OK.value, UnitStatus.INVALID.value, UnitStatus.UNCHANGED.value):
                self.others.append(UnitOutcome(code=code, name=item.location, status=UnitStatus.ERROR.value,
                                               source=item.source, message=_message(item, UnitStatus.ERROR.value)))
                return
            self._set(outcome, item, UnitStatus.ERROR.value)
            return
        status, record, current = _record(self.ledger, self.rubric, self.preset, self.run_id, item, self.year,
                                          self.deadline)
        if self.layout is not None and item.source == "folder" and record.run_id == self.run_id:
            for held in credit_resent(self.ledger, year=year, unit_code=code, body_hash=body_hash(self.layout, item.grid),
                                      version_id=record.id, at=item.received_at):
                outcome.notices.append(
                    f"Tệp “{_name(item)}” có cùng nội dung với tệp “{held.name}” đã giữ chờ xác nhận (chỉ sửa mã hoặc "
                    f"tên đơn vị): tính thời điểm nhận lần đầu là {_local(held.first_seen_at)}."
                )
        if item.source == "folder" and item.file_stat is not None:
            size, mtime_ns = item.file_stat
            self.ledger.set_file_state(FileState(
                path=item.location, size=size, mtime_ns=mtime_ns, sha256=item.revision, layout_key=self.layout_key,
                unit_code=code, year=year, content_hash=record.content_hash,
            ))
            self.files.setdefault(code, []).append((_name(item), record.id))
        if not current:  # an older copy (a re-saved or touched old attachment): reported, never current again
            number = _version_number(self.ledger, code, year, record.id)
            outcome.notices.append(
                f"Tệp “{_name(item)}” là bản cũ: trùng nội dung phiên bản {number} nhận lúc {_local(record.fetched_at)}, "
                "không thay thế phiên bản hiện hành."
            )
            if outcome.status == UnitStatus.MISSING.value:
                outcome.status = UnitStatus.UNCHANGED.value
            self.counts["unchanged"] += 1
            return
        self._set(outcome, item, status)

    def _set(self, outcome: UnitOutcome, item: Fetched, status: str) -> None:
        outcome.status, outcome.source, outcome.revision = status, item.source, item.revision
        outcome.issues = len(item.issues)
        outcome.errors = sum(1 for i in item.issues if i.is_error)
        outcome.message = _message(item, status)
        self.counts[status] = self.counts.get(status, 0) + 1

    def _other(self, item: Fetched) -> None:
        """A file of an unknown unit, an invalid year, unreadable, or held for staff: listed, never recorded."""
        status = UnitStatus.ERROR.value if item.error or item.held or item.grid is None else UnitStatus.INVALID.value
        outcome = UnitOutcome(code=item.unit_code or "?", name=_name(item), status=status, source=item.source,
                              revision=item.revision, message=_message(item, status))
        outcome.issues = len(item.issues)
        outcome.errors = sum(1 for i in item.issues if i.is_error)
        if item.held is None and item.error is None and item.unit_code is not None and item.unit_code not in self.outcomes:
            outcome.message = (f"Tệp “{_name(item)}” ghi mã đơn vị “{item.unit_code}”, không có trong danh sách "
                               "đơn vị của xã: chưa được tính. " + (outcome.message if outcome.errors else ""))
        self.others.append(outcome)
        self.counts[status] = self.counts.get(status, 0) + 1
        if item.held:
            self._held(item)

    def _held(self, item: Fetched) -> None:
        """Record the held file (its first receipt time) and say on the rows of its units that it waits."""
        units = [c for c in item.held_for or (item.unit_code,) if c in self.outcomes]
        first = item.received_at
        if item.grid is not None and item.source == "folder" and self.layout is not None and (item.year or self.year) == self.year:
            held = see_held(
                self.ledger, year=self.year, content_hash=content_hash(grid_as_raw(item.grid)),
                body_hash=body_hash(self.layout, item.grid), path=item.location, sha256=item.revision,
                claimed_code=item.unit_code, named_code=next((c for c in units if c != item.unit_code), None),
                reason=item.held or "", seen_at=item.received_at,
            )
            self.held_seen.add(held.id)
            first = held.first_seen_at
        named = next((c for c in units if c != item.unit_code), None)
        for code in units:
            outcome = self.outcomes[code]
            outcome.notices.append(held_note(_name(item), item.unit_code, named, first))
            if outcome.status == UnitStatus.MISSING.value:
                outcome.status = "held"

    def _other_year(self, item: Fetched, code: str, year: int) -> None:
        """A registered unit's file for another year: a notice on the unit's row, not recorded for this round."""
        self.outcomes[code].notices.append(
            f"Tệp “{_name(item)}”: phiếu ghi năm {year}, đợt đánh giá là {self.year}; chưa được tính. "
            "Nếu là phiếu năm nay, hãy sửa ô năm đánh giá rồi gửi lại."
        )

    def finish(self, *, complete: bool = True) -> None:
        """Two files of one unit read in this pass: a notice naming both and the one that counts. After a
        ``complete`` pass over the folder, held files no longer there stop waiting."""
        if complete:
            mark_absent(self.ledger, self.year, self.held_seen)
        for code, seen in self.files.items():
            names = list(dict.fromkeys(name for name, _ in seen))
            if len(names) < 2:
                continue
            latest = self.ledger.latest(code, self.year)
            counted = [name for name, vid in seen if latest is not None and vid == latest.id]
            which = counted[-1] if counted else names[-1]
            self.outcomes[code].notices.append(
                f"Có {len(names)} tệp của đơn vị trong lượt này: " + ", ".join(f"“{n}”" for n in names)
                + f". Tính tệp “{which}” (nội dung dvk nhận sau cùng); các tệp khác không thay thế nó."
            )


def _guess(item: Fetched, outcomes: dict[str, UnitOutcome]) -> str | None:
    if item.source != "folder":
        return None
    stem = canonical_code(Path(item.location).stem)
    for code in sorted(outcomes, key=len, reverse=True):
        if stem == code or stem.startswith((code + "-", code + "_", code + " ")):
            return code
    return None


def _version_number(ledger: Ledger, code: str, year: int, version_id: int) -> int:
    versions = ledger.history(year, code)
    return next((i for i, v in enumerate(versions, 1) if v.id == version_id), len(versions))


def late_change(ledger: Ledger, item: Fetched, recorded: Mapping[str, SheetRecord], year: int) -> str | None:
    """A notice when a locked unit's sheet holds content other than the version evaluated at the lock."""
    rec = recorded.get(item.unit_code or "")
    if item.source != "google" or rec is None or not rec.locked or item.unchanged:
        return None
    latest = ledger.latest(rec.unit_code, year)
    if item.grid is not None and latest is not None and content_hash(grid_as_raw(item.grid)) == latest.content_hash:
        return None  # only the modifiedTime moved (dvk's own write-back)
    when = (item.received_at or dt.datetime.now(dt.UTC)).astimezone().strftime("%H:%M ngày %d/%m/%Y")
    return (
        f"{rec.unit_code}: bảng tính đã bị sửa sau khi khoá (sửa lúc {when}); không lấy thay đổi này, phiên bản "
        "đánh giá vẫn là phiên bản lúc khoá. Nếu được gia hạn, hãy chạy “dvk sheets unlock --units "
        f"{rec.unit_code}” rồi đồng bộ lại."
    )


def layout_key(layout: Layout) -> str:
    """Files read under another layout (another rubric) are read again."""
    return hashlib.sha256(repr(layout.ranges()).encode("utf-8")).hexdigest()
