"""The input of the master workbook: plain in-memory values (the caller reads them from the ledger).

``MasterInput`` holds everything one year's master shows. Scores are not part of the input: the writer
computes them from the submissions with the domain core (``schemas.scoring``, ``schemas.rating``), so the
master always agrees with the rubric.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Literal

from schemas import Issue, Rating, Rubric, ScoreCard, Submission, Unit
from schemas.office import Letterhead
from schemas.register import ModelRegister

__all__ = [
    "Appraisal",
    "HistoryRow",
    "MasterInput",
    "StaffCell",
    "StaffConflict",
    "StaffEdits",
    "Status",
    "UnitResult",
    "UnitRow",
    "UnitStaffEdits",
    "WriteResult",
]

#: Submission status of a unit's latest version (as the sync service reports it). "pending": nothing received
#: yet and the deadline has not passed at the as-of date ("Chưa nộp (còn hạn)"); "held": nothing received but
#: a file that may be the unit's waits for staff ("Chờ xác nhận"). Both are not rated, like an unreadable file
#: ("error" without a version): kept out of the rating counts and charts (``UnitResult.unrated``).
Status = Literal["ok", "invalid", "error", "missing", "unchanged", "pending", "held"]


@dataclass(frozen=True)
class Appraisal:
    """The council's appraisal of one unit: points per criterion code (empty: the self score stands), a note."""

    values: Mapping[str, Decimal] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class UnitRow:
    """One unit of the registry and its latest version."""

    unit: Unit
    submission: Submission | None = None  # latest good parse; None: nothing usable
    issues: Sequence[Issue] = ()  # open issues of the latest version
    status: Status = "missing"
    status_message: str = ""
    source: str | None = None  # "folder" | "google"
    revision: str | None = None
    version: int | None = None  # 1-based version number of the unit
    received_at: dt.datetime | None = None
    sheet_url: str | None = None  # the unit's Google Sheet (URL or id)
    resubmitted_after_appraisal: bool = False
    #: what staff should know about the unit's files (an older copy, two files, a file for another year,
    #: a file held because it names another unit), Vietnamese, one sentence each
    notices: tuple[str, ...] = ()
    #: when the unit's first submission of the year reached dvk (``schemas.receipt``: its first filled version,
    #: or a held file released to it): lateness and A4 count from it. None: the current version's ``received_at``
    #: when ``filled``
    first_received_at: dt.datetime | None = None
    filled: bool = True  # some version of the unit is a filled sheet (False: only blank templates came)
    #: files held for staff that may be this unit's (file names); the unit's row says so ("Chờ xác nhận")
    waiting: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        return self.unit.code

    @property
    def error_count(self) -> int:
        return sum(1 for i in self.issues if i.is_error)

    @property
    def warning_count(self) -> int:
        return sum(1 for i in self.issues if not i.is_error)


@dataclass(frozen=True)
class HistoryRow:
    """One version received from one unit."""

    unit_code: str
    version: int
    source: str | None
    revision: str | None
    received_at: dt.datetime | None
    total: float | None
    rating: str | None  # rating code (HTXS, HTT, HT, KHT)
    error_count: int = 0


@dataclass(frozen=True)
class StaffConflict:
    """One staff cell edited differently in the master and in a copy of it (or in two copies): both are shown
    on "Lỗi", none is picked silently. ``criterion`` None: the council's note."""

    unit_code: str
    criterion: str | None
    values: tuple[tuple[str, str], ...]  # (file name, the value typed there, "" for an emptied cell)
    message: str  # Vietnamese: both values, which one the master keeps, where the other file was kept


@dataclass(frozen=True)
class MasterInput:
    """Everything the master workbook of one year shows."""

    commune: str  # e.g. "xã Cao Minh"
    province: str
    year: int
    rubric: Rubric
    preset: str  # preset code of the rubric
    deadline: dt.date
    generated_at: dt.datetime
    units: Sequence[UnitRow]  # every unit of the registry, registry order
    history: Sequence[HistoryRow] = ()
    appraisals: Mapping[str, Appraisal] = field(default_factory=dict)  # unit code → stored appraisal
    letterhead: Letterhead = Letterhead()  # noqa: RUF009 - frozen value; issuing body and signers of the printed annexes
    #: what the read-back of the previous master could not carry (a row of an unknown unit code with what was
    #: typed in it, a column a person inserted) and where the old file was kept; for the “Lỗi” sheet
    staff_notices: tuple[str, ...] = ()
    #: staff cells edited differently in two files read back (the master and its "(ban moi)" copy), for "Lỗi"
    staff_conflicts: tuple[StaffConflict, ...] = ()
    #: the annual report the annexes are attached to ([documents] report_number / report_date); empty / None:
    #: the annex line keeps its visible blanks ("số …/BC-UBND ngày … tháng … năm …")
    report_number: str = ""
    report_date: dt.date | None = None
    #: the date statuses are stated at ("còn hạn" until the deadline): the document's date for a document, the
    #: pass time for the master (None: the local date of ``generated_at``)
    as_of: dt.date | None = None

    @property
    def status_date(self) -> dt.date:
        """The as-of date of every status shown (``as_of``, else the local date of ``generated_at``)."""
        if self.as_of is not None:
            return self.as_of
        when = self.generated_at
        return (when.astimezone() if when.tzinfo else when).date()
    #: the commune register of models and exemplars across the years (``schemas.register``, read from the ledger);
    #: None: the register of this year's rows alone (codes given in order)
    register: ModelRegister | None = None
    #: the council's number of Giấy khen ([awards] giay_khen_quota); None: not set, every eligible candidate listed
    giay_khen_quota: int | None = None


@dataclass(frozen=True)
class StaffCell:
    """One "<code> thẩm định" cell as found in a master: what was typed and, when valid, its value."""

    raw: str | float | int | None  # as typed (None: empty)
    value: Decimal | None  # the valid appraisal; None when empty or invalid

    @property
    def empty(self) -> bool:
        return self.raw is None

    @property
    def valid(self) -> bool:
        return self.raw is None or self.value is not None


@dataclass(frozen=True)
class UnitStaffEdits:
    """Staff cells of one unit row: criterion code → cell (only criteria whose column exists), the note."""

    values: Mapping[str, StaffCell]
    note: str | None  # None: the master had no note column
    row: int = 0  # the row of "Chi tiết tiêu chí" it was read from (1-based; 0: unknown)


@dataclass(frozen=True)
class StaffEdits:
    """What staff typed into an existing master ("thẩm định" columns and the council's note)."""

    units: Mapping[str, UnitStaffEdits] = field(default_factory=dict)
    issues: tuple[Issue, ...] = ()  # invalid values and duplicate rows, with the cell they were read from
    criteria: frozenset[str] = frozenset()  # criterion codes with a "thẩm định" column in the file
    has_note: bool = False
    year: int | None = None  # the year of the master the edits were read from (None: not found in the file)
    #: columns of "Chi tiết tiêu chí" that dvk does not write (inserted by a person) and hold content:
    #: (header, number of filled cells); a rebuild would drop them, so the old file is kept as a copy
    unkept: tuple[tuple[str, int], ...] = ()
    #: the write id dvk put in the file (``written.STAMP_PROPERTY``): what dvk wrote into its staff cells is
    #: recorded under it; None: a file without one (written before dvk kept the record, or by hand)
    stamp: str | None = None

    def appraisals(self) -> dict[str, Appraisal]:
        """The valid edits as appraisals (for the ledger): unit code → values typed and note."""
        out: dict[str, Appraisal] = {}
        for code, edits in self.units.items():
            values = {c: cell.value for c, cell in edits.values.items() if cell.value is not None}
            out[code] = Appraisal(values=values, note=edits.note or "")
        return out


@dataclass(frozen=True)
class UnitResult:
    """One unit as the master shows it: self score, appraised score after the quota, rating, rank, reasons."""

    row: UnitRow
    self_card: ScoreCard | None  # from the facts alone; None without a submission
    card: ScoreCard | None  # with the appraisal applied and the commune-wide quota
    rating: Rating
    rank: int | None  # None: no usable submission (listed last, unranked)
    reasons: tuple[str, ...]
    appraisal: Mapping[str, Decimal]  # the appraisal values applied
    invalid: Mapping[str, str | float | int]  # staff values found invalid (not applied, written back as typed)
    note: str
    #: the latest version has errors not covered by an appraisal: the total is provisional
    #: ("tạm tính – phiếu còn lỗi"); criteria whose own inputs have an error count 0
    provisional: bool = False
    #: eligible for commendation: rated HTT or HTXS and not provisional (or staff appraised every criterion in error)
    eligible: bool = False
    #: not rated (yet), and why, as printed in the rating column: "Chưa nộp (còn hạn)", "Chờ xác nhận",
    #: "Chưa xếp loại – tệp không đọc được"; None: rated (``rating`` holds it). Unrated units are kept out of
    #: rating counts, charts and rankings; ``rating`` is then KHT only as a placeholder — never print it.
    unrated: str | None = None
    #: receipt facts that contradict what the unit typed (A4 "Đúng hạn" on a late sheet), Vietnamese warnings
    receipt_warnings: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        return self.row.unit.code

    @property
    def rated(self) -> bool:
        return self.unrated is None

    @property
    def rating_label(self) -> str:
        """What the rating column shows: the rating, or why the unit is not rated."""
        return self.unrated or self.rating.label

    @property
    def total(self) -> Fraction | None:
        return self.card.total if self.card else None

    @property
    def self_total(self) -> Fraction | None:
        return self.self_card.total if self.self_card else None


@dataclass(frozen=True)
class WriteResult:
    """Where a workbook was written; ``message`` (Vietnamese) says why when it is not the requested path."""

    path: Path
    requested: Path
    message: str = ""
    results: tuple[UnitResult, ...] = ()  # the computed unit results, ranked (empty for phase reviews)
    stamp: str | None = None  # the write id put in the file (``write_master(stamp=...)``)
    #: what the staff cells of the file hold as written (``written.written_cells``): record it under ``stamp``
    written: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def beside(self) -> bool:
        return self.path != self.requested
