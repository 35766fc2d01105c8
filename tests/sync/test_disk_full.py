"""A full disk under the master, the ledger or the service log (hostile review H8, H9, H10): a Vietnamese
message that names the file and says what to free, never a traceback, never "restore a backup"; the service
log degrades with one warning. The full-disk cases mount a small tmpfs, so they run as root (CI runs as root)
and are skipped elsewhere; ``log = "/dev/full"`` needs no root."""

from __future__ import annotations

import errno
import gc
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from xlsxwriter.exceptions import FileCreateError

from sync.cli import main
from sync.errors_vi import describe_exception
from sync.watch import watch
from tests.sync.sync_support import facts_for, filled, settings
from tests.sync.test_staff_edits_sync import _rows, _type

CODES = ("HND", "TYT")


def _mount(path: Path, size: str) -> Path:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("a full disk is simulated with a small tmpfs, which needs root (mount -t tmpfs)")
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    return path


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Any]:
    mounted: list[Path] = []

    def make(name: str, size: str = "2m") -> Path:
        mounted.append(_mount(tmp_path / name, size))
        return mounted[-1]

    yield make
    for path in reversed(mounted):
        subprocess.run(["umount", "-l", str(path)], capture_output=True, timeout=300)


def _fill(folder: Path, free: int) -> None:
    """Fill ``folder``'s disk, then give back ``free`` bytes."""
    filler = folder / "filler"
    with open(filler, "wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError as err:
            assert err.errno == errno.ENOSPC
    os.truncate(filler, max(0, filler.stat().st_size - free))


def _commune(root: Path, **output: str) -> Path:
    lines = ["[commune]", "year = 2026", "", "[sources.folder]", 'path = "nop-bai"', "", "[output]",
             *(f'{key} = "{value}"' for key, value in output.items()), ""]
    if "master" not in output:
        lines.insert(-1, 'master = "tong-hop/tong-hop-{year}.xlsx"')
    for code in CODES:
        unit = facts_for(code)
        lines += ["[[units]]", f'code = "{code}"', f'name = "{unit["info.unit_name"]}"', 'kind = "MTTQ, đoàn thể"', ""]
    (root / "nop-bai").mkdir(parents=True, exist_ok=True)
    config = root / "dvk.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    filled(root, "HND.xlsx", facts_for("HND"))
    return config


def _no_unraisable(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    seen: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)  # e.g. "Exception ignored in ZipFile.__del__"
    return seen


def test_a_full_disk_under_the_master(
    tmp_path: Path, tmpfs: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = tmpfs("m")
    config = _commune(tmp_path, master=f"{disk}/tong-hop-{{year}}.xlsx", ledger=f"{tmp_path}/ledger.sqlite")
    assert main(["sync", "--config", str(config)]) in (0, 1)
    master = disk / "tong-hop-2026.xlsx"
    _type(master, {"HND": {"K1 thẩm định": 4}})
    before = master.read_bytes()
    _fill(disk, 8 * 1024)
    unraisable = _no_unraisable(monkeypatch)
    capsys.readouterr()
    assert main(["report", "--config", str(config)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "Ổ đĩa đã đầy" in err and str(master) in err and "giải phóng dung lượng" in err and str(disk) in err
    assert "Traceback" not in err and "không mong đợi" not in err
    assert main(["sync", "--config", str(config), "--format", "json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "file"
    gc.collect()
    assert unraisable == []
    assert master.read_bytes() == before
    assert sorted(p.name for p in disk.iterdir()) == ["filler", "tong-hop-2026.xlsx"]  # no temporary file left
    (disk / "filler").unlink()
    assert main(["report", "--config", str(config)]) == 0
    assert _rows(master, "Chi tiết tiêu chí")["HND"]["K1 thẩm định"] == 4


@pytest.mark.parametrize("free", [16 * 1024, 64 * 1024])
def test_a_full_disk_under_the_ledger_is_not_called_damage(
    tmp_path: Path, tmpfs: Any, capsys: pytest.CaptureFixture[str], free: int
) -> None:
    disk = tmpfs("l")
    config = _commune(tmp_path, ledger=f"{disk}/ledger.sqlite")
    assert main(["sync", "--config", str(config)]) in (0, 1)
    filled(tmp_path, "TYT.xlsx", facts_for("TYT"))
    _fill(disk, free)
    capsys.readouterr()
    assert main(["sync", "--config", str(config)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "ổ đĩa đã đầy" in err and str(disk / "ledger.sqlite") in err and "giải phóng dung lượng" in err
    assert "không cần khôi phục bản sao lưu" in err and "khôi phục từ bản sao lưu" not in err
    assert "đã hỏng" not in err and "Traceback" not in err
    (disk / "filler").unlink()
    with sqlite3.connect(disk / "ledger.sqlite") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert main(["sync", "--config", str(config)]) in (0, 1)


def _watch_lines(config: Path, capsys: pytest.CaptureFixture[str]) -> tuple[list[str], str]:
    lines: list[str] = []
    capsys.readouterr()
    assert watch(settings(config), interval=5, max_passes=2, use_google=False, say=lines.append) == 2
    return lines, capsys.readouterr().err


def _one_warning(lines: list[str], err: str, log: Path) -> None:
    warnings = [x for x in lines if "không ghi được nhật ký dịch vụ" in x]
    assert len(warnings) == 1 and str(log) in warnings[0] and "ổ đĩa đã đầy" in warnings[0]
    assert "Logging error" not in err and "Traceback" not in err
    assert any("đồng bộ năm 2026 xong" in x for x in lines)  # the service went on: both passes said


def test_a_service_log_on_dev_full(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("/dev/full exists on Linux only")
    config = _commune(tmp_path, log="/dev/full")
    lines, err = _watch_lines(config, capsys)
    _one_warning(lines, err, Path("/dev/full"))


def test_a_service_log_on_a_full_disk(tmp_path: Path, tmpfs: Any, capsys: pytest.CaptureFixture[str]) -> None:
    disk = tmpfs("log", "64k")
    log = disk / "dvk-sync.log"
    log.write_text("")
    config = _commune(tmp_path, log=str(log))
    _fill(disk, 0)
    lines, err = _watch_lines(config, capsys)
    _one_warning(lines, err, log)


def test_xlsxwriters_own_wrapper_of_a_full_disk_is_said_in_vietnamese(tmp_path: Path) -> None:
    err = FileCreateError(OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "tong-hop.xlsx")))
    text = describe_exception(err)
    assert text.startswith("Ổ đĩa đã đầy, không ghi được") and "tong-hop.xlsx" in text and "FileCreateError" not in text
