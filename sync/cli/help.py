"""The help pages of `dvk … --help` in Vietnamese: the command-line parser's own words, translated.

typer (with its bundled click) writes "Usage:", "Options:", "[default: …]", "[required]", "x>=5",
metavars such as ``<path>`` and ``<float range>`` and "Show this message and exit." in English, some
through gettext and some as plain strings. Every help page goes through one ``HelpFormatter``; the
subclass installed here translates each piece before it is wrapped, so every command — also those added
later — gets a Vietnamese page. The list of commands shows each command's first paragraph whole (wrapped),
never cut with "...".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import typer.core

__all__ = ["install_vietnamese_help", "vietnamese_help_text"]

_HEADINGS = {"Options": "Tùy chọn", "Arguments": "Tham số", "Commands": "Lệnh"}

_METAVARS = {
    "path": "TỆP", "file": "TỆP", "float range": "SỐ", "integer range": "SỐ NGUYÊN", "int range": "SỐ NGUYÊN", "float": "SỐ", "int": "SỐ NGUYÊN",
    "str": "CHỮ", "text": "CHỮ", "bool": "CÓ/KHÔNG", "list[Path]": "TỆP...", "list[str]": "CHỮ...",
    "datetime": "NGÀY", "date": "NGÀY",
}
_METAVAR = re.compile(r"<([^<>|]+)>")

_HELP_TEXT = (
    (re.compile(r"Show this message and exit\."), "Hiện hướng dẫn này rồi thoát."),
    (re.compile(r"Show the version and exit\."), "In phiên bản rồi thoát."),
    (re.compile(r"\bdefault: "), "mặc định: "),
    (re.compile(r"\brequired\b"), "bắt buộc"),
    (re.compile(r"\benv var: "), "biến môi trường: "),
    (re.compile(r"\(dynamic\)"), "(tùy lúc chạy)"),
    (re.compile(r"\b(-?[\d.]+)<=x<=(-?[\d.]+)"), r"từ \1 đến \2"),
    (re.compile(r"\b(-?[\d.]+)<x<(-?[\d.]+)"), r"trong khoảng (\1; \2)"),
    (re.compile(r"\bx>=(-?[\d.]+)"), r"≥ \1"),
    (re.compile(r"\bx<=(-?[\d.]+)"), r"≤ \1"),
    (re.compile(r"\bx>(-?[\d.]+)"), r"> \1"),
    (re.compile(r"\bx<(-?[\d.]+)"), r"< \1"),
)

_USAGE_ARGS = (
    (re.compile(r"\[OPTIONS\]"), "[TÙY CHỌN]"),
    (re.compile(r"COMMAND \[ARGS\]\.\.\."), "LỆNH [THAM SỐ]..."),
    (re.compile(r"\{([^{}]+)\}\.\.\."), r"\1"),  # "{TỆP...}..." of a variadic argument with a metavar
)


def _metavar(match: re.Match[str]) -> str:
    label = match.group(1)
    return f"<{_METAVARS.get(label, label)}>"


def vietnamese_help_text(text: str) -> str:
    """One help text (an option's help, its default and range) in Vietnamese."""
    for pattern, replacement in _HELP_TEXT:
        text = pattern.sub(replacement, text)
    return text


def _term(text: str) -> str:
    text = _METAVAR.sub(_metavar, text)
    for pattern, replacement in _USAGE_ARGS:
        text = pattern.sub(replacement, text)
    return text


def _row_term(text: str) -> str:
    text = _term(text)
    same = re.fullmatch(r"(\S+) <\1>", text)  # an argument whose metavar repeats its type: "TỆP... <TỆP...>"
    return same.group(1) if same else text


def _whole_summary(self: Any, limit: int = 45) -> str:
    """A command's line in the list of commands: its first paragraph, whole. click cuts it to ``limit``
    characters with "...", mid-sentence ("liệt kê lỗi, cảnh báo kèm trang..."); the formatter wraps it instead."""
    if getattr(self, "short_help", None):
        text = str(self.short_help)
    else:
        text = (getattr(self, "help", None) or "").strip().split("\n\n")[0]
    return " ".join(text.split())


def install_vietnamese_help() -> None:
    """Make every help page of the running program Vietnamese (idempotent)."""
    context: Any = typer.core.TyperCommand.context_class  # the context class every command and group makes
    base: Any = context.formatter_class
    if getattr(base, "_dvk_vietnamese", False):
        return
    typer.core.TyperCommand.get_short_help_str = _whole_summary  # type: ignore[method-assign]
    typer.core.TyperGroup.get_short_help_str = _whole_summary  # type: ignore[method-assign]

    class VietnameseHelpFormatter(base):
        _dvk_vietnamese = True

        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, _term(args), "Cách dùng: " if prefix is None else prefix)

        def write_heading(self, heading: str) -> None:
            super().write_heading(_HEADINGS.get(heading, heading))

        def write_dl(self, rows: Sequence[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
            super().write_dl([(_row_term(a), vietnamese_help_text(b)) for a, b in rows], *args, **kwargs)

    context.formatter_class = VietnameseHelpFormatter
