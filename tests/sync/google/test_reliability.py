"""The Google items of the reliability review: a repeating Drive page token, "come back in an hour" 429s,
retries still running after Ctrl-C, and error messages that change an id's case or blame another unit."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from schemas.errors import GoogleApiError
from sync.google import GoogleApi
from sync.service import run_sync
from tests.sync.conftest import FakeClock
from tests.sync.fake_google import FakeGoogle
from tests.sync.sync_support import facts_for, filled, settings, upload, write_config

MakeApi = Callable[..., GoogleApi]
CODES = ["VP-UBND", "P-KT", "HND", "T-NAMO"]


def test_a_repeated_next_page_token_stops_the_listing(fake_google: FakeGoogle, make_api: MakeApi) -> None:
    fake_google.add_spreadsheet("s1", folder="folder-1")
    looping = b'{"files": [], "nextPageToken": "page-2"}'
    fake_google.fail(200, api="drive", times=None, body=looping)
    api = make_api()
    with pytest.raises(GoogleApiError) as info:
        api.modified_times(folder_id="folder-1")
    assert info.value.context["reason"] == "malformed"
    assert fake_google.counts["drive"] == 2  # the first page, then the page that repeats its token


def test_drive_listing_pages_are_bounded(fake_google: FakeGoogle, make_api: MakeApi) -> None:
    for n in range(12):
        fake_google.add_spreadsheet(f"s{n:02d}", folder="folder-1")
    api = make_api(page_size=1)
    api.max_pages = 5
    with pytest.raises(GoogleApiError):
        api.modified_times(folder_id="folder-1")
    assert fake_google.counts["drive"] == 5


def test_drive_requests_are_paced_too(fake_google: FakeGoogle, make_api: MakeApi, clock: FakeClock) -> None:
    for n in range(6):
        fake_google.add_spreadsheet(f"s{n}", folder=None)
    api = make_api(drive_per_minute=2)
    api.modified_times([f"s{n}" for n in range(6)])  # one files.get each: 6 requests at 2 a minute
    assert fake_google.counts["drive"] == 6
    assert clock.now >= 120


@pytest.fixture
def commune(tmp_path: Path, fake_google: FakeGoogle) -> Path:
    ids = {code: f"sheet-{code.lower()}" for code in CODES}
    config = write_config(tmp_path, CODES, sheets=ids, endpoint=fake_google.base_url, folder_id="folder-1")
    for code in CODES:
        upload(fake_google, ids[code], filled(tmp_path / "uploads", f"{code}.xlsx", facts_for(code)))
    return config


def test_quota_retry_after_an_hour_stops_asking_and_finishes_the_pass(
    commune: Path, fake_google: FakeGoogle, make_api: MakeApi, clock: FakeClock
) -> None:
    fake_google.fail(429, api="sheets", times=None, retry_after="3600")
    report = run_sync(settings(commune), google=make_api(), write_master=False)
    assert {u.status for u in report.units} == {"error"}
    assert all("chạy lại sau" in u.message and "1 giờ" in u.message for u in report.units)
    assert fake_google.counts["sheets"] <= 4  # at most one 429 per worker in flight, none retried
    assert not [s for s in clock.sleeps if s >= 60]  # nobody waited for the quota


def test_cancel_ends_a_waiting_retry_at_once(fake_google: FakeGoogle, make_api: MakeApi) -> None:
    fake_google.add_spreadsheet("s1")
    fake_google.fail(503, api="sheets", times=None)
    api = make_api(sleep=None, base_delay=600.0, max_delay=600.0, jitter=lambda: 1.0)  # a real 10 min backoff
    failures: list[BaseException] = []

    def fetch() -> None:
        try:
            api.batch_get("s1", ["Sheet1!A1"])
        except GoogleApiError as exc:
            failures.append(exc)

    worker = threading.Thread(target=fetch)
    started = time.monotonic()
    worker.start()
    while not fake_google.requests("sheets"):
        time.sleep(0.01)
    api.cancel()  # what Ctrl-C does through the sync's sources
    worker.join(timeout=300)
    assert not worker.is_alive() and time.monotonic() - started < 300  # far below the backoff, on any machine
    assert failures and failures[0].context["reason"] == "cancelled"
    assert fake_google.counts["sheets"] == 1


def test_ctrl_c_during_the_google_source_stops_its_retries_at_once(
    commune: Path, fake_google: FakeGoogle, make_api: MakeApi
) -> None:
    from schemas import default_rubric
    from sync.sources import from_google
    from workbook.layout import build_layout

    s = settings(commune)
    fake_google.fail(503, api="sheets", times=None)
    api = make_api(sleep=None, base_delay=600.0, max_delay=600.0, jitter=lambda: 1.0)  # real 10 min backoffs
    rubric = default_rubric()
    stream = from_google(api, s.registry(), build_layout(rubric), rubric, s.registry(), year=2026,
                         last_seen=lambda code: None, folder_id="folder-1", workers=2)
    ctrl_c = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    started = time.monotonic()
    ctrl_c.start()
    with pytest.raises(KeyboardInterrupt):
        list(stream)
    assert time.monotonic() - started < 300  # the workers' retries were cancelled, not waited for (10 min each)
    assert api.http.cancelled
    assert fake_google.counts["sheets"] == 2  # one attempt per worker, no retry after the interrupt


def test_messages_keep_the_case_of_ids_and_do_not_blame_another_unit(
    tmp_path: Path, fake_google: FakeGoogle, make_api: MakeApi
) -> None:
    ids = {"VP-UBND": "1AbCdEfGhIjK-VP", "HND": "1ZyXwV-HND"}
    config = write_config(tmp_path, list(ids), sheets=ids, endpoint=fake_google.base_url)  # no folder: files.get
    for code, sid in ids.items():
        upload(fake_google, sid, filled(tmp_path / "uploads", f"{code}.xlsx", facts_for(code)), folder=None)
    fake_google.fail(503, api="drive", spreadsheet_id=ids["VP-UBND"], times=None)  # VP's files.get fails
    fake_google.fail(503, api="sheets", times=None)  # and every read
    report = run_sync(settings(config), google=make_api(max_attempts=1), write_master=False)
    by_code = {u.code: u for u in report.units}
    assert ids["VP-UBND"] in by_code["VP-UBND"].message  # not "1abcdefghijk-vp"
    assert ids["VP-UBND"] not in by_code["HND"].message
    assert ids["HND"] in by_code["HND"].message
