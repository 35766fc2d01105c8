"""Benchmark (not a test): the sync's intake of 300 filled files, per file, against plain openpyxl.

A commune of 300 units, each with one filled .xlsx in the folder source. Measured, each in a process of its own
and as the median of ``--repeat`` runs (default 3):

* first pass: ``run_sync`` with the folder only and no master (a new ledger): every file is preflighted, read,
  validated, scored and recorded;
* second pass: the same again, nothing changed (the ledger's file state lets dvk skip reading);
* openpyxl read-only: ``load_workbook(read_only=True)`` of every file, every cell's value of every sheet;
* openpyxl full: ``load_workbook()`` of every file (what a reader without a fast path would pay).

Goals (issue 19): the first pass ≤ 1.2 × openpyxl loading the same files; the second pass ≤ 5 ms per file.

    .venv/bin/python bench/intake.py [--repeat N] [--units N]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _commune(folder: Path, units: int) -> None:
    sys.path.insert(0, str(ROOT))
    from schemas import default_rubric
    from tests.schemas.factory import INFO, ONE_MODEL, PERFECT
    from workbook.fill import fill_template
    from workbook.template import write_template

    blank = write_template(folder / "mau.xlsx", default_rubric(), year=2026)
    (folder / "nop-bai").mkdir()
    rows = ["code,name,kind"]
    for i in range(1, units + 1):
        code, name = f"T{i:03d}", f"Thôn số {i}"
        rows.append(f"{code},{name},Thôn/xóm")
        facts = {**INFO, **PERFECT, "info.unit_code": code, "info.unit_name": name, "K1.result": 50 + i % 50}
        fill_template(blank, folder / "nop-bai" / f"{code}.xlsx", facts, ONE_MODEL)
    (folder / "don-vi.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "dvk.toml").write_text(
        'units_file = "don-vi.csv"\n\n[commune]\nyear = 2026\n\n[sources.folder]\npath = "nop-bai"\n\n'
        '[output]\nmaster = "tong-hop/tong-hop-{year}.xlsx"\n', encoding="utf-8",
    )


def child(kind: str, folder: Path) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    files = sorted((folder / "nop-bai").glob("*.xlsx"))
    if kind in ("first", "second"):
        from sync.config import load_settings
        from sync.service import run_sync

        settings = load_settings(folder / "dvk.toml", env={})
        if kind == "first":
            settings.ledger_path.unlink(missing_ok=True)
        start = time.perf_counter()
        report = run_sync(settings, use_google=False, write_master=False)
        seconds = time.perf_counter() - start
        received = sum(1 for u in report.units if u.status in ("ok", "invalid"))
        return {"seconds": seconds, "files": len(files), "received": received}
    from openpyxl import load_workbook

    start = time.perf_counter()
    for path in files:
        if kind == "read-only":
            wb = load_workbook(path, read_only=True)
            for ws in wb.worksheets:
                for _row in ws.iter_rows(values_only=True):
                    pass
            wb.close()
        else:
            load_workbook(path)
    return {"seconds": time.perf_counter() - start, "files": len(files)}


def _run(kind: str, folder: Path) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(folder)], capture_output=True, text=True,
                         check=True, cwd=ROOT, timeout=3600).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def main(argv: list[str]) -> None:
    repeat, units = 3, 300
    while argv:
        flag, value, argv = argv[0], int(argv[1]), argv[2:]
        if flag == "--repeat":
            repeat = value
        elif flag == "--units":
            units = value
    with tempfile.TemporaryDirectory(prefix="dvk-bench-") as tmp:
        folder = Path(tmp)
        _commune(folder, units)
        kinds = ("first", "second", "read-only", "full")
        runs: dict[str, list[dict[str, Any]]] = {k: [] for k in kinds}
        for _ in range(repeat):
            for kind in kinds:  # "second" right after "first": the ledger it skips from is that run's
                runs[kind].append(_run(kind, folder))
    received = runs["first"][0]["received"]
    if received != units:
        raise SystemExit(f"the first pass received {received} of {units} files")
    med = {k: statistics.median(r["seconds"] for r in rs) for k, rs in runs.items()}
    print(f"{units} tệp phiếu đã điền; trung vị của {repeat} lần chạy, mỗi phép đo trong một tiến trình riêng.")
    print(f"{'phép đo':<34} {'tổng (s)':>9} {'ms/tệp':>8} {'÷ openpyxl chỉ đọc':>19} {'÷ openpyxl đầy đủ':>18}")
    for kind, label in (("first", "dvk: lượt đầu (đọc, kiểm tra, ghi sổ)"), ("second", "dvk: lượt sau (không đổi)"),
                        ("read-only", "openpyxl read_only, mọi ô"), ("full", "openpyxl load_workbook đầy đủ")):
        print(f"{label:<34} {med[kind]:>9.2f} {1000 * med[kind] / units:>8.1f} {med[kind] / med['read-only']:>19.2f} "
              f"{med[kind] / med['full']:>18.2f}")
    print("Mục tiêu: lượt đầu ≤ 1,2 × openpyxl đọc cùng các tệp; lượt sau ≤ 5 ms mỗi tệp.")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], Path(sys.argv[3]))))
    else:
        main(sys.argv[1:])
