"""The ledger projected into the master workbook (and the phase reviews), staff edits carried through.

    write_year_master(settings, ledger, year) -> (WriteResult, results)
    write_phase(settings, ledger, phase, out) -> WriteResult

Before the master is rewritten, what staff typed into it (the "thẩm định" columns and the council's note)
is read back and stored in the ledger, so it survives even if the file is later lost; then the new master is
written with it.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from schemas.errors import WorkbookError
from schemas.rubric import Rubric
from workbook.master import (
    Appraisal,
    HistoryRow,
    MasterInput,
    StaffEdits,
    UnitResult,
    UnitRow,
    WriteResult,
    read_staff_edits,
    write_master,
    write_phase_review,
)
from workbook.master.atomic import beside_copies, is_locked
from workbook.master.data import UnitStaffEdits
from workbook.master.phase import PHASES

from .config import Settings
from .ledger import Ledger
from .ledger.records import VersionRecord
from .models import read_register, update_register

__all__ = [
    "master_input",
    "merge_staff_edits",
    "store_staff_edits",
    "unknown_rows",
    "write_phase",
    "write_year_master",
]


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


def master_input(settings: Settings, ledger: Ledger, year: int, *, now: dt.datetime | None = None) -> MasterInput:
    """Everything the master of ``year`` shows, read from the ledger."""
    rubric = settings.load_rubric()
    history, per_unit = _history_rows(ledger, year)
    statuses = ledger.last_statuses(year)
    appraisals = ledger.appraisals(year)
    generated = now or dt.datetime.now().astimezone()
    deadline = settings.commune.deadline.replace(year=year) if settings.commune.year != year else settings.commune.deadline
    still_open = generated.astimezone().date() <= deadline
    units: list[UnitRow] = []
    for code, unit in settings.registry().items():
        latest = ledger.latest(code, year)
        status = statuses.get(code)
        notices = tuple(status.notices) if status is not None else ()
        if latest is None:
            failed = status is not None and status.status == "error"
            if code in appraisals and appraisals[code].values:  # review D27: typed, kept, not used yet: say so
                notices = (*notices, unused_appraisal(code, appraisals[code].values))
            units.append(UnitRow(
                unit=unit,
                status="error" if failed else "pending" if still_open else "missing",
                status_message=status.message if status is not None else "",
                sheet_url=unit.sheet,
                notices=notices,
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
        report_number=settings.documents.report_number,
        report_date=settings.documents.report_date,
        register=read_register(settings, ledger),
        giay_khen_quota=settings.awards.giay_khen_quota,
    )


def store_staff_edits(
    ledger: Ledger, year: int, staff: StaffEdits, *, seen_at: dt.datetime, units: Collection[str] | None = None
) -> int:
    """Record the valid staff edits of a master in the ledger (only what changed). Returns rows written.
    ``units``: the registered unit codes; rows of other codes are not stored (see ``unknown_rows``)."""
    written = 0
    for code, edits in staff.units.items():
        if units is not None and code not in units:
            continue
        latest = ledger.latest(code, year)
        values: dict[str, Decimal | None] = {
            criterion: cell.value for criterion, cell in edits.values.items() if cell.valid
        }
        written += ledger.save_appraisals(
            code, year, values, edits.note, seen_at=seen_at, version_id=latest.id if latest else None
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


def merge_staff_edits(files: Sequence[StaffEdits]) -> StaffEdits:
    """The edits of the master and of the copies written beside it while it was open, oldest file first.

    One file: as read (an emptied cell clears the appraisal). Several: per cell the newest file that has
    something typed wins, so a value typed into the copy is not cleared by the same cell left empty in the
    original (or the other way round); a cell is empty only when it is empty in every file.
    """
    if len(files) == 1:
        return files[0]
    units: dict[str, UnitStaffEdits] = {}
    for edits in files:
        for code, unit in edits.units.items():
            before = units.get(code)
            if before is None:
                units[code] = unit
                continue
            values = dict(before.values)
            for criterion, cell in unit.values.items():
                if not cell.empty or criterion not in values:
                    values[criterion] = cell
            note = unit.note if unit.note else before.note
            units[code] = UnitStaffEdits(values=values, note=note, row=unit.row)
    newest = files[-1]
    return replace(
        newest,
        units=units,
        issues=tuple(i for f in files for i in f.issues),
        criteria=frozenset().union(*(f.criteria for f in files)),
        has_note=any(f.has_note for f in files),
    )


def _keep_copy(path: Path, when: dt.datetime) -> Path:
    """A copy of the master as it was, beside it, before a rebuild that cannot carry everything in it."""
    copy = path.with_name(f"{path.stem} (ban cu {when:%Y-%m-%d %H%M}){path.suffix}")
    n = 2
    while copy.exists():
        copy = path.with_name(f"{path.stem} (ban cu {when:%Y-%m-%d %H%M} {n}){path.suffix}")
        n += 1
    shutil.copy2(path, copy)
    return copy


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


def unused_appraisal(code: str, values: Mapping[str, object]) -> str:
    """The notice for appraisals typed for a unit that has sent nothing: kept, counted once it submits."""
    return (f"Đơn vị {code} chưa nộp phiếu: điểm thẩm định đã nhập ({', '.join(sorted(values))}) được giữ lại nhưng "
            "chưa được tính cho tới khi đơn vị nộp phiếu.")


def write_year_master(
    settings: Settings, ledger: Ledger, year: int, *, out: Path | None = None, now: dt.datetime | None = None
) -> tuple[WriteResult, Sequence[UnitResult]]:
    """Read staff edits from the existing master (and from the copy written beside it while it was open in
    Excel) into the ledger, then rewrite the master from the ledger.

    Nothing typed is lost silently: a master of another year, a renamed sheet or header, or a workbook that is
    no dvk master stops with a message and the file untouched; rows of unknown unit codes and columns a person
    inserted are said, and the old file is kept as a copy ("… (ban cu …).xlsx") before the rebuild.
    """
    path = Path(out) if out else settings.master_path(year)
    path.parent.mkdir(parents=True, exist_ok=True)
    when = now or dt.datetime.now().astimezone()
    rubric = settings.load_rubric()
    registered = set(settings.registry())
    staff: StaffEdits | None = None
    notes: list[str] = []
    keep = False
    sources = [p for p in (path, *beside_copies(path)) if p.exists()]
    sources.sort(key=lambda p: p.stat().st_mtime)  # oldest first: the edits saved last are stored last
    read: list[StaffEdits] = []
    for source in sources:
        edits = _read_back(source, rubric, year)
        read.append(edits)
        lost = unknown_rows(edits, registered, source)
        if edits.unkept:
            columns = ", ".join(f"“{name}” ({count} ô)" for name, count in edits.unkept)
            lost.append(f"Tệp {source.name}, trang “Chi tiết tiêu chí”: cột do người dùng thêm {columns} không được "
                        "dvk ghi lại khi lập lại tệp.")
        if lost and source == path:
            keep = True
        notes.extend(lost)
    if read:
        staff = merge_staff_edits(read)
        store_staff_edits(ledger, year, staff, seen_at=when, units=registered)
    if keep:
        copy = _keep_copy(path, when)
        notes.append(f"Tệp cũ được giữ nguyên ở “{copy.name}”.")
    update_register(settings, ledger, year)  # the commune register from the current versions (dvk models)
    data = replace(master_input(settings, ledger, year, now=when), staff_notices=tuple(notes))
    result = write_master(path, data, staff=staff)
    if not result.beside:
        for copy in beside_copies(path):  # dvk's own copies: their edits are in the ledger and the new master
            if not is_locked(copy) and copy in sources:
                copy.unlink(missing_ok=True)
                notes.append(f"Đã gộp điểm thẩm định từ “{copy.name}” vào tệp tổng hợp và xóa bản đó.")
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
    data = {y: master_input(settings, ledger, y, now=now) for y in years if y in present}
    out.parent.mkdir(parents=True, exist_ok=True)
    return write_phase_review(out, phase, data)
