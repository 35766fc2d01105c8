"""`dvk sync --watch`: the sync as a service — one instance at a time, graceful stop, a log file, a console line.

A lock file beside the ledger (``filelock``, which works on Windows, Linux and macOS) keeps a second instance
out. SIGINT/SIGTERM (SIGBREAK on Windows, where SIGTERM cannot be delivered) set a flag the pass polls
between units, so the unit in progress is finished (each unit is one ledger transaction) and the service
stops cleanly; runs a killed process left "running" are marked interrupted at the next start.

A service survives its passes: any error of one pass is logged with a Vietnamese line and the next pass
runs at the next interval. Only a stop signal (or ``max_passes``) ends it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

from schemas.errors import DvkError

from .config import Settings
from .ledger import Ledger
from .service import SyncReport, run_sync

__all__ = ["AlreadyRunning", "LogFile", "service_lock", "stop_signals", "watch"]

_STATUS = {"ok": "đã nhận", "unchanged": "không đổi", "invalid": "có lỗi", "error": "không đọc được", "missing": "chưa nộp",
           "held": "chờ xác nhận"}


class AlreadyRunning(DvkError):
    """Another `dvk sync --watch` holds the lock."""


def stop_signals() -> tuple[signal.Signals, ...]:
    """The signals that stop the service on this platform: Ctrl-C, and SIGTERM or (Windows) Ctrl-Break."""
    extra = getattr(signal, "SIGBREAK", None)  # Windows: Ctrl-Break; SIGTERM exists there but is never delivered
    return (signal.SIGINT, extra if extra is not None else signal.SIGTERM)


@contextlib.contextmanager
def service_lock(path: Path) -> Iterator[None]:
    """Hold the single-instance lock at ``path`` (refused at once when another process holds it)."""
    from filelock import FileLock, Timeout  # only the service needs it

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(path), timeout=0)
        lock.acquire()
    except Timeout as err:
        raise AlreadyRunning(
            f"Đang có một tiến trình dvk sync --watch khác chạy (khóa {path}). Chỉ chạy một tiến trình mỗi lúc.",
            path=str(path),
        ) from err
    except OSError as err:
        raise DvkError(f"Không tạo được tệp khóa {path} ({err.strerror or err}).", path=str(path)) from err
    try:
        yield
    finally:
        lock.release()


class LogFile(logging.FileHandler):
    """The service log. A line that cannot be written (a full disk, ``log = "/dev/full"``, a USB disk pulled
    out) is said once, in Vietnamese, through ``warn``, and the service goes on: its console lines still show
    every event, and the log takes lines again once it can. Never "--- Logging error ---" with a traceback."""

    def __init__(self, path: Path, warn: Callable[[str], None]) -> None:
        super().__init__(path, encoding="utf-8")
        self.warn = warn
        self.failed = False

    def handleError(self, record: logging.LogRecord) -> None:
        if self.failed:
            return
        self.failed = True
        err = sys.exc_info()[1]
        full = isinstance(err, OSError) and err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
        reason = "ổ đĩa đã đầy" if full else _describe(err) if err is not None else "lỗi ghi tệp"
        with contextlib.suppress(Exception):  # the warning itself must never stop the service
            self.warn(
                f"Cảnh báo: không ghi được nhật ký dịch vụ {self.baseFilename} ({reason}). Dịch vụ vẫn chạy; các "
                "dòng nhật ký chỉ hiện trên màn hình cho tới khi ghi lại được. Hãy giải phóng dung lượng ổ đĩa hoặc "
                "đặt [output] log sang ổ khác."
            )


def _stderr(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _logger(path: Path, warn: Callable[[str], None] = _stderr) -> logging.Logger:
    log = logging.getLogger("dvk.sync")
    log.setLevel(logging.INFO)
    log.propagate = False
    for h in log.handlers:
        if isinstance(h, LogFile) and Path(h.baseFilename) == path:
            h.warn, h.failed = warn, False
            return log
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = LogFile(path, warn)
    except OSError as err:
        raise DvkError(
            f"Không ghi được nhật ký dịch vụ {path} ({err.strerror or err}). Kiểm tra quyền ghi thư mục "
            "hoặc đặt [output] log trong dvk.toml.",
            path=str(path),
        ) from err
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    return log


def summary_line(report: SyncReport) -> str:
    """One Vietnamese line for a pass: counts per status ("2 đã nhận, 1 chưa nộp")."""
    counts: dict[str, int] = {}
    for u in report.units:
        counts[u.status] = counts.get(u.status, 0) + 1
    parts = [f"{n} {_STATUS.get(k, k)}" for k, n in counts.items()]
    text = ", ".join(parts) if parts else "không có đơn vị nào"
    failed = [u.code for u in report.units if u.status in ("invalid", "error")]
    if failed:
        text += f" (cần xem: {', '.join(failed)})"
    req = report.requests
    if req.get("sheets") or req.get("drive"):
        text += f"; lượt đọc Google: Sheets {req.get('sheets', 0)}, Drive {req.get('drive', 0)}"
    return text


def _describe(err: BaseException) -> str:
    if isinstance(err, DvkError):
        return str(err)
    from .errors_vi import describe_exception  # the CLI edge's translations of library errors

    return describe_exception(err)


def watch(
    settings: Settings,
    *,
    interval: float,
    use_google: bool = True,
    max_passes: int | None = None,
    say: Callable[[str], None] = lambda _text: None,
) -> int:
    """Sync every ``interval`` seconds until a stop signal (or ``max_passes``). Returns the passes made.

    ``say`` receives one Vietnamese line per event for the console (start, each pass, errors, stop).
    """
    ledger_path = settings.ledger_path
    log = _logger(settings.log_path, say)
    stop = threading.Event()

    def _tell(level: int, text: str) -> None:
        log.log(level, text)
        say(f"{dt.datetime.now():%H:%M:%S} {text}")

    def _on_signal(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():  # a second Ctrl-C: stop now
            raise KeyboardInterrupt
        log.info("nhận tín hiệu %s: dừng sau đơn vị đang xử lý", signal.Signals(signum).name)
        say("Đang dừng sau đơn vị đang xử lý… (bấm Ctrl+C lần nữa để dừng ngay)")
        stop.set()

    previous = {s: signal.signal(s, _on_signal) for s in stop_signals()}
    passes = 0
    try:
        with service_lock(ledger_path.with_name(ledger_path.name + ".lock")):
            with Ledger.open(ledger_path) as ledger:
                closed = ledger.mark_interrupted_runs()
            if closed:
                log.info("đánh dấu %d lần đồng bộ bị ngắt trước đó", closed)
            _tell(logging.INFO, f"bắt đầu dịch vụ đồng bộ, mỗi {interval:g} giây; nhật ký: {settings.log_path}")
            while not stop.is_set():
                try:
                    report = run_sync(settings, use_google=use_google, should_stop=stop.is_set)
                    _tell(logging.INFO, f"đồng bộ năm {report.year} xong: {summary_line(report)}")
                    if report.master and report.master.message:
                        _tell(logging.WARNING, report.master.message)
                    for notice in report.notices:
                        _tell(logging.WARNING, notice)
                    for other in report.other_files:  # files not taken (held for staff, unknown unit …): once each
                        _tell(logging.WARNING, f"{other.name}: {other.message}")
                    for unit in report.units:
                        for notice in unit.notices:
                            _tell(logging.WARNING, f"{unit.code}: {notice}")
                except Exception as err:  # a service survives its passes: log, wait, try again
                    _tell(logging.ERROR, f"lượt đồng bộ lỗi, sẽ thử lại sau {interval:g} giây: {_describe(err)}")
                    log.debug("chi tiết lỗi", exc_info=True)
                passes += 1
                if max_passes is not None and passes >= max_passes:
                    break
                stop.wait(interval)
            _tell(logging.INFO, "dừng dịch vụ đồng bộ")
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return passes
