"""Child process of the ledger crash test: writes one version per unit in a loop, printing each commit.

Usage: python ledger_crash_child.py LEDGER UNITS. Prints "ready" once the ledger is open, then
"committed <unit> <version id> <content hash>" after every committed unit, and "done" at the end.
A rerun skips the units already stored (same content → no new version) and completes the rest.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from sync.ledger import Ledger, RunStatus, UnitStatus

YEAR = 2026


def payload(i: int) -> dict[str, Any]:
    """The deterministic raw grid of unit ``i`` (a few hundred cells, Vietnamese text)."""
    cells: dict[str, Any] = {f"Chấm điểm!{col}{row}": (row * 7 + i) % 101 for col in "DEFG" for row in range(5, 60)}
    cells["info.unit_code"] = unit_code(i)
    cells["info.unit_name"] = f"Thôn Nà Mò {i}"
    cells["K1.evidence"] = "Báo cáo số 12/BC-UBND ngày 10/12/2026 về kết quả thực hiện chỉ tiêu. " * 20
    return cells


def unit_code(i: int) -> str:
    return f"U{i:04d}"


def main(path: Path, units: int) -> None:
    with Ledger.open(path, timeout=60) as ledger:
        print("ready", flush=True)
        run = ledger.start_run()
        for i in range(units):
            code = unit_code(i)
            record, created = ledger.record_version(
                unit_code=code,
                year=YEAR,
                source="folder",
                revision=f"sha-{i}",
                raw=payload(i),
                submission_json=None,
                issues_json="[]",
                score_json=None,
                run_id=run,
            )
            status = UnitStatus.OK if created else UnitStatus.UNCHANGED
            ledger.record_status(run, code, YEAR, status, "folder", record.revision, "")
            ledger.save_appraisals(code, YEAR, {"K1": Decimal(i % 9)}, f"Ghi chú {i}", None, record.id)
            print(f"committed {code} {record.id} {record.content_hash}", flush=True)
        ledger.finish_run(run, RunStatus.OK, {"units": units})
    print("done", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
