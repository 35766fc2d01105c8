"""The `dvk` command line: a thin shell. Each command parses options, calls one library function, renders.

Exit codes, decided here only: 0 ok, 1 findings (invalid submissions, failed units), 2 usage or fatal error.
Library errors (``DvkError``) become a Vietnamese message on stderr and exit 2; no traceback for user errors.
"""

from __future__ import annotations

import re
import sys

import typer
from rich.console import Console
from rich.markup import escape

from schemas.errors import DvkError

from .commands import register

__all__ = ["app", "main"]

EXIT_OK, EXIT_FINDINGS, EXIT_FATAL = 0, 1, 2

app = typer.Typer(
    name="dvk",
    help="dvk — chấm điểm phong trào thi đua “Dân vận khéo” cấp xã: mẫu phiếu, kiểm tra, chấm điểm, đồng bộ, tổng hợp.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root() -> None:
    """dvk — chấm điểm phong trào thi đua “Dân vận khéo” cấp xã."""


register(app)


_USAGE = (  # the command-line parser's own messages, in Vietnamese
    (re.compile(r"Missing argument '([^']+)'\.?"), r"Thiếu tham số \1"),
    (re.compile(r"Missing option '([^']+)'\.?"), r"Thiếu tùy chọn \1."),
    (re.compile(r"No such option: (\S+)"), r"Không có tùy chọn \1"),
    (re.compile(r"No such command '([^']+)'\.?"), r"Không có lệnh “\1”."),
    (re.compile(r"Did you mean (.+)\?"), r"Có phải ý bạn là \1?"),
    (re.compile(r"Got unexpected extra arguments? \((.+)\)"), r"Thừa tham số: \1"),
    (re.compile(r"Option '([^']+)' requires an argument\.?"), r"Tùy chọn \1 cần một giá trị."),
    (re.compile(r"Invalid value for '([^']+)': (?:Value error, )?"), r"Giá trị không hợp lệ cho \1: "),
    (re.compile(r"'([^']*)' is not one of (.+)\."), r"“\1” không phải một trong các giá trị \2."),
    (re.compile(r"'([^']*)' is not a valid integer(?: range)?\.?"), r"“\1” không phải số nguyên."),
    (re.compile(r"(\S+) is not in the range (.+)\."), r"\1 nằm ngoài khoảng \2."),
    (re.compile(r"(?:File|Path) '([^']*)' does not exist\.?"), r"Không tìm thấy “\1”."),
    (re.compile(r"Input should be less than or equal to (\S+)"), r"phải nhỏ hơn hoặc bằng \1"),
    (re.compile(r"Input should be greater than or equal to (\S+)"), r"phải lớn hơn hoặc bằng \1"),
    (re.compile(r"Input should be a valid integer[^.\n]*"), r"phải là số nguyên"),
    (re.compile(r"Input should be a valid number[^.\n]*"), r"phải là số"),
    (re.compile(r"\(Possible options: ([^)]+)\)"), r"(các tùy chọn gần giống: \1)"),
)


def _vietnamese(message: str) -> str:
    for pattern, replacement in _USAGE:
        message = pattern.sub(replacement, message)
    return message


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    err = Console(stderr=True)
    try:
        code = app(args=argv, standalone_mode=False)
        if isinstance(code, int):  # typer.Exit(n) comes back as the return value outside standalone mode
            return code
    except DvkError as exc:
        err.print(f"[bold red]Lỗi:[/] {escape(str(exc))}", highlight=False)
        return EXIT_FATAL
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except (typer.Abort, KeyboardInterrupt):
        err.print("Đã dừng theo yêu cầu.")
        return 130
    except typer.TyperException as exc:  # usage errors of the command line itself
        format_message = getattr(exc, "format_message", None)
        message = format_message() if callable(format_message) else str(exc)
        if type(exc).__name__ == "NoArgsIsHelpError":  # `dvk` alone: the help text is the answer
            err.print(escape(message), highlight=False)
            return EXIT_OK
        message = _vietnamese(message)
        err.print(f"[bold red]Lệnh không hợp lệ:[/] {escape(message)}\nXem hướng dẫn: dvk --help", highlight=False)
        return EXIT_FATAL
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
