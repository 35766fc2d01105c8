"""The ledger on a real SQLite file: versions, dedup by content, runs, statuses, source state, appraisals."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from schemas import RawSubmission, default_rubric, score
from schemas.errors import LedgerError
from schemas.validate import validate
from sync.ledger import (
    LATEST,
    Ledger,
    RunStatus,
    SourceKind,
    UnitStatus,
    canonical_json,
    content_hash,
    encode_issues,
    encode_score,
    encode_submission,
)
from sync.ledger.migrations import migrate

YEAR = 2026


def _raw(unit: str = "VP", *, k1_result: Any = 2, year: int = YEAR) -> dict[str, Any]:
    """A filled sheet as plain values keyed by input name (what a source would hand over)."""
    values: dict[str, Any] = {
        "info.unit_code": unit,
        "info.unit_name": "Văn phòng HĐND và UBND",
        "info.year": year,
        "info.head": "Nguyễn Thị Hoa",
        "info.head_discipline": "Không",
        "info.ko_corruption": "Không",
        "info.ko_prosecuted": "Không",
        "info.signed_on": dt.date(2026, 12, 10),
    }
    for spec in default_rubric().inputs:
        if spec.choices:
            values[spec.name] = spec.choices[-1] if spec.name == "A3.level" else spec.choices[0]
        elif spec.role == "target":
            values[spec.name] = 3 if not spec.name.startswith("S1") else 40
        elif spec.role == "result":
            values[spec.name] = 2 if not spec.name.startswith("S1") else 39
        else:
            values[spec.name] = 1
    values["K1.result"] = k1_result
    return values


def _record(
    ledger: Ledger,
    raw: dict[str, Any],
    *,
    unit: str = "VP",
    source: str = "folder",
    revision: str = "r1",
    run_id: int | None = None,
    fetched_at: dt.datetime | None = None,
    revive_known: bool = False,
) -> tuple[Any, bool]:
    validated = validate(default_rubric(), RawSubmission.from_values(raw))
    sub = validated.submission
    card = score(default_rubric(), sub) if sub else None
    return ledger.record_version(
        unit_code=unit,
        year=YEAR,
        source=source,
        revision=revision,
        raw=raw,
        submission_json=encode_submission(sub) if sub else None,
        issues_json=encode_issues(validated.issues),
        score_json=encode_score(card) if card else None,
        run_id=run_id,
        fetched_at=fetched_at,
        revive_known=revive_known,
    )


@pytest.fixture
def ledger(tmp_path: Path) -> Any:
    with Ledger.open(tmp_path / "out" / "dvk-ledger.sqlite") as led:
        yield led


def test_open_sets_wal_foreign_keys_and_latest_schema(ledger: Ledger) -> None:
    conn = sqlite3.connect(ledger.path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()
    assert {"runs", "versions", "unit_status", "source_state", "appraisals", "notes", "schema_version"} <= tables
    assert ledger.schema_version == LATEST
    # foreign keys are enforced on the ledger's own connection: a status of a run that does not exist fails
    with pytest.raises(sqlite3.IntegrityError):
        ledger.record_status(999, "VP", YEAR, UnitStatus.OK, SourceKind.FOLDER, "r", "")


def test_same_content_is_one_version_from_any_source(ledger: Ledger) -> None:
    run = ledger.start_run()
    first, created = _record(ledger, _raw(), revision="sha-a", run_id=run)
    assert created and first.source is SourceKind.FOLDER and first.run_id == run
    again, created_again = _record(
        ledger, dict(reversed(list(_raw().items()))), source="google", revision="2026-12-01T10:00:00.000Z", run_id=run
    )
    assert (again.id, created_again) == (first.id, False)
    assert again.source is SourceKind.FOLDER  # the version keeps where it first came from
    assert len(ledger.history(YEAR)) == 1
    # the last revision seen per source is kept in the same transaction
    assert ledger.get_source_state("VP", YEAR, "google") == "2026-12-01T10:00:00.000Z"
    assert ledger.get_source_state("VP", YEAR, SourceKind.FOLDER) == "sha-a"


def test_content_hash_is_canonical() -> None:
    a = {"b": 1.0, "a": [dt.date(2026, 12, 15), "Thôn Nà Mò", None, True]}
    b = {"a": ("2026-12-15", "Thôn Nà Mò", None, True), "b": 1}
    assert canonical_json(a) == '{"a":["2026-12-15","Thôn Nà Mò",null,true],"b":1}'
    assert content_hash(a) == content_hash(b)
    assert content_hash({"b": 1.5}) != content_hash({"b": "1.5"})
    assert content_hash({"x": True}) != content_hash({"x": 1})


def test_payloads_round_trip_exactly(ledger: Ledger) -> None:
    raw = _raw()
    validated = validate(default_rubric(), RawSubmission.from_values(raw))
    assert validated.submission is not None
    card = score(default_rubric(), validated.submission)
    assert card.points("K1") == Fraction(16, 3)  # a point value pydantic's own JSON would round
    record, _ = _record(ledger, raw)
    stored = ledger.latest("VP", YEAR)
    assert stored == record
    assert stored.raw() == {**raw, "info.signed_on": "2026-12-10"}
    assert stored.submission() == validated.submission
    assert stored.submission().facts["K1.result"] == Decimal(2)  # type: ignore[union-attr]
    assert stored.submission().facts["A1.level"] == "Ban hành đúng hạn"  # type: ignore[union-attr]
    assert stored.score() == card
    assert stored.issues() == validated.issues
    assert stored.error_count == sum(1 for i in validated.issues if i.is_error)


def test_invalid_submission_without_parse_is_stored(ledger: Ledger) -> None:
    raw = {"info.unit_code": "", "K1.target": "abc"}
    validated = validate(default_rubric(), RawSubmission.from_values(raw))
    assert validated.submission is None
    record, created = ledger.record_version(
        unit_code="XX",
        year=YEAR,
        source="folder",
        revision="sha",
        raw=raw,
        submission_json=None,
        issues_json=encode_issues(validated.issues),
        score_json=None,
        run_id=None,
    )
    assert created and record.submission() is None and record.score() is None
    assert {i.code for i in record.issues()} == {i.code for i in validated.issues} != set()


def test_latest_history_years_and_revert(ledger: Ledger) -> None:
    t0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    a, _ = _record(ledger, _raw(k1_result=1), revision="a", fetched_at=t0)
    b, _ = _record(ledger, _raw(k1_result=2), revision="b", fetched_at=t0 + dt.timedelta(hours=1))
    other, _ = _record(ledger, _raw("KT"), unit="KT", revision="k")
    assert ledger.latest("VP", YEAR) == b
    assert a.fetched_at == t0
    # an old copy of the first content shows up again (a touched attachment): no new row, b stays current,
    # and the time dvk first received it is kept
    back, created = _record(ledger, _raw(k1_result=1), revision="a2", fetched_at=t0 + dt.timedelta(days=3))
    assert (back.id, created, back.fetched_at) == (a.id, False, t0)
    assert ledger.latest("VP", YEAR).id == b.id  # type: ignore[union-attr]
    # a live Google Sheet whose unit undid its edits shows that content now: it is current again
    back, created = _record(ledger, _raw(k1_result=1), source="google", revision="a3", revive_known=True)
    assert (back.id, created) == (a.id, False)
    assert ledger.latest("VP", YEAR).id == a.id  # type: ignore[union-attr]
    assert {k: v.id for k, v in ledger.latest_all(YEAR).items()} == {"VP": a.id, "KT": other.id}
    assert [v.id for v in ledger.history(YEAR)] == [a.id, b.id, other.id]
    assert [v.id for v in ledger.history(YEAR, "VP")] == [a.id, b.id]
    assert ledger.latest("VP", 2027) is None and ledger.latest_all(2027) == {}
    assert ledger.years() == [YEAR]
    run = ledger.start_run()
    ledger.record_status(run, "VP", 2028, UnitStatus.MISSING)
    assert ledger.years() == [YEAR, 2028]


def test_runs_and_statuses(ledger: Ledger) -> None:
    r1 = ledger.start_run()
    ledger.record_status(r1, "VP", YEAR, UnitStatus.OK, SourceKind.GOOGLE, "m1", "")
    ledger.record_status(r1, "KT", YEAR, "error", "google", None, "Bảng tính chưa được chia sẻ.")
    ledger.finish_run(r1, RunStatus.PARTIAL, {"ok": 1, "error": 1})
    r2 = ledger.start_run()
    ledger.record_status(r2, "VP", YEAR, UnitStatus.UNCHANGED, SourceKind.GOOGLE, "m1")
    statuses = ledger.last_statuses(YEAR)
    assert {k: (v.run_id, v.status, v.source, v.message) for k, v in statuses.items()} == {
        "VP": (r2, UnitStatus.UNCHANGED, SourceKind.GOOGLE, ""),
        "KT": (r1, UnitStatus.ERROR, SourceKind.GOOGLE, "Bảng tính chưa được chia sẻ."),
    }
    runs = ledger.runs()
    assert [(r.id, r.status) for r in runs] == [(r2, RunStatus.RUNNING), (r1, RunStatus.PARTIAL)]
    assert ledger.runs(limit=1)[0].id == r2
    assert runs[1].counts == {"ok": 1, "error": 1} and runs[1].finished_at is not None and runs[0].finished_at is None
    with pytest.raises(ValueError):
        ledger.record_status(r2, "VP", YEAR, "fine")
    # a run left "running" by a process that died is closed as interrupted; finished runs are untouched
    assert ledger.mark_interrupted_runs() == 1
    assert [(r.id, r.status) for r in ledger.runs()] == [(r2, RunStatus.INTERRUPTED), (r1, RunStatus.PARTIAL)]
    assert ledger.runs(limit=1)[0].error == "Tiến trình đồng bộ đã dừng đột ngột."
    with pytest.raises(LedgerError, match="Không có lượt đồng bộ"):
        ledger.finish_run(12345, "ok", {})


def test_source_state_upsert(ledger: Ledger) -> None:
    assert ledger.get_source_state("VP", YEAR, "google") is None
    ledger.set_source_state("VP", YEAR, "google", "2026-12-01T10:00:00Z")
    ledger.set_source_state("VP", YEAR, "google", "2026-12-02T10:00:00Z")
    assert ledger.get_source_state("VP", YEAR, "google") == "2026-12-02T10:00:00Z"
    assert ledger.get_source_state("VP", 2027, "google") is None


def test_appraisals_write_only_changes_and_keep_history(ledger: Ledger) -> None:
    v1, _ = _record(ledger, _raw(k1_result=1), revision="a")
    t = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
    assert ledger.save_appraisals("VP", YEAR, {"K1": Decimal("7.5"), "S1": None}, "Đề nghị xác minh", t, v1.id) == 2
    for i in range(20):  # reading the same master again and again writes nothing
        same = {"K1": Decimal("7.50"), "S1": None}
        assert ledger.save_appraisals("VP", YEAR, same, "Đề nghị xác minh", t + dt.timedelta(minutes=i), v1.id) == 0
    current = ledger.appraisals(YEAR)["VP"]
    assert (current.values, current.note, current.seen_at, current.version_id) == (
        {"K1": Decimal("7.5")},
        "Đề nghị xác minh",
        t,
        v1.id,
    )
    # a resubmission does not touch the appraisal; the staff then change one value and clear the note
    v2, _ = _record(ledger, _raw(k1_result=2), revision="b")
    t2 = t + dt.timedelta(days=1)
    assert ledger.save_appraisals("VP", YEAR, {"K1": Decimal("7.5"), "D1": Decimal(3)}, None, t2, v2.id) == 2
    current = ledger.appraisals(YEAR)["VP"]
    assert (current.values, current.note, current.seen_at, current.version_id) == (
        {"K1": Decimal("7.5"), "D1": Decimal(3)},
        "",
        t2,
        v2.id,
    )
    # clearing every value removes the unit from the current appraisals; the history keeps all of it
    assert ledger.save_appraisals("VP", YEAR, {"K1": None, "D1": None}, "", t2, v2.id) == 2
    assert ledger.appraisals(YEAR) == {}
    conn = sqlite3.connect(ledger.path)
    try:
        rows = conn.execute("SELECT criterion, value FROM appraisals ORDER BY id").fetchall()
    finally:
        conn.close()
    assert rows == [("K1", "7.5"), ("D1", "3"), ("K1", None), ("D1", None)]  # S1=None never had a value


def test_appraisal_note_only_and_per_year(ledger: Ledger) -> None:
    ledger.save_appraisals("TYT", YEAR, {}, "Chưa nộp, đã nhắc qua điện thoại")
    ledger.save_appraisals("TYT", 2027, {"A1": Decimal(3)})
    assert ledger.appraisals(YEAR)["TYT"].note == "Chưa nộp, đã nhắc qua điện thoại"
    assert ledger.appraisals(YEAR)["TYT"].values == {} and ledger.appraisals(YEAR)["TYT"].version_id is None
    assert ledger.appraisals(2027)["TYT"].values == {"A1": Decimal(3)}
    with pytest.raises(LedgerError):
        ledger.save_appraisals("TYT", YEAR, {"A1": Decimal("NaN")})


def test_threads_share_one_ledger(ledger: Ledger) -> None:
    run = ledger.start_run()
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(10):
                _record(ledger, _raw(f"U{n}-{i}"), unit=f"U{n}-{i}", revision="r", run_id=run)
                ledger.record_status(run, f"U{n}-{i}", YEAR, UnitStatus.OK, "folder", "r")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(ledger.latest_all(YEAR)) == 40 and len(ledger.last_statuses(YEAR)) == 40


def test_old_schema_is_migrated_and_data_kept(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, path, target=1) == 1
    conn.execute(
        "INSERT INTO versions (unit_code, year, source, revision, content_hash, fetched_at, raw, issues, current_seq)"
        " VALUES ('VP', 2026, 'folder', 'r', ?, '2026-12-01T00:00:00+00:00', '{}', '[]', 1)",
        ("0" * 64,),
    )
    assert {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")} & {"appraisals"} == set()
    conn.close()
    with Ledger.open(path) as led:
        assert led.schema_version == LATEST
        assert led.latest("VP", YEAR).revision == "r"  # type: ignore[union-attr]
        led.save_appraisals("VP", YEAR, {"K1": Decimal(8)})
        assert led.appraisals(YEAR)["VP"].values == {"K1": Decimal(8)}
    with Ledger.open(path) as led:  # reopening is a no-op
        assert led.schema_version == LATEST


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    Ledger.open(path).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO schema_version VALUES (99, 'from the future', '2030-01-01T00:00:00+00:00')")
    conn.close()
    with pytest.raises(LedgerError, match="phiên bản dvk mới hơn") as err:
        Ledger.open(path)
    assert "lược đồ 99" in str(err.value)


def test_not_a_database_is_a_ledger_error(tmp_path: Path) -> None:
    path = tmp_path / "dvk-ledger.sqlite"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(LedgerError, match="không phải sổ lưu trữ dvk"):
        Ledger.open(path)
