"""Files dvk writes are ordinary documents: a new one gets 0666 less the umask, a replaced one keeps its mode.

Review D23 / issue 10 §6: templates and demo submissions came out 0600 (the mode of ``mkstemp``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from schemas.rubric import Rubric
from workbook.fill import fill_template
from workbook.template import write_template


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.usefixtures("umask")
def test_new_templates_and_filled_files_follow_the_umask(tmp_path: Path, rubric: Rubric) -> None:
    blank = write_template(tmp_path / "mau.xlsx", rubric, year=2026)
    filled = fill_template(blank, tmp_path / "HPN.xlsx", {"info.year": 2026})
    assert (_mode(blank), _mode(filled)) == (0o644, 0o644)
    os.umask(0o027)
    assert _mode(write_template(tmp_path / "rieng.xlsx", rubric, year=2026)) == 0o640


@pytest.mark.usefixtures("umask")
def test_a_replaced_file_keeps_its_mode(tmp_path: Path, rubric: Rubric) -> None:
    path = write_template(tmp_path / "mau.xlsx", rubric, year=2026)
    path.chmod(0o664)
    write_template(path, rubric, year=2027)
    assert _mode(path) == 0o664
