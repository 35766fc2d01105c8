"""The README's newcomer example, executed: the commands run and the answer shown is the answer given."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from sync.cli import main
from tests.schemas.factory import INFO, ONE_MODEL, PERFECT
from workbook.fill import fill_template

README = Path(__file__).resolve().parents[2] / "README.md"


def _blocks(text: str) -> list[tuple[str, str]]:
    return re.findall(r"```(\w+)\n(.*?)```", text, flags=re.S)


def test_newcomer_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    section = README.read_text(encoding="utf-8").split("## A newcomer's first five minutes", 1)[1]
    (_, commands), (_, shown) = _blocks(section)[:2]
    monkeypatch.chdir(tmp_path)
    outputs = []
    for line in commands.splitlines():
        words = shlex.split(line, comments=True)
        if not words:
            continue
        assert words[0] == "dvk"
        if words[1] == "validate":  # the person filled the template as the README says
            fill_template(Path("t.xlsx"), Path("t.xlsx"), {**INFO, **PERFECT, "K1.result": "85 điểm", "S2.level": "không có"}, ONE_MODEL)
        code = main(words[1:])
        outputs.append((words[1], code, capsys.readouterr().out))
    assert [(cmd, code) for cmd, code, _ in outputs] == [("template", 0), ("validate", 1), ("score", 1)]
    validate_out = outputs[1][2]
    for line in shown.strip().splitlines():
        assert line.strip() in validate_out
    total_line = re.search(r"ends with `(TỔNG ĐIỂM: [^`]+)`", section)
    assert total_line is not None and total_line[1] in outputs[2][2]
