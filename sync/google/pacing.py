"""Pacing: keep Sheets reads under the per-minute quota of one service account.

A sliding window: at most ``limit`` acquisitions in any ``window`` seconds. The clock and the sleep are
injectable so tests run a burst of reads in simulated time. Thread-safe: concurrent fetchers share one pacer
and are served in turn.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

__all__ = ["Clock", "ReadPacer", "Sleep"]

Clock = Callable[[], float]
Sleep = Callable[[float], None]


class ReadPacer:
    """At most ``limit`` calls of :meth:`acquire` return within any ``window`` seconds.

    ``acquire`` blocks (through ``sleep``) until a slot is free and returns the seconds it waited.
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
        self._stamps: deque[float] = deque()
        self._lock = threading.Lock()
        self.waited = 0.0

    def acquire(self) -> float:
        """Take one slot, waiting while the window is full; return the seconds waited."""
        with self._lock:
            now = self._clock()
            while self._stamps and now - self._stamps[0] >= self.window:
                self._stamps.popleft()
            if len(self._stamps) < self.limit:
                self._stamps.append(now)
                return 0.0
            free_at = self._stamps.popleft() + self.window
            delay = free_at - now
            self._sleep(delay)
            self._stamps.append(max(self._clock(), free_at))  # sleep() waits at least `delay`
            self.waited += delay
            return delay
