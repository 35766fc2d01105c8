"""Safe saving: a temporary file in the target's folder, fsync, then an atomic ``os.replace``.

A crash at any point leaves the previous file intact (at worst a stray ``.~dvk-*.xlsx`` temporary file, which
the next save removes once it is an hour old, so a save in progress elsewhere is never touched).
When the target is locked — Excel keeps an owner file ``~$name.xlsx`` beside an open workbook, and on
Windows the replace itself fails with PermissionError — the new file is written beside it instead
(``tong-hop (ban moi).xlsx``: one copy, reused by every later save while the target stays open, so three
syncs make one copy, not three) and the result says so in Vietnamese. The caller reads the staff edits typed
into that copy back before it is overwritten (``beside_copies``).

A file a person saved while dvk was building its replacement is never replaced: the caller passes the
``Fingerprint`` (size, mtime, sha256) of every file it read, and ``save_atomic`` compares the target with it
immediately before the replace; a changed target raises ``MasterChanged`` (the caller reads it again). What
remains is the instant between that comparison and the rename itself.

Derived names (the copies) are valid on Windows and keep the path under MAX_PATH (``workbook.files``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import glob
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from schemas.errors import WorkbookError

from ..files import fit_stem, windows_safe_name

__all__ = [
    "TEMP_PREFIX",
    "Fingerprint",
    "MasterChanged",
    "beside_copies",
    "beside_path",
    "is_locked",
    "old_copy_path",
    "save_atomic",
]

TEMP_PREFIX = ".~dvk-"
_BESIDE_LONGEST = " (ban moi 99)"  # the longest copy tag: every "(ban moi …)" copy shares one (shortened) stem
_OLD_LONGEST = " (ban cu 2026-12-31 2359 99)"


@dataclass(frozen=True)
class Fingerprint:
    """What a file was when dvk read it: size, modification time and content hash."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> Fingerprint | None:
        """The fingerprint of ``path`` now; None when there is no such file."""
        try:
            st = os.stat(path)
            digest = hashlib.sha256()
            with open(path, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
        except FileNotFoundError:
            return None
        return cls(st.st_size, st.st_mtime_ns, digest.hexdigest())


class MasterChanged(WorkbookError):
    """The file to be replaced changed after dvk read it (a person saved it meanwhile). Context: ``path``."""


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


def _copy_stem(path: Path, longest: str) -> str:
    return fit_stem(path.parent, path.stem, longest + path.suffix)


def _derived(path: Path, longest: str, tag: str) -> Path:
    return path.with_name(windows_safe_name(f"{_copy_stem(path, longest)} ({tag}){path.suffix}"))


def beside_path(path: Path, when: dt.datetime | None = None) -> Path:
    """The name beside ``path`` for a new version while ``path`` is open: "<stem> (ban moi)<suffix>", reused by
    every save; "<stem> (ban moi 2)<suffix>" … only when that copy is open too. The stem is shortened when the
    copy's path would pass Windows' MAX_PATH. (``when`` is kept for callers.)"""
    candidate = _derived(path, _BESIDE_LONGEST, "ban moi")
    n = 2
    while is_locked(candidate):
        candidate = _derived(path, _BESIDE_LONGEST, f"ban moi {n}")
        n += 1
    return candidate


def old_copy_path(path: Path, when: dt.datetime) -> Path:
    """A free name beside ``path`` for a copy of it as it was: "<stem> (ban cu 2026-12-06 2305)<suffix>" (then
    "… 2)", "… 3)"), shortened like ``beside_path``."""
    stamp = f"ban cu {when:%Y-%m-%d %H%M}"
    copy = _derived(path, _OLD_LONGEST, stamp)
    n = 2
    while copy.exists():
        copy = _derived(path, _OLD_LONGEST, f"{stamp} {n}")
        n += 1
    return copy


def beside_copies(path: Path) -> list[Path]:
    """The copies written beside ``path`` while it was open, oldest first (their staff edits are read back)."""
    stem = glob.escape(_copy_stem(path, _BESIDE_LONGEST))
    found = [p for p in path.parent.glob(f"{stem} (ban moi*){glob.escape(path.suffix)}") if p.is_file()]
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


def _kept_message(path: Path, written: Path) -> str:
    return (
        f"Tệp “{path.name}” được lưu lại nhiều lần trong lúc dvk đang lập lại nó nên dvk không ghi đè. Bản mới đã "
        f"được ghi vào “{written.name}” trong cùng thư mục; lần chạy sau dvk đọc điểm thẩm định trong cả hai tệp "
        "rồi gộp lại."
    )


def _sweep_stale(folder: Path, suffix: str, *, older_than: float = 3600.0) -> None:
    """Remove temporary files a crashed save left behind (only old ones: another save may be running)."""
    limit = time.time() - older_than
    for stale in folder.glob(f"{TEMP_PREFIX}*{suffix}"):
        with contextlib.suppress(OSError):
            if stale.stat().st_mtime < limit:
                stale.unlink()


def _as_target(err: OSError, tmp: Path, target: Path) -> OSError:
    """A full disk met while writing the temporary file, told about the file being written (the name staff
    know, and the folder to free). Other errors keep the temporary file's name (its messages say why)."""
    code = err.errno
    if err.filename not in (str(tmp), tmp) or code is None or code not in (errno.ENOSPC, getattr(errno, "EDQUOT", 0)):
        return err
    return type(err)(code, err.strerror or os.strerror(code), str(target))


def _unchanged(target: Path, expected: Mapping[Path, Fingerprint | None]) -> bool:
    return Fingerprint.of(target) == expected.get(target)


def save_atomic(
    save: Callable[[Path], None],
    path: Path,
    *,
    when: dt.datetime,
    expected: Mapping[Path, Fingerprint | None] | None = None,
    beside: bool = False,
    before_replace: Callable[[Path], None] | None = None,
) -> tuple[Path, str]:
    """Call ``save(tmp)`` and move the result to ``path`` atomically. Returns (path written, message).

    ``message`` is empty when ``path`` itself was written, else the Vietnamese reason it went beside.
    ``expected``: the fingerprints of the files the content was built from (None: the file did not exist);
    when the file to be replaced is not as expected any more, nothing is replaced and ``MasterChanged`` is
    raised. ``beside``: write the "(ban moi)" copy even when ``path`` is not open. ``before_replace(target)``
    is called once the new file is complete, just before that comparison (a test seam: a person saving the
    file "during" the rebuild).
    """
    path = Path(path)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    _sweep_stale(folder, path.suffix)
    locked = is_locked(path)
    target = beside_path(path, when) if beside or locked else path
    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix, dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        try:
            save(tmp)
            os.chmod(tmp, (path.stat().st_mode & 0o777) if path.exists() else 0o644)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        except OSError as err:
            raise _as_target(err, tmp, target) from err
        if before_replace is not None:
            before_replace(target)
        if expected is not None and not _unchanged(target, expected):
            raise MasterChanged(
                f"Tệp “{target.name}” vừa được lưu (có thể từ Excel) trong lúc dvk đang lập lại nó: dvk không ghi đè.",
                path=str(target),
            )
        try:
            os.replace(tmp, target)
        except PermissionError:
            if target != path:
                raise
            locked = True
            target = beside_path(path, when)
            if expected is not None and not _unchanged(target, expected):
                raise MasterChanged(f"Tệp “{target.name}” vừa được lưu trong lúc dvk đang ghi nó.", path=str(target)) from None
            os.replace(tmp, target)
        _fsync_dir(folder)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if target == path:
        return target, ""
    return target, _locked_message(path, target) if locked else _kept_message(path, target)

