"""A deleted sheet, a trashed one, a removed share and a unit's writer role taken away: `sheets check` reports
each (and shares dvk did not make), the sync's advice points to the rerun that works, and rerunning
`sheets provision` repairs them and says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sync.cli import main
from tests.sync.fake_google import USER_EMAIL, FakeGoogle
from tests.sync.fake_google_write import Permission
from tests.sync.google_workflow_support import signed_in, unit_codes, unit_email, write_commune

N = 5



def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    code = main([*args, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_a_deleted_sheet_and_a_removed_share_are_reported_and_repaired_by_a_rerun(
    tmp_path: Path, fake: FakeGoogle, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    _private_google_token_dir: Path,
) -> None:
    write_commune(tmp_path, fake, N)
    monkeypatch.chdir(tmp_path)
    signed_in(fake, _private_google_token_dir)
    code, report = _json(capsys, "sheets", "provision")
    assert code == 0
    ids = {u["code"]: u["spreadsheet_id"] for u in report["units"]}  # type: ignore[attr-defined]

    fake.delete(ids["DV01"])  # deleted for good (emptied from the trash)
    fake.trash(ids["DV02"])
    fake.permissions[ids["DV03"]] = [p for p in fake.permissions[ids["DV03"]] if p.email != unit_email("DV03")]
    next(p for p in fake.permissions[ids["DV04"]] if p.email == unit_email("DV04")).role = "reader"
    fake.permissions[ids["DV05"]].append(Permission("p-other", "writer", "user", "nguoi.khac@example.vn"))

    code, check = _json(capsys, "sheets", "check")
    assert code == 1
    problems = {s["code"]: " ".join(s["problems"]) for s in check["sheets"]}  # type: ignore[attr-defined]
    assert "không còn trên Google Drive" in problems["DV01"] and "dvk sheets provision" in problems["DV01"]
    assert "thùng rác" in problems["DV02"] and "dvk sheets provision" in problems["DV02"]
    assert f"Chưa chia sẻ cho đơn vị {unit_email('DV03')}" in problems["DV03"]
    assert "quyền “xem” chứ không phải “chỉnh sửa”" in problems["DV04"]
    assert "nguoi.khac@example.vn" in problems["DV05"] and "không phải do dvk chia sẻ" in problems["DV05"]

    code, sync = _json(capsys, "sync")  # the sync's advice for the deleted sheet: rerun provision
    dv01 = {u["code"]: u for u in sync["units"]}["DV01"]  # type: ignore[attr-defined]
    assert dv01["status"] == "error"
    assert "dvk sheets provision" in dv01["message"] and "danh sách đơn vị" not in dv01["message"]

    code, rerun = _json(capsys, "sheets", "provision")
    assert code == 0
    units = {u["code"]: u for u in rerun["units"]}  # type: ignore[attr-defined]
    assert {c: u["status"] for c, u in units.items()} == {
        "DV01": "recreated", "DV02": "restored", "DV03": "shared", "DV04": "shared", "DV05": "exists",
    }
    assert "đã tạo lại" in units["DV01"]["message"] and units["DV01"]["spreadsheet_id"] != ids["DV01"]
    assert "khôi phục" in units["DV02"]["message"] and "đã bị gỡ" in units["DV03"]["message"]
    new = str(units["DV01"]["spreadsheet_id"])
    assert not fake.files[ids["DV02"]].trashed
    assert fake.protected_ranges(new)  # made again as at first: drop-downs, protection, share
    for code in unit_codes(N):
        sid = new if code == "DV01" else ids[code]
        roles = {p.email: p.role for p in fake.permissions[sid]}
        assert roles[unit_email(code)] == "writer" and roles[USER_EMAIL] == "owner"

    code, check = _json(capsys, "sheets", "check")
    problems = {s["code"]: s["problems"] for s in check["sheets"]}  # type: ignore[attr-defined]
    assert all(problems[c] == [] for c in ("DV01", "DV02", "DV03", "DV04"))
    assert len(problems["DV05"]) == 1  # the share dvk did not make is still said, never removed by dvk
    code, again = _json(capsys, "sheets", "provision")
    assert code == 0 and {u["status"] for u in again["units"]} == {"exists"}  # type: ignore[attr-defined]
