"""The master workbook: the year's ranking, appraisal columns staff type into, status, charts; phase reviews.

Input is plain in-memory data (``MasterInput``); the caller reads it from the ledger. Writing is atomic and
never clobbers a workbook open in Excel; staff-typed appraisal values and notes are read back by header name.
"""

from .atomic import is_locked, save_atomic
from .candidates import Candidate, CandidateList, Source, candidates
from .data import (
    Appraisal,
    HistoryRow,
    MasterInput,
    StaffCell,
    StaffConflict,
    StaffEdits,
    UnitResult,
    UnitRow,
    UnitStaffEdits,
    WriteResult,
)
from .phase import PHASE_SHEETS, PHASES, write_phase_review
from .safe import safe_text
from .scores import compute
from .staff import read_staff_edits
from .writer import SHEETS, build_master, write_master

__all__ = [
    "PHASES",
    "PHASE_SHEETS",
    "SHEETS",
    "Appraisal",
    "Candidate",
    "CandidateList",
    "HistoryRow",
    "MasterInput",
    "Source",
    "StaffCell",
    "StaffConflict",
    "StaffEdits",
    "UnitResult",
    "UnitRow",
    "UnitStaffEdits",
    "WriteResult",
    "build_master",
    "candidates",
    "compute",
    "is_locked",
    "read_staff_edits",
    "safe_text",
    "save_atomic",
    "write_master",
    "write_phase_review",
]
