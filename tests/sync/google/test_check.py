"""`dvk sheets check` against the fake Google APIs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sync.cli import main
from sync.config import load_settings
from sync.ledger import Ledger
from sync.ledger.sheets import record_sheet
from tests.sync.fake_google import FakeGoogle
from tests.sync.sync_support import LAYOUT, facts_for, filled, upload, write_config


def test_check_reports_access_tabs_version_and_unit(tmp_path: Path, fake_google: FakeGoogle, capsys: pytest.CaptureFixture[str]) -> None:
    codes = ["VP-UBND", "P-KT", "HND", "CA", "TYT"]
    ids = {c: f"s-{c.lower()}" for c in codes[:4]}
    config = write_config(tmp_path, codes, sheets=ids, endpoint=fake_google.base_url)
    for code in codes[:4]:
        upload(fake_google, ids[code], filled(tmp_path / "up", f"{code}.xlsx", facts_for(code if code != "CA" else "HND")))
    fake_google.set_access(ids["P-KT"], 403)
    fake_google.rename_sheet(ids["HND"], "Mô hình", "Mo hinh")
    meta = LAYOUT.input("meta.template_version")
    assert main(["sheets", "check", "--config", str(config), "--format", "json"]) == 1
    data = {s["code"]: s for s in json.loads(capsys.readouterr().out)["sheets"]}
    assert data["VP-UBND"]["ok"] and data["VP-UBND"]["problems"] == []
    assert not data["P-KT"]["ok"] and "chia sẻ" in data["P-KT"]["problems"][0].lower()
    assert "“Mô hình”" in data["HND"]["problems"][0]
    assert "không phải “CA”" in data["CA"]["problems"][0]
    assert "Chưa đăng ký bảng tính" in data["TYT"]["problems"][0]
    fake_google.set_cells(ids["VP-UBND"], meta.sheet, {meta.cell: "Mẫu cũ 2025"})
    assert main(["sheets", "check", "--config", str(config)]) == 1
    assert "Mẫu cũ 2025" in capsys.readouterr().out


def test_check_covers_the_sheets_provision_recorded(tmp_path: Path, fake_google: FakeGoogle, capsys: pytest.CaptureFixture[str]) -> None:
    """A sheet dvk made (`dvk sheets provision`, in the ledger, no `sheet` key in dvk.toml) is checked too."""
    config = write_config(tmp_path, ["VP-UBND", "HND"], sheets={"VP-UBND": "s-vp"}, endpoint=fake_google.base_url)
    upload(fake_google, "s-vp", filled(tmp_path / "up", "VP-UBND.xlsx", facts_for("VP-UBND")))
    upload(fake_google, "s-hnd", filled(tmp_path / "up", "HND.xlsx", facts_for("HND")))
    fake_google.rename_sheet("s-hnd", "Mô hình", "Mo hinh")
    with Ledger.open(load_settings(config, env={}).ledger_path) as ledger:
        record_sheet(ledger, unit_code="HND", year=2026, spreadsheet_id="s-hnd",
                     url="https://docs.google.com/spreadsheets/d/s-hnd", owner=None, folder_id=None)
    assert main(["sheets", "check", "--config", str(config), "--format", "json"]) == 1
    data = {s["code"]: s for s in json.loads(capsys.readouterr().out)["sheets"]}
    assert data["VP-UBND"]["ok"]
    assert data["HND"]["sheet"] == "s-hnd" and "“Mô hình”" in data["HND"]["problems"][0]


@pytest.mark.parametrize("args", [
    ["sheets", "check"], ["sheets", "list"], ["sheets", "provision", "--dry-run"], ["sheets", "lock"],
    ["sheets", "unlock", "--units", "HND"], ["google", "login", "--no-browser"],
])
def test_google_commands_without_a_config_give_the_init_hint(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DVK_CONFIG", raising=False)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "Không có tệp cấu hình dvk.toml" in err and "dvk init" in err
    assert list(tmp_path.iterdir()) == []  # no ledger, no folder invented
