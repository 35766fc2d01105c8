"""`dvk sync --watch`: the sync as a service — one instance at a time, graceful stop, a log file.

A lock file beside the ledger (``fcntl.flock``) keeps a second instance out. SIGINT/SIGTERM set a flag the
pass polls between units, so the unit in progress is finished (each unit is one ledger transaction) and the
service stops cleanly; runs a killed process left "running" are marked interrupted at the next start.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from schemas.errors import DvkError

from .config import Settings
from .ledger import Ledger
from .service import run_sync

__all__ = ["AlreadyRunning", "service_lock", "watch"]


class AlreadyRunning(DvkError):
    """Another `dvk sync --watch` holds the lock."""


@contextlib.contextmanager
def service_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            raise AlreadyRunning(
                f"Đang có một tiến trình dvk sync --watch khác chạy (khóa {path}). Chỉ chạy một tiến trình mỗi lúc.",
                path=str(path),
            ) from err
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _logger(path: Path) -> logging.Logger:
    log = logging.getLogger("dvk.sync")
    log.setLevel(logging.INFO)
    if not any(isinstance(h, logging.FileHandler) and Path(h.baseFilename) == path for h in log.handlers):
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
    return log


def watch(settings: Settings, *, interval: float, use_google: bool = True, max_passes: int | None = None) -> int:
    """Sync every ``interval`` seconds until SIGINT/SIGTERM (or ``max_passes``). Returns the passes made."""
    ledger_path = settings.ledger_path
    log = _logger(settings.log_path)
    stop = threading.Event()

    def _on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("nhận tín hiệu %s: dừng sau đơn vị đang xử lý", signal.Signals(signum).name)
        stop.set()

    previous = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    passes = 0
    try:
        with service_lock(ledger_path.with_name(ledger_path.name + ".lock")):
            with Ledger.open(ledger_path) as ledger:
                closed = ledger.mark_interrupted_runs()
            if closed:
                log.info("đánh dấu %d lần đồng bộ bị ngắt trước đó", closed)
            log.info("bắt đầu dịch vụ đồng bộ, mỗi %s giây", interval)
            while not stop.is_set():
                try:
                    report = run_sync(settings, use_google=use_google, should_stop=stop.is_set)
                    summary = ", ".join(f"{u.code}={u.status}" for u in report.units)
                    log.info("đồng bộ năm %s xong: %s; yêu cầu %s", report.year, summary, report.requests)
                    if report.master and report.master.message:
                        log.warning(report.master.message)
                except DvkError as err:
                    log.error("đồng bộ lỗi: %s", err)
                passes += 1
                if max_passes is not None and passes >= max_passes:
                    break
                stop.wait(interval)
            log.info("dừng dịch vụ đồng bộ")
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return passes
