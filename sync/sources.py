"""Sources of submissions: a folder of e-mailed .xlsx files, and the units' Google Sheets.

Each yields ``Fetched`` values: the unit, its Grid (raw cells by template address), the validation, and the
provenance (file path + sha256, or spreadsheet id + Drive modifiedTime). A unit whose file or sheet cannot be
read yields a ``Fetched`` with ``error`` set: one unit's failure never stops the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemas.errors import DvkError
from schemas.models import Issue, Severity, Unit
from schemas.rubric import Rubric
from schemas.validate import Validated
from workbook.grid import Grid
from workbook.layout import Layout
from workbook.preflight import preflight, sha256_of
from workbook.reader import read_grid, validate_grid

from .google import GoogleApi

__all__ = ["Fetched", "folder_files", "from_folder", "from_google", "grid_as_raw"]

SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Fetched:
    """One unit's submission as a source delivered it (or the reason it could not)."""

    source: str  # "folder" | "google"
    location: str  # file path or spreadsheet id
    revision: str  # sha256 of the file, or the Drive modifiedTime
    received_at: dt.datetime
    unit_code: str | None  # None: the file does not say which unit it belongs to
    year: int | None
    grid: Grid | None = None
    validated: Validated | None = None
    error: str | None = None  # a file-level or API error, in Vietnamese
    unchanged: bool = False  # Google: modifiedTime as last seen, not fetched

    @property
    def issues(self) -> tuple[Issue, ...]:
        return self.validated.issues if self.validated else ()


def grid_as_raw(grid: Grid) -> dict[str, Any]:
    """The Grid as JSON-able raw values keyed "Sheet!A1" (what the ledger stores and hashes)."""
    return {f"{sheet}!{cell}": value for (sheet, cell), value in grid.items()}


def _identity(layout: Layout, grid: Grid, default_year: int | None) -> tuple[str | None, int | None]:
    code_cell = layout.input("info.unit_code")
    year_cell = layout.input("info.year")
    code = grid.get((code_cell.sheet, code_cell.cell))
    year = grid.get((year_cell.sheet, year_cell.cell))
    unit = str(code).strip().upper() if code not in (None, "") else None
    try:
        year_int = int(str(year).strip()) if year not in (None, "") else default_year
    except ValueError:
        year_int = default_year
    return unit, year_int


def folder_files(folder: Path) -> list[Path]:
    """Every .xlsx/.xlsm under ``folder`` (recursively), oldest first; Excel's ``~$`` owner files skipped."""
    if not folder.is_dir():
        return []
    files = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(("~$", ".~lock"))]
    candidates = [p for p in files if p.suffix.lower() in SUFFIXES or p.suffix.lower() in (".xls", ".csv", ".ods")]
    return sorted(candidates, key=lambda p: (p.stat().st_mtime, str(p)))


def _guess_unit(path: Path, registry: Mapping[str, Unit]) -> str | None:
    stem = path.stem.upper()
    for code in sorted(registry, key=len, reverse=True):
        if stem == code or stem.startswith((code + "-", code + "_", code + " ")):
            return code
    return None


def from_folder(
    folder: Path, layout: Layout, rubric: Rubric, registry: Mapping[str, Unit], *, default_year: int | None = None
) -> Iterator[Fetched]:
    """Read every file of the folder. The unit comes from the code inside the file (or, for a file that
    cannot be opened, from its name when that starts with a unit code)."""
    for path in folder_files(folder):
        received = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
        revision = ""
        try:
            revision = sha256_of(path)
            if path.suffix.lower() not in SUFFIXES:
                preflight(path)  # raises the right Vietnamese message for .xls, .csv, .ods
            grid, reader_issues = read_grid(path, layout)
        except (DvkError, OSError) as err:
            message = str(err) if isinstance(err, DvkError) else f"Không đọc được tệp “{path.name}”: {err.strerror}."
            yield Fetched("folder", str(path), revision, received, _guess_unit(path, registry), default_year, error=message)
            continue
        validated = validate_grid(layout, grid, rubric, registry, reader_issues)
        unit, year = _identity(layout, grid, default_year)
        if validated.submission is not None:
            unit, year = validated.submission.unit_code, validated.submission.year
        yield Fetched("folder", str(path), revision, received, unit, year, grid, validated)


def _parse_time(text: str | None) -> dt.datetime:
    if text:
        try:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            pass
    return dt.datetime.now(dt.UTC)


def from_google(
    api: GoogleApi,
    units: Mapping[str, Unit],
    layout: Layout,
    rubric: Rubric,
    registry: Mapping[str, Unit],
    *,
    year: int,
    last_seen: Callable[[str], str | None],
    folder_id: str | None = None,
    workers: int = 4,
) -> Iterator[Fetched]:
    """One Drive listing for the modifiedTime of every registered sheet, then one ``values:batchGet`` per
    changed spreadsheet with every layout range. ``last_seen(unit_code)`` is the revision the ledger saw."""
    sheets = {code: u.sheet for code, u in units.items() if u.sheet}
    if not sheets:
        return
    ranges = layout.ranges()
    later: list[DvkError] = []  # Google said "come back later" (a long Retry-After): stop asking this pass
    listing_about: object = None
    try:
        modified = api.modified_times(list(sheets.values()), folder_id=folder_id)
    except DvkError as err:  # the listing failed: fetch every sheet (batchGet reports per unit)
        modified = {}
        listing_error: str | None = str(err)
        listing_about = err.context.get("spreadsheet_id")  # a files.get of one sheet: not the others' concern
        if err.context.get("retry_after"):
            later.append(err)
    else:
        listing_error = None
    def fetch(code: str, sheet_id: str, revision: str | None) -> Fetched:
        if later:
            message = f"Chưa đọc bảng tính {sheet_id} trong lượt này. {later[0].context.get('detail', later[0])}"
            return Fetched("google", sheet_id, revision or "", _parse_time(revision), code, year, error=message)
        try:
            values = api.batch_get(sheet_id, ranges)
        except DvkError as err:
            if err.context.get("retry_after"):
                later.append(err)
            message = str(err)
            if listing_error is not None and listing_about in (None, sheet_id):
                message = f"{err} (Danh sách Drive: {listing_error})"
            return Fetched("google", sheet_id, revision or "", _parse_time(revision), code, year, error=message)
        grid = Grid.from_range_values(layout, values)
        validated = validate_grid(layout, grid, rubric, registry)
        unit, got_year = _identity(layout, grid, year)
        if validated.submission is not None:
            unit, got_year = validated.submission.unit_code, validated.submission.year
        if unit != code:  # the sheet registered for one unit names another: keep it under the registered unit
            cell = layout.input("info.unit_code")
            mismatch = Issue(
                code="unit-mismatch", severity=Severity.ERROR, sheet=cell.sheet, cell=cell.cell, value=unit,
                message=f"Bảng tính này được đăng ký cho đơn vị “{code}” nhưng ô mã đơn vị ghi “{unit or ''}”. "
                f"Hãy sửa mã đơn vị thành {code}.",
            )
            validated = Validated(None, (mismatch, *validated.issues))
            unit = code
        return Fetched("google", sheet_id, revision or "", _parse_time(revision), unit, got_year or year, grid, validated)

    todo: list[tuple[str, str, str | None]] = []
    for code, sheet_id in sheets.items():
        revision = modified.get(sheet_id)
        if revision is not None and revision == last_seen(code):
            yield Fetched("google", sheet_id, revision, _parse_time(revision), code, year, unchanged=True)
        else:
            todo.append((code, sheet_id, revision))
    # a few requests in flight hide the network latency; the shared pacer keeps them under the quota
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="dvk-sheets")
    try:
        yield from pool.map(lambda job: fetch(*job), todo)
    except BaseException:  # Ctrl-C or the consumer stopped early: no retry keeps running behind the user's back
        api.cancel()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
