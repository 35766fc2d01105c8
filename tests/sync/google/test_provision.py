"""`dvk sheets provision`: idempotent, resumable, per-unit failures, and the service-account storage rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sync.cli import main
from sync.config import load_settings
from tests.sync.fake_google import FakeGoogle
from tests.sync.google_workflow_support import provision_json, signed_in, write_commune

N = 6



def test_one_unit_failing_leaves_the_others_done_and_the_rerun_completes_it(
    tmp_path: Path, fake: FakeGoogle, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    _private_google_token_dir: Path,
) -> None:
    write_commune(tmp_path, fake, N)
    monkeypatch.chdir(tmp_path)
    signed_in(fake, _private_google_token_dir)
    fake.fail(400, endpoint="drive.files.create.multipart", body_contains=b'"dvk_unit": "DV03"', times=None)
    code, report = provision_json(capsys)
    assert code == 1
    statuses = {u["code"]: u for u in report["units"]}  # type: ignore[union-attr]
    assert [statuses[c]["status"] for c in statuses] == ["created", "created", "error", "created", "created", "created"]
    assert "DV03" not in json.dumps([u for c, u in statuses.items() if c != "DV03"])
    message = str(statuses["DV03"]["message"])
    assert "Google từ chối yêu cầu tạo bảng tính Google" in message and "Chạy lại “dvk sheets provision”" in message
    assert len([f for f in fake.files.values()]) == N - 1
    fake.faults.clear()
    mark = len(fake.log)
    code, report = provision_json(capsys)
    assert code == 0
    assert [u["status"] for u in report["units"]] == ["exists", "exists", "created", "exists", "exists", "exists"]  # type: ignore[union-attr]
    counts = fake.endpoint_counts(mark)
    assert counts["drive.files.create.multipart"] == 1 and counts["drive.permissions.create"] == 1
    assert "drive.files.create" not in counts  # the year's folder was found, not created again
    assert len(fake.files) == N


def test_provision_twice_and_after_losing_the_ledger_duplicates_nothing(
    tmp_path: Path, fake: FakeGoogle, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    _private_google_token_dir: Path,
) -> None:
    config = write_commune(tmp_path, fake, N)
    monkeypatch.chdir(tmp_path)
    signed_in(fake, _private_google_token_dir)
    assert provision_json(capsys)[0] == 0
    first = {f.id for f in fake.files.values()}
    assert provision_json(capsys, "--dry-run")[1]["units"] == provision_json(capsys)[1]["units"]
    load_settings(config).ledger_path.unlink()  # the record is gone, the sheets are still on Drive
    mark = len(fake.log)
    code, report = provision_json(capsys)
    assert code == 0
    assert {f.id for f in fake.files.values()} == first and len(fake.folders) == 1
    assert fake.endpoint_counts(mark).get("drive.files.create.multipart", 0) == 0
    assert {u["spreadsheet_id"] for u in report["units"]} == first  # type: ignore[union-attr]
    for sid in first:  # shares not doubled either
        assert sorted(p.role for p in fake.permissions[sid]) == ["owner", "writer"]


def test_dry_run_sends_no_request_that_changes_anything(
    tmp_path: Path, fake: FakeGoogle, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    _private_google_token_dir: Path,
) -> None:
    write_commune(tmp_path, fake, 3)
    monkeypatch.chdir(tmp_path)
    signed_in(fake, _private_google_token_dir)
    code, report = provision_json(capsys, "--dry-run", "--units", "DV02")
    assert code == 0
    assert [(u["code"], u["status"]) for u in report["units"]] == [("DV02", "planned")]  # type: ignore[union-attr]
    assert [e for e in fake.log if e.method != "GET" and e.api != "oauth"] == []
    assert fake.files == {}


def test_a_service_account_cannot_provision_and_is_told_why_in_vietnamese(
    tmp_path: Path, fake: FakeGoogle, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.sync.google.test_api import _key_file

    key = _key_file(tmp_path, token_uri=f"{fake.base_url}/token")
    write_commune(tmp_path, fake, 3, credentials=key)
    monkeypatch.chdir(tmp_path)
    assert main(["sheets", "provision"]) == 2
    err = " ".join(capsys.readouterr().err.split())  # the terminal width wraps the message
    assert "storageQuotaExceeded" in err and "tài khoản dịch vụ không có dung lượng lưu trữ" in err
    assert "dvk google login" in err
    assert fake.files == {}
    uploads = [e for e in fake.log if e.endpoint == "drive.files.create.multipart"]
    assert len(uploads) == 1 and uploads[0].status == 403  # stopped at the first refusal, not once per unit


def test_not_signed_in_without_service_account_says_to_log_in(
    tmp_path: Path, fake: FakeGoogle, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_commune(tmp_path, fake, 2)
    monkeypatch.chdir(tmp_path)
    assert main(["sheets", "provision"]) == 2
    assert "dvk google login" in " ".join(capsys.readouterr().err.split())
    assert main(["google", "status"]) == 1
    assert "Chưa đăng nhập" in capsys.readouterr().out
