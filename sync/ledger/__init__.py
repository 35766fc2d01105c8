"""The ledger (SQLite): every version received, statuses, staff appraisals, the Google Sheets dvk made.

    store       ``Ledger``: the only place with SQL besides ``migrations``
    migrations  the schema as ordered migrations
    records     the values the store returns (``VersionRecord``, ``UnitStatus`` …) and their encodings
    sheets      the Google Sheets provisioned, written back to and locked (tables of migration 4)
    held        files held for staff (unit code and name disagree): first seen, released to (migration 5)

Imports ``schemas`` only.
"""

from .store import (
    LATEST,
    Appraisal,
    FileState,
    Ledger,
    RunRecord,
    RunStatus,
    SourceKind,
    UnitStatus,
    UnitStatusRecord,
    VersionRecord,
    canonical_json,
    content_hash,
    decode_score,
    encode_issues,
    encode_score,
    encode_submission,
)

__all__ = [
    "LATEST",
    "Appraisal",
    "FileState",
    "Ledger",
    "RunRecord",
    "RunStatus",
    "SourceKind",
    "UnitStatus",
    "UnitStatusRecord",
    "VersionRecord",
    "canonical_json",
    "content_hash",
    "decode_score",
    "encode_issues",
    "encode_score",
    "encode_submission",
]
