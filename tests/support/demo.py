"""The demo commune, made once per test session and shared by the tests that read it.

`dvk demo` is the main job: 26 units, three years of e-mailed files, three masters and the phase review. It
takes a while on a small machine, so one run serves every test that needs a synced commune: it runs through
the real CLI in a subprocess where the POSIX-only modules cannot be imported (as on Windows), in a folder with
Vietnamese letters, once per session even under pytest-xdist (a file lock in the session's shared folder).
A test that changes anything works on its own copy (``copy_demo``).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock

from tests.support.windows import windowsish

__all__ = ["DemoRun", "copy_demo", "shared_demo"]


@dataclass(frozen=True)
class DemoRun:
    folder: Path  # read it, never write into it: other tests share it
    returncode: int
    stdout: str
    stderr: str


def _session_folder(factory: pytest.TempPathFactory) -> Path:
    base = factory.getbasetemp()
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    return base.parent / f"dvk-demo-{run}" if run else base / "dvk-demo"  # xdist: shared by this run's workers


def shared_demo(factory: pytest.TempPathFactory) -> DemoRun:
    root = _session_folder(factory)
    root.mkdir(parents=True, exist_ok=True)
    done_file = root / "run.json"
    with FileLock(str(root / ".lock")):
        if not done_file.exists():
            folder = root / "thử nghiệm"
            done = windowsish("demo", "--out", str(folder))
            done_file.write_text(json.dumps({
                "folder": str(folder), "returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr,
            }), encoding="utf-8")
    data = json.loads(done_file.read_text(encoding="utf-8"))
    return DemoRun(Path(data["folder"]), data["returncode"], data["stdout"], data["stderr"])


def copy_demo(run: DemoRun, target: Path) -> Path:
    """A private copy of the demo commune (its dvk.toml's relative paths still work)."""
    assert run.returncode == 0, run.stderr
    shutil.copytree(run.folder, target)
    return target
