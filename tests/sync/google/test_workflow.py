"""The Google workflow end to end, from a fresh folder, against the local fake (every request recorded):
sign in, provision a sheet per unit, units fill their sheets, sync with write-back, lock, a late edit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sync.cli import main
from sync.config import load_settings
from sync.google.write_back import RESULT_TAB
from sync.ledger import Ledger
from tests.sync.fake_google import USER_EMAIL, FakeGoogle
from tests.sync.google_workflow_support import fill_sheet, login, perfect, unit_codes, unit_email, write_commune
from tests.sync.sync_support import LAYOUT

N = 30
BAD = ("DV07", "DV19")  # these two leave an error for the check to find
K1 = LAYOUT.input("K1.result")


def _sheets(capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, object]]:
    assert main(["sheets", "list", "--format", "json"]) == 0
    return {row["code"]: row for row in json.loads(capsys.readouterr().out)["sheets"]}


def _result(fake: FakeGoogle, sid: str) -> dict[str, str]:
    """What the unit sees on "Kết quả kiểm tra": label → value (column A → B) and the issue rows."""
    cells = fake.files[sid].sheets[RESULT_TAB]
    return {str(cells[(r, 1)]): str(cells.get((r, 2), "")) for r in range(1, 12) if (r, 1) in cells}


def _versions(config: Path) -> int:
    with Ledger.open(load_settings(config).ledger_path) as ledger:
        return len(ledger.history(2026))



def test_thirty_units_sign_in_provision_fill_sync_lock(
    tmp_path: Path, fake: FakeGoogle, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    _private_google_token_dir: Path,
) -> None:
    config = write_commune(tmp_path, fake, N)
    monkeypatch.chdir(tmp_path)

    # 1. sign in (the test plays the browser); the token is stored outside the project folder
    done = login(tmp_path, _private_google_token_dir)
    assert done.returncode == 0, done.stderr
    assert USER_EMAIL in done.stdout
    assert fake.endpoint_counts() == {"oauth.auth": 1, "oauth.token": 1, "drive.about.get": 1}
    assert (_private_google_token_dir / "google-token.json").is_file()
    assert not list(tmp_path.rglob("google-token.json"))
    assert main(["google", "status", "--format", "json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["account"] == USER_EMAIL
    assert sorted(status["scopes"]) == ["https://www.googleapis.com/auth/drive.file",
                                        "https://www.googleapis.com/auth/spreadsheets"]

    # 2. provision: a folder (its id reserved first), 30 converted uploads, their drop-downs and protection in one
    # batchUpdate each, 30 shares with a Vietnamese message; then nothing again
    mark = len(fake.log)
    assert main(["sheets", "provision", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [u["status"] for u in report["units"]] == ["created"] * N
    assert fake.endpoint_counts(mark) == {
        "drive.files.list": 1, "drive.files.generateIds": 1, "drive.files.create": 1,
        "drive.files.create.multipart": N, "sheets.get": N, "sheets.batchUpdate": N, "drive.permissions.create": N,
    }
    assert report["requests"] == fake.request_counts(mark)
    sheets = _sheets(capsys)
    ids = {code: str(row["spreadsheet_id"]) for code, row in sheets.items()}
    assert len(set(ids.values())) == N and all(row["owner"] == USER_EMAIL for row in sheets.values())
    for code, sid in ids.items():
        file = fake.files[sid]
        assert file.name == f"Phiếu tự đánh giá 2026 – Đơn vị thử nghiệm số {int(code[2:])}"
        assert file.parents == [report["folder_id"]]
        roles = {p.email: p.role for p in fake.permissions[sid]}
        assert roles == {USER_EMAIL: "owner", unit_email(code): "writer"}
    share = next(e for e in fake.log[mark:] if e.endpoint == "drive.permissions.create")
    message = share.params["emailMessage"][0]
    assert "Hạn hoàn thành: 15/12/2026" in message and "0209 3870 123" in message and "ô nền vàng" in message
    mark = len(fake.log)
    assert main(["sheets", "provision"]) == 0
    capsys.readouterr()
    # nothing created or shared again; a rerun looks: one listing of the folder, each sheet's permissions
    assert fake.endpoint_counts(mark) == {"drive.files.list": 1, "drive.permissions.list": N}

    # 3. every unit fills its own sheet as itself; two leave K1 empty
    for code, sid in ids.items():
        values = perfect(code, **({"K1.result": None} if code in BAD else {}))
        answer = fill_sheet(fake, sid, fake.token_for(unit_email(code)), values)
        assert answer.status_code == 200, answer.text

    # 4. sync with write-back: 1 listing, N reads, then per unit one formats batchUpdate + one values write, and
    # two Drive files.get (modifiedTime before and after dvk's own write)
    mark = len(fake.log)
    assert main(["sync", "--format", "json"]) == 1  # two units have errors
    sync = json.loads(capsys.readouterr().out)
    statuses = {u["code"]: u["status"] for u in sync["units"]}
    assert statuses == {code: "invalid" if code in BAD else "ok" for code in unit_codes(N)}
    assert fake.endpoint_counts(mark) == {
        "drive.files.list": 1, "sheets.values.batchGet": N, "sheets.batchUpdate": N, "sheets.values.batchUpdate": N,
        "drive.files.get": 2 * N,
    }
    assert sync["requests"] == fake.request_counts(mark)  # write-back included
    assert sync["requests"]["sheets_reads"] == N and sync["requests"]["sheets_writes"] == 2 * N
    writes = [e for e in fake.log[mark:] if e.method == "POST"]
    assert {e.caller for e in writes} == {USER_EMAIL}
    assert all(e.spreadsheet_id in ids.values() for e in writes)
    good, bad = _result(fake, ids["DV01"]), _result(fake, ids["DV07"])
    assert good["Điểm tự chấm"] == "100" and good["Xếp loại (tạm tính)"] == "Hoàn thành xuất sắc nhiệm vụ"
    assert good["Số lỗi, cảnh báo"] == "Không có lỗi" and good["Phiên bản đã nhận"].startswith("Lần 1, nhận lúc")
    assert "lỗi" in bad["Số lỗi, cảnh báo"] and bad["Điểm tự chấm"] != "100"
    rows = fake.files[ids["DV07"]].sheets[RESULT_TAB]
    issue = next(r for r in range(11, 40) if rows.get((r, 3)) == K1.cell)
    assert rows[(issue, 2)] == K1.sheet and rows[(issue, 4)] == "Lỗi"
    link = str(rows[(issue, 6)])
    gid = fake.sheet_ids[ids["DV07"]][K1.sheet]
    assert link.startswith("=HYPERLINK(") and f"#gid={gid}&range={K1.cell}" in link
    assert fake.background(ids["DV07"], K1.sheet, K1.cell) is not None  # highlighted on the unit's own sheet
    assert fake.background(ids["DV01"], K1.sheet, K1.cell) is None
    versions = _versions(config)
    assert versions == N

    # 5. a sync after write-back: dvk's own writes moved modifiedTime, recorded as seen: no read, no write
    mark = len(fake.log)
    assert main(["sync", "--format", "json"]) == 1
    again = json.loads(capsys.readouterr().out)
    assert fake.endpoint_counts(mark) == {"drive.files.list": 1}
    assert again["requests"] == fake.request_counts(mark)
    assert _versions(config) == versions

    # 6. one unit fixes its error: one read, one format request (highlight cleared), one values write
    fill_sheet(fake, ids["DV07"], fake.token_for(unit_email("DV07")), {"K1.result": 20})
    mark = len(fake.log)
    assert main(["sync", "--format", "json"]) == 1  # DV19 still has its error
    capsys.readouterr()
    assert fake.endpoint_counts(mark) == {"drive.files.list": 1, "sheets.values.batchGet": 1,
                                          "sheets.batchUpdate": 1, "sheets.values.batchUpdate": 1, "drive.files.get": 2}
    assert fake.background(ids["DV07"], K1.sheet, K1.cell) == {"red": 1.0, "green": 0.949, "blue": 0.8}  # template's
    assert _result(fake, ids["DV07"])["Phiên bản đã nhận"].startswith("Lần 2")
    versions = _versions(config)

    # 7. the deadline: writers become commenters; the unit can no longer write
    mark = len(fake.log)
    assert main(["sheets", "lock", "--format", "json"]) == 0
    capsys.readouterr()
    assert fake.endpoint_counts(mark) == {"drive.permissions.list": N, "drive.permissions.update": N}
    assert all({p.email: p.role for p in fake.permissions[sid]}[unit_email(code)] == "commenter"
               for code, sid in ids.items())
    late = fill_sheet(fake, ids["DV19"], fake.token_for(unit_email("DV19")), {"K1.result": 20})
    assert late.status_code == 403

    # 8. a post-deadline edit by someone who still has access: reported, not taken
    fill_sheet(fake, ids["DV03"], fake.token_for(USER_EMAIL), {"K1.result": 1})
    assert main(["sync", "--format", "json"]) == 1
    after = json.loads(capsys.readouterr().out)
    assert _versions(config) == versions
    assert any("DV03" in n and "sau khi khoá" in n for n in after["notices"])
    assert {u["code"]: u["total"] for u in after["units"]}["DV03"] == 100.0

    # 9. an extension for one unit: it can write again
    assert main(["sheets", "unlock", "--units", "DV19"]) == 0
    capsys.readouterr()
    assert fill_sheet(fake, ids["DV19"], fake.token_for(unit_email("DV19")), {"K1.result": 20}).status_code == 200
