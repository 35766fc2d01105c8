"""Values the ledger hands out (frozen dataclasses), the status enums, and the JSON encoders it relies on.

Payloads are stored as JSON text. Use the encoders here when recording, so the typed accessors of
``VersionRecord`` rebuild the exact domain values:

- ``encode_submission`` / ``VersionRecord.submission()``: pydantic JSON of ``Submission`` (Decimals as strings,
  which pydantic parses back to Decimal; levels stay text).
- ``encode_issues`` / ``VersionRecord.issues()``: a JSON list of ``Issue``.
- ``encode_score`` / ``VersionRecord.score()``: ``ScoreCard`` with every Fraction written exactly as "n/d"
  (pydantic's own JSON of a ScoreCard rounds points to 2 decimals). The stored score is a record of what was
  shown at the time; recomputing ``schemas.score()`` from the parsed submission (with the appraisal) is the truth.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from pydantic import BaseModel, TypeAdapter

from schemas.models import Issue, ScoreCard, Submission

__all__ = [
    "Appraisal",
    "FileState",
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


class SourceKind(StrEnum):
    FOLDER = "folder"
    GOOGLE = "google"


class UnitStatus(StrEnum):
    """Outcome of one unit in one sync run."""

    OK = "ok"  # a new valid version
    UNCHANGED = "unchanged"  # nothing new since the last run
    INVALID = "invalid"  # read, but the submission has errors
    ERROR = "error"  # could not be read (403, 404, renamed tab, broken file, ...)
    MISSING = "missing"  # nothing submitted


class RunStatus(StrEnum):
    RUNNING = "running"
    OK = "ok"  # every unit fine
    PARTIAL = "partial"  # done, some units invalid or failed
    FAILED = "failed"  # a fatal error stopped the run
    INTERRUPTED = "interrupted"  # stopped by SIGINT/SIGTERM


_ISSUES = TypeAdapter(list[Issue])


# --- canonical raw JSON ------------------------------------------------------------------------------------


def _canonical(value: Any) -> Any:
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot store {value} in the raw grid")
        return int(value) if value.is_integer() else value
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        as_float = float(value)
        return as_float if Decimal(repr(as_float)) == value else str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    raise TypeError(f"cannot store a {type(value).__name__} in the raw grid")


def canonical_json(raw: Mapping[str, Any]) -> str:
    """Raw values as canonical JSON: sorted keys, no spaces, dates as ISO text, whole floats as integers."""
    return json.dumps(_canonical(raw), sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def content_hash(raw: Mapping[str, Any]) -> str:
    """sha256 of the canonical JSON: identical content from any source gives the same hash."""
    return hashlib.sha256(canonical_json(raw).encode("utf-8")).hexdigest()


# --- payload encoders --------------------------------------------------------------------------------------


def encode_submission(submission: Submission) -> str:
    return submission.model_dump_json()


def encode_issues(issues: Iterable[Issue]) -> str:
    return _ISSUES.dump_json(list(issues)).decode("utf-8")


def _exact(value: Any) -> Any:
    """Field values as JSON-able data, bypassing the rounding serializer of ``Points``."""
    if isinstance(value, BaseModel):
        return {name: _exact(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, Mapping):
        return {k: _exact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_exact(v) for v in value]
    return value


def encode_score(card: ScoreCard) -> str:
    """A ScoreCard as JSON with exact points ("16/3"), which ``decode_score`` reads back unchanged."""
    return json.dumps(_exact(card), ensure_ascii=False)


def _floats_as_text(value: Any) -> Any:
    if isinstance(value, float):
        return repr(value)  # "5.33" → Fraction(533, 100), not the binary expansion of the float
    if isinstance(value, dict):
        return {k: _floats_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_floats_as_text(v) for v in value]
    return value


def decode_score(text: str) -> ScoreCard:
    """A ScoreCard from ``encode_score`` JSON (exact), or from pydantic's rounded JSON (as written)."""
    return ScoreCard.model_validate(_floats_as_text(json.loads(text)))


# --- records -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VersionRecord:
    """One stored version of a unit's submission for a year. Payloads are JSON text; accessors rebuild values."""

    id: int
    unit_code: str
    year: int
    source: SourceKind
    revision: str
    content_hash: str
    fetched_at: dt.datetime
    raw_json: str
    submission_json: str | None
    issues_json: str
    score_json: str | None
    run_id: int | None

    def raw(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.raw_json)
        return data

    def submission(self) -> Submission | None:
        return None if self.submission_json is None else Submission.model_validate_json(self.submission_json)

    def issues(self) -> tuple[Issue, ...]:
        return tuple(_ISSUES.validate_json(self.issues_json))

    def score(self) -> ScoreCard | None:
        return None if self.score_json is None else decode_score(self.score_json)

    @property
    def error_count(self) -> int:
        return sum(1 for i in self.issues() if i.is_error)


@dataclass(frozen=True, slots=True)
class UnitStatusRecord:
    run_id: int
    unit_code: str
    year: int
    status: UnitStatus
    source: SourceKind | None
    revision: str | None
    message: str
    recorded_at: dt.datetime
    notices: tuple[str, ...] = ()  # what the commune should know about this unit's files (older copy, year, ...)


@dataclass(frozen=True, slots=True)
class FileState:
    """A file of the intake folder already read: skipped while its size, mtime and sha256 stay the same."""

    path: str
    size: int
    mtime_ns: int
    sha256: str
    layout_key: str
    unit_code: str
    year: int
    content_hash: str


@dataclass(frozen=True, slots=True)
class RunRecord:
    id: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: RunStatus
    counts: Mapping[str, int]
    error: str | None


@dataclass(frozen=True, slots=True)
class Appraisal:
    """The staff's current appraisal of a unit: points per criterion code (cleared ones absent) and a note.

    ``seen_at`` is when the latest change was read from the master; ``version_id`` the version the latest
    change was made against (compare with the unit's latest version to flag a resubmission for review).
    """

    unit_code: str
    year: int
    values: dict[str, Decimal] = field(default_factory=dict)
    note: str = ""
    seen_at: dt.datetime | None = None
    version_id: int | None = None
