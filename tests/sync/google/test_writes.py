"""The write calls over real HTTP against the fake: resumable upload with conversion, token refresh, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas.errors import GoogleApiError
from sync.google.account import user_client
from sync.google.writes import permissions, share, update_permission, upload_spreadsheet
from tests.sync.fake_google import USER_EMAIL, FakeGoogle
from tests.sync.google_workflow_support import signed_in, write_commune
from tests.sync.sync_support import LAYOUT, settings, template


def test_resumable_upload_converts_and_an_expired_token_is_refreshed(
    tmp_path: Path, fake: FakeGoogle, _private_google_token_dir: Path
) -> None:
    config = write_commune(tmp_path, fake, 1)
    signed_in(fake, _private_google_token_dir)
    api = user_client(settings(config))
    assert api is not None and api.user == USER_EMAIL
    data = template(tmp_path).read_bytes()
    with api:
        file = upload_spreadsheet(api, name="Phiếu", data=data, folder_id=None, app_properties={"dvk_unit": "DV01"},
                                  resumable_above=0)
        fake.expire_tokens()
        share(api, file["id"], "dv01@caominh.example.vn", "writer", "Xin điền phiếu")
    counts = fake.endpoint_counts()
    assert counts["drive.files.create.resumable"] == 1 and counts["drive.files.create.resumable.put"] == 1
    assert counts["oauth.token"] == 3  # the login, the first refresh (no access token stored), after the 401
    k1 = LAYOUT.input("K1.result")
    assert k1.sheet in fake.files[file["id"]].sheets  # converted: the template's tabs
    assert [e.status for e in fake.log if e.endpoint == "drive.permissions.create"] == [401, 200]


def test_a_reader_cannot_change_permissions_and_is_told_what_to_do(
    tmp_path: Path, fake: FakeGoogle, _private_google_token_dir: Path
) -> None:
    config = write_commune(tmp_path, fake, 1)
    signed_in(fake, _private_google_token_dir)
    api = user_client(settings(config))
    assert api is not None
    with api:
        file = upload_spreadsheet(api, name="Phiếu", data=template(tmp_path).read_bytes(), folder_id=None,
                                  app_properties={})
        fake.permissions[file["id"]][0].role = "reader"  # someone else owns it now
        with pytest.raises(GoogleApiError) as info:
            update_permission(api, file["id"], permissions(api, file["id"])[0]["id"], "writer")
    assert "không có quyền đổi quyền chia sẻ" in str(info.value) and "dvk google login" in str(info.value)
