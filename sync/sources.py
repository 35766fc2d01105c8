"""Sources of submissions: a folder of e-mailed .xlsx files, and the units' Google Sheets.

Each yields ``Fetched`` values: the unit, its Grid (raw cells by template address), the validation, and the
provenance (file path + sha256, or spreadsheet id + Drive modifiedTime). A unit whose file or sheet cannot be
read yields a ``Fetched`` with ``error`` set: one unit's failure never stops the others.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemas.errors import DvkError
from schemas.models import Issue, Severity, Unit
from schemas.rubric import Rubric
from schemas.text import canonical_code, fold
from schemas.validate import Validated
from workbook.grid import Grid
from workbook.layout import Layout
from workbook.preflight import check_size, preflight, sha256_of
from workbook.reader import read_grid, validate_grid

from .google import GoogleApi
from .ledger.records import content_hash

__all__ = [
    "Fetched",
    "FileSeen",
    "FolderScan",
    "body_hash",
    "conflicting_unit",
    "folder_files",
    "from_folder",
    "from_google",
    "grid_as_raw",
    "identity_conflict",
    "os_reason",
    "scan_folder",
    "with_unit_code",
]

SUFFIXES = (".xlsx", ".xlsm")
REFUSED_SUFFIXES = (".xls", ".csv", ".ods")  # read only to say why they are refused


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
    unchanged: bool = False  # Google: modifiedTime as last seen; folder: size, mtime and sha256 known (not parsed)
    held: str | None = None  # read, but it contradicts itself about its unit: kept for staff, not recorded
    held_for: tuple[str, ...] = ()  # held: the registered units it may belong to (the named one first)
    file_stat: tuple[int, int] | None = None  # folder: (size, mtime_ns) when read

    @property
    def issues(self) -> tuple[Issue, ...]:
        return self.validated.issues if self.validated else ()


def grid_as_raw(grid: Grid) -> dict[str, Any]:
    """The Grid as JSON-able raw values keyed "Sheet!A1" (what the ledger stores and hashes)."""
    return {f"{sheet}!{cell}": value for (sheet, cell), value in grid.items()}


def body_hash(layout: Layout, grid: Grid) -> str:
    """The content hash of a sheet without its unit code and unit name cells: the same for a held file and the
    file the unit sends again with only its code (or name) fixed."""
    skip = {(c.sheet, c.cell) for c in (layout.input("info.unit_code"), layout.input("info.unit_name"))}
    return content_hash({f"{sheet}!{cell}": value for (sheet, cell), value in grid.items() if (sheet, cell) not in skip})


def with_unit_code(layout: Layout, grid: Grid, code: str) -> Grid:
    """The grid with its unit code cell set to ``code`` (a held file staff released to that unit)."""
    where = layout.input("info.unit_code")
    cells = dict(grid.items())
    cells[(where.sheet, where.cell)] = code
    return Grid(cells)


def _identity(layout: Layout, grid: Grid, default_year: int | None) -> tuple[str | None, int | None]:
    code_cell = layout.input("info.unit_code")
    year_cell = layout.input("info.year")
    code = grid.get((code_cell.sheet, code_cell.cell))
    year = grid.get((year_cell.sheet, year_cell.cell))
    unit = canonical_code(code) or None
    try:
        year_int = int(str(year).strip()) if year not in (None, "") else default_year
    except ValueError:
        year_int = default_year
    return unit, year_int


@dataclass(frozen=True)
class FolderScan:
    """The candidate files of an intake folder, and what could not be looked at (Vietnamese notices)."""

    files: tuple[Path, ...]
    problems: tuple[str, ...] = ()  # links not followed (notices)
    unreadable: tuple[str, ...] = ()  # folders or entries that could not be read: the pass is incomplete
    root_unreadable: bool = False  # the intake folder itself could not be listed


def os_reason(err: OSError) -> str:
    """An OS error in Vietnamese (the words staff see), e.g. "không có quyền đọc"."""
    if err.errno in (errno.EACCES, errno.EPERM):
        return "không có quyền đọc"
    if err.errno == errno.ENOENT:
        return "không còn tồn tại"
    if err.errno == errno.ENAMETOOLONG:
        return "tên quá dài"
    if err.errno == errno.EISDIR:
        return "là một thư mục"
    return f"lỗi hệ thống {err.errno}" if err.errno else "lỗi hệ thống"


def scan_folder(folder: Path) -> FolderScan:
    """Every .xlsx/.xlsm (and the refused .xls/.csv/.ods) under ``folder``, recursively, oldest first.

    Excel's ``~$`` owner files are skipped. A folder that cannot be read is reported, never taken as "nobody
    submitted"; a symbolic link pointing outside the intake folder is not followed (and said so); linked
    folders are not entered.
    """
    if not folder.is_dir():
        return FolderScan(())
    root = folder.resolve()
    found: list[Path] = []
    problems: list[str] = []
    unreadable: list[str] = []

    def walk(directory: Path) -> None:
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as err:
            unreadable.append(
                f"Không đọc được thư mục {directory} ({os_reason(err)}): các tệp trong đó chưa được xét. "
                "Hãy cấp quyền đọc thư mục cho tài khoản chạy dvk."
            )
            return
        for entry in entries:
            if entry.name.startswith(("~$", ".~lock")):
                continue
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    target = path.resolve()
                    if not target.is_relative_to(root):
                        problems.append(
                            f"Bỏ qua “{path}”: đây là liên kết tắt trỏ ra ngoài thư mục nhận tệp ({target}); "
                            "dvk chỉ đọc tệp nằm trong thư mục nhận. Hãy chép chính tệp vào thư mục."
                        )
                        continue
                    if target.is_dir():
                        continue
                if entry.is_dir(follow_symlinks=False):
                    walk(path)
                elif entry.is_file() and path.suffix.lower() in (*SUFFIXES, *REFUSED_SUFFIXES):
                    found.append(path)
            except OSError as err:
                unreadable.append(f"Không đọc được “{path}” ({os_reason(err)}).")

    walk(folder)

    def mtime(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0

    root_failed = bool(unreadable) and unreadable[0].startswith(f"Không đọc được thư mục {folder} ")
    return FolderScan(tuple(sorted(found, key=lambda p: (mtime(p), str(p)))), tuple(problems), tuple(unreadable), root_failed)


def folder_files(folder: Path) -> list[Path]:
    """The candidate files of ``folder`` (see ``scan_folder``), oldest first."""
    return list(scan_folder(folder).files)


def _guess_unit(path: Path, registry: Mapping[str, Unit]) -> str | None:
    stem = canonical_code(path.stem)
    for code in sorted(registry, key=len, reverse=True):
        if stem == code or stem.startswith((code + "-", code + "_", code + " ")):
            return code
    return None


def _named_unit(registry: Mapping[str, Unit], unit_name: str | None) -> str | None:
    if not unit_name:
        return None
    wanted = fold(unit_name)
    return next((code for code, u in registry.items() if fold(u.name) == wanted), None)


def conflicting_unit(
    claimed: str | None, registry: Mapping[str, Unit], *, expected: str | None = None, unit_name: str | None = None,
) -> str | None:
    """The other registered unit a sheet that names ``claimed`` points to (see ``identity_conflict``), or None."""
    if claimed is None or claimed not in registry:
        return None
    if expected is not None and expected != claimed:
        return expected
    named = _named_unit(registry, unit_name)
    return named if named is not None and named != claimed else None


def identity_conflict(
    claimed: str | None, registry: Mapping[str, Unit], *, expected: str | None = None, unit_name: str | None = None,
    file_name: str | None = None,
) -> str | None:
    """Why a sheet that names unit ``claimed`` may belong to another unit, or None when nothing contradicts it.

    ``expected`` is the unit the source registered it for (a Google Sheet) or the unit its file name names;
    ``unit_name`` the “Tên đơn vị” typed in it. Shared by both sources: a sheet is never silently taken as
    another registered unit's version.
    """
    if claimed is None or claimed not in registry:
        return None
    if expected is not None and expected != claimed:
        where = f"tệp “{file_name}” mang tên đơn vị {expected}" if file_name else f"bảng tính được đăng ký cho {expected}"
        return f"Phiếu ghi mã {claimed} nhưng {where}"
    if unit_name:
        wanted = fold(unit_name)
        named = [code for code, u in registry.items() if fold(u.name) == wanted]
        if named and claimed not in named:
            return f"Phiếu ghi mã {claimed} nhưng tên đơn vị là “{unit_name}” (đơn vị {named[0]})"
    return None


def _text_at(layout: Layout, grid: Grid, name: str) -> str | None:
    cell = layout.input(name)
    value = grid.get((cell.sheet, cell.cell))
    return str(value).strip() if value not in (None, "") else None


@dataclass(frozen=True)
class FileSeen:
    """What the ledger knows of a file already read: its unit and year (the file is not parsed again)."""

    unit_code: str
    year: int


def from_folder(
    folder: Path,
    layout: Layout,
    rubric: Rubric,
    registry: Mapping[str, Unit],
    *,
    default_year: int | None = None,
    received_at: Callable[[Path], dt.datetime] | None = None,
    known_file: Callable[[Path, int, int, str], FileSeen | None] | None = None,
    scan: FolderScan | None = None,
    released: Callable[[str], str | None] | None = None,
) -> Iterator[Fetched]:
    """Read every file of the folder. The unit comes from the code inside the file (or, for a file that
    cannot be opened, from its name when that starts with a unit code).

    ``received_at(path)`` is when dvk received the file (default: now; the ledger keeps the time it first saw
    each content, never the file's mtime). ``known_file(path, size, mtime_ns, sha256)`` says a file was already
    read with this size, mtime and hash: it is not parsed again (``Fetched.unchanged``). ``released(content_hash)``
    names the unit staff released a held content to (``dvk intake release``): such a file is read as that unit's
    (its code cell set to the unit), never held again.
    """
    now = dt.datetime.now(dt.UTC)
    for path in (scan or scan_folder(folder)).files:
        received = received_at(path) if received_at else now
        revision = ""
        try:
            stat = path.stat()
            check_size(path)  # before hashing: a huge file is refused, not read
            revision = sha256_of(path)
            seen = known_file(path, stat.st_size, stat.st_mtime_ns, revision) if known_file else None
            if seen is not None:
                yield Fetched("folder", str(path), revision, received, seen.unit_code, seen.year, unchanged=True,
                              file_stat=(stat.st_size, stat.st_mtime_ns))
                continue
            if path.suffix.lower() not in SUFFIXES:
                preflight(path)  # raises the right Vietnamese message for .xls, .csv, .ods
            grid, reader_issues = read_grid(path, layout)
            validated = validate_grid(layout, grid, rubric, registry, reader_issues)
        except Exception as err:  # any failure is this file's error, never the pass's
            if isinstance(err, DvkError):
                message = str(err)
            elif isinstance(err, OSError):
                message = f"Không đọc được tệp “{path.name}”: {os_reason(err)}."
            else:
                message = (f"Không đọc được tệp “{path.name}” (tệp hỏng hoặc đang được ghi dở: {type(err).__name__}). "
                           "dvk sẽ đọc lại ở lượt sau.")
            yield Fetched("folder", str(path), revision, received, _guess_unit(path, registry), default_year, error=message)
            continue
        unit, year = _identity(layout, grid, default_year)
        if validated.submission is not None:
            unit, year = validated.submission.unit_code, validated.submission.year
        expected, typed_name = _guess_unit(path, registry), _text_at(layout, grid, "info.unit_name")
        conflict = identity_conflict(unit, registry, expected=expected, unit_name=typed_name, file_name=path.name)
        owner = released(content_hash(grid_as_raw(grid))) if conflict and released is not None else None
        if conflict and owner is not None:  # staff said whose it is: read as that unit's sheet
            grid = with_unit_code(layout, grid, owner)
            validated = validate_grid(layout, grid, rubric, registry, reader_issues)
            unit = owner
        elif conflict:
            other = conflicting_unit(unit, registry, expected=expected, unit_name=typed_name)
            yield Fetched("folder", str(path), revision, received, unit, year, grid, validated, held=(
                f"{conflict}: tệp “{path.name}” chưa được tính cho {unit}, chờ cán bộ xác nhận. Nếu đúng là phiếu "
                f"của {unit}, hãy đổi tên tệp hoặc sửa tên đơn vị cho khớp; nếu không, sửa lại mã đơn vị. Cán bộ "
                f"xác nhận bằng lệnh: dvk intake release \"{_relative(path, folder)}\" --unit {other or unit}"
            ), held_for=tuple(c for c in (other, unit) if c), file_stat=(stat.st_size, stat.st_mtime_ns))
            continue
        yield Fetched("folder", str(path), revision, received, unit, year, grid, validated,
                      file_stat=(stat.st_size, stat.st_mtime_ns))


def _relative(path: Path, folder: Path) -> str:
    """The file as staff name it: its path inside the intake folder."""
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return str(path)


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
        elif conflict := identity_conflict(unit, registry, unit_name=_text_at(layout, grid, "info.unit_name")):
            cell = layout.input("info.unit_name")
            mismatch = Issue(
                code="unit-mismatch", severity=Severity.ERROR, sheet=cell.sheet, cell=cell.cell,
                value=_text_at(layout, grid, "info.unit_name"),
                message=f"{conflict}. Hãy sửa tên đơn vị cho khớp với mã {code}.",
            )
            validated = Validated(None, (mismatch, *validated.issues))
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
