"""The `dvk` command line: a thin shell. Each command parses options, calls one library function, renders.

Exit codes, decided here only: 0 ok, 1 findings (invalid submissions, failed units), 2 usage or fatal error.
Library errors (``DvkError``) become a Vietnamese message on stderr and exit 2; no traceback for user errors.
"""

from __future__ import annotations

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
        err.print(f"[bold red]Lệnh không hợp lệ:[/] {escape(message)}\nXem hướng dẫn: dvk --help", highlight=False)
        return EXIT_FATAL
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
