"""Benchmark (not a test): build the master for 30, 300 and 3,000 units; time and peak memory.

Each size runs in its own subprocess, so the peak resident memory (``ru_maxrss``) is that size's alone. The
reference is plain openpyxl in write-only mode writing the very same cells (values and formula texts read
back from the master just written, no styles, no charts) in the same process, after the measurement.
Goal: master ≤ 1.5 × the reference time, peak memory under 200 MB at 3,000 units. "chấm điểm" is the part of
the master's time spent in the domain core's exact scoring (``compute``), which the reference does not do;
"tỉ lệ ghi" is the ratio without it.

    .venv/bin/python bench/master_build.py [sizes...]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = (30, 300, 3_000)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def child(n: int) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from openpyxl import Workbook, load_workbook

    from tests.workbook.master.factory import sample
    from workbook.master import compute, write_master

    data = sample(n)
    rss_input = _rss_mb()
    with tempfile.TemporaryDirectory(prefix="dvk-bench-") as tmp:
        target = Path(tmp) / "tong-hop.xlsx"
        start = time.perf_counter()
        write_master(target, data)
        master_s = time.perf_counter() - start
        rss_master = _rss_mb()
        start = time.perf_counter()
        compute(data)
        scoring_s = time.perf_counter() - start
        size_kb = target.stat().st_size / 1024

        wb_in = load_workbook(target, read_only=True)
        sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb_in}
        wb_in.close()
        cells = sum(len(r) for rows in sheets.values() for r in rows)
        start = time.perf_counter()
        wb = Workbook(write_only=True)
        for title, rows in sheets.items():
            ws = wb.create_sheet(title)
            for r in rows:
                ws.append(r)
        wb.save(Path(tmp) / "plain.xlsx")
        plain_s = time.perf_counter() - start
    return {
        "units": n, "master_s": master_s, "plain_s": plain_s, "ratio": master_s / plain_s, "cells": cells,
        "scoring_s": scoring_s, "write_ratio": (master_s - scoring_s) / plain_s,
        "rss_input_mb": rss_input, "rss_peak_mb": rss_master, "file_kb": size_kb,
    }


def main(sizes: tuple[int, ...]) -> None:
    print(f"{'đơn vị':>7} {'master (s)':>11} {'chấm điểm (s)':>14} {'openpyxl thuần (s)':>19} {'tỉ lệ':>6} "
          f"{'tỉ lệ ghi':>9} {'ô':>9} {'RAM sau dữ liệu vào':>20} {'RAM đỉnh':>9} {'tệp (KB)':>9}")
    for n in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(n)], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"{r['units']:>7} {r['master_s']:>11.2f} {r['scoring_s']:>14.2f} {r['plain_s']:>19.2f} {r['ratio']:>6.2f} "
              f"{r['write_ratio']:>9.2f} {r['cells']:>9,} "
              f"{r['rss_input_mb']:>17.0f} MB {r['rss_peak_mb']:>6.0f} MB {r['file_kb']:>9.0f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]))))
    else:
        main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
