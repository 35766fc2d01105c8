"""Every test runs with its own (empty) Google sign-in folder: no test ever sees a real user's token."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_google_token_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path_factory.mktemp("google-token")
    monkeypatch.setenv("DVK_GOOGLE_TOKEN_DIR", str(folder))
    return folder
