"""Fixtures for the Google side: a running fake of Sheets/Drive, a recorded sleep, a fake clock, clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from sync.google import GoogleApi, build_client
from tests.sync.fake_google import FakeGoogle


class FakeClock:
    """Simulated time: ``sleep`` records the wait and advances ``now``; nothing really waits."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0, seconds
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake_google(clock: FakeClock) -> Iterator[FakeGoogle]:
    """The fake on 127.0.0.1 (its quota, if set, runs on the same simulated clock as the client)."""
    with FakeGoogle(clock=clock) as fake:
        yield fake


@pytest.fixture
def make_api(fake_google: FakeGoogle, clock: FakeClock) -> Iterator[Callable[..., GoogleApi]]:
    """``make_api(**build_client kwargs)``: a client aimed at the fake, sleeping on the simulated clock."""
    made: list[GoogleApi] = []

    def make(**kwargs: Any) -> GoogleApi:
        kwargs.setdefault("credentials_file", None)
        kwargs.setdefault("api_endpoint", fake_google.base_url)
        kwargs.setdefault("timeout", 5.0)
        kwargs.setdefault("sleep", clock.sleep)
        kwargs.setdefault("clock", clock)
        api = build_client(**kwargs)
        made.append(api)
        return api

    yield make
    for api in made:
        api.close()
