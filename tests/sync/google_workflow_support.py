"""A commune of N units on disk, aimed at the fake: its dvk.toml, OAuth client file, sign-in, unit edits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests

from schemas.models import UnitKind
from tests.schemas.factory import INFO, ONE_MODEL, PERFECT
from tests.sync.fake_google import FakeGoogle
from tests.sync.sync_support import LAYOUT

KINDS = list(UnitKind)


def unit_codes(n: int) -> list[str]:
    return [f"DV{i:02d}" for i in range(1, n + 1)]


def unit_email(code: str) -> str:
    return f"{code.lower()}@caominh.example.vn"


def unit_name(code: str) -> str:
    return f"Đơn vị thử nghiệm số {int(code[2:])}"


def write_commune(root: Path, fake: FakeGoogle, n: int, *, credentials: Path | None = None,
                  extra: str = "") -> Path:
    """dvk.toml of ``n`` units with e-mails and no sheet URLs, the OAuth client file pointing at the fake."""
    client = {"installed": {
        "client_id": "1234-dvk.apps.googleusercontent.com", "client_secret": "fake-secret",
        "auth_uri": f"{fake.base_url}/auth", "token_uri": f"{fake.base_url}/token",
        "redirect_uris": ["http://localhost"],
    }}
    (root / "oauth-client.json").write_text(json.dumps(client), encoding="utf-8")
    lines = [
        "[commune]", "year = 2026", 'name = "xã Cao Minh"', 'phone = "0209 3870 123"',
        'email = "vanhoa.caominh@example.vn"', "",
        "[sources.folder]", 'path = "nop-bai"', "",
        "[sources.google]", f'api_endpoint = "{fake.base_url}"', 'oauth_client = "oauth-client.json"',
        "reads_per_minute = 60",
    ]
    if credentials is not None:
        lines.append(f'credentials = "{credentials}"')
    lines += [extra, "", "[output]", 'master = "tong-hop/tong-hop-{year}.xlsx"', ""]
    for i, code in enumerate(unit_codes(n)):
        lines += ["[[units]]", f'code = "{code}"', f'name = "{unit_name(code)}"',
                  f'kind = "{KINDS[i % len(KINDS)].value}"', f'email = "{unit_email(code)}"', ""]
    (root / "nop-bai").mkdir(parents=True, exist_ok=True)
    path = root / "dvk.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def login(root: Path, token_dir: Path) -> subprocess.CompletedProcess[str]:
    """`dvk google login --no-browser` in a child process; the test plays the browser: it opens the printed
    address (the fake's consent page), which redirects to dvk's loopback server with the code."""
    env = {**os.environ, "DVK_GOOGLE_TOKEN_DIR": str(token_dir), "PYTHONUNBUFFERED": "1"}
    child = subprocess.Popen(
        [sys.executable, "-m", "sync.cli", "google", "login", "--no-browser", "-c", str(root / "dvk.toml")],
        cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert child.stdout is not None
    url = None
    lines = []
    for line in child.stdout:
        lines.append(line)
        if line.startswith("http"):
            url = line.strip()
            break
    assert url is not None, "".join(lines) + (child.stderr.read() if child.stderr else "")
    page = requests.get(url, timeout=10)  # consent → 302 → http://localhost:<port>/?code=… (dvk's server)
    assert page.status_code == 200, page.text
    out, err = child.communicate(timeout=300)
    return subprocess.CompletedProcess(child.args, child.returncode, "".join(lines) + out, err)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def fill_sheet(fake: FakeGoogle, spreadsheet_id: str, token: str, values: Mapping[str, Any],
               tables: Mapping[str, Any] | None = None) -> requests.Response:
    """The unit types its answers into its Google Sheet: one values:batchUpdate through the fake's API."""
    data = []
    for name, value in values.items():
        cell = LAYOUT.input(name)
        data.append({"range": f"'{cell.sheet}'!{cell.cell}", "values": [[_json_value(value)]]})
    for key, rows in (ONE_MODEL if tables is None else tables).items():
        table = next(t for t in LAYOUT.tables if t.key == key)
        for i, row in enumerate(rows):
            for col, value in row.items():
                data.append({"range": f"'{table.sheet}'!{table.column(col).letter}{table.first_row + i}",
                             "values": [[_json_value(value)]]})
    return requests.post(
        f"{fake.base_url}/v4/spreadsheets/{spreadsheet_id}/values:batchUpdate",
        json={"valueInputOption": "USER_ENTERED", "data": data},
        headers={"Authorization": f"Bearer {token}"}, timeout=10,
    )


def perfect(code: str, **overrides: Any) -> dict[str, Any]:
    return {**INFO, **PERFECT, "info.unit_code": code, "info.unit_name": unit_name(code), **overrides}


def signed_in(fake: FakeGoogle, token_dir: Path) -> str:
    """What `dvk google login` leaves behind, obtained from the fake's consent page and token endpoint (the
    stored credentials carry only the refresh token: the first request refreshes, as after a restart)."""
    from google.oauth2.credentials import Credentials

    from sync.google.oauth import USER_SCOPES, TokenStore

    consent = requests.get(f"{fake.base_url}/auth", params={"redirect_uri": "http://localhost:1/", "state": "s",
                                                            "scope": " ".join(USER_SCOPES)},
                           allow_redirects=False, timeout=10)
    code = consent.headers["Location"].split("code=")[1].split("&")[0]
    token = requests.post(f"{fake.base_url}/token", data={"grant_type": "authorization_code", "code": code},
                          timeout=10).json()
    creds = Credentials(None, refresh_token=token["refresh_token"], token_uri=f"{fake.base_url}/token",
                        client_id="1234-dvk.apps.googleusercontent.com", client_secret="fake-secret",
                        scopes=list(USER_SCOPES))
    TokenStore(token_dir).save(creds, fake.user_email)
    return str(token["refresh_token"])


def provision_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    """`dvk sheets provision --format json …` through ``main``: its exit code and its JSON answer ({} if none)."""
    from sync.cli import main

    code = main(["sheets", "provision", "--format", "json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip().startswith("{") else {}
