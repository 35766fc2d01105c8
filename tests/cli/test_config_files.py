"""Configuration-side files are read with a size bound and only when they are ordinary files (reviews H13,
H16), and the sign-in token is written through a private temporary file of its own (H14).

Each case is one Vietnamese message and exit 2, no traceback, and it ends at once: /dev/zero and a FIFO are
never opened, a huge file is never read to its end."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest
from google.oauth2.credentials import Credentials

from sync.cli import main
from sync.google.oauth import TokenStore
from sync.ledger import Ledger
from tests.sync.sync_support import write_config

DEV_ZERO = Path("/dev/zero")
needs_dev_zero = pytest.mark.skipif(not DEV_ZERO.exists(), reason="no /dev/zero on this system (Windows)")
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system (Windows)")


def _fails(capsys: pytest.CaptureFixture[str], args: list[str], *needles: str) -> str:
    code = main(args)
    captured = capsys.readouterr()
    err = " ".join((captured.err + captured.out).split())
    assert code == 2, err
    assert "Traceback" not in err and "Lỗi không mong đợi" not in err, err
    for needle in needles:
        assert needle in err, (needle, err)
    return err


def _config(tmp_path: Path, extra: str = "", *, top: str = "", output: str = "") -> Path:
    config = write_config(tmp_path, ["VP-UBND"])
    text = config.read_text(encoding="utf-8")
    if output:
        text = text.replace("[output]", f"[output]\n{output}", 1)
    config.write_text(top + text + extra, encoding="utf-8")
    return config


@needs_dev_zero
def test_dev_zero_as_the_configuration_is_not_a_regular_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    err = _fails(capsys, ["sync", "--config", "/dev/zero"], "/dev/zero không phải một tệp cấu hình thông thường",
                 "thiết bị")
    assert "Không tìm thấy" not in err
    monkeypatch.setenv("DVK_CONFIG", "/dev/zero")
    _fails(capsys, ["report"], "/dev/zero không phải một tệp cấu hình thông thường")


@needs_dev_zero
@pytest.mark.parametrize(
    ("extra", "top", "output", "command", "needles"),
    [
        ('\n[rubric]\nfile = "/dev/zero"\n', "", "", ["sync"], ["Tệp bộ tiêu chí /dev/zero không phải một tệp thông thường"]),
        ("", 'units_file = "/dev/zero"\n', "", ["sync"], ["Tệp danh sách đơn vị /dev/zero không phải một tệp thông thường"]),
        ("", "", 'ledger = "/dev/zero"', ["sync"], ["sổ lưu trữ /dev/zero không phải một tệp thông thường"]),
        ('\n[sources.google]\noauth_client = "/dev/zero"\n', "", "", ["google", "login", "--no-browser"],
         ["Tệp OAuth client /dev/zero không phải một tệp thông thường"]),
        ('\n[sources.google]\ncredentials = "/dev/zero"\n', "", "", ["sheets", "check"],
         ["sources.google.credentials", "/dev/zero không phải một tệp khóa"]),
    ],
    ids=["rubric", "units_file", "ledger", "oauth_client", "credentials"],
)
def test_dev_zero_in_the_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: str, top: str, output: str, command: list[str],
    needles: list[str],
) -> None:
    config = _config(tmp_path, extra, top=top, output=output)
    if top:  # units_file replaces the [[units]] of the file
        text = config.read_text(encoding="utf-8")
        config.write_text(text[: text.index("[[units]]")], encoding="utf-8")
    err = _fails(capsys, [*command, "--config", str(config)], *needles)
    assert "cannot rollback" not in err and "bộ nhớ" not in err


@needs_dev_zero
def test_dev_zero_as_a_rubric_option(capsys: pytest.CaptureFixture[str]) -> None:
    _fails(capsys, ["rubric", "--rubric", "/dev/zero"], "Tệp bộ tiêu chí /dev/zero không phải một tệp thông thường")


@needs_fifo
def test_a_fifo_as_rubric_or_units_file_is_never_opened(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "bo-tieu-chi.toml"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    _fails(capsys, ["rubric", "--rubric", str(fifo)], "không phải một tệp thông thường", "ống dẫn (FIFO)")
    units = tmp_path / "don-vi.csv"
    os.mkfifo(units)
    config = tmp_path / "dvk.toml"
    config.write_text(f"units_file = '{units}'\n[commune]\nyear = 2026\n", encoding="utf-8")
    _fails(capsys, ["sync", "--config", str(config)], "Tệp danh sách đơn vị", "ống dẫn (FIFO)")


def test_a_huge_rubric_or_config_is_refused_by_its_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    huge = tmp_path / "bo-tieu-chi.toml"
    with huge.open("wb") as fh:  # sparse: 5 GB on paper, nothing on disk
        fh.truncate(5 * 2**30)
    _fails(capsys, ["rubric", "--rubric", str(huge)], "quá lớn", "giới hạn 4,0 MB")
    config = tmp_path / "dvk.toml"
    with config.open("wb") as fh:
        fh.truncate(3 * 2**30)
    _fails(capsys, ["sync", "--config", str(config)], "Tệp cấu hình", "quá lớn", "giới hạn 16 MB")


def test_read_bounded_stops_at_its_limit(tmp_path: Path) -> None:
    from schemas.config_files import ConfigFileError, read_bounded

    path = tmp_path / "a.json"
    path.write_bytes(b"x" * 100)
    assert read_bounded(path, 100) == b"x" * 100
    with pytest.raises(ConfigFileError) as err:
        read_bounded(path, 99)
    assert err.value.kind == "too-large" and err.value.size == 100
    with pytest.raises(FileNotFoundError):
        read_bounded(tmp_path / "khong-co.json", 10)


# -- H14: the token's temporary file ----------------------------------------------------------------------------

def _creds() -> Credentials:
    return Credentials(token="ya29.dummy-access", refresh_token="1//dummy-refresh-token", client_id="id",
                       client_secret="dummy-client-secret", token_uri="https://oauth2.googleapis.com/token")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes and symbolic links")
def test_a_stale_or_symlinked_tmp_never_receives_the_token(tmp_path: Path) -> None:
    stale = tmp_path / "a"
    stale.mkdir()
    (stale / "google-token.tmp").write_text("{}")
    os.chmod(stale / "google-token.tmp", 0o644)
    saved = TokenStore(stale).save(_creds(), "x@example.com")
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert (stale / "google-token.tmp").read_text() == "{}"  # left as it was, never written through

    linked = tmp_path / "b"
    linked.mkdir()
    elsewhere = tmp_path / "somebody-elses-file"
    elsewhere.write_text("")
    os.chmod(elsewhere, 0o666)
    (linked / "google-token.tmp").symlink_to(elsewhere)
    saved = TokenStore(linked).save(_creds(), "x@example.com")
    assert elsewhere.read_text() == ""  # the refresh token never went through the link
    assert "1//dummy-refresh-token" in saved.read_text() and stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert not saved.is_symlink()
    assert sorted(p.name for p in linked.iterdir()) == ["google-token.json", "google-token.tmp"]  # no temp left
    token = TokenStore(linked).load()
    assert token is not None and token.account == "x@example.com"
    assert json.loads(saved.read_text())["refresh_token"] == "1//dummy-refresh-token"


def test_the_ledger_path_of_a_folder_is_said_in_vietnamese(tmp_path: Path) -> None:
    from schemas.errors import LedgerError

    with pytest.raises(LedgerError, match="là một thư mục, không phải tệp"):
        Ledger.open(tmp_path)
