"""Every reader path has a size bound with a Vietnamese message: submissions (before they are even hashed)
and the master read back for staff edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas import WorkbookError, default_rubric
from sync.sources import from_folder
from workbook.layout import build_layout
from workbook.master import read_staff_edits
from workbook.preflight import MAX_FILE_BYTES, preflight


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(size)
    return path


def test_a_huge_submission_is_refused_before_it_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "nop-bai"
    folder.mkdir()
    _sparse(folder / "HND.xlsx", MAX_FILE_BYTES + 1)
    rubric = default_rubric()
    (item,) = from_folder(folder, build_layout(rubric), rubric, {}, default_year=2026)
    assert item.error is not None and "quá lớn" in item.error
    assert item.revision == ""  # not even hashed
    with pytest.raises(WorkbookError, match="quá lớn"):
        preflight(folder / "HND.xlsx")


def test_a_huge_file_at_the_master_path_is_refused_not_opened(tmp_path: Path) -> None:
    master = _sparse(tmp_path / "tong-hop.xlsx", MAX_FILE_BYTES + 1)
    with pytest.raises(WorkbookError, match=r"Không đọc được tệp tổng hợp tong-hop\.xlsx.*quá lớn"):
        read_staff_edits(master, default_rubric())
