"""The rubric file format and the default rubric."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from schemas import CriterionType, RubricError, default_rubric, load_rubric

TEXT = resources.files("schemas").joinpath("rubrics/cao-minh-2026.toml").read_text(encoding="utf-8")


def test_default_rubric_is_domain_section_5() -> None:
    r = default_rubric()
    assert [c.code for c in r.criteria] == [
        "A1", "A2", "A3", "A4", "K1", "K2", "V1", "V2", "Q1", "Q2", "H1", "H2",
        "S1", "S2", "P1", "P2", "P3", "D1", "D2", "D3", "B1", "M1",
    ]
    assert (r.base_max, r.bonus_cap, r.penalty_cap) == (100, 3, 3)
    assert {c.code: int(c.max_points) if c.max_points == int(c.max_points) else c.max_points for c in r.criteria} == {
        "A1": 3, "A2": 2, "A3": 3, "A4": 2, "K1": 8, "K2": 4, "V1": 8, "V2": 4, "Q1": 8, "Q2": 4, "H1": 8,
        "H2": 4, "S1": 12, "S2": 3, "P1": 10, "P2": 3, "P3": 2, "D1": 4, "D2": 4, "D3": 4, "B1": 3, "M1": 3,
    }
    types = {c.code: c.type for c in r.criteria}
    assert types["A1"] is CriterionType.DT and types["A2"] is CriterionType.CT and types["K1"] is CriterionType.DL
    assert types["B1"] is CriterionType.CTR and types["M1"] is CriterionType.CTR
    assert r.satisfaction.min_sample == 30
    assert [p.code for p in r.presets] == ["dan-van-2025", "nd-335-2025"]


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "rubric.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_a_copy_loads(tmp_path: Path) -> None:
    assert load_rubric(write(tmp_path, TEXT)) == default_rubric()


@pytest.mark.parametrize(
    ("old", "new", "criterion", "fragment"),
    [
        ('code = "K2"\nfield = "Kinh tế"\ntitle = "Kết quả vận động Nhân dân (ngày công, hiến đất, đóng góp)"\ntype = "ĐL"',
         'code = "K2"\nfield = "Kinh tế"\ntitle = "Kết quả vận động Nhân dân (ngày công, hiến đất, đóng góp)"\ntype = "XYZ"',
         "K2", "loại 'XYZ' không hợp lệ"),
        ('code = "K1"\nfield = "Kinh tế"\ntitle = "Hoàn thành chỉ tiêu kinh tế được giao"\ntype = "ĐL"\nmax_points = 8',
         'code = "K1"\nfield = "Kinh tế"\ntitle = "Hoàn thành chỉ tiêu kinh tế được giao"\ntype = "ĐL"\nmax_points = 9',
         None, "không bằng điểm chuẩn"),
        ('code = "V2"', 'code = "K2"', None, "mã tiêu chí trùng: K2"),
        ('{ label = "Ban hành chậm", points = 1.5 }', '{ label = "Ban hành chậm" }', "A1", "levels.1.points"),
    ],
)
def test_broken_rubrics_are_refused(tmp_path: Path, old: str, new: str, criterion: str | None, fragment: str) -> None:
    assert old in TEXT
    path = write(tmp_path, TEXT.replace(old, new, 1))
    with pytest.raises(RubricError) as err:
        load_rubric(path)
    message = str(err.value)
    assert str(path) in message and fragment in message
    if criterion:
        assert f"tiêu chí {criterion}" in message and err.value.context["criterion"] == criterion


def test_syntax_error_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RubricError, match="lỗi cú pháp TOML"):
        load_rubric(write(tmp_path, "name = "))
    with pytest.raises(RubricError, match="Không tìm thấy"):
        load_rubric(tmp_path / "nope.toml")


def test_a_level_rule_without_levels_names_the_criterion(tmp_path: Path) -> None:
    data = tomllib.loads(TEXT)
    assert data["criteria"][3]["code"] == "A4"
    broken = TEXT.replace('rule = "level"\nlevels = [\n    { label = "Đúng hạn"', 'rule = "level"\nxlevels = [\n    { label = "Đúng hạn"')
    with pytest.raises(RubricError) as err:
        load_rubric(write(tmp_path, broken))
    assert "tiêu chí A4" in str(err.value)


def test_the_comments_of_the_shipped_rubric_are_vietnamese() -> None:
    """Review D14: the commune edits its own copy of this file, so what it explains is in Vietnamese."""
    comments = [line for line in TEXT.splitlines() if line.lstrip().startswith("#")]
    english = re.compile(r"\b(the|is|are|of|and|per rule|gives|never|checked|enter|follow)\b")
    assert comments and [c for c in comments if english.search(c)] == []
