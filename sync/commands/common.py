"""Shared CLI helpers: output format option, JSON printing, rubric loading from an option."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

from rich.console import Console

from schemas.rubric import Rubric, default_rubric, load_rubric

__all__ = ["Format", "console", "load_rubric_option", "print_json"]

console = Console(highlight=False, soft_wrap=False)


class Format(StrEnum):
    text = "text"
    json = "json"


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def load_rubric_option(path: Path | None) -> Rubric:
    return load_rubric(path) if path else default_rubric()
