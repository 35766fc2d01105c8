"""Fixtures of the Google workflow tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sync.fake_google import FakeGoogle


@pytest.fixture
def fake() -> Iterator[FakeGoogle]:
    """The fake of Google's APIs on 127.0.0.1, with a real clock: the CLI runs as users run it."""
    with FakeGoogle() as running:
        yield running
