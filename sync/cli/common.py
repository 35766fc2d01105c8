"""Shared CLI helpers: output format option, JSON printing, rubric loading from an option, the console.

Light on purpose: every command module imports it when ``dvk`` starts, so it imports typer and the standard
library only; rich, the settings and the rubric are loaded when a command first uses them.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from schemas.errors import ConfigError

if TYPE_CHECKING:
    from rich.console import Console

    from schemas.rubric import Rubric

    from ..config import Settings

__all__ = [
    "STATUS_LABELS",
    "ConfigOption",
    "Format",
    "check_output_file",
    "console",
    "escape",
    "load_rubric_option",
    "need_units",
    "print_json",
    "settings_from",
    "staff_line",
]

def _make_console() -> Console:
    from rich.console import Console, ConsoleDimensions

    class _Console(Console):
        """Rich's console, but not wrapped at 80 columns when the output is a file or a pipe (scripts, logs)."""

        @property
        def size(self) -> ConsoleDimensions:
            size = super().size
            return size if self.is_terminal else ConsoleDimensions(10_000, size.height)

        @size.setter
        def size(self, new_size: tuple[int, int]) -> None:
            Console.size.fset(self, new_size)  # type: ignore[attr-defined]

    return _Console(highlight=False, soft_wrap=False)


class _LazyConsole:
    """The commands' console, made on first use (rich costs a tenth of a second at start-up)."""

    _real: Console | None = None

    def rich(self) -> Console:
        """The rich ``Console`` itself (for a ``Progress`` or a ``Live`` that needs one)."""
        if self._real is None:
            type(self)._real = _make_console()
        assert self._real is not None
        return self._real

    def __getattr__(self, name: str) -> Any:
        return getattr(self.rich(), name)


console: Any = _LazyConsole()


def escape(text: str) -> str:
    """Rich markup escaped, so a unit's text is printed as typed."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


class Format(StrEnum):
    text = "text"
    json = "json"


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def load_rubric_option(path: Path | None) -> Rubric:
    from schemas.rubric import default_rubric, load_rubric

    if path is not None and path.is_dir():
        raise ConfigError(f"--rubric: {path} là một thư mục; hãy chỉ tệp bộ tiêu chí .toml.", key="--rubric")
    return load_rubric(path) if path else default_rubric()


ConfigOption = typer.Option(
    "--config", "-c", help="Tệp cấu hình dvk.toml (mặc định: biến DVK_CONFIG hoặc ./dvk.toml)."
)


def settings_from(config: Path | None, *, need_file: bool = False) -> Settings:
    """The settings for a command: loaded once at the edge (the file and the DVK_ environment).

    ``need_file``: the command works on a real commune (sync, report), so a missing dvk.toml is an error.
    """
    from ..config import load_settings

    return load_settings(config, require_file=need_file)


def check_output_file(path: Path, suffix: str, *, option: str) -> Path:
    """An output file a command will write: the right extension, not a folder, its folder already there.

    dvk never creates the parent folders of an explicit ``--out`` silently (a typo would scatter files).
    """
    text = str(path)
    if not text.strip() or text.endswith(("/", "\\")) or path.is_dir():
        raise ConfigError(f"{option}: “{text}” là một thư mục hoặc để trống; hãy chỉ tên tệp {suffix}, ví dụ tong-hop{suffix}.", key=option)
    if path.suffix.lower() != suffix:
        shown = path.suffix or "(không có đuôi)"
        raise ConfigError(f"{option}: tệp “{path.name}” có đuôi {shown}; dvk chỉ ghi tệp {suffix}.", key=option)
    if path.stem.strip() == "":
        raise ConfigError(f"{option}: “{text}” thiếu tên tệp trước đuôi {suffix}.", key=option)
    parent = path.parent
    if not parent.is_dir():
        raise ConfigError(
            f"{option}: thư mục {parent} chưa có (hoặc không phải thư mục); hãy tạo thư mục trước hoặc chọn nơi khác.",
            key=option,
        )
    try:
        with tempfile.TemporaryFile(dir=parent):
            pass
    except OSError as err:
        reason = "không có quyền ghi" if isinstance(err, PermissionError) else err.strerror or "không ghi được"
        raise ConfigError(f"{option}: không ghi được vào thư mục {parent} ({reason}); hãy chọn nơi khác.", key=option) from err
    return path


def need_units(settings: Settings) -> None:
    """Refuse to sync or report a commune with no unit: say where units are declared."""
    if not settings.registry():
        where = settings.source or "dvk.toml"
        raise ConfigError(
            f"{where}: chưa có đơn vị nào; khai báo các mục [[units]] hoặc units_file (xem ví dụ trong tệp do dvk init tạo).",
            key="units",
        )


STATUS_LABELS = {
    "ok": "Đã nhận",
    "unchanged": "Không đổi",
    "invalid": "Có lỗi",
    "error": "Không đọc được",
    "missing": "Chưa nộp",
    "held": "Chờ xác nhận",
}


def staff_line(counts: Mapping[str, int] | None) -> str | None:
    """"Đọc lại từ tệp tổng hợp: 5 điểm thẩm định, 4 ghi chú; 1 điểm thẩm định không hợp lệ …" (sync, report)."""
    if not counts:
        return None
    line = (f"Đọc lại từ tệp tổng hợp: {int(counts.get('appraisals', 0))} điểm thẩm định, "
            f"{int(counts.get('notes', 0))} ghi chú")
    invalid = int(counts.get("invalid", 0))
    if invalid:
        line += (f"; {invalid} điểm thẩm định không hợp lệ, chưa được tính (giữ nguyên như đã gõ, tô đỏ, xem trang "
                 "“Lỗi”)")
    return line + "."
