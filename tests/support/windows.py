"""Run the real CLI in a subprocess where the POSIX-only modules cannot be imported, as on Windows.

``sys.modules[name] = None`` makes ``import name`` fail the way it does on Windows.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

__all__ = ["POSIX_ONLY", "windowsish"]

POSIX_ONLY = ("fcntl", "termios", "pwd", "grp", "resource")
_PRELUDE = (
    "import sys\n"
    f"for name in {POSIX_ONLY!r}:\n"
    "    sys.modules[name] = None\n"
    "from sync.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def windowsish(*args: str, cwd: Path | None = None, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """``dvk ARGS`` with the POSIX-only modules unimportable and no ``DVK_`` variable of the caller's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DVK_")}
    return subprocess.run(
        [sys.executable, "-c", _PRELUDE, *args], capture_output=True, text=True, encoding="utf-8",
        cwd=cwd, env=env, timeout=timeout,
    )
