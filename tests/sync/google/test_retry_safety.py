"""Nothing is created twice: an upload or a folder whose answer is lost, a POST never repeated blindly, and a
duplicate an older dvk left found by its tag and reported. Against the fake, which can apply a write and then
lose its answer (hold it past the client's timeout, or answer a gateway error)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from schemas.errors import GoogleApiError
from sync.cli import main
from sync.config import load_settings
from sync.google import GoogleApi
from sync.google.account import user_client
from sync.google.writes import upload_spreadsheet
from tests.sync.conftest import FakeClock
from tests.sync.fake_google import FakeGoogle
from tests.sync.google_workflow_support import provision_json, signed_in, unit_codes, write_commune
from tests.sync.sync_support import template

N = 4



def _sheets_of(fake: FakeGoogle, code: str) -> list[str]:
    return [fid for fid, props in fake.app_properties.items() if props.get("dvk_unit") == code and fid in fake.files]


@pytest.mark.parametrize("lost", ["held past the timeout", "gateway error after creating", "refused, not created"])
def test_an_upload_whose_answer_is_lost_makes_one_sheet_per_unit(
    lost: str, tmp_path: Path, fake: FakeGoogle, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, _private_google_token_dir: Path,
) -> None:
    write_commune(tmp_path, fake, N, extra="timeout = 5" if lost == "held past the timeout" else "")
    monkeypatch.chdir(tmp_path)
    signed_in(fake, _private_google_token_dir)
    only = {"endpoint": "drive.files.create.multipart", "body_contains": b'"dvk_unit": "DV02"'}
    if lost == "held past the timeout":
        fake.fail(None, applied=True, delay=8.0, **only)  # created, then the answer never arrives in time
    elif lost == "gateway error after creating":
        fake.fail(502, applied=True, **only)
    else:
        fake.fail(503, **only)  # Google did nothing: dvk finds no tag and uploads again
    code, report = provision_json(capsys)
    assert code == 0, report
    assert [u["status"] for u in report["units"]] == ["created"] * N  # type: ignore[index]
    assert {c: len(_sheets_of(fake, c)) for c in unit_codes(N)} == dict.fromkeys(unit_codes(N), 1)
    assert len(fake.app_properties) == N  # every file ever made (in the trash or not): one per unit
    fake.settle()  # the held answer is logged once the fake has sent it
    uploads = [e for e in fake.log if e.endpoint == "drive.files.create.multipart"]
    assert len(uploads) == N + (1 if lost == "refused, not created" else 0)  # never sent again blindly
    looked = [e for e in fake.log if e.endpoint == "drive.files.list" and "value='DV02'" in e.params.get("q", [""])[0]]
    # the tag is looked up before any resend (and once more after one: a late copy would be put in the trash)
    assert len(looked) == (2 if lost == "refused, not created" else 1)
    sid = _sheets_of(fake, "DV02")[0]
    assert {p.role for p in fake.permissions[sid]} == {"owner", "writer"}  # shared, protected like the others
    assert fake.protected_ranges(sid)

    code, again = provision_json(capsys)  # a rerun: still one sheet per unit
    assert code == 0
    assert [u["status"] for u in again["units"]] == ["exists"] * N  # type: ignore[index]
    assert {c: len(_sheets_of(fake, c)) for c in unit_codes(N)} == dict.fromkeys(unit_codes(N), 1)


def test_a_folder_whose_answer_is_lost_is_created_once(
    tmp_path: Path, fake: FakeGoogle, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    _private_google_token_dir: Path,
) -> None:
    """The folder's id is reserved (files.generateIds): the retried create meets 409, which means done."""
    write_commune(tmp_path, fake, 2, extra="timeout = 5")
    monkeypatch.chdir(tmp_path)
    signed_in(fake, _private_google_token_dir)
    fake.fail(None, endpoint="drive.files.create", applied=True, delay=8.0)
    code, report = provision_json(capsys)
    assert code == 0
    fake.settle()
    assert len(fake.folders) == 1 and report["folder_id"] in fake.folders
    creates = [e for e in fake.log if e.endpoint == "drive.files.create"]
    assert sorted(e.status for e in creates) == [200, 409]  # (logged when answered: the held one last)
    assert creates[0].body["id"] == creates[1].body["id"]
    assert {fake.files[sid].parents[0] for c in unit_codes(2) for sid in _sheets_of(fake, c)} == {report["folder_id"]}


def test_a_duplicate_an_older_version_left_is_reported_never_used(
    tmp_path: Path, fake: FakeGoogle, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    _private_google_token_dir: Path,
) -> None:
    config = write_commune(tmp_path, fake, 3)
    monkeypatch.chdir(tmp_path)
    signed_in(fake, _private_google_token_dir)
    code, report = provision_json(capsys)
    assert code == 0
    used = {u["code"]: u["spreadsheet_id"] for u in report["units"]}  # type: ignore[index]
    with user_client(load_settings(config)) as api:  # what an older dvk did after a lost answer: a second upload
        extra = upload_spreadsheet(api, name="Phiếu tự đánh giá 2026 – Đơn vị thử nghiệm số 2",
                                   data=template(tmp_path).read_bytes(), folder_id=str(report["folder_id"]),
                                   app_properties={"dvk_unit": "DV02", "dvk_year": "2026"})["id"]
    assert main(["sheets", "check", "--format", "json"]) == 1
    checks = {s["code"]: s for s in json.loads(capsys.readouterr().out)["sheets"]}
    assert checks["DV02"]["duplicates"] == [extra] and not checks["DV02"]["ok"]
    assert "Có thêm 1 bảng tính gắn nhãn đơn vị DV02" in checks["DV02"]["problems"][0]
    assert checks["DV01"]["ok"] and checks["DV03"]["ok"]
    code, again = provision_json(capsys)
    dv02 = {u["code"]: u for u in again["units"]}["DV02"]  # type: ignore[index]
    assert dv02["spreadsheet_id"] == used["DV02"] and len(dv02["duplicates"]) == 1 and extra in dv02["duplicates"][0]
    assert "dvk không dùng các bảng tính đó" in dv02["message"]
    assert extra in fake.files  # reported, never deleted behind the commune's back


MakeApi = Callable[..., GoogleApi]


def test_a_post_is_never_blindly_retried(fake_google: FakeGoogle, make_api: MakeApi, clock: FakeClock) -> None:
    fake_google.add_spreadsheet("s1", {"Sheet1": {}})
    url = "https://sheets.googleapis.com/v4/spreadsheets/s1/values:batchUpdate"
    body = {"valueInputOption": "RAW", "data": [{"range": "Sheet1!A1", "values": [[1]]}]}
    api = make_api()
    fake_google.fail(503, api="sheets")
    with pytest.raises(GoogleApiError) as info:
        api.http.request("post", url, json=body)
    assert info.value.context["reason"] == "unknown-outcome" and "không tự gửi lại" in str(info.value)
    assert len(fake_google.requests("sheets")) == 1 and clock.sleeps == []
    fake_google.fail(429, api="sheets", retry_after="2")  # a 429 was not acted on: retried
    assert api.http.request("post", url, json=body).ok
    fake_google.fail(503, api="sheets")  # the caller says it is safe to repeat (the same values)
    assert api.http.request("post", url, json=body, retry=True).ok
    assert [e.status for e in fake_google.requests("sheets")] == [503, 429, 200, 503, 200]
    assert api.request_counts.sheets_writes == 5 and api.request_counts.sheets_reads == 0
