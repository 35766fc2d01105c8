"""An untouched sheet is no submission: 30 provisioned sheets nobody opened are "Chưa nộp", not version 1 rated
KHT with red cells; the first value a unit types makes its sheet a submission. Against the fake, as users run it."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from sync.cli import main
from sync.config import load_settings
from sync.google.account import user_client
from sync.google.write_back import RESULT_TAB
from sync.ledger import Ledger
from sync.service import run_sync
from tests.sync.fake_google import FakeGoogle
from tests.sync.google_workflow_support import fill_sheet, signed_in, unit_codes, unit_email, write_commune
from tests.sync.sync_support import LAYOUT

N = 30
BEFORE = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)  # nine days before the deadline (15/12/2026)
AFTER = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)



@pytest.fixture
def provisioned(tmp_path: Path, fake: FakeGoogle, capsys: pytest.CaptureFixture[str],
                monkeypatch: pytest.MonkeyPatch, _private_google_token_dir: Path) -> tuple[Path, dict[str, str]]:
    config = write_commune(tmp_path, fake, N)
    monkeypatch.chdir(tmp_path)
    signed_in(fake, _private_google_token_dir)
    assert main(["sheets", "provision", "--format", "json"]) == 0
    ids = {u["code"]: u["spreadsheet_id"] for u in json.loads(capsys.readouterr().out)["units"]}
    return config, ids


def _versions(config: Path) -> int:
    with Ledger.open(load_settings(config).ledger_path) as ledger:
        return len(ledger.history(2026))


def _calls(fake: FakeGoogle, mark: int) -> dict[str, int]:
    """Requests per API method, the sign-in's token refresh left out."""
    return {k: v for k, v in fake.endpoint_counts(mark).items() if not k.startswith("oauth.")}


def _writes(fake: FakeGoogle, mark: int) -> list[str]:
    return [e.endpoint for e in fake.log[mark:] if e.method != "GET" and e.api == "sheets"]


def test_thirty_untouched_sheets_are_not_received_and_one_typed_value_is(
    provisioned: tuple[Path, dict[str, str]], fake: FakeGoogle
) -> None:
    config, ids = provisioned
    settings = load_settings(config)

    mark = len(fake.log)
    report = run_sync(settings, now=BEFORE)
    assert _versions(config) == 0  # no version recorded
    assert _writes(fake, mark) == []  # no result tab, no red cell, nothing written
    assert not any(RESULT_TAB in fake.files[sid].sheets for sid in ids.values())
    assert not any(fake.formats.get(sid, {}).get(tab) for sid in ids.values() for tab in fake.files[sid].sheets)
    assert {u.status for u in report.units} == {"missing"}
    assert {u.rating_code for u in report.units} == {None}  # rated none
    assert all(u.message.startswith("Chưa nộp (còn hạn).") and "chưa được điền" in u.message for u in report.units)
    assert not report.failed
    assert report.master is not None and report.master.path.is_file()

    # the next pass does not read them again: their modifiedTime was remembered
    mark = len(fake.log)
    run_sync(settings, now=BEFORE)
    assert _calls(fake, mark) == {"drive.files.list": 1}

    # one unit types one value (its head's name): exactly that unit is received, read once
    answer = fill_sheet(fake, ids["DV05"], fake.token_for(unit_email("DV05")), {"info.head": "Hoàng Văn Minh"}, tables={})
    assert answer.status_code == 200, answer.text
    mark = len(fake.log)
    report = run_sync(settings, now=BEFORE)
    statuses = {u.code: u.status for u in report.units}
    assert statuses == {code: "invalid" if code == "DV05" else "missing" for code in unit_codes(N)}
    assert fake.endpoint_counts(mark)["sheets.values.batchGet"] == 1
    assert _versions(config) == 1
    assert RESULT_TAB in fake.files[ids["DV05"]].sheets  # its result, and only its, is written back
    assert [sid for sid in ids.values() if RESULT_TAB in fake.files[sid].sheets] == [ids["DV05"]]


def test_after_the_deadline_an_untouched_sheet_is_late_not_a_version(
    provisioned: tuple[Path, dict[str, str]], fake: FakeGoogle
) -> None:
    config, _ids = provisioned
    report = run_sync(load_settings(config), now=AFTER)
    assert _versions(config) == 0
    assert {u.status for u in report.units} == {"missing"}  # "Chưa nộp", after the deadline: trễ hạn
    assert all("chưa được điền" in u.message for u in report.units)


def test_counts_printed_equal_the_fakes_own(
    provisioned: tuple[Path, dict[str, str]], fake: FakeGoogle, capsys: pytest.CaptureFixture[str]
) -> None:
    """JSON and the text summary: reads and writes per API, token refreshes, write-back included."""
    _config, ids = provisioned
    for code in ("DV01", "DV02"):
        fill_sheet(fake, ids[code], fake.token_for(unit_email(code)), {"info.head": "Lý Thị Hoa"}, tables={})
    mark = len(fake.log)
    assert main(["sync", "--format", "json"]) == 1  # both typed only one value: invalid
    data = json.loads(capsys.readouterr().out)
    expected = fake.request_counts(mark)
    assert data["requests"] == expected
    assert expected["sheets_writes"] == 4 and expected["token_refreshes"] == 1  # write-back, the stored token
    fill_sheet(fake, ids["DV03"], fake.token_for(unit_email("DV03")), {"info.head": "Lý Thị Hoa"}, tables={})
    mark = len(fake.log)
    assert main(["sync"]) == 1
    out = " ".join(capsys.readouterr().out.split())
    counted = fake.request_counts(mark)
    line = re.search(r"Yêu cầu Google: Sheets (\d+) \((\d+) đọc, (\d+) ghi\), Drive (\d+) \((\d+) đọc, (\d+) ghi\)"
                     r"(?:, làm mới phiên đăng nhập (\d+))?\.", out)
    assert line is not None, out
    assert [int(g or 0) for g in line.groups()] == [
        counted["sheets"], counted["sheets_reads"], counted["sheets_writes"], counted["drive"], counted["drive_reads"],
        counted["drive_writes"], counted["token_refreshes"],
    ]
    assert counted["sheets_reads"] == 1 and counted["sheets_writes"] == 2


def test_the_users_writer_is_the_reader_when_it_reads(
    provisioned: tuple[Path, dict[str, str]], fake: FakeGoogle
) -> None:
    """Without a service account the signed-in account reads and writes back with one client: one token."""
    config, ids = provisioned
    fill_sheet(fake, ids["DV07"], fake.token_for(unit_email("DV07")), {"info.head": "Lý Thị Hoa"}, tables={})
    settings = load_settings(config)
    mark = len(fake.log)
    with user_client(settings) as api:
        report = run_sync(settings, google=api, now=BEFORE)
    assert report.requests == fake.request_counts(mark)
    assert report.requests["token_refreshes"] == 1 and report.requests["sheets_writes"] == 2


def test_a_unit_edit_between_dvks_read_and_its_write_back_is_read_next_pass(
    provisioned: tuple[Path, dict[str, str]], fake: FakeGoogle
) -> None:
    """dvk records the modifiedTime after its own write only when the sheet had not changed since it read it."""
    config, ids = provisioned
    settings = load_settings(config)
    for code in ("DV01", "DV02"):
        fill_sheet(fake, ids[code], fake.token_for(unit_email(code)), {"info.head": "Lý Thị Hoa"}, tables={})
    head = LAYOUT.input("info.head")
    edited: list[str] = []

    def meanwhile(code: str) -> None:  # DV02 types again right after dvk read its sheet
        if code == "DV02" and not edited:
            fake.set_cells(ids["DV02"], head.sheet, {head.cell: "Lý Thị Hoa (đã sửa)"})
            edited.append(code)

    run_sync(settings, now=BEFORE, on_unit=meanwhile)
    assert edited and _versions(config) == 2
    mark = len(fake.log)
    report = run_sync(settings, now=BEFORE)
    reads = [e.spreadsheet_id for e in fake.log[mark:] if e.endpoint == "sheets.values.batchGet"]
    assert reads == [ids["DV02"]]  # DV01 (only dvk wrote since) is not read; DV02's edit is
    assert _versions(config) == 3 and {u.code: u.status for u in report.units}["DV02"] == "invalid"
