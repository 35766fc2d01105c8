"""Pacing under the Sheets quota, in simulated time: the client's limiter and the fake's enforced quota."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import pytest

from sync.google import GoogleApi, ReadPacer
from tests.sync.conftest import FakeClock
from tests.sync.fake_google import FakeGoogle

MakeApi = Callable[..., GoogleApi]


def _max_in_window(stamps: Sequence[float], window: float) -> int:
    ordered = sorted(stamps)
    best, start = 0, 0
    for end, stamp in enumerate(ordered):
        while stamp - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def test_pacer_keeps_a_burst_under_the_limit(clock: FakeClock) -> None:
    pacer = ReadPacer(55, 60.0, clock=clock, sleep=clock.sleep)
    stamps = []
    for _ in range(120):
        with pacer.slot():
            stamps.append(clock.now)

    assert _max_in_window(stamps, 60.0) == 55
    assert (stamps[54], stamps[55], stamps[110], stamps[119]) == (0.0, 60.0, 120.0, 120.0)
    assert clock.sleeps == [60.0, 60.0]
    assert pacer.waited == 120.0


def test_pacer_lets_spaced_calls_through_without_waiting(clock: FakeClock) -> None:
    pacer = ReadPacer(2, 10.0, clock=clock, sleep=clock.sleep)
    waits = []
    for _ in range(6):
        with pacer.slot() as waited:
            waits.append(waited)
        clock.now += 5.0

    assert waits == [0.0] * 6


def test_pacer_is_shared_safely_between_threads(clock: FakeClock) -> None:
    pacer = ReadPacer(10, 60.0, clock=clock, sleep=clock.sleep)
    stamps: list[float] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(15):
            with pacer.slot(), lock:
                stamps.append(clock.now)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(stamps) == 60
    assert _max_in_window(stamps, 60.0) == 10


def test_pacer_counts_requests_in_flight_and_stamps_their_completion(clock: FakeClock) -> None:
    pacer = ReadPacer(2, 10.0, clock=clock, sleep=clock.sleep)
    first = pacer.acquire()
    second = pacer.acquire()
    started = threading.Event()
    third: list[float] = []

    def wait_for_slot() -> None:
        started.set()
        third.append(pacer.acquire())  # both slots in flight: blocks until one completes

    thread = threading.Thread(target=wait_for_slot)
    thread.start()
    started.wait()
    clock.now = 3.0
    pacer.release()  # the first request completes at t=3: the window now ends at t=13
    thread.join(timeout=5)

    assert (first, second, third, clock.now) == (0.0, 0.0, [10.0], 13.0)


@pytest.mark.parametrize(("limit", "window"), [(0, 60.0), (5, 0.0)])
def test_pacer_refuses_nonsense(limit: int, window: float) -> None:
    with pytest.raises(ValueError):
        ReadPacer(limit, window)


def test_burst_of_120_reads_stays_under_the_enforced_quota(
    fake_google: FakeGoogle, make_api: MakeApi, clock: FakeClock
) -> None:
    fake_google.add_spreadsheet("unit-01", {"Sheet1": {"A1": 1}})
    fake_google.set_quota(60, 60.0)  # the real quota, enforced by the fake on the simulated clock
    api = make_api(reads_per_minute=55)

    results = [api.batch_get("unit-01", ["Sheet1!A1"]) for _ in range(120)]

    assert results == [[[[1]]]] * 120
    assert fake_google.throttled == {"sheets": 0, "drive": 0}
    arrivals = [entry.at for entry in fake_google.requests("sheets")]
    assert _max_in_window(arrivals, 60.0) == 55
    assert clock.now == 120.0  # two full windows waited, no more
    assert api.counts == {"sheets": 120, "drive": 0}


def test_without_pacing_the_quota_answers_429_and_retry_after_rescues(
    fake_google: FakeGoogle, make_api: MakeApi, clock: FakeClock
) -> None:
    fake_google.add_spreadsheet("unit-01", {"Sheet1": {"A1": 1}})
    fake_google.set_quota(60, 60.0, retry_after="60")
    api = make_api(reads_per_minute=10_000)

    for _ in range(120):
        api.batch_get("unit-01", ["Sheet1!A1"])

    assert fake_google.throttled["sheets"] == api.throttled["sheets"] == 1
    assert clock.sleeps == [60.0]
    assert api.counts["sheets"] == 121


def test_drive_requests_are_not_paced(fake_google: FakeGoogle, make_api: MakeApi, clock: FakeClock) -> None:
    for n in range(5):
        fake_google.add_spreadsheet(f"unit-{n}")
    api = make_api(reads_per_minute=1, page_size=1)

    assert len(api.modified_times(folder_id="folder-1")) == 5
    assert len(api.modified_times(ids=["unit-0", "unit-1"])) == 2
    assert (api.counts["drive"], clock.sleeps) == (7, [])
