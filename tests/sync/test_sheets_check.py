"""`dvk sheets check` against the fake Google APIs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sync.cli import main
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
