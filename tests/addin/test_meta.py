"""Function and script metadata: the stored snapshot, the Python signatures, Vietnamese help everywhere."""

from __future__ import annotations

import inspect
import json
import unicodedata
from pathlib import Path

import addin.udfs as udfs
from addin.meta import FUNCTIONS, SCRIPTS, metadata

SNAPSHOT = Path(__file__).with_name("functions_snapshot.json")
_VIETNAMESE = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def test_metadata_matches_the_snapshot() -> None:
    # A renamed function or argument, or a changed help text, shows here. To accept a deliberate change:
    #   .venv/bin/python -c "import json,addin.meta as m; print(json.dumps(m.metadata(), ensure_ascii=False, indent=2))" \
    #       > tests/addin/functions_snapshot.json
    assert metadata() == json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def test_signatures_follow_the_metadata() -> None:
    for f in FUNCTIONS:
        fn = getattr(udfs, f.python_name)
        params = list(inspect.signature(fn).parameters.values())
        assert [p.name for p in params] == [a.name for a in f.args], f.name
        for p, a in zip(params, f.args, strict=True):
            assert (p.default is None) == a.optional, (f.name, a.name)
            assert (p.kind is inspect.Parameter.VAR_POSITIONAL) == a.repeating, (f.name, a.name)
            assert p.annotation is inspect.Parameter.empty  # xlwings would turn it into a converter
        assert fn.__doc__ == f.description
        assert f.name.startswith("DVK_") and f.name.isascii() and f.name == f.python_name.upper()
    for s in SCRIPTS:
        lite = getattr(udfs, s.lite_name)
        assert list(inspect.signature(lite).parameters) == ["book"]
        assert inspect.signature(lite).parameters["book"].annotation == "xw.Book"
        assert list(inspect.signature(getattr(udfs, s.classic_name)).parameters) == []
        assert s.lite_name.isascii() and s.classic_name.isascii()


def _vietnamese(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text) and bool(_VIETNAMESE & set(text.lower()))


def test_every_function_argument_and_script_has_vietnamese_help() -> None:
    for f in FUNCTIONS:
        assert _vietnamese(f.description), f.name
        for a in f.args:
            assert _vietnamese(a.doc), (f.name, a.name)
    for s in SCRIPTS:
        assert _vietnamese(s.title) and _vietnamese(s.description)


def test_exports() -> None:
    names = {f.python_name for f in FUNCTIONS} | {s.lite_name for s in SCRIPTS} | {s.classic_name for s in SCRIPTS}
    assert set(udfs.__all__) == names


_RECORDER = r'''
import json, sys, types
calls = []
xw = types.ModuleType("xlwings")
def func(f=None, **kw):
    def inner(f):
        calls.append(["func", f.__name__, f.__doc__, kw]); return f
    return inner(f) if f is not None else inner
def arg(name, convert=None, **kw):
    def inner(f):
        calls.append(["arg", f.__name__, name, kw]); return f
    return inner
def ret(convert=None, **kw):
    def inner(f):
        calls.append(["ret", f.__name__, kw]); return f
    return inner
def script(f=None, **kw):
    def inner(f):
        calls.append(["script", f.__name__, f.__doc__, kw]); return f
    return inner(f) if f is not None else inner
class Book: pass
xw.func, xw.arg, xw.ret, xw.script, xw.Book = func, arg, ret, script, Book
sys.modules["xlwings"] = xw  # as xlwings.server exposes it (xlwings Lite): no "sub"
import addin.udfs as u
print(json.dumps({"calls": calls, "classic": u.CLASSIC}, ensure_ascii=False))
'''


def test_what_xlwings_lite_is_told() -> None:
    """Registration as an Office.js runtime sees it, with a stand-in for xlwings' decorators (the seam)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-c", _RECORDER], capture_output=True, text=True, cwd=root, check=False, timeout=900)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["classic"] is False
    calls = data["calls"]
    registered = {c[1]: c[2] for c in calls if c[0] == "func"}
    assert registered == {f.python_name: f.description for f in FUNCTIONS}
    args = {(c[1], c[2]): c[3] for c in calls if c[0] == "arg"}
    for f in FUNCTIONS:
        for a in f.args:
            options = args[(f.python_name, ("*" if a.repeating else "") + a.name)]
            assert options["doc"] == a.doc
            assert options.get("ndim") == (2 if a.name in {"diem", "vi_pham", "tong_diem", "cac_tong_diem", "vung"} else None)
    assert [c for c in calls if c[0] == "ret"] == []  # legacy expansion is for classic Excel only
    scripts = {c[1]: (c[2], c[3]) for c in calls if c[0] == "script"}
    assert scripts == {s.lite_name: (s.description, {"name": s.title}) for s in SCRIPTS}
