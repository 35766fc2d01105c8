"""Benchmark (not a test): build the master for 30, 300 and 3,000 units; time and peak memory, against fair baselines.

Every measurement runs in a process of its own, so neither the time nor the peak resident memory of one carries
into another, and each is the median of ``--repeat`` runs (default 3):

* ``master``: ``write_master`` of a sample commune (scoring, cached values, heading, signatures, charts, print
  setup). After the timing it dumps every cell it wrote (values, and formula texts with their cached values,
  read back from the file) for the baselines.
* ``openpyxl``: plain openpyxl in write-only mode writing those same cells (formulas without cached values:
  openpyxl cannot store them).
* ``xlsxwriter``: plain XlsxWriter (``constant_memory``, ``write`` / ``write_formula(..., value=...)``) writing
  those same cells.

The baselines load the cells before their clock starts, collect garbage, and pause the collector while they
write, as ``write_master`` does: the same treatment, so a ratio compares the writers, not the heaps.

Goal (issue 9, kept by issue 19): the whole master at 3,000 units in at most 1.0 × the openpyxl baseline and
1.3 × the XlsxWriter one, peak memory under 200 MB. "chấm điểm" is the part of the master's time spent in the
domain core's exact scoring (``compute``), which the baselines do not do.

    .venv/bin/python bench/master_build.py [--repeat N] [sizes...]
"""

from __future__ import annotations

import gc
import json
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

try:
    import resource
except ImportError:  # Windows: no peak-memory figure
    resource = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parents[1]
SIZES = (30, 300, 3_000)


def _rss_mb() -> float:
    if resource is None:
        return float("nan")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _master(n: int, folder: Path) -> dict[str, Any]:
    from openpyxl import load_workbook

    from tests.workbook.master.factory import sample
    from workbook.master import compute, write_master

    data = sample(n)
    target = folder / "tong-hop.xlsx"
    start = time.perf_counter()
    write_master(target, data)
    seconds = time.perf_counter() - start
    rss = _rss_mb()
    start = time.perf_counter()
    compute(data)
    scoring = time.perf_counter() - start

    def rows(data_only: bool) -> dict[str, list[list[object]]]:
        wb_in = load_workbook(target, read_only=True, data_only=data_only)
        out = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb_in}
        wb_in.close()
        return out

    sheets, values = rows(False), rows(True)
    (folder / "cells.pickle").write_bytes(pickle.dumps((sheets, values)))
    cells = sum(1 for rows_ in sheets.values() for r in rows_ for v in r if v is not None)
    formulas = sum(1 for rows_ in sheets.values() for r in rows_ for v in r if isinstance(v, str) and v.startswith("="))
    return {"seconds": seconds, "scoring_s": scoring, "rss_mb": rss, "file_kb": target.stat().st_size / 1024,
            "cells": cells, "formulas": formulas}


def _openpyxl(sheets: dict[str, list[list[object]]], _values: Any, out: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for title, rows_ in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows_:
            ws.append(r)
    wb.save(out)


def _xlsxwriter(sheets: dict[str, list[list[object]]], values: dict[str, list[list[object]]], out: Path) -> None:
    import xlsxwriter

    xw = xlsxwriter.Workbook(str(out), {"constant_memory": True})
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


def child(kind: str, n: int, folder: Path) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    if kind == "master":
        return _master(n, folder)
    import openpyxl  # noqa: F401 - the library loads before the clock, as the master's does
    import xlsxwriter  # noqa: F401

    sheets, values = pickle.loads((folder / "cells.pickle").read_bytes())
    write = _openpyxl if kind == "openpyxl" else _xlsxwriter
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()  # as write_master does
    start = time.perf_counter()
    try:
        write(sheets, values, folder / f"plain-{kind}.xlsx")
    finally:
        if enabled:
            gc.enable()
    return {"seconds": time.perf_counter() - start, "rss_mb": _rss_mb()}


def _run(kind: str, n: int, folder: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(n), str(folder)], capture_output=True, text=True, check=True,
        cwd=ROOT, timeout=1800,
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def measure(n: int, repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="dvk-bench-") as tmp:
        folder = Path(tmp)
        runs: dict[str, list[dict[str, Any]]] = {"master": [], "openpyxl": [], "xlsxwriter": []}
        for _ in range(repeat):  # interleaved, so a burst of load on the machine hits all three alike
            for kind in runs:
                runs[kind].append(_run(kind, n, folder))
    med = {kind: statistics.median(r["seconds"] for r in rs) for kind, rs in runs.items()}
    first = runs["master"][0]
    return {
        "units": n, "master_s": med["master"], "scoring_s": statistics.median(r["scoring_s"] for r in runs["master"]),
        "openpyxl_s": med["openpyxl"], "xlsxwriter_s": med["xlsxwriter"],
        "ratio_openpyxl": med["master"] / med["openpyxl"], "ratio_xlsxwriter": med["master"] / med["xlsxwriter"],
        "cells": first["cells"], "formulas": first["formulas"], "file_kb": first["file_kb"],
        "rss_peak_mb": max(r["rss_mb"] for r in runs["master"]),
    }


def main(argv: list[str]) -> None:
    repeat = 3
    if argv[:1] == ["--repeat"]:
        repeat, argv = int(argv[1]), argv[2:]
    sizes = tuple(int(a) for a in argv) or SIZES
    print(f"Trung vị của {repeat} lần chạy, mỗi phép đo trong một tiến trình riêng.")
    print(f"{'đơn vị':>7} {'master (s)':>11} {'chấm điểm (s)':>14} {'openpyxl (s)':>13} {'XlsxWriter (s)':>15} "
          f"{'÷ openpyxl':>11} {'÷ XlsxWriter':>13} {'ô':>9} {'công thức':>10} {'RAM đỉnh':>9} {'tệp (KB)':>9}")
    for n in sizes:
        r = measure(n, repeat)
        print(f"{r['units']:>7} {r['master_s']:>11.2f} {r['scoring_s']:>14.2f} {r['openpyxl_s']:>13.2f} "
              f"{r['xlsxwriter_s']:>15.2f} {r['ratio_openpyxl']:>11.2f} {r['ratio_xlsxwriter']:>13.2f} "
              f"{r['cells']:>9,} {r['formulas']:>10,} {r['rss_peak_mb']:>6.0f} MB {r['file_kb']:>9.0f}")
    print("Mục tiêu ở 3.000 đơn vị: ÷ openpyxl ≤ 1,0; ÷ XlsxWriter ≤ 1,3; RAM đỉnh < 200 MB.")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]))))
    else:
        main(sys.argv[1:])
