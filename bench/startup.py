"""Benchmark (not a test): what a clerk waits for before a command starts working.

Times whole processes, as a clerk meets them: ``dvk --version``, ``dvk --help``, and ``dvk validate`` of one
filled sheet, each against two references run in the same loop, ``python -c pass`` (the interpreter alone)
and ``python -c "import openpyxl"`` (the library every reading command needs). Median of ``--runs`` runs
(default 15), the commands interleaved so a burst of load on the machine hits all of them alike.

Goals (issue 19): ``dvk --version`` ≤ 0.15 s median wall and ≤ 5 × ``python -c pass``; ``dvk validate`` of one
filled sheet ≤ 0.5 s.

    .venv/bin/python bench/startup.py [--runs N]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _dvk() -> list[str]:
    script = Path(sys.executable).with_name("dvk.exe" if sys.platform == "win32" else "dvk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sync.cli"]


def _filled_sheet(folder: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from schemas import default_rubric
    from tests.schemas.factory import INFO, ONE_MODEL, PERFECT
    from workbook.fill import fill_template
    from workbook.template import write_template

    blank = write_template(folder / "mau.xlsx", default_rubric(), year=2026)
    out = folder / "VP-UBND.xlsx"
    fill_template(blank, out, {**INFO, **PERFECT}, ONE_MODEL)
    return out


def _time(cmd: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, cwd=ROOT, timeout=600, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):  # validate exits 1 for a sheet with errors; anything else is a failure
        raise SystemExit(f"{' '.join(cmd)} → {done.returncode}: {done.stderr.decode(errors='replace')[-400:]}")
    return seconds


def main(argv: list[str]) -> None:
    runs = int(argv[1]) if argv[:1] == ["--runs"] else 15
    with tempfile.TemporaryDirectory(prefix="dvk-bench-") as tmp:
        sheet = _filled_sheet(Path(tmp))
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "python -c 'import openpyxl'": [sys.executable, "-c", "import openpyxl"],
            "dvk --version": [*_dvk(), "--version"],
            "dvk --help": [*_dvk(), "--help"],
            "dvk validate (1 phiếu đã điền)": [*_dvk(), "validate", str(sheet)],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for cmd in commands.values():  # warm the file cache once, untimed
            _time(cmd)
        for _ in range(runs):
            for name, cmd in commands.items():
                times[name].append(_time(cmd))
    median = {name: statistics.median(ts) for name, ts in times.items()}
    bare, openpyxl = median["python -c pass"], median["python -c 'import openpyxl'"]
    print(f"Trung vị của {runs} lần chạy (giây, thời gian thực của cả tiến trình).")
    print(f"{'lệnh':<32} {'trung vị':>9} {'min':>7} {'max':>7} {'÷ python':>9} {'÷ import openpyxl':>18}")
    for name, ts in times.items():
        print(f"{name:<32} {median[name]:>9.3f} {min(ts):>7.3f} {max(ts):>7.3f} {median[name] / bare:>9.1f} "
              f"{median[name] / openpyxl:>18.2f}")
    print("Mục tiêu: dvk --version ≤ 0,15 s và ≤ 5 × python; dvk validate một phiếu ≤ 0,5 s.")


if __name__ == "__main__":
    main(sys.argv[1:])
