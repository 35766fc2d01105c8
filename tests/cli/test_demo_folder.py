"""`dvk demo` never deletes or overwrites what it did not create (review D1, repro `demo-wipes.sh`)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from sync.cli import main
from sync.demo import MARKER, prepare_demo_folder


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def test_demo_in_a_working_folder_is_refused_and_nothing_is_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    (tmp_path / "nop-bai").mkdir(exist_ok=True)
    (tmp_path / "tong-hop").mkdir(exist_ok=True)
    (tmp_path / "nop-bai" / "HND-that.xlsx").write_text("real", encoding="utf-8")
    (tmp_path / "tong-hop" / "dvk-ledger.sqlite").write_text("ledger-with-appraisals", encoding="utf-8")
    before = _md5(tmp_path / "dvk.toml")
    capsys.readouterr()
    assert main(["demo", "--out", "."]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "không do dvk demo tạo" in err and "dvk.toml" in err
    assert _md5(tmp_path / "dvk.toml") == before
    assert (tmp_path / "nop-bai" / "HND-that.xlsx").read_text(encoding="utf-8") == "real"
    assert (tmp_path / "tong-hop" / "dvk-ledger.sqlite").read_text(encoding="utf-8") == "ledger-with-appraisals"
    assert not (tmp_path / MARKER).exists()


def test_an_unrelated_folder_is_refused_too(tmp_path: Path) -> None:
    out = tmp_path / "demotest"
    (out / "nop-bai").mkdir(parents=True)
    (out / "nop-bai" / "unit-file-i-care.xlsx").write_text("mine", encoding="utf-8")
    assert main(["demo", "--out", str(out), "--keep"]) == 2
    assert (out / "nop-bai" / "unit-file-i-care.xlsx").read_text(encoding="utf-8") == "mine"
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    assert main(["demo", "--out", str(tmp_path / "a-file")]) == 2


def test_a_new_or_own_folder_is_used_and_fresh_clears_only_the_sample(tmp_path: Path) -> None:
    out = prepare_demo_folder(tmp_path / "new")
    assert (out / MARKER).is_file()
    (out / "nop-bai").mkdir()
    (out / "nop-bai" / "old-sample.xlsx").write_text("sample", encoding="utf-8")
    (out / "ghi-chu-cua-toi.txt").write_text("note", encoding="utf-8")
    prepare_demo_folder(out, fresh=True)
    assert not (out / "nop-bai").exists() and (out / "ghi-chu-cua-toi.txt").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert (prepare_demo_folder(empty) / MARKER).is_file()
