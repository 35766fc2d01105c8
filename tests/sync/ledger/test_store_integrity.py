"""A damaged ledger is refused with a Vietnamese message (exit 2), never written into; a locked one says so."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from schemas.errors import LedgerError
from sync.cli import main
from sync.ledger import Ledger
from tests.sync.sync_support import facts_for, filled, write_config


def _synced(tmp_path: Path) -> tuple[Path, Path]:
    config = write_config(tmp_path, ["VP-UBND", "P-KT", "HND"])
    for code in ("VP-UBND", "P-KT", "HND"):
        filled(tmp_path, f"{code}.xlsx", facts_for(code))
    assert main(["sync", "--config", str(config)]) == 0
    return config, tmp_path / "tong-hop" / "dvk-ledger.sqlite"


def _overwrite_page(db: Path, page: int) -> None:
    with sqlite3.connect(db) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(db.read_bytes())
    start = (page - 1) * size
    data[start + 8 : start + size] = bytes((i * 37 + 11) % 256 for i in range(size - 8))
    db.write_bytes(bytes(data))


def test_a_corrupt_index_page_is_refused_not_written_into(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, db = _synced(tmp_path)
    with sqlite3.connect(db) as conn:
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'versions_current'").fetchone()
    _overwrite_page(db, root)
    before = db.read_bytes()
    capsys.readouterr()
    assert main(["sync", "--config", str(config)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "đã hỏng" in err and "Traceback" not in err
    assert f"chỗ hỏng ở trang {root}" in err and "database main" not in err and "tree page" not in err  # Vietnamese
    assert db.read_bytes() == before


@pytest.mark.parametrize("where", ["second", "last"])
def test_bit_rot_in_a_data_page_is_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    config, db = _synced(tmp_path)
    with sqlite3.connect(db) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    _overwrite_page(db, 2 if where == "second" else pages)
    capsys.readouterr()
    assert main(["sync", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "sổ lưu trữ" in err and "Traceback" not in err


def test_a_locked_ledger_says_locked_and_to_retry(tmp_path: Path) -> None:
    path = tmp_path / "dvk-ledger.sqlite"
    Ledger.open(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(LedgerError) as caught:
            Ledger.open(path, timeout=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    text = str(caught.value)
    assert "đang bị một tiến trình dvk khác giữ" in text and "chạy lại" in text and "đã hỏng" not in text


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files")
def test_a_read_only_ledger_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config, db = _synced(tmp_path)
    db.chmod(0o444)
    db.parent.chmod(0o555)
    try:
        capsys.readouterr()
        assert main(["sync", "--config", str(config)]) == 2
        err = capsys.readouterr().err
        assert "chỉ cho đọc" in err and "Traceback" not in err
    finally:
        db.parent.chmod(0o755)
        db.chmod(0o644)


def test_a_damaged_page_found_after_open_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    _, db = _synced(tmp_path)
    with Ledger.open(db) as ledger:
        with sqlite3.connect(db) as conn:
            (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'versions'").fetchone()
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _overwrite_page(db, root)
        with pytest.raises(LedgerError, match="đã hỏng"):
            ledger.history(2026)
