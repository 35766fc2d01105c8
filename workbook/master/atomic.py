"""Safe saving: a temporary file in the target's folder, fsync, then an atomic ``os.replace``.

A crash at any point leaves the previous file intact (at worst a stray ``.~dvk-*.xlsx`` temporary file, which
the next save removes once it is an hour old, so a save in progress elsewhere is never touched).
When the target is locked — Excel keeps an owner file ``~$name.xlsx`` beside an open workbook, and on
Windows the replace itself fails with PermissionError — the new file is written beside it instead
(``tong-hop (ban moi).xlsx``: one copy, reused by every later save while the target stays open, so three
syncs make one copy, not three) and the result says so in Vietnamese. The caller reads the staff edits typed
into that copy back before it is overwritten (``beside_copies``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["TEMP_PREFIX", "beside_copies", "beside_path", "is_locked", "save_atomic"]

TEMP_PREFIX = ".~dvk-"


def _owner_files(path: Path) -> tuple[Path, ...]:
    # Excel names the owner file "~$" + the name; for long names it replaces the first two characters.
    return (path.with_name("~$" + path.name), path.with_name("~$" + path.name[2:]))


def is_locked(path: Path) -> bool:
    """True when another program (Excel, LibreOffice) has the workbook open, as far as can be seen."""
    if any(p.exists() for p in _owner_files(path)):
        return True
    if path.with_name(f".~lock.{path.name}#").exists():  # LibreOffice's lock file
        return True
    if os.name == "nt" and path.exists():  # pragma: no cover - Windows only
        try:
            with open(path, "r+b"):
                pass
        except PermissionError:
            return True
    return False


def beside_path(path: Path, when: dt.datetime | None = None) -> Path:
    """The name beside ``path`` for a new version while ``path`` is open: "<stem> (ban moi)<suffix>", reused by
    every save; "<stem> (ban moi 2)<suffix>" … only when that copy is open too. (``when`` is kept for callers.)"""
    candidate = path.with_name(f"{path.stem} (ban moi){path.suffix}")
    n = 2
    while is_locked(candidate):
        candidate = path.with_name(f"{path.stem} (ban moi {n}){path.suffix}")
        n += 1
    return candidate


def beside_copies(path: Path) -> list[Path]:
    """The copies written beside ``path`` while it was open, oldest first (their staff edits are read back)."""
    found = [p for p in path.parent.glob(f"{glob.escape(path.stem)} (ban moi*){path.suffix}") if p.is_file()]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # pragma: no cover - directories cannot be opened on Windows
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _locked_message(path: Path, written: Path) -> str:
    return (
        f"Tệp “{path.name}” đang được mở (có thể trong Excel) nên dvk không ghi đè. "
        f"Bản mới đã được ghi vào “{written.name}” trong cùng thư mục (các lần sau ghi đè bản này, sau khi đọc lại "
        "điểm thẩm định đã nhập trong đó). Hãy lưu và đóng tệp cũ rồi chạy lại dvk report; những gì đang nhập dở "
        "mà chưa lưu trong Excel chưa có trong bản mới."
    )


def _sweep_stale(folder: Path, suffix: str, *, older_than: float = 3600.0) -> None:
    """Remove temporary files a crashed save left behind (only old ones: another save may be running)."""
    limit = time.time() - older_than
    for stale in folder.glob(f"{TEMP_PREFIX}*{suffix}"):
        with contextlib.suppress(OSError):
            if stale.stat().st_mtime < limit:
                stale.unlink()


def save_atomic(save: Callable[[Path], None], path: Path, *, when: dt.datetime) -> tuple[Path, str]:
    """Call ``save(tmp)`` and move the result to ``path`` atomically. Returns (path written, message).

    ``message`` is empty when ``path`` itself was written, else the Vietnamese reason it went beside.
    """
    path = Path(path)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    _sweep_stale(folder, path.suffix)
    target = beside_path(path, when) if is_locked(path) else path
    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix, dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        save(tmp)
        os.chmod(tmp, (path.stat().st_mode & 0o777) if path.exists() else 0o644)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        try:
            os.replace(tmp, target)
        except PermissionError:
            if target != path:
                raise
            target = beside_path(path, when)
            os.replace(tmp, target)
        _fsync_dir(folder)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return target, (_locked_message(path, target) if target != path else "")
