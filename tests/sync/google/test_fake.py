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
