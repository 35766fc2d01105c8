"""The movement's period: the years evaluated (2026–2030). Light on purpose: the command line imports it."""

from __future__ import annotations

__all__ = ["YEARS"]

YEARS = range(2026, 2031)
