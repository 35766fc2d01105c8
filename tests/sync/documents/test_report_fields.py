"""The báo cáo follows the plan (review M13): the four fields with their models, the other groups apart, and a
choice or a count criterion told as units, not as an average of yes/no points."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from schemas import FIELDS
from sync.documents import data as d
from tests.workbook.master.factory import sample
from workbook.master import MasterInput, compute


def test_the_plans_four_fields_come_first_each_with_its_models() -> None:
    data = sample(11)
    results = compute(data)
    lines = d.field_lines(data.rubric, results)
    plan = [f for f in lines if f.group == "plan"]
    assert [f.name for f in plan] == [d.spelled(f) for f in FIELDS]
    assert lines[: len(plan)] == tuple(plan)  # first, in the plan's order
    models = [m for r in results if r.row.submission for m in r.row.submission.models]
    for field, line in zip(FIELDS, plan, strict=True):
        registered = sum(1 for m in models if m.field == field)
        assert line.models.startswith(f"{registered} mô hình đăng ký") if registered else line.models == "chưa có mô hình đăng ký"
    assert {f.group for f in lines if f.name in d.PEOPLE_FIELDS} == {"people"}
    assert all(f.models == "" for f in lines if f.group != "plan")


def _varied() -> MasterInput:
    """The sample with some units answering "Có" and some reporting cases (the sample answers none)."""
    data = sample(11)
    rows = []
    for i, row in enumerate(data.units):
        if row.submission is not None and i % 3 == 1:
            facts = {**row.submission.facts, "S2.level": "Có", "P3.count": Decimal(i % 2 + 1)}
            row = dataclasses.replace(row, submission=row.submission.model_copy(update={"facts": facts}))
        rows.append(row)
    return dataclasses.replace(data, units=tuple(rows))


def test_a_choice_and_a_count_are_told_as_units() -> None:
    data = _varied()
    rubric, results = data.rubric, compute(data)
    people = {p.code: p for p in d.people_lines(rubric, results)}
    submissions = [r.row.submission for r in d.scored(results) if r.row.submission]
    for c in rubric.base_criteria:
        if c.field not in d.PEOPLE_FIELDS:
            continue
        roles = {s.role: s for s in c.inputs}
        line = people[c.code]
        if "level" in roles:
            chosen = [s.fact(f"{c.code}.{roles['level'].key}") for s in submissions]
            for lv in c.levels:
                n = chosen.count(lv.label)
                assert n and f"{n} đơn vị “{lv.label}”" in line.counts, line.counts  # both answers occur
        elif "count" in roles:
            values = [v for s in submissions if isinstance(v := s.fact(f"{c.code}.{roles['count'].key}"), Decimal)]
            some = [v for v in values if v > 0]
            assert some and line.counts == f"{len(some)} đơn vị có phát sinh, tổng số vụ việc: {sum(some)}"
        else:
            assert line.counts == ""  # a ratio keeps its sums and its average
