"""Names and modes of the files dvk writes.

Names: every file name dvk derives (a template per unit code, a temporary upload, the master's "(ban moi)"
and "(ban cu …)" copies) goes through ``windows_safe_name``, so it is a name Windows accepts, and derived
copies keep their path under Windows' MAX_PATH (``fit_stem``). Staff run Windows; a unit code such as "CON"
or "COM1" is a valid code, but "CON.xlsx" is a device on Windows, not a file: its template is "CON_.xlsx".

Modes: a file dvk writes through a private temporary file (``mkstemp`` makes 0600) is an ordinary document:
a new one gets the mode the OS gives any new file (0666 less the umask, so 0644 under the usual umask 022), a
replaced one keeps its mode.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import unicodedata
from pathlib import Path

__all__ = [
    "MAX_NAME",
    "MAX_PATH",
    "RESERVED_NAMES",
    "fit_stem",
    "free_space",
    "give_file_mode",
    "new_file_mode",
    "windows_problem",
    "windows_safe_name",
]

#: Windows' limit for a whole path (MAX_PATH, 260 with the terminating NUL: 259 characters usable) and for one name.
MAX_PATH = 260
MAX_NAME = 255
#: Device names: "CON", "con.xlsx", "COM1.backup.xlsx", "LPT¹.txt" all open a device on Windows, not a file.
RESERVED_NAMES = frozenset({
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
    *(f"COM{d}" for d in "0123456789¹²³"), *(f"LPT{d}" for d in "0123456789¹²³"),
})
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def windows_problem(name: str) -> str | None:
    """Why Windows refuses or misreads the file name ``name`` (one name, no folder), or None when it is fine."""
    if not name or name in (".", ".."):
        return "tên rỗng"
    if _FORBIDDEN.search(name):
        return "có ký tự Windows không cho phép trong tên tệp (< > : \" / \\ | ? * hoặc ký tự điều khiển)"
    if name.endswith((".", " ")):
        return "kết thúc bằng dấu chấm hoặc dấu cách"
    if name.partition(".")[0].rstrip(" ").upper() in RESERVED_NAMES:
        return "trùng tên thiết bị dành riêng của Windows (CON, PRN, AUX, NUL, COM1…, LPT1…)"
    if len(name) > MAX_NAME:
        return f"dài quá {MAX_NAME} ký tự"
    return None


def windows_safe_name(name: str) -> str:
    """``name`` (one file name, no folder) made valid on Windows, unchanged when it already is.

    NFC; each forbidden character (``<>:"/\\|?*`` and control characters) becomes "_"; trailing dots and spaces
    are dropped; a reserved device name gets "_" after it, with or without extension ("CON.xlsx" →
    "CON_.xlsx", "com1.backup.xlsx" → "com1_.backup.xlsx"); a name over 255 characters is shortened before
    its extension. The result never equals another code's plain name unless that code ends in "_".
    """
    text = _FORBIDDEN.sub("_", unicodedata.normalize("NFC", name)).rstrip(" .")
    if not text:
        return "_"
    head, dot, tail = text.partition(".")
    if head.rstrip(" ").upper() in RESERVED_NAMES:
        text = f"{head}_{dot}{tail}"
    if len(text) > MAX_NAME:
        stem, ext = os.path.splitext(text)
        ext = ext if len(ext) < 16 else ""
        text = stem[: MAX_NAME - len(ext)].rstrip(" .") + ext
    return text


def fit_stem(folder: Path, stem: str, tail: str, *, limit: int = MAX_PATH) -> str:
    """``stem`` shortened so that ``folder / (stem + tail)`` stays under ``limit`` characters as an absolute
    path (and the name under 255). Unchanged when it fits; never shorter than 8 characters (a folder that deep
    leaves no room: the operating system's own error then says the path is too long)."""
    room = min(limit - 1 - len(str(Path(folder).absolute())) - 1, MAX_NAME) - len(tail)
    if len(stem) <= room:
        return stem
    return stem[: max(room, 8)].rstrip(" .") or stem[:8]


def _umask() -> int:
    with contextlib.suppress(OSError, ValueError):  # Linux tells it without changing it
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o077)  # elsewhere: read by setting it, with the most private mask meanwhile
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    """The permission bits of a new ordinary file: 0666 less the process umask."""
    return 0o666 & ~_umask()


def give_file_mode(tmp: Path, path: Path) -> None:
    """Before ``tmp`` is renamed over ``path``: the mode of ``path`` when it exists, else a new file's mode."""
    with contextlib.suppress(OSError):  # a file system without modes (FAT, some shares) keeps its own
        mode = path.stat().st_mode & 0o7777 if path.exists() else new_file_mode()
        os.chmod(tmp, mode)


def free_space(folder: Path) -> int | None:
    """Free bytes on the disk holding ``folder`` (its nearest existing parent), None when it cannot be told."""
    for place in (folder, *folder.parents):
        with contextlib.suppress(OSError):
            return shutil.disk_usage(place).free
    return None
