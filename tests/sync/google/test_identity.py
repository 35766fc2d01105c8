"""The Google source shares the folder's identity check: a sheet registered for one unit whose unit name is
another registered unit's is not taken as a valid version (`sources.identity_conflict`)."""

from __future__ import annotations

from pathlib import Path

from sync.google import build_client
from sync.service import run_sync
from tests.sync.fake_google import FakeGoogle
from tests.sync.sync_support import LAYOUT, facts_for, filled, settings, upload, write_config

CODES = ["VP-UBND", "P-KT"]
IDS = {code: f"sheet-{code.lower()}" for code in CODES}


def test_a_sheet_naming_another_unit_is_invalid_for_its_registered_unit(
    tmp_path: Path, fake_google: FakeGoogle, clock  # type: ignore[no-untyped-def]
) -> None:
    config = write_config(tmp_path, CODES, sheets=IDS, endpoint=fake_google.base_url, folder_id="folder-1")
    for code in CODES:
        upload(fake_google, IDS[code], filled(tmp_path / "uploads", f"{code}.xlsx", facts_for(code)))
    name = LAYOUT.input("info.unit_name")
    fake_google.set_cells(IDS["VP-UBND"], name.sheet, {name.cell: "Phòng Kinh tế"})  # P-KT's name
    api = build_client(credentials_file=None, api_endpoint=fake_google.base_url, sleep=clock.sleep, clock=clock,
                       timeout=5)
    report = run_sync(settings(config), google=api, write_master=False)
    vp = next(u for u in report.units if u.code == "VP-UBND")
    assert vp.status == "invalid" and "tên đơn vị là “Phòng Kinh tế”" in vp.message
    assert next(u for u in report.units if u.code == "P-KT").status == "ok"
