"""The `dvk` command line: a thin shell. Each command parses options, calls one library function, renders.

Exit codes, decided here only: 0 ok, 1 findings (invalid submissions, failed units), 2 usage or fatal error,
130 stopped with Ctrl-C. Every error becomes one Vietnamese message on stderr — dvk's own (``DvkError``)
as they are, those of libraries and the operating system through ``sync.errors_vi`` — and never a
traceback. With ``--format json`` a fatal error is also a JSON object on stdout:
``{"error": {"message": "...", "code": "config"}}``.

`dvk` alone prints its help on stdout and exits 0 (asking for nothing is not an error); `-h` is `--help`.
"""

from __future__ import annotations

import _thread
import contextlib
import json
import os
import re
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable
from types import FrameType

import typer

from schemas.errors import (
    ConfigError,
    DvkError,
    LedgerError,
    MasterLockedError,
    RubricError,
    SourceError,
    WorkbookError,
)

from ..errors_vi import describe_exception, library_message
from .help import install_vietnamese_help

__all__ = ["app", "main"]

EXIT_OK, EXIT_FINDINGS, EXIT_FATAL, EXIT_INTERRUPTED = 0, 1, 2, 130
FORCE_EXIT_AFTER = 3.0  # seconds between Ctrl-C and a forced exit when the work in flight does not stop


def _version() -> str:
    from .. import __version__  # the package's own (pyproject reads it too): no importlib.metadata at start-up

    return __version__


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"dvk {_version()}")
        raise typer.Exit(0)


install_vietnamese_help()

app = typer.Typer(
    name="dvk",
    help="dvk — chấm điểm phong trào thi đua “Dân vận khéo” cấp xã: mẫu phiếu, kiểm tra, chấm điểm, đồng bộ, tổng hợp.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", help="In phiên bản dvk rồi thoát.", is_eager=True, callback=_print_version
    ),
) -> None:
    """dvk — chấm điểm phong trào thi đua “Dân vận khéo” cấp xã."""


def _register(app: typer.Typer) -> None:
    """Each command group (one module per group) registers its commands; their work is imported when they run."""
    from . import addin, check, demo, docs, google, init, intake, models, report, rubric, sheets, sync, template

    for group in (rubric, init, addin, template, check, sync, intake, report, models, demo, sheets, docs, google):
        group.register(app)


_register(app)


_USAGE = (  # the command-line parser's own messages, in Vietnamese
    (re.compile(r"Missing argument '([^']+)'\.?"), r"Thiếu tham số \1"),
    (re.compile(r"Missing option '([^']+)'\.?"), r"Thiếu tùy chọn \1."),
    (re.compile(r"Missing command\.?"), r"Thiếu tên lệnh."),
    (re.compile(r"No such option: (\S+)"), r"Không có tùy chọn \1"),
    (re.compile(r"No such command '([^']+)'\.?"), r"Không có lệnh “\1”."),
    (re.compile(r"Did you mean (.+)\?"), r"Có phải ý bạn là \1?"),
    (re.compile(r"Got unexpected extra arguments? \((.+)\)"), r"Thừa tham số: \1"),
    (re.compile(r"Option '([^']+)' requires an argument\.?"), r"Tùy chọn \1 cần một giá trị."),
    (re.compile(r"Option '([^']+)' does not take a value\.?"), r"Tùy chọn \1 không nhận giá trị."),
    (re.compile(r"Invalid value for '([^']+)': (?:Value error, )?"), r"Giá trị không hợp lệ cho \1: "),
    (re.compile(r"'([^']*)' is not one of (.+)\."), r"“\1” không phải một trong các giá trị \2."),
    (re.compile(r"'([^']*)' is not a valid integer(?: range)?\.?"), r"“\1” không phải số nguyên."),
    (re.compile(r"'([^']*)' is not a valid float(?: range)?\.?"), r"“\1” không phải số."),
    (re.compile(r"(\S+) is not in the range (.+)\."), r"\1 nằm ngoài khoảng \2."),
    (re.compile(r"(?:File|Path|Directory) '([^']*)' does not exist\.?"), r"Không tìm thấy “\1”."),
    (re.compile(r"(?:File|Path|Directory) '([^']*)' is not readable\.?"), r"Không đọc được “\1” (không có quyền đọc)."),
    (re.compile(r"(?:File|Path) '([^']*)' is a directory\.?"), r"“\1” là một thư mục, không phải tệp."),
    (re.compile(r"Input should be less than or equal to (\S+)"), r"phải nhỏ hơn hoặc bằng \1"),
    (re.compile(r"Input should be greater than or equal to (\S+)"), r"phải lớn hơn hoặc bằng \1"),
    (re.compile(r"Input should be a valid integer[^.\n]*"), r"phải là số nguyên"),
    (re.compile(r"Input should be a valid number[^.\n]*"), r"phải là số"),
    (re.compile(r"\(Possible options: ([^)]+)\)"), r"(các tùy chọn gần giống: \1)"),
)


def _vietnamese(message: str) -> str:
    for pattern, replacement in _USAGE:
        message = pattern.sub(replacement, message)
    return library_message(message)


def _utf8_streams() -> None:
    """Vietnamese needs UTF-8: a Windows console (cp437, cp1258) or a redirected stream may default to less."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if encoding != "utf8" and callable(reconfigure):
            with contextlib.suppress(Exception):  # a stream that cannot be reconfigured keeps its encoding
                reconfigure(encoding="utf-8", errors="replace")


def _wants_json(argv: list[str]) -> bool:
    for i, arg in enumerate(argv):
        if arg == "--format=json" or (arg == "--format" and i + 1 < len(argv) and argv[i + 1] == "json"):
            return True
    return False


def _code(exc: BaseException) -> str:
    if type(exc).__name__ == "FileCreateError":  # XlsxWriter could not write a file: an OS error underneath
        return "file"
    for kind, code in (
        (ConfigError, "config"), (RubricError, "rubric"), (MasterLockedError, "master-locked"), (LedgerError, "ledger"),
        (WorkbookError, "workbook"), (SourceError, "source"), (DvkError, "error"), (OSError, "file"),
    ):
        if isinstance(exc, kind):
            return code
    return "internal"


class _Interrupted(BaseException):
    """Raised by the SIGINT handler: not a KeyboardInterrupt, so the parser does not swallow the message."""


_STOPPED = "Đã dừng theo yêu cầu (Ctrl+C)."


class _InterruptHandler:
    """SIGINT: say so at once, stop the work, and force the exit if work in flight holds on."""

    def __init__(self, *, force: bool) -> None:
        self.force = force  # only the console script itself may end the process
        self.timer: threading.Timer | None = None
        self.fired = False
        self.again = False  # the raise was swallowed by a callback that ignores exceptions: raise it once more
        self.previous_hook = sys.unraisablehook
        self.rearm: threading.Event | None = None

    def unraisable(self, info: object) -> None:
        """sys.unraisablehook: a Ctrl-C that landed in a weakref callback or a __del__ was swallowed by Python.
        Say nothing more; the waiting thread interrupts the main thread again, after the callback, where the
        exception propagates."""
        if isinstance(getattr(info, "exc_value", None), _Interrupted) and self.rearm is not None:
            self.again = True
            self.rearm.set()
            return
        self.previous_hook(info)  # type: ignore[arg-type]

    def _rearm_when_asked(self, rearm: threading.Event) -> None:
        rearm.wait()
        if self.again:
            _thread.interrupt_main(signal.SIGINT)

    def __call__(self, _signum: int, _frame: FrameType | None) -> None:
        if self.again:
            self.again = False
            raise _Interrupted
        if self.timer is not None:  # the second Ctrl-C: stop now
            os._exit(EXIT_INTERRUPTED)
        self.fired = True
        with contextlib.suppress(Exception):
            sys.stderr.write(f"Dừng: {_STOPPED}\n")
            sys.stderr.flush()
        # A network retry in a worker thread must not hold the user: the exit is forced soon.
        self.timer = threading.Timer(FORCE_EXIT_AFTER, os._exit, args=(EXIT_INTERRUPTED,))
        self.timer.daemon = True
        if self.force:
            self.timer.start()
        # Started now, before the raise: the hook above cannot start a thread (that waits, and a wait is where
        # the next interrupt lands).
        self.rearm = threading.Event()
        threading.Thread(target=self._rearm_when_asked, args=(self.rearm,), daemon=True).start()
        raise _Interrupted

    def cancel(self) -> None:
        self.again = False
        if self.rearm is not None:
            self.rearm.set()  # the waiting thread ends
        if self.timer is not None and not self.force:
            self.timer.cancel()


def _dvk_message(exc: DvkError) -> str:
    """dvk's own message; for a ledger the system refused to open or write, the system's precise reason."""
    cause = exc.__cause__
    if isinstance(exc, LedgerError) and isinstance(cause, sqlite3.OperationalError | PermissionError):
        text = str(cause)
        if isinstance(cause, PermissionError) or "readonly" in text or "unable to open" in text:
            path = exc.context.get("path")
            return f"{describe_exception(cause)}{f' (sổ lưu trữ: {path})' if path else ''}"
    return library_message(str(exc))


def _command_path(exc: BaseException) -> str:
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", None)
    return path if isinstance(path, str) and path.strip() else "dvk"


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    _utf8_streams()
    args = list(sys.argv[1:] if argv is None else argv)
    as_json = _wants_json(args)

    def fatal(message: str, code: str, exit_code: int = EXIT_FATAL, label: str = "Lỗi:") -> int:
        from rich.console import Console  # only when there is something to say
        from rich.markup import escape

        Console(stderr=True, highlight=False, soft_wrap=True).print(f"[bold red]{label}[/] {escape(message)}")
        if as_json:
            sys.stdout.write(json.dumps({"error": {"message": message, "code": code}}, ensure_ascii=False) + "\n")
        return exit_code

    def interrupted() -> int:  # the handler has said so already
        if as_json:
            sys.stdout.write(json.dumps({"error": {"message": _STOPPED, "code": "interrupted"}}, ensure_ascii=False) + "\n")
        return EXIT_INTERRUPTED

    previous = None
    handler = _InterruptHandler(force=argv is None)
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, handler)
        sys.unraisablehook = handler.unraisable
    try:
        code = _run(args, fatal, interrupted)
    finally:
        handler.cancel()
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
            sys.unraisablehook = handler.previous_hook
    # Ctrl-C whose exception Python swallowed (it arrived inside a callback that ignores exceptions) still stops
    # with 130: the user was told "Dừng", the exit code must agree.
    return interrupted() if handler.fired and code != EXIT_INTERRUPTED else code


def _run(args: list[str], fatal: Callable[..., int], interrupted: Callable[[], int]) -> int:
    try:
        code = app(args=args, prog_name="dvk", standalone_mode=False)
        if isinstance(code, int):  # typer.Exit(n) comes back as the return value outside standalone mode
            return code
    except DvkError as exc:
        return fatal(_dvk_message(exc), _code(exc))
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except _Interrupted:
        return interrupted()
    except KeyboardInterrupt:
        return fatal(_STOPPED, "interrupted", EXIT_INTERRUPTED, label="Dừng:")
    except typer.Abort as exc:
        if isinstance(exc.__cause__, EOFError):  # a file ended early while it was read: not a Ctrl-C
            return fatal("Dữ liệu kết thúc bất ngờ (tệp đang được ghi dở hoặc bị cắt ngang?). Hãy chạy lại.", "file")
        return fatal("Đã dừng theo yêu cầu.", "interrupted", EXIT_INTERRUPTED, label="Dừng:")
    except typer.TyperException as exc:  # usage errors of the command line itself
        format_message = getattr(exc, "format_message", None)
        message = format_message() if callable(format_message) else str(exc)
        if type(exc).__name__ == "NoArgsIsHelpError":  # `dvk` (or `dvk addin`) alone: the help text is the answer
            sys.stdout.write(message.rstrip("\n") + "\n")
            return EXIT_OK
        message = f"{_vietnamese(message)}\nXem hướng dẫn: {_command_path(exc)} --help"
        return fatal(message, "usage", label="Lệnh không hợp lệ:")
    except Exception as exc:  # a library or the operating system: a Vietnamese sentence, never a traceback
        if os.environ.get("DVK_DEBUG"):
            raise
        return fatal(describe_exception(exc), _code(exc))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
