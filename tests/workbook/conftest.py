"""Fixtures of the template and reader tests: the default rubric, its layout, one blank template per worker."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas import Rubric, default_rubric
from workbook.layout import Layout, build_layout
from workbook.template import write_template


@pytest.fixture(scope="session")
def rubric() -> Rubric:
    return default_rubric()


@pytest.fixture(scope="session")
def layout(rubric: Rubric) -> Layout:
    return build_layout(rubric)


@pytest.fixture(scope="session")
def blank_template(rubric: Rubric, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A template for 2026 (not pre-filled for a unit); tests copy it, never write into it."""
    return write_template(tmp_path_factory.mktemp("template") / "mau-phieu.xlsx", rubric, year=2026)
