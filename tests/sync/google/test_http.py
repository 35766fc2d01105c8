"""The retrying HTTP client over real HTTP against the fake: retries, Retry-After, backoff, timeouts, counts."""

from __future__ import annotations

import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from schemas.errors import GoogleApiError
from sync.google import GoogleApi, retry_after, rewrite_url
from tests.sync.conftest import FakeClock
from tests.sync.fake_google import FakeGoogle

MakeApi = Callable[..., GoogleApi]
RANGE = "Sheet1!A1:B2"


@pytest.fixture
def sheet(fake_google: FakeGoogle) -> str:
    fake_google.add_spreadsheet("unit-01", {"Sheet1": {"A1": 1, "B2": 2}})
    return "unit-01"


def _statuses(fake: FakeGoogle, api: str = "sheets") -> list[int]:
    return [entry.status for entry in fake.requests(api)]


def test_429_then_success_honours_retry_after(
    fake_google: FakeGoogle, make_api: MakeApi, clock: FakeClock, sheet: str
) -> None:
    fake_google.fail(429, retry_after="7", api="sheets")
    api = make_api()

    assert api.batch_get(sheet, [RANGE]) == [[[1], ["", 2]]]
    assert clock.sleeps == [7.0]
    assert _statuses(fake_google) == [429, 200]
    assert (api.counts, api.throttled) == ({"sheets": 2, "drive": 0}, {"sheets": 1, "drive": 0})


def test_retry_after_as_an_http_date_is_capped_by_max_delay(
    fake_google: FakeGoogle, make_api: MakeApi, clock: FakeClock, sheet: str
) -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    fake_google.fail(503, retry_after=later)

    make_api(max_delay=20.0).batch_get(sheet, [RANGE])

    assert clock.sleeps == [20.0]


def test_retry_after_values() -> None:
    now = datetime(2025, 3, 1, 8, 0, 0, tzinfo=UTC)
    assert retry_after("3", now=now) == 3.0
    assert retry_after(" 1.5 ", now=now) == 1.5
    assert retry_after("-4", now=now) == 0.0
    assert retry_after("Sat, 01 Mar 2025 08:00:30 GMT", now=now) == 30.0
    assert retry_after("Sat, 01 Mar 2025 07:00:00 GMT", now=now) == 0.0  # in the past: go now
    assert [retry_after(v, now=now) for v in (None, "", "soon")] == [None, None, None]


def test_429_without_retry_after_backs_off_exponentially_bounded_then_fails(
    fake_google: FakeGoogle, make_api: MakeApi, clock: FakeClock, sheet: str
) -> None:
    fake_google.fail(429, times=None, api="sheets")
    api = make_api(jitter=lambda: 1.0, base_delay=1.0, max_delay=5.0, max_attempts=5)

    with pytest.raises(GoogleApiError) as info:
        api.batch_get(sheet, [RANGE])

    assert clock.sleeps == [1.0, 2.0, 4.0, 5.0]  # full jitter's ceiling doubles, capped at max_delay
    err = info.value
    assert (err.status, err.context["reason"], err.context["spreadsheet_id"]) == (429, "quota", sheet)
    assert "hết hạn mức đọc của Google" in str(err)
    assert "sources.google.reads_per_minute" in str(err)
    assert _statuses(fake_google) == [429] * 5
    assert api.throttled["sheets"] == 5


def test_full_jitter_draws_below_the_ceiling(
    fake_google: FakeGoogle, make_api: MakeApi, clock: FakeClock, sheet: str
) -> None:
    draws = iter([0.5, 0.25, 0.0])
    fake_google.fail(500, times=3)

    make_api(jitter=lambda: next(draws), base_delay=2.0).batch_get(sheet, [RANGE])

    assert clock.sleeps == [1.0, 1.0, 0.0]  # 0.5·2, 0.25·4, 0·8


def test_persistent_503_fails_one_spreadsheet_after_max_attempts_while_another_succeeds(
    fake_google: FakeGoogle, make_api: MakeApi, sheet: str
) -> None:
    fake_google.add_spreadsheet("unit-02", {"Sheet1": {"A1": "ok"}})
    fake_google.fail(503, times=None, spreadsheet_id=sheet)
    api = make_api(max_attempts=4)

    with pytest.raises(GoogleApiError) as info:
        api.batch_get(sheet, [RANGE])
    other = api.batch_get("unit-02", [RANGE])

    assert other == [[["ok"]]]
    err = info.value
    assert (err.status, err.context["reason"], err.context["attempts"]) == (503, "server", 4)
    assert str(err) == f"Bảng tính {sheet}: Máy chủ Google đang gặp lỗi (mã 503) sau 4 lần thử: hãy thử lại sau."
    assert _statuses(fake_google) == [503, 503, 503, 503, 200]
    assert len(fake_google.requests(spreadsheet_id=sheet)) == 4


@pytest.mark.parametrize("status", [408, 500, 502, 503, 504])
def test_transient_statuses_are_retried(
    fake_google: FakeGoogle, make_api: MakeApi, clock: FakeClock, sheet: str, status: int
) -> None:
    fake_google.fail(status, times=2)

    assert make_api().batch_get(sheet, [RANGE]) == [[[1], ["", 2]]]
    assert _statuses(fake_google) == [status, status, 200]
    assert len(clock.sleeps) == 2


def test_401_is_an_authentication_problem(fake_google: FakeGoogle, make_api: MakeApi, sheet: str) -> None:
    fake_google.fail(401, times=None)

    with pytest.raises(GoogleApiError) as info:
        make_api().batch_get(sheet, [RANGE])

    assert info.value.context["reason"] == "unauthorized"
    assert "sources.google.credentials" in str(info.value)
    assert _statuses(fake_google) == [401]


@pytest.mark.parametrize("status", [400, 403, 404, 409])
def test_other_statuses_are_never_retried(
    fake_google: FakeGoogle, make_api: MakeApi, clock: FakeClock, sheet: str, status: int
) -> None:
    fake_google.fail(status, times=None)

    with pytest.raises(GoogleApiError) as info:
        make_api().batch_get(sheet, [RANGE])

    assert info.value.status == status
    assert _statuses(fake_google) == [status]
    assert clock.sleeps == []


def test_a_slow_answer_times_out_and_is_retried(
    fake_google: FakeGoogle, make_api: MakeApi, clock: FakeClock, sheet: str
) -> None:
    fake_google.fail(None, delay=2.0, api="sheets")  # slower than the client's timeout, once
    api = make_api(timeout=0.05)

    assert api.batch_get(sheet, [RANGE]) == [[[1], ["", 2]]]
    assert api.counts["sheets"] == 2
    assert len(clock.sleeps) == 1


def test_persistent_timeouts_become_a_network_error(
    fake_google: FakeGoogle, make_api: MakeApi, clock: FakeClock, sheet: str
) -> None:
    fake_google.fail(None, delay=2.0, times=None)
    api = make_api(timeout=0.04, max_attempts=3)

    with pytest.raises(GoogleApiError) as info:
        api.batch_get(sheet, [RANGE])

    err = info.value
    assert (err.status, err.context["reason"], err.context["attempts"]) == (None, "network", 3)
    assert "Google không trả lời trong thời hạn chờ sau 3 lần thử" in str(err)
    assert api.counts["sheets"] == 3
    assert len(clock.sleeps) == 2


def test_connection_refused_is_retried_then_a_network_error(make_api: MakeApi, clock: FakeClock) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    api = make_api(api_endpoint=f"http://127.0.0.1:{port}", max_attempts=3)

    with pytest.raises(GoogleApiError) as info:
        api.modified_times(ids=["unit-01"])

    err = info.value
    assert (err.status, err.context["reason"]) == (None, "network")
    assert "không kết nối được tới Google" in str(err)
    assert api.counts == {"sheets": 0, "drive": 3}
    assert len(clock.sleeps) == 2


def test_drive_errors_are_retried_too(fake_google: FakeGoogle, make_api: MakeApi, sheet: str) -> None:
    fake_google.fail(429, api="drive", retry_after="1")
    api = make_api()

    assert set(api.modified_times(folder_id="folder-1")) == {sheet}
    assert _statuses(fake_google, "drive") == [429, 200]
    assert api.throttled == {"sheets": 0, "drive": 1}


def test_endpoint_rewrite_covers_sheets_and_drive(fake_google: FakeGoogle, make_api: MakeApi, sheet: str) -> None:
    api = make_api(api_endpoint=fake_google.base_url + "/")
    api.batch_get(sheet, [RANGE])
    api.modified_times(folder_id="folder-1")
    api.modified_times(ids=[sheet])

    assert [(e.api, e.path) for e in fake_google.log] == [
        ("sheets", f"/v4/spreadsheets/{sheet}/values:batchGet"),
        ("drive", "/drive/v3/files"),
        ("drive", f"/drive/v3/files/{sheet}"),
    ]
    assert api.counts == {"sheets": 1, "drive": 2}
    api.reset_counts()
    assert (api.counts, api.throttled) == ({"sheets": 0, "drive": 0}, {"sheets": 0, "drive": 0})


def test_rewrite_url() -> None:
    base = "http://127.0.0.1:8765"
    assert rewrite_url("https://sheets.googleapis.com/v4/spreadsheets/x/values:batchGet", base) == (
        f"{base}/v4/spreadsheets/x/values:batchGet"
    )
    assert rewrite_url("https://www.googleapis.com/drive/v3/files?q=1", base) == f"{base}/drive/v3/files?q=1"
    assert rewrite_url("https://www.googleapis.com/drive/v3/files", None) == "https://www.googleapis.com/drive/v3/files"
    assert (
        rewrite_url("https://sheets.googleapis.com.evil.example/v4", base)
        == "https://sheets.googleapis.com.evil.example/v4"
    )
    assert rewrite_url("https://oauth2.googleapis.com/token", base) == "https://oauth2.googleapis.com/token"
