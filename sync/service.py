"""One sync pass: detect changes, fetch, validate, score, record in the ledger, rebuild the master.

    run_sync(settings, ...) -> SyncReport

Per unit the pass ends in one status: ok (a new valid version), unchanged (nothing new), invalid (the latest
version has errors), error (the source failed; the last good version stays), missing (nothing ever received).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from schemas.rubric import Rubric
from schemas.scoring import score
from schemas.validate import YEARS
from workbook.layout import Layout, build_layout
from workbook.master import compute
from workbook.master.data import UnitResult, WriteResult

from .config import Settings
from .google import GoogleApi, build_client
from .ledger import Ledger
from .ledger_records import (
    FileState,
    RunStatus,
    UnitStatus,
    VersionRecord,
    encode_issues,
    encode_score,
    encode_submission,
)
from .reporting import master_input, write_year_master
from .sources import Fetched, FileSeen, from_folder, from_google, grid_as_raw, scan_folder

__all__ = ["SyncReport", "UnitOutcome", "build_google", "run_sync"]


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

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code, "name": self.name, "status": self.status, "source": self.source,
            "revision": self.revision, "total": self.total, "rating_code": self.rating_code,
            "issues": self.issues, "errors": self.errors, "message": self.message, "notices": list(self.notices),
            "provisional": self.provisional, "eligible": self.eligible,
        }


@dataclass
class SyncReport:
    year: int
    units: list[UnitOutcome]
    requests: dict[str, int] = field(default_factory=lambda: {"sheets": 0, "drive": 0})
    other_files: list[UnitOutcome] = field(default_factory=list)  # files of unknown units or other years
    master: WriteResult | None = None
    interrupted: bool = False
    notices: list[str] = field(default_factory=list)  # things the commune should know about the pass
    source_errors: list[str] = field(default_factory=list)  # parts of a source that could not be read (exit 1)

    @property
    def failed(self) -> bool:
        """Some unit is invalid or failed — including an unchanged unit whose latest version still has errors —
        or a file could not be taken (unknown unit, invalid year, unreadable, held for staff)."""
        bad = (UnitStatus.INVALID.value, UnitStatus.ERROR.value)
        return (
            any(u.status in bad or u.errors for u in self.units)
            or any(o.status in bad for o in self.other_files)
            or bool(self.source_errors)
        )

    def to_json(self) -> dict[str, object]:
        return {
            "year": self.year,
            "units": [u.to_json() for u in self.units],
            "requests": dict(self.requests),
            "other_files": [u.to_json() for u in self.other_files],
            "master": str(self.master.path) if self.master else None,
            "master_message": self.master.message if self.master else None,
            "notices": list(self.notices),
            "source_errors": list(self.source_errors),
        }


def build_google(settings: Settings) -> GoogleApi | None:
    """The Google client when any unit has a sheet and the Google source is configured."""
    google = settings.sources.google
    if not any(u.sheet for u in settings.registry().values()):
        return None
    return build_client(
        credentials_file=google.credentials,
        api_endpoint=google.api_endpoint,
        timeout=google.timeout,
        reads_per_minute=google.reads_per_minute,
        max_attempts=google.max_attempts,
    )


def run_sync(
    settings: Settings,
    *,
    google: GoogleApi | None = None,
    use_google: bool = True,
    write_master: bool = True,
    now: dt.datetime | None = None,
    on_unit: Callable[[str], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    received_at: Callable[[Path], dt.datetime] | None = None,
) -> SyncReport:
    """One pass over every source. ``on_unit`` is called after each unit or file (progress);
    ``should_stop`` is polled between units (a graceful stop leaves every recorded unit intact).
    ``received_at(path)``: when a file of the folder was received (default: the time of this pass; the demo
    replays e-mails received over weeks)."""
    rubric = settings.load_rubric()
    preset = settings.preset().code
    layout = build_layout(rubric)
    registry = settings.registry()
    year = settings.year
    outcomes = {code: UnitOutcome(code=code, name=unit.name) for code, unit in registry.items()}
    others: list[UnitOutcome] = []
    report = SyncReport(year=year, units=list(outcomes.values()), other_files=others)
    ledger_path = settings.ledger_path
    ledger_path.parent.mkdir(parents=True, exist_ok=True)
    folder = settings.sources.folder.path
    if not folder.is_dir():
        report.notices.append(
            f"Thư mục nhận tệp {folder} chưa có: hãy tạo thư mục và lưu vào đó các tệp phiếu nhận qua thư điện tử "
            "(hoặc sửa [sources.folder] path trong dvk.toml)."
        )
    scan = scan_folder(folder)
    report.notices.extend(scan.problems)
    report.source_errors.extend(scan.unreadable)
    report.notices.extend(scan.unreadable)
    with Ledger.open(ledger_path) as ledger:
        run_id = ledger.start_run()
        key = _layout_key(layout)
        state = _Pass(ledger, rubric, preset, run_id, year, outcomes, others, key)

        def known_file(path: Path, size: int, mtime_ns: int, sha256: str) -> FileSeen | None:
            seen = ledger.file_state(str(path))
            if seen is None or (seen.size, seen.mtime_ns, seen.sha256, seen.layout_key) != (size, mtime_ns, sha256, key):
                return None
            return FileSeen(seen.unit_code, seen.year)

        pass_time = now.astimezone(dt.UTC) if now is not None else dt.datetime.now(dt.UTC)
        items: list[Iterable[Fetched]] = [from_folder(
            folder, layout, rubric, registry, default_year=year, scan=scan, known_file=known_file,
            received_at=received_at or (lambda _path: pass_time),
        )]
        if use_google:
            google = google or build_google(settings)
        if google is not None:
            items.append(from_google(
                google, registry, layout, rubric, registry, year=year,
                last_seen=lambda code: ledger.get_source_state(code, year, "google"),
                folder_id=settings.sources.google.drive_folder_id,
            ))
        try:
            for stream in items:
                for item in stream:
                    state.take(item)
                    if on_unit:
                        on_unit(item.unit_code or Path(item.location).name)
                    if should_stop():
                        report.interrupted = True
                        break
                if report.interrupted:
                    break
            state.finish()
        except BaseException as exc:
            ledger.finish_run(run_id, RunStatus.FAILED, state.counts, error=f"{type(exc).__name__}: {exc}")
            raise
        finally:
            if google is not None:
                report.requests = dict(google.counts)
        for code, outcome in outcomes.items():
            latest = ledger.latest(code, year)
            if outcome.status in (UnitStatus.MISSING.value, UnitStatus.UNCHANGED.value) and latest is not None:
                # nothing new this pass (or only old copies): the current version stands
                outcome.status = UnitStatus.UNCHANGED.value
                outcome.source, outcome.revision = latest.source, latest.revision
                outcome.errors = latest.error_count
                outcome.issues = len(latest.issues())
                older = [n for n in outcome.notices if "là bản cũ" in n]
                outcome.message = outcome.message or " ".join(["Không có thay đổi.", *older[:1]])
            elif outcome.status == UnitStatus.MISSING.value:
                outcome.message = (
                    "Chưa biết đơn vị đã nộp hay chưa: không đọc được thư mục nhận tệp." if scan.root_unreadable
                    else "Chưa nhận được phiếu tự đánh giá."
                )
            ledger.record_status(run_id, code, year, outcome.status, outcome.source, outcome.revision, outcome.message,
                                 notices=outcome.notices)
            report.notices.extend(f"{code}: {notice}" for notice in outcome.notices)
        status = RunStatus.INTERRUPTED if report.interrupted else RunStatus.PARTIAL if report.failed else RunStatus.OK
        ledger.finish_run(run_id, status, state.counts)
        if write_master:
            report.master, results = write_year_master(settings, ledger, year, now=now)
        else:
            results = compute(master_input(settings, ledger, year, now=now))
        _fill_totals(report, results)
    return report


def _record(
    ledger: Ledger, rubric: Rubric, preset: str, run_id: int, item: Fetched, year: int
) -> tuple[str, VersionRecord, bool]:
    """Store one fetched submission; (status, record, current): ``current`` False for an older copy."""
    assert item.grid is not None and item.validated is not None and item.unit_code is not None
    validated = item.validated
    sub = validated.submission
    card = score(rubric, sub, preset=preset) if sub is not None else None
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


@dataclass
class _Pass:
    """The state of one pass while items arrive."""

    ledger: Ledger
    rubric: Rubric
    preset: str
    run_id: int
    year: int
    outcomes: dict[str, UnitOutcome]
    others: list[UnitOutcome]
    layout_key: str
    counts: dict[str, int] = field(default_factory=lambda: {"ok": 0, "unchanged": 0, "invalid": 0, "error": 0, "files": 0})
    files: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # unit → (file name, version id) read anew

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
        status, record, current = _record(self.ledger, self.rubric, self.preset, self.run_id, item, self.year)
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
            for code in sorted({c for c in (item.unit_code, _guess(item, self.outcomes)) if c in self.outcomes}):
                self.outcomes[code].notices.append(item.held)

    def _other_year(self, item: Fetched, code: str, year: int) -> None:
        """A registered unit's file for another year: a notice on the unit's row, not recorded for this round."""
        self.outcomes[code].notices.append(
            f"Tệp “{_name(item)}”: phiếu ghi năm {year}, đợt đánh giá là {self.year}; chưa được tính. "
            "Nếu là phiếu năm nay, hãy sửa ô năm đánh giá rồi gửi lại."
        )

    def finish(self) -> None:
        """Two files of one unit read in this pass: a notice naming both and the one that counts."""
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
    stem = Path(item.location).stem.upper()
    for code in sorted(outcomes, key=len, reverse=True):
        if stem == code or stem.startswith((code + "-", code + "_", code + " ")):
            return code
    return None


def _version_number(ledger: Ledger, code: str, year: int, version_id: int) -> int:
    versions = ledger.history(year, code)
    return next((i for i, v in enumerate(versions, 1) if v.id == version_id), len(versions))


def _layout_key(layout: Layout) -> str:
    """Files read under another layout (another rubric) are read again."""
    return hashlib.sha256(repr(layout.ranges()).encode("utf-8")).hexdigest()


def _fill_totals(report: SyncReport, results: Sequence[UnitResult]) -> None:
    by_code = {r.row.unit.code: r for r in results}
    for outcome in report.units:
        result = by_code.get(outcome.code)
        if result is None:
            continue
        if result.card is not None:
            outcome.total = round(float(result.card.total), 2)
        outcome.provisional, outcome.eligible = result.provisional, result.eligible
        if result.row.status == "pending":  # nothing yet, the deadline has not passed: not rated
            outcome.rating_code = None
            outcome.message = "Chưa nộp (còn hạn)."
            continue
        outcome.rating_code = result.rating.value
        if outcome.status == UnitStatus.UNCHANGED.value and result.row.error_count:
            outcome.errors = result.row.error_count
