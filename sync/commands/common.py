"""Shared CLI helpers: output format option, JSON printing, rubric loading from an option."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from schemas.rubric import Rubric, default_rubric, load_rubric

from ..config import Settings, load_settings

__all__ = [
    "STATUS_LABELS",
    "ConfigOption",
    "Format",
    "console",
    "load_rubric_option",
    "print_json",
    "settings_from",
]

console = Console(highlight=False, soft_wrap=False)


class Format(StrEnum):
    text = "text"
    json = "json"


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def load_rubric_option(path: Path | None) -> Rubric:
    return load_rubric(path) if path else default_rubric()


ConfigOption = typer.Option(
    "--config", "-c", help="Tệp cấu hình dvk.toml (mặc định: biến DVK_CONFIG hoặc ./dvk.toml)."
)


def settings_from(config: Path | None) -> Settings:
    """The settings for a command: loaded once at the edge (the file and the DVK_ environment)."""
    return load_settings(config)


STATUS_LABELS = {
    "ok": "Đã nhận",
    "unchanged": "Không đổi",
    "invalid": "Có lỗi",
    "error": "Không đọc được",
    "missing": "Chưa nộp",
}
