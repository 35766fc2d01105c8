"""GoogleApi over real gspread/requests code and real HTTP against the fake: what a sync reads, and its errors."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from schemas.errors import ConfigError, GoogleApiError
from sync.google import SCOPES, GoogleApi, build_client, pad, spreadsheet_id_from
from tests.sync.fake_google import FAKE_TOKEN, FakeGoogle

MakeApi = Callable[..., GoogleApi]
SCORES = "Chấm điểm"


def _statuses(fake: FakeGoogle, api: str = "sheets") -> list[int]:
    return [entry.status for entry in fake.requests(api)]


def _key_file(tmp_path: Path, token_uri: str = "https://oauth2.googleapis.com/token") -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    info = {
        "type": "service_account",
        "project_id": "dvk-test",
        "private_key_id": "0123456789abcdef",
        "private_key": pem,
        "client_email": "dvk-sync@dvk-test.iam.gserviceaccount.com",
        "client_id": "1234567890",
        "token_uri": token_uri,
    }
    path = tmp_path / "khoa.json"
    path.write_text(json.dumps(info), encoding="utf-8")
    return path


# --- batch_get -------------------------------------------------------------------------------------------


def test_batch_get_returns_ragged_rows_and_empty_ranges_in_request_order(
    fake_google: FakeGoogle, make_api: MakeApi
) -> None:
    fake_google.add_spreadsheet(
        "unit-01",
        {
            SCORES: {"E6": 10, "G6": "có", "E8": 2.5, "H9": True},
            "Thông tin": {"B2": "Hội Nông dân"},
        },
    )
    api = make_api()
    ranges = [f"'{SCORES}'!E6:H27", "'Thông tin'!B2:B5", f"'{SCORES}'!A1:C3"]

    values = api.batch_get("unit-01", ranges)

    assert values == [
        [[10, "", "có"], [], [2.5], ["", "", "", True]],
        [["Hội Nông dân"]],
        [],
    ]
    (request,) = fake_google.requests()  # one request, no metadata call
    assert request.path == "/v4/spreadsheets/unit-01/values:batchGet"
    assert request.params["ranges"] == ranges
    assert (request.params["valueRenderOption"], request.params["dateTimeRenderOption"]) == (
        ["UNFORMATTED_VALUE"],
        ["SERIAL_NUMBER"],
    )
    assert request.params["majorDimension"] == ["ROWS"]
    assert api.counts == {"sheets": 1, "drive": 0}


def test_batch_get_quoted_titles_and_dates_as_serial_numbers(fake_google: FakeGoogle, make_api: MakeApi) -> None:
    title = "Đơn vị's data"
    fake_google.add_spreadsheet(
        "unit-02", {title: {"A1": date(2025, 1, 2), "B1": datetime(2025, 1, 2, 12, 0), "A2": "x"}}
    )
    quoted = "'" + title.replace("'", "''") + "'!A1:B2"

    assert make_api().batch_get("unit-02", [quoted]) == [[[45659, 45659.5], ["x"]]]


def test_batch_get_no_ranges_makes_no_request(fake_google: FakeGoogle, make_api: MakeApi) -> None:
    assert make_api().batch_get("unit-01", []) == []
    assert fake_google.log == []


@pytest.mark.parametrize(
    ("access", "reason", "advice"),
    [
        (403, "not-shared", "chưa được chia sẻ cho tài khoản dịch vụ"),
        (404, "not-found", "đã bị xoá hoặc mã/đường dẫn sai"),
    ],
)
def test_forbidden_and_missing_spreadsheets_are_not_retried_and_explained(
    fake_google: FakeGoogle, make_api: MakeApi, clock: object, access: int, reason: str, advice: str
) -> None:
    fake_google.add_spreadsheet("unit-03", {SCORES: {"E6": 1}})
    fake_google.set_access("unit-03", access)

    with pytest.raises(GoogleApiError) as info:
        make_api().batch_get("unit-03", [f"'{SCORES}'!E6:H27"])

    err = info.value
    assert (err.status, err.context["reason"], err.context["spreadsheet_id"]) == (access, reason, "unit-03")
    assert advice in str(err)
    assert "unit-03" in str(err)
    assert _statuses(fake_google) == [access]


def test_renamed_tab_names_the_tab_and_is_not_retried(fake_google: FakeGoogle, make_api: MakeApi) -> None:
    fake_google.add_spreadsheet("unit-04", {SCORES: {"E6": 1}, "Thông tin": {}})
    fake_google.rename_sheet("unit-04", SCORES, "Chấm điểm (sửa)")

    with pytest.raises(GoogleApiError) as info:
        make_api().batch_get("unit-04", ["'Thông tin'!A1:B2", f"'{SCORES}'!E6:H27"])

    err = info.value
    assert (err.status, err.context["reason"], err.context["tab"]) == (400, "tab-missing", SCORES)
    assert f"không có trang tính “{SCORES}”" in str(err)
    assert "đổi tên hoặc xoá" in str(err)
    assert _statuses(fake_google) == [400]


def test_malformed_json_is_an_unreadable_answer(fake_google: FakeGoogle, make_api: MakeApi) -> None:
    fake_google.add_spreadsheet("unit-05", {SCORES: {"E6": 1}})
    fake_google.fail(200, body=b'{"spreadsheetId": "unit-05", "valueRanges": [', api="sheets")

    with pytest.raises(GoogleApiError) as info:
        make_api().batch_get("unit-05", [f"'{SCORES}'!E6:H27"])

    assert (info.value.status, info.value.context["reason"]) == (None, "malformed")
    assert "Không đọc được câu trả lời của Google cho bảng tính unit-05" in str(info.value)
    assert isinstance(info.value.__cause__, ValueError)


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b'{"valueRanges": {}}',
        b'{"valueRanges": [{"values": [[1]]}]}',  # one range answered, two asked
        b'{"valueRanges": [{"values": [1, 2]}, {}]}',  # rows that are not lists
        b'{"valueRanges": [{"values": [[{"a": 1}]]}, {}]}',  # a cell that is not a scalar
    ],
)
def test_unexpected_shapes_are_unreadable_answers(fake_google: FakeGoogle, make_api: MakeApi, body: bytes) -> None:
    fake_google.add_spreadsheet("unit-06")
    fake_google.fail(200, body=body)

    with pytest.raises(GoogleApiError) as info:
        make_api().batch_get("unit-06", ["Sheet1!A1:B2", "Sheet1!C1:D2"])

    assert info.value.context["reason"] == "malformed"


# --- modified_times ------------------------------------------------------------------------------------


def test_folder_listing_follows_pages_in_one_logical_call(fake_google: FakeGoogle, make_api: MakeApi) -> None:
    for n in range(7):
        fake_google.add_spreadsheet(f"unit-{n:02d}", folder="thu-muc")
    fake_google.add_spreadsheet("elsewhere", folder="other")
    fake_google.files["unit-06"].trashed = True
    api = make_api(page_size=3)

    times = api.modified_times(folder_id="thu-muc")

    assert times == {f"unit-{n:02d}": fake_google.files[f"unit-{n:02d}"].modified_time for n in range(6)}
    pages = fake_google.requests("drive")
    assert [p.params.get("pageToken") for p in pages] == [None, ["3"]]
    first = pages[0].params
    assert first["q"] == [
        "'thu-muc' in parents and mimeType='application/vnd.google-apps.spreadsheet' and trashed=false"
    ]
    assert first["fields"] == ["nextPageToken,files(id,name,modifiedTime)"]
    assert (first["supportsAllDrives"], first["includeItemsFromAllDrives"]) == (["True"], ["True"])
    assert api.counts == {"sheets": 0, "drive": 2}


def test_modified_time_changes_when_a_sheet_is_edited(fake_google: FakeGoogle, make_api: MakeApi) -> None:
    fake_google.add_spreadsheet("unit-01", {SCORES: {}})
    fake_google.add_spreadsheet("unit-02", {SCORES: {}})
    api = make_api()
    before = api.modified_times(folder_id="folder-1")

    fake_google.set_cells("unit-02", SCORES, {"E6": 7})
    after = api.modified_times(folder_id="folder-1")

    assert after["unit-01"] == before["unit-01"]
    assert after["unit-02"] > before["unit-02"]


def test_ids_without_folder_cost_one_files_get_each_and_unseen_ids_are_left_out(
    fake_google: FakeGoogle, make_api: MakeApi
) -> None:
    fake_google.add_spreadsheet("unit-01")
    fake_google.add_spreadsheet("unit-02")
    fake_google.add_spreadsheet("unit-03")
    fake_google.set_access("unit-03", 403)  # Drive answers 404 for a file not shared
    api = make_api()

    times = api.modified_times(ids=["unit-01", "unit-02", "unit-03", "deleted"])

    assert set(times) == {"unit-01", "unit-02"}
    assert [e.path for e in fake_google.requests("drive")] == [
        "/drive/v3/files/unit-01",
        "/drive/v3/files/unit-02",
        "/drive/v3/files/unit-03",
        "/drive/v3/files/deleted",
    ]
    assert fake_google.requests("drive")[0].params["fields"] == ["id,name,modifiedTime"]


def test_ids_with_folder_use_the_listing_and_look_up_only_the_outsiders(
    fake_google: FakeGoogle, make_api: MakeApi
) -> None:
    for n in range(4):
        fake_google.add_spreadsheet(f"unit-{n:02d}", folder="thu-muc")
    fake_google.add_spreadsheet("outsider", folder="other")

    times = make_api().modified_times(ids=["unit-00", "unit-02", "outsider"], folder_id="thu-muc")

    assert set(times) == {"unit-00", "unit-02", "outsider"}
    assert [e.path for e in fake_google.requests("drive")] == ["/drive/v3/files", "/drive/v3/files/outsider"]


def test_unknown_folder_names_the_setting(fake_google: FakeGoogle, make_api: MakeApi) -> None:
    with pytest.raises(GoogleApiError) as info:
        make_api().modified_times(folder_id="no-such-folder")

    assert (info.value.status, info.value.context["folder_id"]) == (404, "no-such-folder")
    assert "sources.google.drive_folder_id" in str(info.value)


def test_modified_times_needs_something_to_look_at(make_api: MakeApi) -> None:
    with pytest.raises(ValueError, match="ids or a folder_id"):
        make_api().modified_times()


# --- ids, padding, construction ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1AbC-d_EfGhIjKlMnOpQrStUvWxYz0123456789abcd",
        "https://docs.google.com/spreadsheets/d/1AbC-d_EfGhIjKlMnOpQrStUvWxYz0123456789abcd/edit#gid=0",
        "https://docs.google.com/spreadsheets/d/1AbC-d_EfGhIjKlMnOpQrStUvWxYz0123456789abcd",
        "https://docs.google.com/spreadsheets/u/1/d/1AbC-d_EfGhIjKlMnOpQrStUvWxYz0123456789abcd/edit?usp=sharing",
        "  https://drive.google.com/open?id=1AbC-d_EfGhIjKlMnOpQrStUvWxYz0123456789abcd ",
    ],
)
def test_spreadsheet_id_from_links_and_bare_ids(text: str) -> None:
    assert spreadsheet_id_from(text) == "1AbC-d_EfGhIjKlMnOpQrStUvWxYz0123456789abcd"


@pytest.mark.parametrize("text", ["", "https://example.com/x", "bảng tính của xã", "https://docs.google.com/"])
def test_spreadsheet_id_from_refuses_other_text(text: str) -> None:
    with pytest.raises(ConfigError, match="Không nhận ra mã bảng tính Google"):
        spreadsheet_id_from(text)


def test_pad_fills_ragged_rows_to_the_shape() -> None:
    assert pad([[1], [], [2, 3]], 4, 3) == [
        [1, None, None],
        [None, None, None],
        [2, 3, None],
        [None, None, None],
    ]
    assert pad([], 1, 2, fill="") == [["", ""]]
    with pytest.raises(ValueError, match="do not fit"):
        pad([[1, 2, 3]], 1, 2)


def test_build_client_needs_credentials_or_an_endpoint() -> None:
    with pytest.raises(ConfigError) as info:
        build_client(credentials_file=None, api_endpoint=None)
    assert "sources.google.credentials" in str(info.value)
    assert "sources.google.api_endpoint" in str(info.value)


def test_build_client_refuses_a_missing_or_malformed_key_file(tmp_path: Path) -> None:
    missing = tmp_path / "không-có.json"
    with pytest.raises(ConfigError) as info:
        build_client(credentials_file=missing, api_endpoint=None)
    assert (str(missing) in str(info.value), info.value.context["key"]) == (True, "sources.google.credentials")

    for content in ("{not json", json.dumps({"type": "service_account", "client_email": "x@y"})):
        bad = tmp_path / "khoa-hong.json"
        bad.write_text(content, encoding="utf-8")
        with pytest.raises(ConfigError) as info:
            build_client(credentials_file=bad, api_endpoint=None)
        assert str(bad) in str(info.value)
        assert "không phải khoá tài khoản dịch vụ" in str(info.value)


def test_service_account_key_authenticates_and_names_the_account_on_403(
    tmp_path: Path, fake_google: FakeGoogle, make_api: MakeApi
) -> None:
    key = _key_file(tmp_path, token_uri=f"{fake_google.base_url}/token")
    fake_google.add_spreadsheet("unit-07", {SCORES: {"E6": 4}})
    fake_google.add_spreadsheet("unit-08")
    fake_google.set_access("unit-08", 403)
    api = make_api(credentials_file=key)

    assert api.batch_get("unit-07", [f"'{SCORES}'!E6"]) == [[[4]]]
    with pytest.raises(GoogleApiError) as info:
        api.batch_get("unit-08", ["Sheet1!A1"])

    assert api.service_account == "dvk-sync@dvk-test.iam.gserviceaccount.com"
    assert "tài khoản dịch vụ dvk-sync@dvk-test.iam.gserviceaccount.com" in str(info.value)
    assert "Chia sẻ → thêm địa chỉ đó với quyền Người xem" in str(info.value)
    assert [e.api for e in fake_google.log] == ["oauth", "sheets", "sheets"]
    assert {e.authorization for e in fake_google.requests("sheets")} == {f"Bearer {FAKE_TOKEN}"}
    (assertion,) = fake_google.log[0].params["assertion"]  # the signed JWT asks for the read-only scopes
    claims = json.loads(base64.urlsafe_b64decode(assertion.split(".")[1] + "=="))
    assert sorted(claims["scope"].split()) == sorted(SCOPES)


def test_gspread_calls_share_the_retrying_client(fake_google: FakeGoogle, make_api: MakeApi) -> None:
    fake_google.add_spreadsheet("unit-09", {SCORES: {}, "Thông tin": {}}, name="Phiếu - Hội Phụ nữ")
    fake_google.fail(503, api="sheets")
    api = make_api()

    spreadsheet = api.client.open_by_key("unit-09")  # gspread's own code: a metadata request

    assert [ws.title for ws in spreadsheet.worksheets()] == [SCORES, "Thông tin"]
    assert spreadsheet.title == "Phiếu - Hội Phụ nữ"
    assert _statuses(fake_google) == [503, 200, 200]


def test_sheet_titles_for_the_sheets_check(fake_google: FakeGoogle, make_api: MakeApi) -> None:
    fake_google.add_spreadsheet("unit-10", {"Thông tin": {}, SCORES: {}, "Hướng dẫn": {}})
    fake_google.add_spreadsheet("unit-11")
    fake_google.set_access("unit-11", 404)
    api = make_api()

    assert api.sheet_titles("unit-10") == ["Thông tin", SCORES, "Hướng dẫn"]
    with pytest.raises(GoogleApiError) as info:
        api.sheet_titles("unit-11")

    assert info.value.context["reason"] == "not-found"
    assert [(e.path, e.params.get("fields")) for e in fake_google.log] == [
        ("/v4/spreadsheets/unit-10", ["sheets.properties.title"]),
        ("/v4/spreadsheets/unit-11", ["sheets.properties.title"]),
    ]
