"""The small files a commune points dvk at (dvk.toml, a rubric, the units list, the Google key and OAuth client,
the sign-in token), read with a size bound and only when they are ordinary files.

A path set by mistake to ``/dev/zero``, a FIFO or a multi-gigabyte file was read until memory ran out (review
H13); ``--config /dev/zero`` was reported as "not found" (H16). ``read_bounded`` refuses, before opening
anything, a path that is not a regular file (a device, a FIFO, a socket: opening a FIFO would wait for a
writer forever), and stops reading one byte past ``limit``. Each caller turns ``ConfigFileError`` into its
own error with :func:`describe`, a Vietnamese sentence naming the file and what to do.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["ConfigFileError", "describe", "read_bounded", "special_kind"]

#: Limits of the configuration-side files. dvk.toml of 10,000 units is under 1 MB; the default rubric 15 KB;
#: a Google key or OAuth client 2–3 KB; a units list of 10,000 rows about 1 MB.
CONFIG_LIMIT = 16 * 2**20
RUBRIC_LIMIT = 4 * 2**20
KEY_LIMIT = 1 * 2**20
UNITS_LIMIT = 32 * 2**20


class ConfigFileError(Exception):
    """A configured file that is not read: ``kind`` "special" (with ``what`` it is) or "too-large"."""

    def __init__(self, path: Path, kind: str, what: str = "", size: int = 0, limit: int = 0) -> None:
        super().__init__(f"{path}: {kind}")
        self.path, self.kind, self.what, self.size, self.limit = path, kind, what, size, limit


def special_kind(path: Path) -> str | None:
    """What ``path`` is when it exists and is not a regular file or a folder ("thiết bị", "ống dẫn (FIFO)",
    "socket"); None for a regular file, a folder, or nothing at all. Follows symbolic links."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "một thiết bị"
    if stat.S_ISFIFO(mode):
        return "một ống dẫn (FIFO)"
    if stat.S_ISSOCK(mode):
        return "một socket"
    return "một tệp đặc biệt"


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit``. ``ConfigFileError`` for a special file or a
    larger one; ``OSError`` (``FileNotFoundError``, ``IsADirectoryError``, ``PermissionError`` …) as raised."""
    path = Path(path)
    kind = special_kind(path)
    if kind is not None:
        raise ConfigFileError(path, "special", kind)
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limit:
            raise ConfigFileError(path, "too-large", size=size, limit=limit)
        data = fh.read(limit + 1)
    if len(data) > limit:  # it grew while being read, or the size was not known
        raise ConfigFileError(path, "too-large", size=len(data), limit=limit)
    return data


def _mb(n: int) -> str:
    value = n / 2**20
    return (f"{value:.1f}" if value < 10 else f"{value:.0f}").replace(".", ",") + " MB"


def describe(err: ConfigFileError, what: str) -> str:
    """"Tệp cấu hình /dev/zero không phải tệp thông thường (là một thiết bị) …" — ``what``: "tệp cấu hình",
    "tệp bộ tiêu chí" …"""
    if err.kind == "special":
        return (f"{what} {err.path} không phải một tệp thông thường (đó là {err.what}), nên dvk không đọc. "
                "Hãy chỉ đến đúng tệp cần dùng.")
    return (f"{what} {err.path} quá lớn ({_mb(err.size)}, giới hạn {_mb(err.limit)}), không giống tệp dvk cần "
            "nên không được đọc. Hãy kiểm tra lại đường dẫn: có thể đã chỉ nhầm sang một tệp khác.")
