"""File modes for what dvk writes through a private temporary file (``mkstemp`` makes 0600).

A file dvk writes is an ordinary document: a new one gets the mode the OS gives any new file (0666 less the
umask, so 0644 under the usual umask 022), a replaced one keeps its mode.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

__all__ = ["give_file_mode", "new_file_mode"]


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
