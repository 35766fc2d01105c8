"""The fake itself, on the wire: it must answer like Sheets v4 and Drive v3 for the tests above to mean much."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from tests.sync.fake_google import FakeGoogle, parse_range, quote_title

SCORES = "Chấm điểm"


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


@pytest.fixture
def fake(fake_google: FakeGoogle) -> FakeGoogle:
    fake_google.add_spreadsheet(
        "s1",
        {SCORES: {"E6": 10, "G6": "có", "H9": 1.5}, "Sheet1": {"A1": "x"}, "It's": {"B2": True}},
        grid=(100, 10),
    )
    return fake_google


def _batch(http: requests.Session, fake: FakeGoogle, *ranges: str, **params: str) -> requests.Response:
    query: dict[str, Any] = {"ranges": list(ranges), "valueRenderOption": "UNFORMATTED_VALUE", **params}
    return http.get(f"{fake.base_url}/v4/spreadsheets/s1/values:batchGet", params=query, timeout=5)


def test_ranges_are_echoed_canonically_with_trailing_empties_dropped(http: requests.Session, fake: FakeGoogle) -> None:
    answer = _batch(
        http, fake, f"'{SCORES}'!E6:H27", "Sheet1!A1", "'Sheet1'", "A1:B2", f"'{SCORES}'!E6:E", "'It''s'!A:B"
    )

    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json; charset=UTF-8"
    assert answer.json() == {
        "spreadsheetId": "s1",
        "valueRanges": [
            {
                "range": f"'{SCORES}'!E6:H27",
                "majorDimension": "ROWS",
                "values": [[10, "", "có"], [], [], ["", "", "", 1.5]],
            },
            {"range": "Sheet1!A1", "majorDimension": "ROWS", "values": [["x"]]},
            {"range": "Sheet1!A1:J100", "majorDimension": "ROWS", "values": [["x"]]},
            {"range": f"'{SCORES}'!A1:B2", "majorDimension": "ROWS"},  # first tab; no values key
            {"range": f"'{SCORES}'!E6:E100", "majorDimension": "ROWS", "values": [[10]]},
            {"range": "'It''s'!A1:B100", "majorDimension": "ROWS", "values": [[], ["", True]]},
        ],
    }


def test_columns_and_formatted_values(http: requests.Session, fake: FakeGoogle) -> None:
    answer = _batch(http, fake, f"'{SCORES}'!E6:H9", majorDimension="COLUMNS", valueRenderOption="FORMATTED_VALUE")

    assert answer.json()["valueRanges"][0]["values"] == [["10"], [], ["có"], ["", "", "", "1.5"]]


def test_missing_tab_and_grid_limits_are_400(http: requests.Session, fake: FakeGoogle) -> None:
    missing = _batch(http, fake, "Sheet1!A1", f"'{SCORES}2'!A1:B2")
    too_far = _batch(http, fake, "Sheet1!A1:K2")

    assert (missing.status_code, missing.json()) == (
        400,
        {"error": {"code": 400, "message": f"Unable to parse range: '{SCORES}2'!A1:B2", "status": "INVALID_ARGUMENT"}},
    )
    assert too_far.status_code == 400
    assert too_far.json()["error"]["message"] == (
        "Range (Sheet1!A1:K2) exceeds grid limits. Max rows: 100, max columns: 10"
    )


def test_access_faults_and_quota_answers(http: requests.Session, fake: FakeGoogle) -> None:
    fake.set_access("s1", 403)
    denied = _batch(http, fake, "Sheet1!A1")
    fake.set_access("s1", None)
    fake.fail(503, api="sheets", retry_after="3")
    unavailable = _batch(http, fake, "Sheet1!A1")
    fake.set_quota(2, 60.0)
    quota = [_batch(http, fake, "Sheet1!A1") for _ in range(3)]
    fake.set_quota(1, 60.0, retry_after="30")
    with_header = [_batch(http, fake, "Sheet1!A1") for _ in range(2)]

    assert denied.json()["error"]["status"] == "PERMISSION_DENIED"
    assert (unavailable.status_code, unavailable.headers["Retry-After"]) == (503, "3")
    assert [r.status_code for r in quota] == [200, 200, 429]
    assert "Retry-After" not in quota[2].headers
    assert quota[2].json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert [(r.status_code, r.headers.get("Retry-After")) for r in with_header] == [(200, None), (429, "30")]
    assert (fake.counts, fake.throttled) == ({"sheets": 7, "drive": 0}, {"sheets": 2, "drive": 0})


def test_drive_get_and_list(http: requests.Session, fake: FakeGoogle) -> None:
    fake.add_spreadsheet("s2", folder="other")
    got = http.get(f"{fake.base_url}/drive/v3/files/s1", params={"fields": "id,modifiedTime"}, timeout=5)
    missing = http.get(f"{fake.base_url}/drive/v3/files/nope", timeout=5)
    listed = http.get(f"{fake.base_url}/drive/v3/files", params={"q": "'other' in parents"}, timeout=5)

    assert got.json() == {"id": "s1", "modifiedTime": fake.files["s1"].modified_time}
    assert missing.status_code == 404
    assert missing.json()["error"]["errors"][0]["reason"] == "notFound"
    assert listed.json() == {
        "files": [
            {"kind": "drive#file", "id": "s2", "name": "s2", "mimeType": "application/vnd.google-apps.spreadsheet"}
        ]
    }


def test_edits_bump_modified_time(fake: FakeGoogle) -> None:
    before = fake.files["s1"].modified_time
    fake.set_cells("s1", "Sheet1", {"A1": None, "C3": 4})

    assert fake.files["s1"].modified_time > before
    assert fake.files["s1"].sheets["Sheet1"] == {(3, 3): 4}


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("'Chấm điểm'!E6:H27", ("Chấm điểm", (6, 5, 27, 8))),
        ("Sheet1", ("Sheet1", None)),
        ("Sheet1!B:C", ("Sheet1", (None, 2, None, 3))),
        ("Sheet1!3:5", ("Sheet1", (3, None, 5, None))),
        ("A1", (None, (1, 1, 1, 1))),
        ("'A''B'", ("A'B", None)),
    ],
)
def test_parse_range(text: str, parsed: object) -> None:
    assert parse_range(text) == parsed


@pytest.mark.parametrize("text", ["'open", "'x'y", "Sheet1!A1:B2:C3", "Sheet1!1A"])
def test_parse_range_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_range(text)


@given(st.text(min_size=1, max_size=20))
def test_quoted_titles_round_trip(title: str) -> None:
    assert parse_range(f"{quote_title(title)}!A1:B2") == (title, (1, 1, 2, 2))


def test_a_workbook_becomes_a_spreadsheet(tmp_path: Path, fake_google: FakeGoogle, http: requests.Session) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SCORES
    sheet["E6"], sheet["F6"], sheet["E7"] = 12, "có", datetime(2025, 1, 2)
    workbook.create_sheet("Thông tin")["B2"] = "Hội Nông dân"
    path = tmp_path / "phieu.xlsx"
    workbook.save(path)
    fake_google.add_workbook("s9", path)

    answer = http.get(
        f"{fake_google.base_url}/v4/spreadsheets/s9/values:batchGet",
        params={"ranges": [f"'{SCORES}'!E6:F7", "'Thông tin'!B2"], "valueRenderOption": "UNFORMATTED_VALUE"},
        timeout=5,
    )

    assert [vr.get("values") for vr in answer.json()["valueRanges"]] == [[[12, "có"], [45659]], [["Hội Nông dân"]]]


# --- the write half added for the Google path (issue 17): documented shapes only -------------------------------


def _post(http: requests.Session, fake: FakeGoogle, path: str, body: dict[str, Any]) -> requests.Response:
    return http.post(f"{fake.base_url}{path}", json=body, timeout=5)


def test_generated_ids_make_a_folder_create_answer_409_when_repeated(http: requests.Session, fake: FakeGoogle) -> None:
    answer = http.get(f"{fake.base_url}/drive/v3/files/generateIds", params={"count": 2}, timeout=5).json()
    assert answer["kind"] == "drive#generatedIds" and answer["space"] == "drive" and len(answer["ids"]) == 2
    folder = {"id": answer["ids"][0], "name": "Phiếu", "mimeType": "application/vnd.google-apps.folder"}
    assert _post(http, fake, "/drive/v3/files", folder).json()["id"] == answer["ids"][0]
    assert _post(http, fake, "/drive/v3/files", folder).status_code == 409  # once created: 409, no duplicate
    assert _post(http, fake, "/drive/v3/files", {**folder, "id": "not-reserved"}).status_code == 400
    sheet = {"id": answer["ids"][1], "name": "x", "mimeType": "application/vnd.google-apps.spreadsheet"}
    assert _post(http, fake, "/drive/v3/files", sheet).status_code == 400  # not for Workspace files (Google's guide)


def test_files_list_selects_by_app_properties_and_trashed(http: requests.Session, fake: FakeGoogle) -> None:
    fake.add_spreadsheet("t1", folder="f")
    fake.add_spreadsheet("t2", folder="f")
    fake.app_properties.update({"t1": {"dvk_unit": "A'B"}, "t2": {"dvk_unit": "C"}})
    q = "'f' in parents and appProperties has { key='dvk_unit' and value='A\\'B' } and trashed=false"
    listed = http.get(f"{fake.base_url}/drive/v3/files", params={"q": q, "fields": "files(id,appProperties)"}, timeout=5)
    assert listed.json() == {"files": [{"id": "t1", "appProperties": {"dvk_unit": "A'B"}}]}
    fake.trash("t1")
    assert http.get(f"{fake.base_url}/drive/v3/files", params={"q": q}, timeout=5).json() == {"files": []}
    got = http.get(f"{fake.base_url}/drive/v3/files/t1", params={"fields": "id,trashed"}, timeout=5).json()
    assert got == {"id": "t1", "trashed": True}


def test_a_batch_update_is_atomic_and_refuses_ids_that_exist(http: requests.Session, fake: FakeGoogle) -> None:
    path = "/v4/spreadsheets/s1:batchUpdate"
    protect = {"addProtectedRange": {"protectedRange": {
        "protectedRangeId": 77, "range": {"sheetId": 0},
        "unprotectedRanges": [{"sheetId": 0, "startRowIndex": 5, "endRowIndex": 6, "startColumnIndex": 4,
                               "endColumnIndex": 8}],
        "editors": {"users": ["a@example.vn"]},
    }}}
    listed = {"setDataValidation": {"range": {"sheetId": 0, "startRowIndex": 5, "endRowIndex": 7,
                                              "startColumnIndex": 6, "endColumnIndex": 7},
                                    "rule": {"condition": {"type": "ONE_OF_LIST", "values": [
                                        {"userEnteredValue": "Có"}, {"userEnteredValue": "Không"}]}, "strict": True}}}
    answer = _post(http, fake, path, {"requests": [listed, protect]})
    assert answer.status_code == 200
    assert answer.json()["replies"][1]["addProtectedRange"]["protectedRange"]["protectedRangeId"] == 77
    again = _post(http, fake, path, {"requests": [{"setDataValidation": {**listed["setDataValidation"], "rule": None}},
                                                  protect]})
    assert again.status_code == 400 and "already exists" in again.json()["error"]["message"]
    assert fake.validation("s1", SCORES, "G6") is not None  # nothing of the refused batch was applied
    assert fake.validation("s1", SCORES, "G8") is None
    partial = {"addProtectedRange": {"protectedRange": {"range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 2},
                                                        "unprotectedRanges": [{"sheetId": 0}]}}}
    assert "only supported on protected sheets" in _post(http, fake, path, {"requests": [partial]}).text
    formula = {"setDataValidation": {"range": {"sheetId": 0}, "rule": {"condition": {
        "type": "ONE_OF_LIST", "values": [{"userEnteredValue": "=A1"}]}}}}
    assert _post(http, fake, path, {"requests": [formula]}).status_code == 400
    ranged = {"setDataValidation": {"range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1,
                                              "startColumnIndex": 0, "endColumnIndex": 1},
                                    "rule": {"condition": {"type": "ONE_OF_RANGE", "values": [
                                        {"userEnteredValue": "='Sheet1'!$A$1:$A$3"}]}}}}
    assert _post(http, fake, path, {"requests": [ranged]}).status_code == 200


def test_spreadsheets_get_gives_protection_and_cells_for_the_ranges_asked(http: requests.Session, fake: FakeGoogle) -> None:
    _post(http, fake, "/v4/spreadsheets/s1:batchUpdate", {"requests": [
        {"addProtectedRange": {"protectedRange": {"protectedRangeId": 5, "range": {"sheetId": 1}}}},
        {"setDataValidation": {"range": {"sheetId": 0, "startRowIndex": 5, "endRowIndex": 6, "startColumnIndex": 6,
                                         "endColumnIndex": 7},
                               "rule": {"condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": "có"}]}}}},
    ]})
    meta = http.get(f"{fake.base_url}/v4/spreadsheets/s1",
                    params={"fields": "sheets(properties(sheetId,title),protectedRanges)"}, timeout=5).json()
    assert [s.get("protectedRanges", []) for s in meta["sheets"]] == [[], [{"protectedRangeId": 5, "range": {"sheetId": 1}}], []]
    cells = http.get(f"{fake.base_url}/v4/spreadsheets/s1", params={
        "ranges": [f"'{SCORES}'!E6:G6"], "fields": "sheets(properties(title),data(rowData(values(effectiveValue,dataValidation))))",
    }, timeout=5).json()
    (sheet,) = cells["sheets"]  # only the sheet the ranges name
    assert sheet["data"] == [{"startRow": 5, "startColumn": 4, "rowData": [{"values": [
        {"effectiveValue": {"numberValue": 10}}, {},
        {"effectiveValue": {"stringValue": "có"}, "dataValidation": {
            "condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": "có"}]}}},
    ]}]}]


def test_request_counts_split_reads_writes_and_tokens(http: requests.Session, fake: FakeGoogle) -> None:
    mark = len(fake.log)
    _batch(http, fake, "Sheet1!A1")
    http.get(f"{fake.base_url}/drive/v3/files/s1", timeout=5)
    _post(http, fake, "/v4/spreadsheets/s1/values:batchUpdate", {"data": []})
    http.post(f"{fake.base_url}/token", data={"grant_type": "refresh_token", "refresh_token": "x"}, timeout=5)
    assert fake.request_counts(mark) == {"sheets": 2, "drive": 1, "sheets_reads": 1, "sheets_writes": 1,
                                         "drive_reads": 1, "drive_writes": 0, "token_refreshes": 1}
