"""The xlwings Lite bundle: one self-contained ``main.py`` and its ``requirements.txt``.

xlwings Lite runs the ``main.py`` stored in the workbook under Pyodide; it cannot import this repository.
So ``main.py`` carries the sources of the modules the functions need (``schemas``, the pure
``workbook.layout``/``workbook.grid``, and ``addin``) plus the rubric TOML. At import it writes them to a
temporary folder (Pyodide has an in-memory file system), puts that folder on ``sys.path`` and re-exports
the decorated functions and scripts, which is where xlwings Lite looks for them. ``requirements.txt``
names the third-party packages those sources import (found by parsing them), nothing else.
"""

from __future__ import annotations

import ast
import hashlib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from schemas.rubric import load_rubric, rubric_text

__all__ = [
    "BUNDLED_MODULES",
    "LITE_REQUIRED",
    "LiteBundle",
    "build_lite_bundle",
    "requirement_name",
    "requirements_for",
    "requirements_txt",
    "write_lite_bundle",
]

#: The lines xlwings Lite writes into a new workbook's requirements.txt and marks "# required" (the packages
#: Lite itself runs on); kept first and unchanged, as Lite writes them (xlwings as new workbooks default to it).
LITE_REQUIRED = (
    "xlwings==0.33.20  # required",
    "python-dotenv==1.1.0  # required",
    "pyodide-http  # required",
    "black  # required",
)

#: (package, module file) pairs copied into main.py. The package ``__init__`` files of ``workbook`` and
#: ``addin`` are generated empty so the bundle never pulls the openpyxl-heavy or xlwings-free parts.
BUNDLED_MODULES: tuple[tuple[str, str], ...] = (
    *(("schemas", name) for name in (
        "__init__.py", "lazy.py", "errors.py", "text.py", "values.py", "config_files.py", "rubric.py", "models.py",
        "forms.py", "validate.py", "recognition.py", "rating.py", "scoring.py", "office.py", "period.py",
    )),
    ("schemas", "rubrics/cao-minh-2026.toml"),
    ("workbook", "layout.py"),
    ("workbook", "grid.py"),
    *(("addin", name) for name in ("functions.py", "checks.py", "master.py", "meta.py", "udfs.py")),
)
_GENERATED = {
    "workbook/__init__.py": '"""dvk workbook layer (only the pure layout and grid are bundled for xlwings Lite)."""\n',
    "addin/__init__.py": '"""dvk Excel functions (xlwings Lite bundle)."""\n',
}
_LOCAL = frozenset({"schemas", "workbook", "addin"})
#: How a third-party import is named in requirements.txt. Packages Pyodide ships are left unpinned, as
#: the xlwings Lite documentation asks; xlwings gets an upper bound only.
_REQUIREMENT = {"pydantic": "pydantic", "openpyxl": "openpyxl", "xlwings": "xlwings<1.0.0"}


@dataclass(frozen=True)
class LiteBundle:
    main_py: str
    requirements_txt: str

    @property
    def files(self) -> dict[str, str]:
        return {"main.py": self.main_py, "requirements.txt": self.requirements_txt}


def _sources(rubric_file: Path | None) -> dict[str, str]:
    files: dict[str, str] = {}
    for package, name in BUNDLED_MODULES:
        files[f"{package}/{name}"] = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    files.update(_GENERATED)
    if rubric_file is not None:
        load_rubric(rubric_file)  # a broken rubric fails here, with the rubric's own message
        files["addin/rubric.toml"] = rubric_text(rubric_file)  # bounded, an ordinary file only
    return dict(sorted(files.items()))


def requirement_name(line: str) -> str:
    """The distribution a requirement line names: "xlwings==0.33.20  # required" → "xlwings"."""
    return re.split(r"[<>=!~ ;#\[]", line.strip(), maxsplit=1)[0].lower()


def requirements_txt(third_party: list[str]) -> str:
    """Lite's required lines, then the packages dvk's sources need that those lines do not already name."""
    required = {requirement_name(line) for line in LITE_REQUIRED}
    extra = [r for r in third_party if requirement_name(r) not in required]
    return "\n".join([*LITE_REQUIRED, *extra]) + "\n"


def requirements_for(files: Mapping[str, str]) -> list[str]:
    """Requirement lines for the third-party top-level modules the Python files import."""
    found: set[str] = set()
    for path, text in files.items():
        if not path.endswith(".py"):
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    third_party = sorted(m for m in found if m not in _LOCAL and m not in sys.stdlib_module_names and m != "__future__")
    return [_REQUIREMENT.get(m, m) for m in third_party]


_MAIN = '''\
"""dvk — hàm Excel chấm điểm phong trào “Dân vận khéo” cho xlwings Lite.

Tệp này do lệnh `dvk addin lite` tạo ra (dvk {version}); đừng sửa tay: hãy tạo lại bằng lệnh đó.
Hàm: DVK_DIEM, DVK_TONGDIEM, DVK_XEPLOAI, DVK_MAXEPLOAI, DVK_XEPHANG, DVK_KIEMTRA.
Kịch bản: “Kiểm tra phiếu”, “Cập nhật tổng hợp”. Bộ tiêu chí: {rubric}.
"""

import os as _os
import sys as _sys
import tempfile as _tempfile

_FILES = {files}


def _install(files, digest):
    root = _os.path.join(_tempfile.gettempdir(), "dvk-lite-" + digest)
    for path, text in files.items():
        target = _os.path.join(root, *path.split("/"))
        if _os.path.exists(target):
            continue
        _os.makedirs(_os.path.dirname(target), exist_ok=True)
        partial = "%s.%d.part" % (target, _os.getpid())
        with open(partial, "w", encoding="utf-8", newline="\\n") as fh:
            fh.write(text)
        _os.replace(partial, target)
    if root not in _sys.path:
        _sys.path.insert(0, root)


_install(_FILES, "{digest}")

from addin.udfs import *  # noqa: E402,F403  (the functions and scripts xlwings Lite registers)
'''


def build_lite_bundle(rubric_file: Path | None = None) -> LiteBundle:
    """The Lite ``main.py`` and ``requirements.txt``; ``rubric_file`` replaces the default rubric."""
    files = _sources(rubric_file)
    digest = hashlib.sha256(repr(sorted(files.items())).encode("utf-8")).hexdigest()[:16]
    body = "{\n" + "".join(f"    {path!r}: {text!r},\n" for path, text in files.items()) + "}"
    rubric = load_rubric(rubric_file).name if rubric_file else "mặc định của dvk"
    from importlib.metadata import PackageNotFoundError, version

    try:
        own = version("dvk")
    except PackageNotFoundError:  # running from a source tree
        own = "nguồn"
    main = _MAIN.format(files=body, digest=digest, rubric=rubric, version=own)
    return LiteBundle(main_py=main, requirements_txt=requirements_txt(requirements_for(files)))


def write_lite_bundle(out_dir: Path, rubric_file: Path | None = None) -> list[Path]:
    """Write ``main.py`` and ``requirements.txt`` into ``out_dir`` (created if needed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in build_lite_bundle(rubric_file).files.items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written
