"""A real spreadsheet engine for tests: LibreOffice headless recalculates a workbook and saves it as .xlsx.

``recalc(path)`` returns the path of the recalculated copy; open it with ``openpyxl.load_workbook(...,
data_only=True)`` to read the values LibreOffice computed. Each call uses its own LibreOffice profile so
tests can run in parallel. Without ``soffice`` the test is skipped locally, and fails under CI (CI=true).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

__all__ = ["recalc", "recalc_many", "soffice"]


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI: apt-get install libreoffice-calc-nogui")
        pytest.skip("LibreOffice headless (soffice) is not installed")
    return exe


def recalc(path: Path, outdir: Path | None = None, *, timeout: float = 120) -> Path:
    """Open ``path`` in LibreOffice headless, recalculate, and save an .xlsx copy in ``outdir``."""
    (out,) = recalc_many([Path(path)], outdir or Path(tempfile.mkdtemp(prefix="dvk-lo-out-")), timeout=timeout)
    return out


def recalc_many(paths: list[Path], outdir: Path, *, timeout: float = 240) -> list[Path]:
    """``recalc`` for several files in one LibreOffice start (≈ the cost of one call); same order as ``paths``.

    The files must have distinct stems (the copies are named ``<stem>.xlsx`` in ``outdir``).
    """
    exe = soffice()
    stems = [Path(p).stem for p in paths]
    assert len(set(stems)) == len(stems), "recalc_many needs distinct file names"
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dvk-lo-profile-") as profile:
        cmd = [
            exe,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(outdir),
            *(str(p) for p in paths),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    outs = [outdir / f"{stem}.xlsx" for stem in stems]
    missing = [str(o) for o in outs if not o.exists()]
    if proc.returncode != 0 or missing:
        raise AssertionError(f"LibreOffice could not convert {missing}: {proc.stdout}\n{proc.stderr}")
    return outs
