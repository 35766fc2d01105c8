"""Imports only go down: the layers of README's "Layout", checked over every module's import statements.

    schemas  <  workbook  <  sync.config, sync.ledger  <  sync.google  <  sync (top)  <  sync.documents, sync.demo
             <  sync.cli, addin

A module may import its own layer and the layers below it, never one above; the command line and the add-in
sit on top and nothing else imports them. Imports inside functions count too (a lazy import is still an
import). Type-checking-only imports are exempt: they run nowhere.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("schemas", "workbook", "sync", "addin")

#: rank of each room; a module imports ranks ≤ its own
RANKS = {
    "schemas": 0,
    "workbook": 1,
    "sync.config": 2,
    "sync.ledger": 2,
    "sync.google": 3,
    "sync": 4,  # the sync itself: sources, intake, service, reporting, watch, …
    "sync.documents": 5,
    "sync.demo": 5,
    "sync.cli": 6,
    "addin": 6,
}


def _room(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "sync" and len(parts) > 1 and f"sync.{parts[1]}" in RANKS:
        return f"sync.{parts[1]}"
    return parts[0]


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports(path: Path) -> list[tuple[int, str]]:
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exempt = _type_checking_lines(tree)
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in exempt:
            continue
        if isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
                if not node.module:  # "from . import x": the names are submodules or package names
                    out.extend((node.lineno, f"{target}.{alias.name}") for alias in node.names)
                    continue
            else:
                target = node.module or ""
            out.append((node.lineno, target))
    return [(line, name) for line, name in out if name.split(".")[0] in PACKAGES]


def test_imports_only_go_down() -> None:
    wrong = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            module = _module_name(path)
            mine = RANKS[_room(module)]
            for line, target in _imports(path):
                theirs = RANKS[_room(target)]
                if theirs > mine:
                    wrong.append(f"{path.relative_to(ROOT)}:{line} ({_room(module)}) imports {target} ({_room(target)})")
    assert not wrong, "\n".join(wrong)


def test_nothing_imports_the_command_line() -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if _room(_module_name(path)) != "sync.cli"
        for line, target in _imports(path)
        if _room(target) == "sync.cli"
    ]
    assert not wrong, "\n".join(wrong)
