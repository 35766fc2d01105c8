"""Pacing: keep Sheets reads under the per-minute quota of one service account.

A sliding window over *completion* times: a request may start only while fewer than ``limit`` requests have
completed within the last ``window`` seconds or are still in flight. Google counts a request when it arrives,
which is after it was sent and before its answer comes back; stamping the completion (not the send) keeps the
pacer's window behind Google's, so network jitter cannot push a burst over the quota. The price is one round
trip per window, negligible against a 60 s window.

The clock and the sleep are injectable so tests run bursts in simulated time. Thread-safe: concurrent
fetchers share one pacer; a thread sleeps without holding the lock.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["Clock", "ReadPacer", "Sleep"]

Clock = Callable[[], float]
Sleep = Callable[[float], None]


class ReadPacer:
    """At most ``limit`` requests in flight or completed within any ``window`` seconds.

    Use ``with pacer.slot(): send()``; :meth:`acquire` / :meth:`release` are the two halves.
    """

    def __init__(
        self,
        limit: int,
        window: float = 60.0,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        if window <= 0:
            raise ValueError("window must be positive")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._done: deque[float] = deque()
        self._in_flight = 0
        self._cond = threading.Condition()
        self.waited = 0.0

    @contextmanager
    def slot(self) -> Iterator[float]:
        """Hold one slot for the duration of a request; yields the seconds waited for it."""
        waited = self.acquire()
        try:
            yield waited
        finally:
            self.release()

    def acquire(self) -> float:
        """Wait for a free slot and take it; return the seconds waited."""
        waited = 0.0
        while True:
            with self._cond:
                now = self._clock()
                while self._done and now - self._done[0] >= self.window:
                    self._done.popleft()
                if len(self._done) + self._in_flight < self.limit:
                    self._in_flight += 1
                    self.waited += waited
                    return waited
                if not self._done:  # every slot is in flight: wait for one to complete
                    self._cond.wait()
                    continue
                delay = self._done[0] + self.window - now
            self._sleep(delay)
            waited += delay

    def release(self) -> None:
        """The request of a slot taken by :meth:`acquire` completed (answered, failed or timed out)."""
        with self._cond:
            self._in_flight -= 1
            self._done.append(self._clock())
            self._cond.notify_all()
