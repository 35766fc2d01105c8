"""Benchmark (not a test): build the master for 30, 300 and 3,000 units; time and peak memory.

Each size runs in its own subprocess, so the peak resident memory (``ru_maxrss``) is that size's alone. Two
references write the very same cells (values, and formula texts with their cached values, read back from the
master just written; no styles, no charts, no print setup) in the same process, after the measurement:

* plain openpyxl in write-only mode (formulas without cached values: openpyxl cannot store them);
* plain XlsxWriter (``constant_memory``, ``write`` / ``write_formula(..., value=...)``).

Goal (issue 9): the whole master at 3,000 units — scoring, cached values, heading, signature and print setup
included — in at most 1.0 × the openpyxl reference and 1.3 × the XlsxWriter one, peak memory under 200 MB.
"chấm điểm" is the part of the master's time spent in the domain core's exact scoring (``compute``), which
the references do not do.

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
    import xlsxwriter
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

        def rows(data_only: bool) -> dict[str, list[list[object]]]:
            wb_in = load_workbook(target, read_only=True, data_only=data_only)
            out = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb_in}
            wb_in.close()
            return out

        sheets, values = rows(False), rows(True)
        cells = sum(1 for rows_ in sheets.values() for r in rows_ for v in r if v is not None)
        formulas = sum(1 for rows_ in sheets.values() for r in rows_ for v in r if isinstance(v, str) and v.startswith("="))

        start = time.perf_counter()
        wb = Workbook(write_only=True)
        for title, rows_ in sheets.items():
            ws = wb.create_sheet(title)
            for r in rows_:
                ws.append(r)
        wb.save(Path(tmp) / "plain-openpyxl.xlsx")
        openpyxl_s = time.perf_counter() - start

        start = time.perf_counter()
        xw = xlsxwriter.Workbook(str(Path(tmp) / "plain-xlsxwriter.xlsx"), {"constant_memory": True})
        for title, rows_ in sheets.items():
            ws = xw.add_worksheet(title)
            cached = values[title]
            for i, r in enumerate(rows_):
                for j, v in enumerate(r):
                    if v is None:
                        continue
                    if isinstance(v, str) and v.startswith("="):
                        ws.write_formula(i, j, v, None, cached[i][j])
                    else:
                        ws.write(i, j, v)
        xw.close()
        xlsxwriter_s = time.perf_counter() - start
    return {
        "units": n, "master_s": master_s, "scoring_s": scoring_s, "openpyxl_s": openpyxl_s,
        "xlsxwriter_s": xlsxwriter_s, "ratio_openpyxl": master_s / openpyxl_s,
        "ratio_xlsxwriter": master_s / xlsxwriter_s, "cells": cells, "formulas": formulas,
        "rss_input_mb": rss_input, "rss_peak_mb": rss_master, "file_kb": size_kb,
    }


def main(sizes: tuple[int, ...]) -> None:
    print(f"{'đơn vị':>7} {'master (s)':>11} {'chấm điểm (s)':>14} {'openpyxl (s)':>13} {'XlsxWriter (s)':>15} "
          f"{'÷ openpyxl':>11} {'÷ XlsxWriter':>13} {'ô':>9} {'công thức':>10} {'RAM đỉnh':>9} {'tệp (KB)':>9}")
    for n in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(n)], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"{r['units']:>7} {r['master_s']:>11.2f} {r['scoring_s']:>14.2f} {r['openpyxl_s']:>13.2f} "
              f"{r['xlsxwriter_s']:>15.2f} {r['ratio_openpyxl']:>11.2f} {r['ratio_xlsxwriter']:>13.2f} "
              f"{r['cells']:>9,} {r['formulas']:>10,} {r['rss_peak_mb']:>6.0f} MB {r['file_kb']:>9.0f}")
    print("Mục tiêu ở 3.000 đơn vị: ÷ openpyxl ≤ 1,0; ÷ XlsxWriter ≤ 1,3; RAM đỉnh < 200 MB.")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]))))
    else:
        main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
