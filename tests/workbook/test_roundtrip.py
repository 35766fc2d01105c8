"""Round trip through a real file: a random valid Submission typed into the template the way a clerk types
it, saved, read back → the same Submission and the same score."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from schemas import Submission, default_rubric, score
from workbook.fill import fill_template
from workbook.reader import read_workbook
from workbook.template import write_template

from .sheet_support import UNITS, clerk_values, submissions

_RUBRIC = default_rubric()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sub=submissions(_RUBRIC))
def test_submission_written_and_read_back_is_the_same(blank_template: Path, sub: Submission) -> None:
    values, tables = clerk_values(sub)
    with tempfile.TemporaryDirectory(prefix="dvk-rt-") as tmp:
        path = fill_template(blank_template, Path(tmp) / "phieu.xlsx", values, tables)
        result = read_workbook(path, _RUBRIC, registry=UNITS)
    assert result.issues == ()
    assert result.validated.submission == sub
    assert score(_RUBRIC, result.validated.submission) == score(_RUBRIC, sub)


def test_template_for_another_year_round_trips(tmp_path: Path) -> None:
    template = write_template(tmp_path / "t.xlsx", _RUBRIC, year=2029, unit=UNITS["HND"])
    result = read_workbook(template, _RUBRIC, registry=UNITS)
    sub_keys = {i.key() for i in result.issues}
    assert ("Thông tin đơn vị", "C4", "required-missing") not in sub_keys  # unit code pre-filled
    assert ("Thông tin đơn vị", "C6", "required-missing") not in sub_keys  # year pre-filled
    assert result.grid[("Thông tin đơn vị", "C6")] == 2029
