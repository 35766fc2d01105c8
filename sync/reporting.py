"""The ledger projected into the master workbook (and the phase reviews), staff edits carried through.

    write_year_master(settings, ledger, year) -> (WriteResult, results)
    write_phase(settings, ledger, phase, out) -> WriteResult

Before the master is rewritten, what staff typed into it (the "thẩm định" columns and the council's note)
is read back and stored in the ledger, so it survives even if the file is later lost; then the new master is
written with it.

Staff edits are never lost and never decided by a clock:

* an edit is what differs from what dvk wrote into that file. Every master dvk writes carries a write id
  (a custom document property) and the ledger records its staff cells under it (``Ledger.master_write``); a
  file whose id the ledger does not know is compared with the stored appraisal;
* the master and its "(ban moi)" copies are merged per cell (``merge_staff_edits``); two different edits of
  one cell are a conflict, shown on "Lỗi" with both values, never picked silently;
* a master saved by a person while dvk rebuilt it (size, mtime or hash changed since it was read) is not
  replaced: it is read again and rebuilt, a bounded number of times, then the new version goes beside it.
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from schemas.errors import WorkbookError
from schemas.rubric import Rubric
from workbook.master import (
    Appraisal,
    HistoryRow,
    MasterInput,
    StaffCell,
    StaffConflict,
    StaffEdits,
    UnitResult,
    UnitRow,
    WriteResult,
    read_staff_edits,
    write_master,
    write_phase_review,
)
from workbook.master.atomic import Fingerprint, MasterChanged, beside_copies, is_locked, old_copy_path
from workbook.master.data import UnitStaffEdits
from workbook.master.macro_copy import unread_macro_copies
from workbook.master.phase import PHASES
from workbook.master.written import NOTE, Written, cell_token, note_token, value_token

from .config import Settings
from .intake import first_receipts
from .ledger import Ledger
from .ledger.held import held_files
from .ledger.records import VersionRecord
from .models import read_register, update_register

__all__ = [
    "ATTEMPTS",
    "MergedEdits",
    "StaffFile",
    "current_staff_edits",
    "ledger_base",
    "master_input",
    "merge_staff_edits",
    "read_back_counts",
    "read_staff_files",
    "store_staff_edits",
    "unknown_rows",
    "write_phase",
    "write_year_master",
]

#: How many times a master saved by a person during its rebuild is read again and rebuilt before the new
#: version is written beside it instead.
ATTEMPTS = 3


def _history_rows(ledger: Ledger, year: int) -> tuple[list[HistoryRow], dict[str, list[VersionRecord]]]:
    per_unit: dict[str, list[VersionRecord]] = {}
    rows: list[HistoryRow] = []
    for record in ledger.history(year):
        versions = per_unit.setdefault(record.unit_code, [])
        versions.append(record)
        card = record.score()
        rows.append(HistoryRow(
            unit_code=record.unit_code,
            version=len(versions),
            source=record.source,
            revision=record.revision,
            received_at=record.fetched_at,
            total=round(float(card.total), 2) if card is not None else None,
            rating=card.rating.value if card is not None else None,
            error_count=record.error_count,
        ))
    return rows, per_unit


def _local_date(moment: dt.datetime) -> dt.date:
    return (moment.astimezone() if moment.tzinfo else moment).date()


def master_input(
    settings: Settings, ledger: Ledger, year: int, *, now: dt.datetime, as_of: dt.date | None = None
) -> MasterInput:
    """Everything the master of ``year`` shows, read from the ledger.

    ``now`` is when it is made (the pass time, or the rebuild's); ``as_of`` the date every status is stated at
    (default: the local date of ``now``; a document passes its own date): a unit with nothing received is
    "Chưa nộp (còn hạn)" up to the deadline, "Chưa nộp" after it. Never the machine's clock in here: the caller
    decides the moment, so the master and the documents dated the same day agree.
    """
    rubric = settings.load_rubric()
    history, per_unit = _history_rows(ledger, year)
    statuses = ledger.last_statuses(year)
    appraisals = ledger.appraisals(year)
    generated = now
    deadline = settings.deadline(year)
    status_date = as_of or _local_date(generated)
    still_open = status_date <= deadline
    firsts = first_receipts(ledger, rubric, year)
    waiting: dict[str, list[str]] = {}
    for held in held_files(ledger, year):
        if held.waiting:
            for code in held.units:
                waiting.setdefault(code, []).append(held.name)
    units: list[UnitRow] = []
    for code, unit in settings.registry().items():
        latest = ledger.latest(code, year)
        status = statuses.get(code)
        notices = tuple(status.notices) if status is not None else ()
        held_here = tuple(waiting.get(code, ()))
        if latest is None:
            failed = status is not None and status.status == "error"
            if code in appraisals and appraisals[code].values:  # review D27: typed, kept, not used yet: say so
                notices = (*notices, unused_appraisal(code, appraisals[code].values))
            shown = "held" if held_here else "error" if failed else "pending" if still_open else "missing"
            units.append(UnitRow(
                unit=unit,
                status=shown,  # type: ignore[arg-type]
                status_message=status.message if status is not None else "",
                sheet_url=unit.sheet,
                notices=notices,
                waiting=held_here,
            ))
            continue
        versions = per_unit.get(code, [])
        number = next((i for i, v in enumerate(versions, 1) if v.id == latest.id), len(versions) or None)
        appraisal = appraisals.get(code)
        reviewed = appraisal is not None and bool(appraisal.values) and appraisal.version_id not in (None, latest.id)
        shown_status = status.status if status is not None else ("invalid" if latest.error_count else "ok")
        units.append(UnitRow(
            unit=unit,
            submission=latest.submission(),
            issues=tuple(latest.issues()),
            status=shown_status,  # type: ignore[arg-type]
            status_message=status.message if status is not None else "",
            source=latest.source,
            revision=latest.revision,
            version=number,
            received_at=latest.fetched_at,
            sheet_url=unit.sheet,
            resubmitted_after_appraisal=reviewed,
            notices=notices,
            first_received_at=firsts.get(code),
            filled=code in firsts,
            waiting=held_here,
        ))
    return MasterInput(
        commune=settings.commune.name,
        province=settings.commune.province,
        year=year,
        rubric=rubric,
        preset=settings.preset().code,
        deadline=deadline,
        generated_at=generated,
        units=units,
        history=history,
        appraisals={code: Appraisal(values=a.values, note=a.note) for code, a in appraisals.items()},
        letterhead=settings.letterhead(),
        report_number=settings.papers(year).report_number,
        report_date=settings.papers(year).report_date,
        as_of=status_date,
        register=read_register(settings, ledger),
        giay_khen_quota=settings.awards.giay_khen_quota,
    )


def store_staff_edits(
    ledger: Ledger, year: int, staff: StaffEdits, *, seen_at: dt.datetime, units: Collection[str] | None = None
) -> int:
    """Record the valid staff edits of a master in the ledger (only what changed). Returns rows written.
    ``units``: the registered unit codes; rows of other codes are not stored (see ``unknown_rows``)."""
    written = 0
    stored: dict[str, str] | None = None
    for code, edits in staff.units.items():
        if units is not None and code not in units:
            continue
        latest = ledger.latest(code, year)
        values: dict[str, Decimal | None] = {
            criterion: cell.value for criterion, cell in edits.values.items() if cell.valid
        }
        note = edits.note
        if note is None:  # the note was not edited (or the file has no note column): it stays as stored
            if stored is None:
                stored = {c: a.note for c, a in ledger.appraisals(year).items()}
            note = stored.get(code, "")
        written += ledger.save_appraisals(
            code, year, values, note, seen_at=seen_at, version_id=latest.id if latest else None
        )
    return written


def unknown_rows(staff: StaffEdits, units: Collection[str], source: Path) -> list[str]:
    """A row of "Chi tiết tiêu chí" whose unit code is not registered (a typo: VP-UBND → VP-UBNDD) and that
    holds staff edits: said, with what was typed, never stored invisibly under an unknown unit."""
    out: list[str] = []
    for code, edits in staff.units.items():
        if code in units:
            continue
        typed = [f"{c}={cell.raw}" for c, cell in edits.values.items() if cell.raw is not None]
        if edits.note:
            typed.append(f"ghi chú “{edits.note}”")
        if not typed:
            continue
        out.append(
            f"Tệp {source.name}, trang “Chi tiết tiêu chí” dòng {edits.row}: mã đơn vị “{code}” không có trong danh "
            f"sách đơn vị (gõ nhầm?), nên điểm thẩm định đã nhập ở dòng này chưa được lưu: {', '.join(typed)}. "
            "Hãy nhập lại vào dòng đúng mã đơn vị."
        )
    return out




@dataclass(frozen=True)
class StaffFile:
    """A file staff may have typed into (the master, or a "(ban moi)" copy) as read, with ``base``: what dvk
    wrote into its staff cells (``Ledger.master_write`` of the file's write id; for a file without a known
    id, the ledger's appraisal when it was read)."""

    path: Path
    edits: StaffEdits
    base: Written
    fingerprint: Fingerprint | None = None
    is_master: bool = False


@dataclass(frozen=True)
class MergedEdits:
    """The staff edits of every file read, one per cell, and the cells two files edited differently."""

    staff: StaffEdits
    conflicts: tuple[StaffConflict, ...] = ()
    losing: frozenset[Path] = frozenset()  # copies holding a value that lost a conflict: kept as "(ban cu …)"


def _shown(value: str | float | int | None) -> str:
    return "" if value is None else str(value)


def _conflict(
    code: str, key: str | None, label: str, edited: Sequence[tuple[StaffFile, str]], kept: str | None
) -> StaffConflict:
    values = tuple((f.path.name, shown) for f, shown in edited)
    listed = ", ".join(f"“{name}” ghi {shown or '(để trống)'}" for name, shown in values)
    master = next((f.path.name for f, _ in edited if f.is_master), None)
    stays = (f"tệp tổng hợp giữ {kept or '(để trống)'} như trong “{master}”" if kept is not None and master
             else "tệp tổng hợp giữ giá trị đã lưu trước đó")
    return StaffConflict(
        unit_code=code, criterion=key, values=values,
        message=(f"{label} của đơn vị {code} được sửa khác nhau ở hai tệp: {listed}. dvk không tự chọn: {stays}, "
                 "và giữ lại tệp kia. Hãy chọn giá trị đúng và nhập vào tệp tổng hợp."),
    )


def merge_staff_edits(files: Sequence[StaffFile]) -> MergedEdits:
    """The staff edits of the master and of the copies written beside it while it was open, one per cell.

    The rule, per cell (each "<code> thẩm định" cell and the council's note of each unit):

    * an edit is what differs from what dvk wrote into that file (``StaffFile.base``): a cleared cell is an
      edit, a cell left as dvk wrote it is none — modification times play no part;
    * no file edited the cell: the stored appraisal stands (an invalid value dvk wrote back stays as typed);
    * the files that edited it agree: that value;
    * they disagree: a conflict, never resolved silently — the master keeps the value typed in it (or the
      stored one when only copies edited it), both values are listed on "Lỗi" (``MergedEdits.conflicts``)
      and the copies holding another value are kept (``MergedEdits.losing``).

    The result holds only the cells that change something: edits, and invalid values carried as typed.
    """
    if not files:
        return MergedEdits(StaffEdits())
    codes = list(dict.fromkeys(code for f in files for code in f.edits.units))
    units: dict[str, UnitStaffEdits] = {}
    conflicts: list[StaffConflict] = []
    losing: set[Path] = set()
    for code in codes:
        present = [(f, f.edits.units[code]) for f in files if code in f.edits.units]
        values: dict[str, StaffCell] = {}
        for key in dict.fromkeys(k for _, u in present for k in u.values):
            found = [(f, u.values[key]) for f, u in present if key in u.values]
            edited = [(f, c) for f, c in found if cell_token(c) != f.base.get(code, {}).get(key)]
            carried = next((c for _, c in found if c.raw is not None and c.value is None), None)
            chosen: StaffCell | None = carried
            if len({cell_token(c) for _, c in edited}) == 1:
                chosen = edited[0][1]
            elif edited:
                mine = next((c for f, c in edited if f.is_master), None)
                chosen = mine if mine is not None else carried
                conflicts.append(_conflict(code, key, f"{key} thẩm định", [(f, _shown(c.raw)) for f, c in edited],
                                           _shown(mine.raw) if mine is not None else None))
                losing.update(f.path for f, c in edited
                              if not f.is_master and (mine is None or cell_token(c) != cell_token(mine)))
            if chosen is not None:
                values[key] = chosen
        note: str | None = None
        noted = [(f, u.note or "") for f, u in present if u.note is not None]
        edited_notes = [(f, n) for f, n in noted if note_token(n) != f.base.get(code, {}).get(NOTE)]
        if len({note_token(n) for _, n in edited_notes}) == 1:
            note = edited_notes[0][1]
        elif edited_notes:
            note = next((n for f, n in edited_notes if f.is_master), None)
            conflicts.append(_conflict(code, None, "Ghi chú của hội đồng", edited_notes, note))
            losing.update(f.path for f, n in edited_notes
                          if not f.is_master and (note is None or note_token(n) != note_token(note)))
        if values or note is not None:
            row = next((u.row for f, u in present if f.is_master), present[0][1].row)
            units[code] = UnitStaffEdits(values=values, note=note, row=row)
    first = next((f for f in files if f.is_master), files[0])
    staff = replace(
        first.edits,
        units=units,
        issues=tuple(i for f in files for i in f.edits.issues),
        criteria=frozenset().union(*(f.edits.criteria for f in files)),
        has_note=any(f.edits.has_note for f in files),
        stamp=None,
    )
    return MergedEdits(staff, tuple(conflicts), frozenset(losing))


def ledger_base(ledger: Ledger, year: int) -> dict[str, dict[str, str]]:
    """The stored appraisal as cell tokens: the base of a file whose write id this ledger does not know."""
    out: dict[str, dict[str, str]] = {}
    for code, appraisal in ledger.appraisals(year).items():
        cells = {criterion: value_token(value) for criterion, value in appraisal.values.items()}
        if (note := note_token(appraisal.note)) is not None:
            cells[NOTE] = note
        if cells:
            out[code] = cells
    return out


def read_staff_files(path: Path, rubric: Rubric, year: int, ledger: Ledger) -> list[StaffFile]:
    """The master at ``path`` and its "(ban moi)" copies as they are now, each with its fingerprint (taken
    before it is read: a save during the read shows as a change later) and what dvk wrote into it."""
    fallback: dict[str, dict[str, str]] | None = None
    files: list[StaffFile] = []
    for source in (path, *beside_copies(path)):
        fingerprint = Fingerprint.of(source)
        if fingerprint is None:
            continue
        edits = _read_back(source, rubric, year)
        base = ledger.master_write(edits.stamp) if edits.stamp else None
        if base is None:
            fallback = ledger_base(ledger, year) if fallback is None else fallback
            base = fallback
        files.append(StaffFile(source, edits, base, fingerprint, source == path))
    return files


def current_staff_edits(ledger: Ledger, path: Path, rubric: Rubric, year: int) -> StaffEdits:
    """The edits typed into the master at ``path`` (and its copies) that the ledger does not hold yet, by the
    rule of ``merge_staff_edits``; nothing is stored."""
    return merge_staff_edits(read_staff_files(path, rubric, year, ledger)).staff


def _read_back(path: Path, rubric: Rubric, year: int) -> StaffEdits:
    staff = read_staff_edits(path, rubric)  # a renamed sheet or header: WorkbookError, the file is kept
    if staff.year is not None and staff.year != year:
        raise WorkbookError(
            f"Tệp tổng hợp {path} là của năm {staff.year}, không phải năm {year}: dvk không ghi đè nó và không chép "
            f"điểm thẩm định năm {staff.year} sang năm {year}. Hãy để {{year}} trong đường dẫn [output] master "
            "(ví dụ tong-hop/tong-hop-{year}.xlsx) hoặc chọn tệp khác với --out.",
            path=str(path),
        )
    return staff


def read_back_counts(results: Sequence[UnitResult]) -> dict[str, int] | None:
    """What the master applies of the council's work: appraisal values, notes, and the values typed that are
    not valid (kept as typed, red, on "Lỗi"); None when there is none of them."""
    appraisals = sum(len(r.appraisal) for r in results)
    notes = sum(1 for r in results if r.note)
    invalid = sum(len(r.invalid) for r in results)
    if not (appraisals or notes or invalid):
        return None
    return {"appraisals": appraisals, "notes": notes, "invalid": invalid}


def unused_appraisal(code: str, values: Mapping[str, object]) -> str:
    """The notice for appraisals typed for a unit that has sent nothing: kept, counted once it submits."""
    return (f"Đơn vị {code} chưa nộp phiếu: điểm thẩm định đã nhập ({', '.join(sorted(values))}) được giữ lại nhưng "
            "chưa được tính cho tới khi đơn vị nộp phiếu.")




def _lost(files: Sequence[StaffFile], registered: Collection[str]) -> tuple[list[str], set[Path]]:
    """What the rebuild could not carry (rows of unknown codes, inserted columns) and the files holding it."""
    notes: list[str] = []
    keep: set[Path] = set()
    for f in files:
        lost = unknown_rows(f.edits, registered, f.path)
        if f.edits.unkept:
            columns = ", ".join(f"“{name}” ({count} ô)" for name, count in f.edits.unkept)
            lost.append(f"Tệp {f.path.name}, trang “Chi tiết tiêu chí”: cột do người dùng thêm {columns} không được "
                        "dvk ghi lại khi lập lại tệp.")
        if lost:
            keep.add(f.path)
        notes.extend(lost)
    return notes, keep


def write_year_master(
    settings: Settings,
    ledger: Ledger,
    year: int,
    *,
    out: Path | None = None,
    now: dt.datetime | None = None,
    before_replace: Callable[[Path], None] | None = None,
) -> tuple[WriteResult, Sequence[UnitResult]]:
    """Read staff edits from the existing master (and from the copies written beside it while it was open in
    Excel) into the ledger, then rewrite the master from the ledger.

    Nothing typed is lost silently: a master of another year, a renamed sheet or header, or a workbook that is
    no dvk master stops with a message and the file untouched; rows of unknown unit codes and columns a person
    inserted are said, and the file is kept as a copy ("… (ban cu …).xlsx") before the rebuild. The edits of
    several files are merged by ``merge_staff_edits``. A master a person saved while it was being rebuilt is
    not replaced: it is read again and rebuilt (``ATTEMPTS`` times at most), then the new version is written
    beside it ("(ban moi)") with a message.

    ``before_replace(target)``: called when the new file is complete, just before dvk checks that the file it
    replaces is still the one it read (a test seam: a person saving the master "during" the rebuild).
    """
    path = Path(out) if out else settings.master_path(year)
    path.parent.mkdir(parents=True, exist_ok=True)
    when = now or dt.datetime.now().astimezone()
    rubric = settings.load_rubric()
    registered = set(settings.registry())
    update_register(settings, ledger, year)  # the commune register from the current versions (dvk models)
    resaved = 0
    result: WriteResult | None = None
    while result is None:
        files = read_staff_files(path, rubric, year, ledger)
        merged = merge_staff_edits(files)
        notes, keep = _lost(files, registered)
        if files:
            store_staff_edits(ledger, year, merged.staff, seen_at=when, units=registered)
        # a "Save As .xlsm" copy beside the master is never read: name what it holds that the master lacks
        notes.extend(unread_macro_copies(path, rubric, year=year))
        kept: list[Path] = []
        for f in files:
            if f.path in keep or f.path in merged.losing:
                copy = old_copy_path(path, when)
                shutil.copy2(f.path, copy)
                kept.append(copy)
                notes.append(f"Tệp cũ được giữ nguyên ở “{copy.name}”." if f.is_master
                             else f"Bản “{f.path.name}” được giữ lại thành “{copy.name}”.")
        data = replace(master_input(settings, ledger, year, now=when), staff_notices=tuple(notes),
                       staff_conflicts=merged.conflicts)
        stamp = uuid.uuid4().hex
        expected: dict[Path, Fingerprint | None] = {f.path: f.fingerprint for f in files}
        expected.setdefault(path, None)
        try:
            result = write_master(path, data, staff=merged.staff if files else None, stamp=stamp, expected=expected,
                                  beside=resaved >= ATTEMPTS, before_replace=before_replace)
        except MasterChanged:  # a person saved a file dvk had read: read it again
            for copy in kept:
                copy.unlink(missing_ok=True)
            if resaved >= ATTEMPTS:
                raise
            resaved += 1
    ledger.record_master_write(stamp, year, result.path, result.written, when)
    if resaved and not result.beside:
        notes.append(f"Tệp “{path.name}” vừa được lưu (có thể từ Excel) trong lúc dvk đang lập lại nó: dvk đã đọc lại "
                     "điểm thẩm định trong bản vừa lưu rồi lập lại tệp.")
    if not result.beside:
        for f in files:  # dvk's own copies: their edits are in the ledger and the new master
            if f.is_master or f.path == result.path or is_locked(f.path):
                continue
            if Fingerprint.of(f.path) != f.fingerprint:
                notes.append(f"“{f.path.name}” vừa được lưu trong lúc dvk lập lại tệp tổng hợp nên chưa được gộp; "
                             "lần chạy sau dvk sẽ đọc điểm thẩm định trong đó.")
                continue
            f.path.unlink(missing_ok=True)
            if f.path not in keep and f.path not in merged.losing:  # else: said where it was kept
                notes.append(f"Đã gộp điểm thẩm định từ “{f.path.name}” vào tệp tổng hợp và xóa bản đó.")
    notes.extend(conflict.message for conflict in merged.conflicts)
    submitted = ledger.latest_all(year)
    notes.extend(unused_appraisal(code, a.values) for code, a in sorted(ledger.appraisals(year).items())
                 if a.values and code in registered and code not in submitted)  # on the unit's row too
    if notes:
        result = replace(result, message=" ".join([result.message, *notes]).strip())
    return result, result.results


def write_phase(settings: Settings, ledger: Ledger, phase: int, out: Path, *, now: dt.datetime | None = None) -> WriteResult:
    """The sơ kết / tổng kết workbook of a phase from every year of it the ledger has."""
    _, years = PHASES[phase]
    present = set(ledger.years())
    when = now or dt.datetime.now().astimezone()
    data = {y: master_input(settings, ledger, y, now=when) for y in years if y in present}
    out.parent.mkdir(parents=True, exist_ok=True)
    papers = settings.documents.phase_papers(phase)
    return write_phase_review(out, phase, data, report_number=papers.report_number, report_date=papers.report_date,
                              giay_khen_quota=settings.awards.phase_giay_khen_quota)
