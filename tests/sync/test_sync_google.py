"""`dvk sync` against the local fake of Sheets v4 and Drive v3 (gspread's real code over HTTP)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.google import build_client
from sync.ledger import Ledger
from sync.service import run_sync
from sync.sources import from_folder
from tests.sync.fake_google import FakeGoogle
from tests.sync.sync_support import LAYOUT, RUBRIC, facts_for, filled, settings, upload, write_config

CODES = ["VP-UBND", "P-KT", "HND", "T-NAMO"]
IDS = {code: f"sheet-{code.lower()}" for code in CODES}


@pytest.fixture
def commune(tmp_path: Path, fake_google: FakeGoogle) -> tuple[Path, FakeGoogle]:
    config = write_config(tmp_path, CODES, sheets=IDS, endpoint=fake_google.base_url, folder_id="folder-1")
    for code in CODES:
        xlsx = filled(tmp_path / "uploads", f"{code}.xlsx", facts_for(code))
        upload(fake_google, IDS[code], xlsx)
    return config, fake_google


def _api(fake: FakeGoogle, clock):  # type: ignore[no-untyped-def]
    return build_client(credentials_file=None, api_endpoint=fake.base_url, sleep=clock.sleep, clock=clock, timeout=5)


def test_request_counts_first_unchanged_and_one_changed(commune: tuple[Path, FakeGoogle], clock) -> None:  # type: ignore[no-untyped-def]
    config, fake = commune
    s = settings(config)
    first = run_sync(s, google=_api(fake, clock), write_master=False)
    assert {u.status for u in first.units} == {"ok"}
    assert first.requests["sheets"] == len(CODES)  # one batchGet per spreadsheet, no metadata call
    assert first.requests["drive"] == 1  # one files.list for every modifiedTime
    assert {u.source for u in first.units} == {"google"}
    assert all(u.total == 100.0 for u in first.units)
    second = run_sync(s, google=_api(fake, clock), write_master=False)
    assert (second.requests["sheets"], second.requests["drive"]) == (0, 1)
    assert not second.failed
    assert {u.status for u in second.units} == {"unchanged"}
    assert all(u.total == 100.0 for u in second.units)  # an unchanged unit still reports its last total
    k1 = LAYOUT.input("K1.result")
    fake.set_cells(IDS["P-KT"], k1.sheet, {k1.cell: 50})
    third = run_sync(s, google=_api(fake, clock), write_master=False)
    assert (third.requests["sheets"], third.requests["drive"]) == (1, 1)
    changed = {u.code: u for u in third.units}["P-KT"]
    assert changed.status == "ok" and changed.total == 96.0


def test_batch_get_asks_for_every_layout_range_unformatted(commune: tuple[Path, FakeGoogle], clock) -> None:  # type: ignore[no-untyped-def]
    config, fake = commune
    run_sync(settings(config), google=_api(fake, clock), write_master=False)
    (req,) = fake.requests("sheets", IDS["HND"])
    assert req.params["ranges"] == list(LAYOUT.ranges())
    assert req.params["valueRenderOption"] == ["UNFORMATTED_VALUE"]
    assert req.params["dateTimeRenderOption"] == ["SERIAL_NUMBER"]


def test_per_unit_failures_become_statuses_and_the_others_go_on(commune: tuple[Path, FakeGoogle], clock) -> None:  # type: ignore[no-untyped-def]
    config, fake = commune
    fake.set_access(IDS["VP-UBND"], 403)
    fake.set_access(IDS["P-KT"], 404)
    fake.rename_sheet(IDS["HND"], "Chấm điểm", "Cham diem")
    fake.fail(503, api="sheets", spreadsheet_id=IDS["T-NAMO"], times=None)
    report = run_sync(settings(config), google=_api(fake, clock), write_master=False)
    by = {u.code: u for u in report.units}
    assert {c: u.status for c, u in by.items()} == {"VP-UBND": "error", "P-KT": "error", "HND": "error", "T-NAMO": "error"}
    assert "Chia sẻ" in by["VP-UBND"].message or "chia sẻ" in by["VP-UBND"].message
    assert "Chấm điểm" in by["HND"].message
    # the persistent 503 was retried a bounded number of times
    assert 1 < len(fake.requests("sheets", IDS["T-NAMO"])) <= 5
    # later the sheets are fixed: the next sync picks them up
    fake.set_access(IDS["VP-UBND"], None)
    fake.rename_sheet(IDS["HND"], "Cham diem", "Chấm điểm")
    fake.faults.clear()
    again = {u.code: u.status for u in run_sync(settings(config), google=_api(fake, clock), write_master=False).units}
    assert again["VP-UBND"] == "ok" and again["HND"] == "ok" and again["T-NAMO"] == "ok" and again["P-KT"] == "error"


def test_429_then_success(commune: tuple[Path, FakeGoogle], clock) -> None:  # type: ignore[no-untyped-def]
    config, fake = commune
    fake.fail(429, api="sheets", spreadsheet_id=IDS["HND"], times=1, retry_after="7")
    report = run_sync(settings(config), google=_api(fake, clock), write_master=False)
    assert {u.code: u.status for u in report.units}["HND"] == "ok"
    assert 7 in clock.sleeps


def test_folder_and_google_give_identical_grids(tmp_path: Path, fake_google: FakeGoogle, clock) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    values = facts_for("HND", **{"info.signed_on": dt.date(2026, 12, 10), "K1.result": 85.5, "S2.level": "khong co"})
    tables = {"models": [{"name": "Mô hình A", "field": "Kinh tế", "kind": "Tập thể", "status": "Đăng ký",
                          "start_date": dt.date(2026, 3, 2)}]}
    xlsx = filled(tmp_path, "HND.xlsx", values, tables)
    upload(fake_google, "sheet-hnd", xlsx)
    config = write_config(tmp_path, ["HND"], sheets={"HND": "sheet-hnd"}, endpoint=fake_google.base_url)
    s = settings(config)
    (from_file,) = list(from_folder(tmp_path / "nop-bai", LAYOUT, RUBRIC, s.registry()))
    api = _api(fake_google, clock)
    from workbook.grid import Grid

    from_sheets = Grid.from_range_values(LAYOUT, api.batch_get("sheet-hnd", LAYOUT.ranges()))
    assert from_file.grid == from_sheets
    # and the ledger stores them as one version whichever source came first
    report = run_sync(s, google=api, write_master=False)
    assert {u.code: u.status for u in report.units}["HND"] in ("unchanged", "ok", "invalid")
    with Ledger.open(s.ledger_path) as ledger:
        assert len(ledger.history(2026, "HND")) == 1


def test_an_unchanged_sheet_with_errors_still_fails_the_pass(commune: tuple[Path, FakeGoogle], clock) -> None:  # type: ignore[no-untyped-def]
    config, fake = commune
    k1 = LAYOUT.input("K1.result")
    fake.set_cells(IDS["HND"], k1.sheet, {k1.cell: "85 điểm"})
    first = run_sync(settings(config), google=_api(fake, clock), write_master=False)
    assert {u.code: u.status for u in first.units}["HND"] == "invalid" and first.failed
    again = run_sync(settings(config), google=_api(fake, clock), write_master=False)
    hnd = {u.code: u for u in again.units}["HND"]
    assert hnd.status == "unchanged" and hnd.errors == 1 and again.failed
