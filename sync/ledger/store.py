"""The ledger: every fetched version, every sync run, the staff's appraisal — one SQLite file beside the master.

All SQL of dvk lives here and in ``ledger_migrations``; the rest of the project sees this API only.
Every write is one ``BEGIN IMMEDIATE`` … ``COMMIT`` transaction (WAL mode, ``synchronous=FULL``), so a crash
at any point leaves the last committed state intact. History is append-only: "current" means the latest row
per key, so nothing a unit sent or a staff member typed is ever overwritten.

A ``Ledger`` may be shared between threads (calls are serialised by a lock); a second process may open the
same file (writers wait up to ``timeout`` seconds for each other).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import re
import shutil
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import TracebackType
from typing import Any

from schemas.config_files import special_kind
from schemas.errors import LedgerError
from schemas.text import nfc, size_text

from .migrations import LATEST, migrate, schema_version
from .records import (
    Appraisal,
    FileState,
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

_VERSION_COLUMNS = (
    "id, unit_code, year, source, revision, content_hash, fetched_at, raw, submission, issues, score, run_id"
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime | None) -> str:
    """UTC ISO text; a naive datetime is taken as local time."""
    return (moment or _now()).astimezone(dt.UTC).isoformat()


def _time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _decimal_text(value: Decimal | None) -> str | None:
    """A stable text for a decimal value: "8", "7.5" (no exponent, no trailing zeros)."""
    if value is None:
        return None
    if not isinstance(value, Decimal) or not value.is_finite():
        raise LedgerError(f"Điểm thẩm định '{value}' không phải số hợp lệ.")
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _is_locked(err: sqlite3.Error) -> bool:
    text = str(err).lower()
    return "locked" in text or "busy" in text


def _locked_message(path: Path) -> str:
    return (
        f"Sổ lưu trữ {path} đang bị một tiến trình dvk khác giữ (đang đồng bộ hoặc đang ghi). "
        "Sổ không hỏng: hãy đợi lượt kia xong rồi chạy lại lệnh."
    )


def _broken_message(path: Path, err: sqlite3.Error) -> str:
    return (
        f"Tệp {path} không phải sổ lưu trữ dvk hoặc đã hỏng ({err}). Hãy kiểm tra lại đường dẫn [output] ledger; "
        "nếu sổ đã hỏng, khôi phục từ bản sao lưu (các điểm thẩm định vẫn còn trong tệp tổng hợp)."
    )


_SQLITE_IOERR, _SQLITE_FULL = 10, 13  # primary result codes (an extended code keeps them in its low byte)


def _disk_trouble(err: sqlite3.Error) -> str | None:
    """"full" or "io" when SQLite could not read or write the disk (SQLITE_FULL, SQLITE_IOERR): the file is
    not damaged, and restoring a backup would only lose what was stored since; None otherwise."""
    code = getattr(err, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(err).lower()
    if primary == _SQLITE_FULL or "disk is full" in text:
        return "full"
    if primary == _SQLITE_IOERR or "disk i/o error" in text:
        return "io"
    return None


def _free_space(folder: Path) -> int | None:
    for place in (folder, *folder.parents):  # the nearest folder that exists
        with contextlib.suppress(OSError):
            return shutil.disk_usage(place).free
    return None


def _disk_message(path: Path, trouble: str) -> str:
    free = _free_space(path.parent)
    left = f" (còn trống {size_text(free)})" if free is not None else ""
    if trouble == "full" or (free is not None and free < 1 << 20):
        return (f"Không ghi được sổ lưu trữ {path}: ổ đĩa đã đầy{left}. Sổ không hỏng, không cần khôi phục bản sao lưu: "
                f"hãy giải phóng dung lượng trên ổ chứa thư mục {path.parent} (xóa hoặc chuyển bớt tệp không cần, dọn "
                "thùng rác) rồi chạy lại.")
    return (f"Không đọc/ghi được sổ lưu trữ {path}: lỗi đọc ghi ổ đĩa{left} — thường do ổ đĩa đầy, hoặc ổ mạng/USB "
            "bị ngắt. Sổ không hỏng vì lỗi này, không cần khôi phục bản sao lưu: hãy giải phóng dung lượng hoặc kết "
            "nối lại ổ đĩa rồi chạy lại.")


def _ledger_error(path: Path, err: sqlite3.Error) -> LedgerError:
    """A SQLite failure as what the commune should do about it (locked, read-only, full, damaged)."""
    text = str(err).lower()
    if _is_locked(err):
        message = _locked_message(path)
    elif "readonly" in text or "read-only" in text:
        message = (f"Không ghi được vào sổ lưu trữ {path}: tệp hoặc thư mục chỉ cho đọc. Hãy cấp quyền ghi cho "
                   "tài khoản chạy dvk (sổ không hỏng), rồi chạy lại.")
    elif (trouble := _disk_trouble(err)) is not None:
        message = _disk_message(path, trouble)
    elif isinstance(err, sqlite3.OperationalError) and "unable to open" in text:
        message = f"Không mở được sổ lưu trữ {path}: thư mục không có hoặc không có quyền ghi. Hãy kiểm tra [output] ledger."
    else:
        message = _broken_message(path, err)
    return LedgerError(message, path=str(path))


def _refuse_special(path: Path) -> None:
    """``ledger = "/dev/zero"`` or a folder: said in Vietnamese before SQLite answers in English (review H16)."""
    if path.is_dir():
        raise LedgerError(f"Đường dẫn sổ lưu trữ {path} là một thư mục, không phải tệp. Hãy sửa [output] ledger "
                          "trong dvk.toml thành một tệp, ví dụ tong-hop/dvk-ledger.sqlite.", path=str(path))
    kind = special_kind(path)
    if kind is not None:
        raise LedgerError(f"Đường dẫn sổ lưu trữ {path} không phải một tệp thông thường (đó là {kind}). Hãy sửa "
                          "[output] ledger trong dvk.toml thành một tệp, ví dụ tong-hop/dvk-ledger.sqlite.",
                          path=str(path))


def _check_integrity(conn: sqlite3.Connection, path: Path) -> None:
    """``PRAGMA quick_check`` on open: a ledger with a damaged page or index is refused, never written into."""
    rows = conn.execute("PRAGMA quick_check").fetchall()
    problems = [str(r[0]) for r in rows if str(r[0]).lower() != "ok"]
    if problems:  # SQLite's own lines are English: say how many and where, in Vietnamese
        pages = sorted({int(n) for p in problems for n in re.findall(r"\bpage (\d+)", p, flags=re.IGNORECASE)})
        where = f" ở trang {', '.join(map(str, pages[:5]))}{' …' if len(pages) > 5 else ''}" if pages else ""
        raise sqlite3.DatabaseError(f"kiểm tra toàn vẹn thấy {len(problems)} chỗ hỏng{where}")


def _version(row: sqlite3.Row) -> VersionRecord:
    return VersionRecord(
        id=row["id"],
        unit_code=row["unit_code"],
        year=row["year"],
        source=SourceKind(row["source"]),
        revision=row["revision"],
        content_hash=row["content_hash"],
        fetched_at=_time(row["fetched_at"]),
        raw_json=row["raw"],
        submission_json=row["submission"],
        issues_json=row["issues"],
        score_json=row["score"],
        run_id=row["run_id"],
    )


class Ledger:
    """The SQLite ledger. Open with ``Ledger.open(path)``, preferably as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self._path = path
        self._lock = threading.RLock()

    # --- lifecycle -----------------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, timeout: float = 30.0) -> Ledger:
        """Open (or create) the ledger at ``path`` and migrate its schema to the current version."""
        path = Path(path)
        _refuse_special(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as err:
            raise _ledger_error(path, err) from err
        except OSError as err:
            if err.errno == errno.ENOSPC:
                raise LedgerError(_disk_message(path, "full"), path=str(path)) from err
            raise LedgerError(f"Không mở được sổ lưu trữ {path}: {err}.", path=str(path)) from err
        try:
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            _check_integrity(conn, path)
            migrate(conn, path)
        except sqlite3.Error as err:
            conn.close()
            raise _ledger_error(path, err) from err
        except BaseException:
            conn.close()
            raise
        return cls(conn, path)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @property
    def path(self) -> Path:
        return self._path

    @property
    def schema_version(self) -> int:
        with self._lock:
            return schema_version(self._conn)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as err:
                raise _ledger_error(self._path, err) from err
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except sqlite3.IntegrityError:  # a broken invariant of dvk itself, not of the file: as it is
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                raise
            except sqlite3.Error as err:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                raise _ledger_error(self._path, err) from err
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                raise

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as err:
                raise _ledger_error(self._path, err) from err

    # --- runs ----------------------------------------------------------------------------------------------

    def start_run(self, started_at: dt.datetime | None = None) -> int:
        with self._write() as conn:
            cur = conn.execute("INSERT INTO runs (started_at, status) VALUES (?, 'running')", (_iso(started_at),))
            return int(cur.lastrowid or 0)

    def finish_run(
        self,
        run_id: int,
        status: RunStatus | str,
        counts: Mapping[str, int],
        error: str | None = None,
        finished_at: dt.datetime | None = None,
    ) -> None:
        status = RunStatus(status)
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE runs SET finished_at = ?, status = ?, counts = ?, error = ? WHERE id = ?",
                (_iso(finished_at), status.value, json.dumps(dict(counts), sort_keys=True), error, run_id),
            )
            if cur.rowcount != 1:
                raise LedgerError(f"Không có lượt đồng bộ số {run_id} trong sổ lưu trữ.", path=str(self._path))

    def mark_interrupted_runs(self) -> int:
        """Mark runs still "running" as interrupted (their process died); call it holding the service lock."""
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE runs SET status = 'interrupted', finished_at = ?,"
                " error = COALESCE(error, 'Tiến trình đồng bộ đã dừng đột ngột.') WHERE status = 'running'",
                (_iso(None),),
            )
            return cur.rowcount

    def runs(self, limit: int | None = None) -> list[RunRecord]:
        """Sync runs, newest first."""
        sql = "SELECT * FROM runs ORDER BY id DESC" + (" LIMIT ?" if limit is not None else "")
        rows = self._read(sql, (limit,) if limit is not None else ())
        return [
            RunRecord(
                id=r["id"],
                started_at=_time(r["started_at"]),
                finished_at=_time(r["finished_at"]) if r["finished_at"] else None,
                status=RunStatus(r["status"]),
                counts=json.loads(r["counts"]),
                error=r["error"],
            )
            for r in rows
        ]

    # --- versions ------------------------------------------------------------------------------------------

    def record_version(
        self,
        *,
        unit_code: str,
        year: int,
        source: SourceKind | str,
        revision: str,
        raw: Mapping[str, Any],
        submission_json: str | None,
        issues_json: str,
        score_json: str | None,
        run_id: int | None,
        fetched_at: dt.datetime | None = None,
        revive_known: bool = False,
        current: bool = True,
    ) -> tuple[VersionRecord, bool]:
        """Store a fetched version; (record, True) if new, (the existing record, False) if the content is known.

        The current version of a unit is the content received last, by the time dvk first saw it. Known content
        showing up again (a re-saved or touched old attachment, a second copy) does not become current again,
        unless ``revive_known``: a live Google Sheet whose unit undid its edits shows that content now.
        ``fetched_at`` is stored only with a new row (when dvk first received the content). ``current`` False
        stores a new row in the history without making it current (a held file released after the unit sent a
        newer version: it keeps its first receipt time, the newer content stays current).
        In the same transaction ``revision`` becomes the source's last seen state (``get_source_state``).
        """
        source = SourceKind(source)
        raw_text = canonical_json(raw)
        digest = hashlib.sha256(raw_text.encode("utf-8")).hexdigest()  # = content_hash(raw)
        with self._write() as conn:
            row = conn.execute(
                f"SELECT {_VERSION_COLUMNS}, current_seq FROM versions WHERE unit_code = ? AND year = ? AND content_hash = ?",
                (unit_code, year, digest),
            ).fetchone()
            top = conn.execute("SELECT COALESCE(MAX(current_seq), 0) FROM versions").fetchone()[0]
            created = row is None
            if row is None:
                cur = conn.execute(
                    "INSERT INTO versions (unit_code, year, source, revision, content_hash, fetched_at, raw, submission,"
                    " issues, score, run_id, current_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (unit_code, year, source.value, revision, digest, _iso(fetched_at), raw_text, submission_json,
                     issues_json, score_json, run_id, top + 1 if current else 0),
                )
                version_id = cur.lastrowid
            else:
                version_id = row["id"]
                unit_top = conn.execute(
                    "SELECT MAX(current_seq) FROM versions WHERE unit_code = ? AND year = ?", (unit_code, year)
                ).fetchone()[0]
                if revive_known and row["current_seq"] != unit_top:
                    conn.execute("UPDATE versions SET current_seq = ? WHERE id = ?", (top + 1, version_id))
            self._upsert_source_state(conn, unit_code, year, source, revision, fetched_at)
            stored = conn.execute(f"SELECT {_VERSION_COLUMNS} FROM versions WHERE id = ?", (version_id,)).fetchone()
        return _version(stored), created

    def latest(self, unit_code: str, year: int) -> VersionRecord | None:
        rows = self._read(
            f"SELECT {_VERSION_COLUMNS} FROM versions WHERE unit_code = ? AND year = ? ORDER BY current_seq DESC LIMIT 1",
            (unit_code, year),
        )
        return _version(rows[0]) if rows else None

    def latest_all(self, year: int) -> dict[str, VersionRecord]:
        """The current version of every unit that sent something for ``year``, by unit code."""
        rows = self._read(
            f"SELECT {_VERSION_COLUMNS} FROM versions v WHERE year = ? AND current_seq = "
            "(SELECT MAX(current_seq) FROM versions w WHERE w.unit_code = v.unit_code AND w.year = v.year) ORDER BY id",
            (year,),
        )
        return {r["unit_code"]: _version(r) for r in rows}

    def history(self, year: int, unit_code: str | None = None) -> list[VersionRecord]:
        """Every version received for ``year`` (of one unit, or all), oldest first."""
        if unit_code is None:
            rows = self._read(f"SELECT {_VERSION_COLUMNS} FROM versions WHERE year = ? ORDER BY id", (year,))
        else:
            rows = self._read(
                f"SELECT {_VERSION_COLUMNS} FROM versions WHERE year = ? AND unit_code = ? ORDER BY id", (year, unit_code)
            )
        return [_version(r) for r in rows]

    def years(self) -> list[int]:
        """Years the ledger holds anything for, ascending."""
        rows = self._read(
            "SELECT year FROM versions UNION SELECT year FROM unit_status UNION SELECT year FROM appraisals"
            " UNION SELECT year FROM notes ORDER BY year"
        )
        return [int(r[0]) for r in rows]

    # --- unit statuses ---------------------------------------------------------------------------------------

    def record_status(
        self,
        run_id: int,
        unit_code: str,
        year: int,
        status: UnitStatus | str,
        source: SourceKind | str | None = None,
        revision: str | None = None,
        message: str = "",
        notices: tuple[str, ...] | list[str] = (),
    ) -> None:
        status = UnitStatus(status)
        src = SourceKind(source).value if source is not None else None
        with self._write() as conn:
            conn.execute(
                "INSERT INTO unit_status (run_id, unit_code, year, status, source, revision, message, recorded_at,"
                " notices) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, unit_code, year, status.value, src, revision, message, _iso(None),
                 json.dumps(list(notices), ensure_ascii=False)),
            )

    def last_statuses(self, year: int) -> dict[str, UnitStatusRecord]:
        """The status of every unit in the latest run that recorded one for it, by unit code."""
        rows = self._read(
            "SELECT * FROM unit_status s WHERE year = ? AND id = "
            "(SELECT MAX(id) FROM unit_status t WHERE t.unit_code = s.unit_code AND t.year = s.year) ORDER BY id",
            (year,),
        )
        return {
            r["unit_code"]: UnitStatusRecord(
                run_id=r["run_id"],
                unit_code=r["unit_code"],
                year=r["year"],
                status=UnitStatus(r["status"]),
                source=SourceKind(r["source"]) if r["source"] else None,
                revision=r["revision"],
                message=r["message"],
                recorded_at=_time(r["recorded_at"]),
                notices=tuple(json.loads(r["notices"])),
            )
            for r in rows
        }

    # --- files already read (skip re-parsing) --------------------------------------------------------------

    def file_state(self, path: str) -> FileState | None:
        rows = self._read("SELECT * FROM file_state WHERE path = ?", (path,))
        if not rows:
            return None
        r = rows[0]
        return FileState(
            path=r["path"], size=r["size"], mtime_ns=r["mtime_ns"], sha256=r["sha256"], layout_key=r["layout_key"],
            unit_code=r["unit_code"], year=r["year"], content_hash=r["content_hash"],
        )

    def set_file_state(self, state: FileState) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO file_state (path, size, mtime_ns, sha256, layout_key, unit_code, year,"
                " content_hash, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (state.path, state.size, state.mtime_ns, state.sha256, state.layout_key, state.unit_code, state.year,
                 state.content_hash, _iso(None)),
            )

    def version_by_hash(self, unit_code: str, year: int, digest: str) -> VersionRecord | None:
        rows = self._read(
            f"SELECT {_VERSION_COLUMNS} FROM versions WHERE unit_code = ? AND year = ? AND content_hash = ?",
            (unit_code, year, digest),
        )
        return _version(rows[0]) if rows else None

    # --- source state (change detection) -------------------------------------------------------------------

    def get_source_state(self, unit_code: str, year: int, source: SourceKind | str) -> str | None:
        """The revision (Drive modifiedTime, file sha256) last recorded for a unit's source, or None."""
        rows = self._read(
            "SELECT revision FROM source_state WHERE unit_code = ? AND year = ? AND source = ?",
            (unit_code, year, SourceKind(source).value),
        )
        return str(rows[0][0]) if rows else None

    def set_source_state(
        self, unit_code: str, year: int, source: SourceKind | str, revision: str, checked_at: dt.datetime | None = None
    ) -> None:
        with self._write() as conn:
            self._upsert_source_state(conn, unit_code, year, SourceKind(source), revision, checked_at)

    @staticmethod
    def _upsert_source_state(
        conn: sqlite3.Connection, unit_code: str, year: int, source: SourceKind, revision: str, at: dt.datetime | None
    ) -> None:
        conn.execute(
            "INSERT INTO source_state (unit_code, year, source, revision, checked_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (unit_code, year, source) DO UPDATE SET revision = excluded.revision,"
            " checked_at = excluded.checked_at",
            (unit_code, year, source.value, revision, _iso(at)),
        )

    # --- what dvk wrote into the masters' staff cells ----------------------------------------------------------

    def record_master_write(
        self, write_id: str, year: int, path: Path | str, cells: Mapping[str, Mapping[str, str]],
        written_at: dt.datetime | None = None,
    ) -> None:
        """Record what the staff cells of the master written under ``write_id`` hold (unit → key → token).
        Identical cell sets are stored once (a master rewritten every pass costs one small row)."""
        text = canonical_json({code: dict(keys) for code, keys in cells.items()})
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        with self._write() as conn:
            conn.execute("INSERT OR IGNORE INTO staff_cells (hash, cells) VALUES (?, ?)", (digest, text))
            conn.execute(
                "INSERT OR REPLACE INTO master_writes (write_id, year, path, cells_hash, written_at) VALUES (?, ?, ?, ?, ?)",
                (write_id, year, str(path), digest, _iso(written_at)),
            )

    def master_write(self, write_id: str) -> dict[str, dict[str, str]] | None:
        """What dvk wrote into the staff cells of the master with ``write_id``; None when this ledger does not
        know the id (a file written before the record was kept, or by a ledger since replaced)."""
        rows = self._read(
            "SELECT c.cells FROM master_writes w JOIN staff_cells c ON c.hash = w.cells_hash WHERE w.write_id = ?",
            (write_id,),
        )
        if not rows:
            return None
        cells = json.loads(rows[0][0])
        return {str(code): {str(k): str(v) for k, v in keys.items()} for code, keys in cells.items()}

    # --- staff appraisal -----------------------------------------------------------------------------------

    def save_appraisals(
        self,
        unit_code: str,
        year: int,
        values: Mapping[str, Decimal | None],
        note: str | None = None,
        seen_at: dt.datetime | None = None,
        version_id: int | None = None,
    ) -> int:
        """Record what the master shows for a unit; only values that differ from the current ones are written.

        ``values`` maps criterion codes to the appraisal points (None: the cell is empty, i.e. cleared);
        criteria not in ``values`` are left as they are. ``note`` None or "" means an empty note cell.
        Returns the number of rows written (0 when nothing changed).
        """
        seen = _iso(seen_at)
        wanted = {code.strip().upper(): _decimal_text(v) for code, v in values.items()}
        text = nfc(note or "").strip()
        written = 0
        with self._write() as conn:
            current = {
                r["criterion"]: r["value"]
                for r in conn.execute(
                    "SELECT criterion, value FROM appraisals a WHERE unit_code = ? AND year = ? AND id = "
                    "(SELECT MAX(id) FROM appraisals b WHERE b.unit_code = a.unit_code AND b.year = a.year"
                    " AND b.criterion = a.criterion)",
                    (unit_code, year),
                )
            }
            for code, value in wanted.items():
                if not _same(current.get(code), value):
                    conn.execute(
                        "INSERT INTO appraisals (unit_code, year, criterion, value, seen_at, version_id)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        (unit_code, year, code, value, seen, version_id),
                    )
                    written += 1
            row = conn.execute(
                "SELECT text FROM notes WHERE unit_code = ? AND year = ? ORDER BY id DESC LIMIT 1", (unit_code, year)
            ).fetchone()
            if (row["text"] if row else "") != text:
                conn.execute(
                    "INSERT INTO notes (unit_code, year, text, seen_at, version_id) VALUES (?, ?, ?, ?, ?)",
                    (unit_code, year, text, seen, version_id),
                )
                written += 1
        return written

    def appraisals(self, year: int) -> dict[str, Appraisal]:
        """The current appraisal of every unit that has a value or a note for ``year``, by unit code."""
        latest: dict[str, list[tuple[int, str, str | None, str, int | None]]] = {}
        for r in self._read(
            "SELECT id, unit_code, criterion, value, seen_at, version_id FROM appraisals a WHERE year = ? AND id = "
            "(SELECT MAX(id) FROM appraisals b WHERE b.unit_code = a.unit_code AND b.year = a.year"
            " AND b.criterion = a.criterion) ORDER BY id",
            (year,),
        ):
            latest.setdefault(r["unit_code"], []).append((r["id"], r["criterion"], r["value"], r["seen_at"], r["version_id"]))
        notes = {
            r["unit_code"]: (r["id"], r["text"], r["seen_at"], r["version_id"])
            for r in self._read(
                "SELECT id, unit_code, text, seen_at, version_id FROM notes n WHERE year = ? AND id = "
                "(SELECT MAX(id) FROM notes m WHERE m.unit_code = n.unit_code AND m.year = n.year)",
                (year,),
            )
        }
        out: dict[str, Appraisal] = {}
        for unit in sorted(set(latest) | set(notes)):
            rows = latest.get(unit, [])
            values = {code: Decimal(value) for _, code, value, _, _ in rows if value is not None}
            note = notes.get(unit)
            text = note[1] if note else ""
            if not values and not text:
                continue
            changes = [(i, seen, vid) for i, _, _, seen, vid in rows]
            # ids of the two tables are independent: order the latest changes by time, then by id
            if note:
                changes.append((note[0], note[2], note[3]))
            last = max(changes, key=lambda c: (c[1], c[0]))
            out[unit] = Appraisal(
                unit_code=unit, year=year, values=values, note=text, seen_at=_time(last[1]), version_id=last[2]
            )
        return out


def _same(old: str | None, new: str | None) -> bool:
    if old is None or new is None:
        return old is new
    try:
        return Decimal(old) == Decimal(new)
    except InvalidOperation:
        return old == new

