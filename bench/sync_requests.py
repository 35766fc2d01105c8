"""Benchmark: `dvk sync` of 300 units from the local fake of the Google APIs, under a read quota.

The fake adds a latency to every request and enforces the quota in compressed time (60 reads per 6 s instead
of per minute); the client's pacing is set to match. Prints requests per unit (goal 1.0 plus the listing),
the ratio of wall time to the quota bound (N reads at the quota rate; goal ≤ 1.05), 429s received (goal 0),
and the time of an unchanged re-sync. Not a test: run `make bench` or `python bench/sync_requests.py`.

Then the Google workflow as the commune's signed-in account (``--no-workflow`` skips it): provisioning a sheet
per unit (requests per API method; wall time against the bound of its Sheets requests at the quota rate: one
metadata read and one batchUpdate of drop-downs and protection per unit), a first sync writing every result
back, the sync after it (dvk recorded the modifiedTime its own writes left: 0 reads, nothing written), a sync
after 10% of the units changed, and the one after it. Per pass: Sheets reads and writes, Drive reads and
writes, token refreshes, whether the counts dvk reports equal the fake's own, and the wall time against the
quota bound (Sheets requests ÷ the per-user rate: reads and writes have a quota each, 60 a minute, and a pass
reads first, then writes; goal ≤ 1.05 for the first sync with write-back). The fake enforces both quotas.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import load_workbook

from sync.config import load_settings
from sync.google import build_client
from sync.service import run_sync
from tests.schemas.factory import INFO, ONE_MODEL, PERFECT
from tests.sync.fake_google import FakeGoogle
from tests.sync.sync_support import LAYOUT, RUBRIC
from workbook.fill import fill_template
from workbook.template import write_template


def _cells(xlsx: Path) -> dict[str, dict[str, object]]:
    wb = load_workbook(xlsx)
    return {
        ws.title: {c.coordinate: c.value for row in ws.iter_rows() for c in row
                   if c.value is not None and not (isinstance(c.value, str) and c.value.startswith("="))}
        for ws in wb.worksheets
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--latency", type=float, default=0.15, help="seconds added to every request")
    parser.add_argument("--quota", type=int, default=60, help="reads per window")
    parser.add_argument("--window", type=float, default=6.0, help="quota window in seconds (60 in production)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--no-workflow", action="store_true", help="skip provisioning and write-back")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="dvk-bench-sync-"))
    template = write_template(root / "mau.xlsx", RUBRIC, year=2026)
    filled = fill_template(template, root / "filled.xlsx", {**INFO, **PERFECT}, ONE_MODEL)
    cells = _cells(filled)
    code_cell = LAYOUT.input("info.unit_code")
    codes = [f"U{i:03d}" for i in range(1, args.units + 1)]
    lines = ["[commune]", "year = 2026", "[sources.google]", 'api_endpoint = "{endpoint}"', f"reads_per_minute = {args.quota}",
             'drive_folder_id = "folder-1"', "[output]", 'master = "tong-hop-{year}.xlsx"']
    for code in codes:
        lines += ["[[units]]", f'code = "{code}"', f'name = "Đơn vị {code}"', 'kind = "Thôn, xóm"', f'sheet = "sheet-{code}"']

    with FakeGoogle(latency=args.latency) as fake:
        for code in codes:
            sheets = {title: dict(values) for title, values in cells.items()}
            sheets[code_cell.sheet][code_cell.cell] = code
            fake.add_spreadsheet(f"sheet-{code}", sheets, folder="folder-1")
        config = root / "dvk.toml"
        config.write_text("\n".join(lines).replace("{endpoint}", fake.base_url), encoding="utf-8")
        settings = load_settings(config, env={})
        fake.set_quota(args.quota, args.window, retry_after="1")

        def client():  # type: ignore[no-untyped-def]
            return build_client(credentials_file=None, api_endpoint=fake.base_url, reads_per_minute=args.quota,
                                window_seconds=args.window, timeout=30)

        fake.reset_log()
        start = time.perf_counter()
        first = run_sync(settings, google=client(), write_master=False)
        wall = time.perf_counter() - start
        counts, throttled = fake.counts, fake.throttled
        ok = sum(1 for u in first.units if u.status == "ok")
        bound = args.units / (args.quota / args.window)  # N reads at the quota rate
        fake.reset_log()
        start = time.perf_counter()
        again = run_sync(settings, google=client(), write_master=False)
        unchanged_wall = time.perf_counter() - start
        again_counts = fake.counts

    print(f"units: {args.units}, latency {args.latency * 1000:.0f} ms, quota {args.quota} reads / {args.window:g} s")
    print(f"first sync: {ok}/{args.units} ok in {wall:.2f} s")
    print(f"  requests per unit: {counts['sheets'] / args.units:.3f} batchGet + {counts['drive']} Drive listing")
    print(f"  quota bound: {bound:.2f} s; wall / bound = {wall / bound:.3f} (goal <= 1.05)")
    print(f"  429 received: {throttled['sheets'] + throttled['drive']} (goal 0)")
    print(f"unchanged re-sync: {unchanged_wall:.2f} s, {again_counts['sheets']} batchGet, {again_counts['drive']} Drive listing;"
          f" {sum(1 for u in again.units if u.status == 'unchanged')}/{args.units} unchanged")
    if not args.no_workflow:
        workflow(args)


def _by_endpoint(fake: FakeGoogle, mark: int) -> str:
    counts = fake.endpoint_counts(mark)
    return ", ".join(f"{name} {n}" for name, n in sorted(counts.items()))


def workflow(args: argparse.Namespace) -> None:
    from sync.google.account import user_client
    from sync.google.provision import provision
    from sync.ledger import Ledger
    from tests.sync.google_workflow_support import perfect, signed_in, unit_codes, write_commune

    root = Path(tempfile.mkdtemp(prefix="dvk-bench-google-"))
    token_dir = root / "token"
    os.environ["DVK_GOOGLE_TOKEN_DIR"] = str(token_dir)
    rate = args.quota / args.window
    with FakeGoogle(latency=args.latency) as fake:
        config = write_commune(root, fake, args.units)
        text = config.read_text(encoding="utf-8").replace("reads_per_minute = 60", f"reads_per_minute = {args.quota}")
        config.write_text(text, encoding="utf-8")
        settings = load_settings(config, env={})
        signed_in(fake, token_dir)
        fake.set_quota(args.quota, args.window, retry_after="1")
        fake.set_write_quota(args.quota, args.window)

        def writer():  # type: ignore[no-untyped-def]  # the signed-in account, quota window compressed
            return user_client(settings, window_seconds=args.window)

        reader = writer

        mark = len(fake.log)
        start = time.perf_counter()
        with writer() as api, Ledger.open(settings.ledger_path) as ledger:
            report = provision(settings, api, ledger)
        wall = time.perf_counter() - start
        created = sum(1 for u in report.units if u.status == "created")
        counted = fake.request_counts(mark)
        bound = (counted["sheets_reads"] + counted["sheets_writes"]) / rate
        print(f"\nprovisioning {args.units} units as the signed-in account: {created} created in {wall:.2f} s")
        print(f"  requests: {_by_endpoint(fake, mark)}")
        print(f"  {(len(fake.log) - mark) / args.units:.2f} requests per unit; Sheets {counted['sheets_reads']} reads +"
              f" {counted['sheets_writes']} writes, bound {bound:.2f} s, wall / bound = {wall / bound:.3f};"
              f" 429 received: {sum(1 for e in fake.log[mark:] if e.status == 429)}")
        ids = {u.code: str(u.spreadsheet_id) for u in report.units}
        for code in unit_codes(args.units):  # every unit fills its sheet (state set directly: not measured)
            values = perfect(code)
            cells: dict[str, dict[str, object]] = {}
            for name, value in values.items():
                cell = LAYOUT.input(name)
                cells.setdefault(cell.sheet, {})[cell.cell] = float(value) if hasattr(value, "as_tuple") else value
            for key, table_rows in ONE_MODEL.items():
                table = next(t for t in LAYOUT.tables if t.key == key)
                for i, row in enumerate(table_rows):
                    for col, value in row.items():
                        cells.setdefault(table.sheet, {})[f"{table.column(col).letter}{table.first_row + i}"] = value
            for sheet, sheet_cells in cells.items():
                fake.set_cells(ids[code], sheet, sheet_cells)

        def sync(label: str, goal: str = "") -> None:
            mark = len(fake.log)
            start = time.perf_counter()
            result = run_sync(settings, google=reader(), writer=writer(), write_master=False)
            wall = time.perf_counter() - start
            counts = fake.request_counts(mark)
            n_reads, n_writes = counts["sheets_reads"], counts["sheets_writes"]
            bound = (n_reads + n_writes) / rate
            print(f"{label}: {wall:.2f} s; Sheets {n_reads} reads + {n_writes} writes, Drive {counts['drive_reads']} reads"
                  f" + {counts['drive_writes']} writes, {counts['token_refreshes']} token refreshes;"
                  f" quota bound {bound:.2f} s" + (f", wall / bound = {wall / bound:.3f}" if bound else "")
                  + f"{goal}; 429: {sum(1 for e in fake.log[mark:] if e.status == 429)};"
                  f" counts reported = fake's: {result.requests == counts};"
                  f" statuses {sorted({u.status for u in result.units})}")

        sync("first sync with write-back (every result new)", " (goal <= 1.05)")
        sync("next sync (dvk's own writes recorded: goal 0 reads)")
        k1 = LAYOUT.input("K1.result")
        for code in unit_codes(args.units)[:: 10]:  # 10% of the units change a value
            fake.set_cells(ids[code], k1.sheet, {k1.cell: 5})
        sync("sync with 10% changed")
        sync("sync after it (goal 0 reads)")


if __name__ == "__main__":
    main()
