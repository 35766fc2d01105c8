"""One sync pass: detect changes, fetch, validate, score, record in the ledger, rebuild the master.

    run_sync(settings, ...) -> SyncReport

Per unit the pass ends in one status: ok (a new valid version), unchanged (nothing new), invalid (the latest
version has errors), error (the source failed; the last good version stays), missing (nothing ever received).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from schemas.models import Unit
from schemas.rubric import Rubric
from schemas.scoring import score
from workbook.layout import build_layout
from workbook.master import compute
from workbook.master.data import UnitResult, WriteResult

from .config import Settings
from .google import GoogleApi, build_client
from .google_account import user_client
from .ledger import Ledger
from .ledger_records import RunStatus, UnitStatus, encode_issues, encode_score, encode_submission
from .reporting import master_input, write_year_master
from .sources import Fetched, from_folder, from_google, grid_as_raw
from .write_back import google_units, late_change, listing_folder, write_back_pass

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

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code, "name": self.name, "status": self.status, "source": self.source,
            "revision": self.revision, "total": self.total, "rating_code": self.rating_code,
            "issues": self.issues, "errors": self.errors, "message": self.message,
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

    @property
    def failed(self) -> bool:
        """Some unit is invalid or failed — including an unchanged unit whose latest version still has errors."""
        return any(u.status in (UnitStatus.INVALID.value, UnitStatus.ERROR.value) or u.errors for u in self.units)

    def to_json(self) -> dict[str, object]:
        return {
            "year": self.year,
            "units": [u.to_json() for u in self.units],
            "requests": dict(self.requests),
            "other_files": [u.to_json() for u in self.other_files],
            "master": str(self.master.path) if self.master else None,
            "master_message": self.master.message if self.master else None,
            "notices": list(self.notices),
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


def _record(ledger: Ledger, rubric: Rubric, preset: str, run_id: int, item: Fetched, year: int) -> tuple[str, bool]:
    """Store one fetched submission; (status, created)."""
    assert item.grid is not None and item.validated is not None and item.unit_code is not None
    validated = item.validated
    sub = validated.submission
    card = score(rubric, sub, preset=preset) if sub is not None else None
    _, created = ledger.record_version(
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
    )
    if not validated.ok:
        return UnitStatus.INVALID.value, created
    return (UnitStatus.OK if created else UnitStatus.UNCHANGED).value, created


def _message(item: Fetched, status: str) -> str:
    if item.error:
        return item.error
    errors = [i for i in item.issues if i.is_error]
    if errors:
        first = errors[0]
        where = f"{first.sheet}!{first.cell}: " if first.sheet and first.cell else ""
        more = f" (và {len(errors) - 1} lỗi khác)" if len(errors) > 1 else ""
        return f"{where}{first.message}{more}"
    return {"ok": "Đã nhận phiên bản mới.", "unchanged": "Không có thay đổi."}.get(status, "")


def run_sync(
    settings: Settings,
    *,
    google: GoogleApi | None = None,
    use_google: bool = True,
    write_master: bool = True,
    now: dt.datetime | None = None,
    on_unit: Callable[[str], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    writer: GoogleApi | None = None,
) -> SyncReport:
    """One pass over every source. ``on_unit`` is called after each unit or file (progress);
    ``should_stop`` is polled between units (a graceful stop leaves every recorded unit intact).
    ``writer`` writes the results back (default: the signed-in commune account, if any)."""
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
    with Ledger.open(ledger_path) as ledger:
        run_id = ledger.start_run()
        counts = {"ok": 0, "unchanged": 0, "invalid": 0, "error": 0, "files": 0}
        items: list[Iterable[Fetched]] = [
            from_folder(settings.sources.folder.path, layout, rubric, registry, default_year=year)
        ]
        units, recorded = google_units(ledger, registry, year)  # with the sheets `dvk sheets provision` made
        if use_google:
            google = google or build_google(settings, units)
        if google is not None:
            items.append(from_google(
                google, units, layout, rubric, registry, year=year,
                last_seen=lambda code: ledger.get_source_state(code, year, "google"),
                folder_id=settings.sources.google.drive_folder_id or listing_folder(recorded),
            ))
        try:
            for stream in items:
                for item in stream:
                    if (late := late_change(ledger, item, recorded, year)) is not None:  # locked: reported, not taken
                        report.notices.append(late)
                        continue
                    _take(ledger, rubric, preset, run_id, item, year, outcomes, others, counts)
                    if on_unit:
                        on_unit(item.unit_code or Path(item.location).name)
                    if should_stop():
                        report.interrupted = True
                        break
                if report.interrupted:
                    break
        except BaseException as exc:
            ledger.finish_run(run_id, RunStatus.FAILED, counts, error=f"{type(exc).__name__}: {exc}")
            raise
        finally:
            if google is not None:
                report.requests = dict(google.counts)
        for code, outcome in outcomes.items():
            if outcome.status == UnitStatus.MISSING.value:
                latest = ledger.latest(code, year)
                if latest is not None:  # nothing came this pass, but an earlier version exists
                    outcome.status = UnitStatus.UNCHANGED.value
                    outcome.source, outcome.revision = latest.source, latest.revision
                    outcome.errors = latest.error_count
                    outcome.issues = len(latest.issues())
                else:
                    outcome.message = "Chưa nhận được phiếu tự đánh giá."
            ledger.record_status(run_id, code, year, outcome.status, outcome.source, outcome.revision, outcome.message)
        status = RunStatus.INTERRUPTED if report.interrupted else RunStatus.PARTIAL if report.failed else RunStatus.OK
        ledger.finish_run(run_id, status, counts)
        if write_master:
            report.master, results = write_year_master(settings, ledger, year, now=now)
        else:
            results = compute(master_input(settings, ledger, year, now=now))
        _fill_totals(report, results)
        if use_google and not report.interrupted:  # results into each unit's own sheet (only when changed)
            write_back_pass(settings, ledger, results, units, notices=report.notices, connect=lambda: writer or user_client(settings))
    return report


def _take(
    ledger: Ledger, rubric: Rubric, preset: str, run_id: int, item: Fetched, year: int,
    outcomes: dict[str, UnitOutcome], others: list[UnitOutcome], counts: dict[str, int],
) -> None:
    counts["files"] += 1
    known = item.unit_code in outcomes and (item.year in (None, year))
    outcome = outcomes[item.unit_code] if known and item.unit_code else UnitOutcome(
        code=item.unit_code or "?", name=Path(item.location).name if item.source == "folder" else item.location
    )
    if item.unchanged:
        status = UnitStatus.UNCHANGED.value
    elif item.error or item.grid is None or item.unit_code is None:
        status = UnitStatus.ERROR.value
    else:
        status, _ = _record(ledger, rubric, preset, run_id, item, year)
    # a unit with several files (folder, oldest first) or both sources: the last one decides, but an error
    # never hides a good version received in the same pass
    if known and outcome.status in (UnitStatus.OK.value, UnitStatus.INVALID.value) and status == UnitStatus.ERROR.value:
        others.append(UnitOutcome(code=outcome.code, name=item.location, status=status, source=item.source,
                                  message=_message(item, status)))
        return
    outcome.status, outcome.source, outcome.revision = status, item.source, item.revision
    outcome.issues = len(item.issues)
    outcome.errors = sum(1 for i in item.issues if i.is_error)
    outcome.message = _message(item, status)
    counts[status] = counts.get(status, 0) + 1
    # files of another year of a registered unit are recorded quietly; unknown units and failures are listed
    if not known and (status in (UnitStatus.ERROR.value, UnitStatus.INVALID.value) or item.unit_code not in outcomes):
        others.append(outcome)


def _fill_totals(report: SyncReport, results: Sequence[UnitResult]) -> None:
    by_code = {r.row.unit.code: r for r in results}
    for outcome in report.units:
        result = by_code.get(outcome.code)
        if result is None:
            continue
        if result.card is not None:
            outcome.total = round(float(result.card.total), 2)
        outcome.rating_code = result.rating.value
        if outcome.status == UnitStatus.UNCHANGED.value and result.row.error_count:
            outcome.errors = result.row.error_count
