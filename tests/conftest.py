"""Every test runs with its own (empty) Google sign-in folder: no test ever sees a real user's token.

``demo_run``: the demo commune, made once per session (see ``tests.support.demo``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.demo import DemoRun, shared_demo


@pytest.fixture(autouse=True)
def _private_google_token_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path_factory.mktemp("google-token")
    monkeypatch.setenv("DVK_GOOGLE_TOKEN_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """`dvk demo` run once for the session (read only; copy it with ``tests.support.demo.copy_demo``)."""
    return shared_demo(tmp_path_factory)
