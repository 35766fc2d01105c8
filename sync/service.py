"""One sync pass: detect changes, fetch, validate, score, record in the ledger, rebuild the master.

    run_sync(settings, ...) -> SyncReport

Per unit the pass ends in one status: ok (a new valid version), unchanged (nothing new), invalid (the latest
version has errors), error (the source failed; the last good version stays), missing (nothing ever received).
What each item does to its unit (older copies, two files, other years, held files) is ``intake.IntakePass``.

Seams: the sources (``from_folder``, ``from_google``) yield ``Fetched`` items; ``IntakePass.take`` records
them (an untouched sheet, holding only what dvk pre-filled, is no submission: ``workbook.prefill``); after the
pass the statuses are recorded and ``write_year_master`` rebuilds the master.

``SyncReport.requests`` counts every request sent to Google during the pass, by the reading client and by the
one writing results back (the same client when the commune's account reads): ``sheets`` and ``drive`` as
before, and ``sheets_reads``, ``sheets_writes``, ``drive_reads``, ``drive_writes``, ``token_refreshes``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from schemas.models import Unit
from workbook.layout import Layout, build_layout
from workbook.master import compute
from workbook.master.data import UnitResult, WriteResult
from workbook.prefill import prefill_values, untouched

from .config import Settings
from .google import GoogleApi, RequestCounts, build_client
from .google.account import user_client
from .google.write_back import google_units, listing_folder, write_back_pass
from .intake import IntakePass, UnitOutcome, late_change, layout_key
from .ledger import Ledger
from .ledger.held import released_unit
from .ledger.records import RunStatus, UnitStatus
from .ledger.sheets import SheetRecord
from .models import update_register
from .reporting import master_input, read_back_counts, write_year_master
from .sources import Fetched, FileSeen, from_folder, from_google, scan_folder

__all__ = ["SyncReport", "UnitOutcome", "build_google", "run_sync"]


@dataclass
class SyncReport:
    year: int
    units: list[UnitOutcome]
    requests: dict[str, int] = field(default_factory=lambda: RequestCounts().to_json())
    other_files: list[UnitOutcome] = field(default_factory=list)  # files of unknown units or other years
    master: WriteResult | None = None
    interrupted: bool = False
    notices: list[str] = field(default_factory=list)  # things the commune should know about the pass
    source_errors: list[str] = field(default_factory=list)  # parts of a source that could not be read (exit 1)
    #: appraisal values and notes applied from the master, and invalid values kept as typed ("invalid"), when any
    staff_edits: dict[str, int] | None = None

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

    def requests_text(self) -> str | None:
        """"Sheets 30 (30 đọc, 0 ghi), Drive 1 (1 đọc, 0 ghi)" and the token refreshes; None when nothing was sent."""
        r = self.requests
        if not any(r.get(k) for k in ("sheets", "drive", "token_refreshes")):
            return None
        text = ", ".join(
            f"{label} {r.get(api, 0)} ({r.get(f'{api}_reads', 0)} đọc, {r.get(f'{api}_writes', 0)} ghi)"
            for api, label in (("sheets", "Sheets"), ("drive", "Drive"))
        )
        if r.get("token_refreshes"):
            text += f", làm mới phiên đăng nhập {r['token_refreshes']}"
        return text

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
            "staff_edits": dict(self.staff_edits) if self.staff_edits else None,
        }


def build_google(settings: Settings, units: Mapping[str, Unit] | None = None) -> GoogleApi | None:
    """The Google client when any unit (of ``units``, default the registry) has a sheet and the Google source
    is configured. Without a service-account key, the signed-in commune account reads (``dvk google login``)."""
    google = settings.sources.google
    if not any(u.sheet for u in (units or settings.registry()).values()):
        return None
    if google.credentials is None:
        signed_in = user_client(settings)
        if signed_in is not None:
            return signed_in
    return build_client(
        credentials_file=google.credentials,
        api_endpoint=google.api_endpoint,
        timeout=google.timeout,
        reads_per_minute=google.reads_per_minute,
        max_attempts=google.max_attempts,
    )


def _untouched_rule(layout: Layout, registry: Mapping[str, Unit], recorded: Mapping[str, SheetRecord],
                    year: int) -> Callable[[Fetched], bool]:
    """Whether an item holds only what dvk pre-filled for its unit: as the registry says now, or (a sheet dvk
    made) as dvk recorded when it made it."""
    now = {code: prefill_values(layout, year, unit) for code, unit in registry.items()}

    def rule(item: Fetched) -> bool:
        code = item.unit_code
        if item.grid is None or code not in now:
            return False
        made = recorded.get(code)
        prefills = [now[code], *([made.prefill] if made is not None and item.source == "google" and made.prefill else [])]
        return untouched(layout, item.grid, prefills)

    return rule


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
    writer: GoogleApi | None = None,
) -> SyncReport:
    """One pass over every source. ``on_unit`` is called after each unit or file (progress);
    ``should_stop`` is polled between units (a graceful stop leaves every recorded unit intact).
    ``received_at(path)``: when a file of the folder was received (default: the time of this pass; the demo
    replays e-mails received over weeks). ``writer`` writes the results back (default: the signed-in commune
    account, if any)."""
    rubric = settings.load_rubric()
    preset = settings.preset().code
    layout = build_layout(rubric)
    registry = settings.registry()
    year = settings.year
    outcomes = {code: UnitOutcome(code=code, name=unit.name) for code, unit in registry.items()}
    counter = _Counter()
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
        key = layout_key(layout)
        units, recorded = google_units(ledger, registry, year)  # with the sheets `dvk sheets provision` made
        blank = _untouched_rule(layout, registry, recorded, year)
        state = IntakePass(ledger, rubric, preset, run_id, year, outcomes, others, key, layout=layout,
                           deadline=settings.deadline(year), untouched=blank)

        def known_file(path: Path, size: int, mtime_ns: int, sha256: str) -> FileSeen | None:
            seen = ledger.file_state(str(path))
            if seen is None or (seen.size, seen.mtime_ns, seen.sha256, seen.layout_key) != (size, mtime_ns, sha256, key):
                return None
            return FileSeen(seen.unit_code, seen.year)

        pass_time = now.astimezone(dt.UTC) if now is not None else dt.datetime.now(dt.UTC)
        items: list[Iterable[Fetched]] = [from_folder(
            folder, layout, rubric, registry, default_year=year, scan=scan, known_file=known_file,
            received_at=received_at or (lambda _path: pass_time),
            released=lambda digest: (found[0] if (found := released_unit(ledger, digest)) else None),
        )]
        if use_google:
            google = google or build_google(settings, units)
        if google is not None:
            counter.track(google)
            items.append(from_google(
                google, units, layout, rubric, registry, year=year,
                last_seen=lambda code: ledger.get_source_state(code, year, "google"),
                folder_id=settings.sources.google.drive_folder_id or listing_folder(recorded),
                provisioned={code for code in recorded if code in registry and not registry[code].sheet},
            ))
        try:
            for stream in items:
                for item in stream:
                    late = late_change(ledger, item, recorded, year)
                    if late is not None and not blank(item):  # locked: reported, not taken (an empty sheet: nothing)
                        report.notices.append(late)
                        continue
                    state.take(item)
                    if on_unit:
                        on_unit(item.unit_code or Path(item.location).name)
                    if should_stop():
                        report.interrupted = True
                        break
                if report.interrupted:
                    break
            state.finish(complete=not report.interrupted and not scan.unreadable and folder.is_dir())
        except BaseException as exc:
            ledger.finish_run(run_id, RunStatus.FAILED, state.counts, error=f"{type(exc).__name__}: {exc}")
            raise
        finally:
            if google is not None:
                counter.track(google)
                report.requests = counter.total().to_json()
        for code, outcome in outcomes.items():
            latest = ledger.latest(code, year)
            waiting = outcome.status == "held"  # a held file may be the unit's: not "missing" (not a ledger status)
            if outcome.status in (UnitStatus.MISSING.value, UnitStatus.UNCHANGED.value, "held") and latest is not None:
                # nothing new this pass (or only old copies): the current version stands
                outcome.status = UnitStatus.UNCHANGED.value
                outcome.source, outcome.revision = latest.source, latest.revision
                outcome.errors = latest.error_count
                outcome.issues = len(latest.issues())
                older = [n for n in outcome.notices if "là bản cũ" in n]
                outcome.message = outcome.message or " ".join(["Không có thay đổi.", *older[:1]])
            elif waiting:
                outcome.message = "Có tệp chờ cán bộ xác nhận; chưa nhận được phiếu nào khác của đơn vị."
            elif outcome.status == UnitStatus.MISSING.value:
                outcome.message = (
                    "Chưa biết đơn vị đã nộp hay chưa: không đọc được thư mục nhận tệp." if scan.root_unreadable
                    else outcome.message or "Chưa nhận được phiếu tự đánh giá."  # or: an untouched sheet (intake)
                )
            as_recorded = UnitStatus.MISSING.value if outcome.status == "held" else outcome.status
            ledger.record_status(run_id, code, year, as_recorded, outcome.source, outcome.revision, outcome.message,
                                 notices=outcome.notices)
        status = RunStatus.INTERRUPTED if report.interrupted else RunStatus.PARTIAL if report.failed else RunStatus.OK
        ledger.finish_run(run_id, status, state.counts)
        as_of = now if now is not None else pass_time.astimezone()  # the master states statuses at the pass time
        if write_master:
            report.master, results = write_year_master(settings, ledger, year, now=as_of)
        else:
            update_register(settings, ledger, year)
            results = compute(master_input(settings, ledger, year, now=as_of))
        _fill_totals(report, results)
        if use_google and not report.interrupted:  # results into each unit's own sheet (only when changed)
            opened: list[GoogleApi] = []

            def connect() -> GoogleApi | None:  # the commune's account; the reading client when it is that account
                api = writer or (google if google is not None and google.user else None)
                if api is None:
                    api = user_client(settings)
                    opened.extend([api] if api is not None else [])
                if api is not None:
                    counter.track(api)
                return api

            try:
                write_back_pass(settings, ledger, results, units, notices=report.notices, connect=connect)
            finally:
                report.requests = counter.total().to_json()
                for api in opened:
                    api.close()
    return report


class _Counter:
    """Requests sent during one pass by each client it used (a client handed in may have sent others before)."""

    def __init__(self) -> None:
        self._seen: list[tuple[GoogleApi, RequestCounts]] = []

    def track(self, api: GoogleApi) -> None:
        if all(seen is not api for seen, _ in self._seen):
            self._seen.append((api, api.request_counts))

    def total(self) -> RequestCounts:
        return sum((api.request_counts - before for api, before in self._seen), RequestCounts())


def _fill_totals(report: SyncReport, results: Sequence[UnitResult]) -> None:
    by_code = {r.row.unit.code: r for r in results}
    report.staff_edits = read_back_counts(results)
    for outcome in report.units:
        result = by_code.get(outcome.code)
        if result is None:
            continue
        if result.card is not None:
            outcome.total = round(float(result.card.total), 2)
        outcome.provisional, outcome.eligible = result.provisional, result.eligible
        outcome.needs_review = result.row.resubmitted_after_appraisal
        outcome.notices.extend(result.receipt_warnings)  # A4 typed against dvk's receipt record: said on the row
        if result.unrated is not None:  # nothing yet before the deadline, a held or unreadable file: not rated
            outcome.rating_code = None
            if result.row.status == "pending":
                blank = outcome.message if "chưa được điền" in outcome.message else ""  # an untouched sheet (intake)
                outcome.message = " ".join(m for m in (f"{result.unrated}.", blank) if m)
            continue
        outcome.rating_code = result.rating.value
        if outcome.status == UnitStatus.UNCHANGED.value and result.row.error_count:
            outcome.errors = result.row.error_count
