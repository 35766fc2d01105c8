"""Start-up is a feature: `dvk --version` and every `--help` load the command-line framework, nothing else.

Each command imports what it uses when it runs, so a clerk's `dvk --help` on a PC whose antivirus scans every
file opened does not pay for Google's client, the Word templates or the spreadsheet libraries. The check runs
in a fresh interpreter and compares the third-party packages loaded against a short allow-list, so a new
module-level import of a heavy library anywhere under ``sync.cli`` fails here instead of drifting silently.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.cli.test_windows import command_paths

OURS = {"sync", "schemas", "workbook", "addin"}
FRAMEWORK = {"typer", "annotated_doc", "shellingham"}  # typer and what typer itself imports
TYPER_PARSING = {"pydantic", "pydantic_core", "annotated_types", "typing_extensions", "typing_inspection"}
HEAVY = {"gspread", "google_auth_oauthlib", "google", "docxtpl", "docx", "jinja2", "lxml", "openpyxl", "xlsxwriter",
         "requests", "rich"}

_PROBE = r"""
import contextlib, io, json, sys
from sync.cli import main
runs = json.loads(sys.argv[1])
codes = []
with contextlib.redirect_stdout(io.StringIO()):
    for args in runs:
        codes.append(main(args))
top = sorted({name.split(".")[0] for name in sys.modules} - set(sys.stdlib_module_names))
print(json.dumps({"codes": codes, "modules": top}))
"""


def _loaded(runs: list[list[str]]) -> tuple[list[int], set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(runs)], capture_output=True, text=True, encoding="utf-8",
        timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout.strip().splitlines()[-1])
    third_party = {m for m in data["modules"] if m not in OURS and not m.startswith("_") and not m.startswith("__")}
    return data["codes"], third_party


def test_version_loads_only_the_command_line_framework() -> None:
    codes, third_party = _loaded([["--version"], []])
    assert codes == [0, 0]
    assert third_party <= FRAMEWORK, sorted(third_party - FRAMEWORK)


def test_no_help_page_loads_a_heavy_library() -> None:
    paths = command_paths()
    assert ["validate"] in paths and ["sheets", "provision"] in paths and ["docs"] in paths
    codes, third_party = _loaded([[*path, "--help"] for path in paths])
    assert codes == [0] * len(paths)
    assert not third_party & HEAVY, sorted(third_party & HEAVY)
    assert third_party <= FRAMEWORK | TYPER_PARSING, sorted(third_party - FRAMEWORK - TYPER_PARSING)


def test_the_excel_functions_load_only_what_they_compute_with() -> None:
    """`addin.udfs` is what Excel loads for every recalculation session: the rules, not the file libraries."""
    probe = (
        "import json, sys\n"
        "import addin.udfs\n"
        "print(json.dumps(sorted({n.split('.')[0] for n in sys.modules} - set(sys.stdlib_module_names))))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, encoding="utf-8", timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "xlwings" in loaded and "schemas" in loaded
    assert not loaded & (HEAVY - {"rich"}), sorted(loaded & HEAVY)
