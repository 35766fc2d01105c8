"""Lazy exports of a package (PEP 562): a name is imported from the submodule that defines it on first use.

A package lists ``{exported name: submodule}`` and calls ``lazy_exports`` once::

    __all__, __getattr__, __dir__ = lazy_exports(__name__, _SUBMODULE)

Importing one light submodule then does not load the rest; type checkers see the package's
``if TYPE_CHECKING:`` imports.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, submodules: Mapping[str, str], aliases: Mapping[str, str] | None = None
) -> tuple[list[str], Callable[[str], Any], Callable[[], list[str]]]:
    """``__all__``, ``__getattr__`` and ``__dir__`` for ``package``; ``aliases`` maps an old name to its new one."""
    renamed = dict(aliases or {})
    names = sorted((*submodules, *renamed))

    def __getattr__(name: str) -> Any:
        target = renamed.get(name, name)
        module = submodules.get(target)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", package), target)
        setattr(sys.modules[package], name, value)  # found once, then a plain attribute
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(names))

    return names, __getattr__, __dir__
