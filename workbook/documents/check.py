"""Checking a .docx template before anything is rendered: Jinja syntax, unknown placeholders, unsafe Jinja.

Each paragraph of the template (body, tables, headers, footers and footnotes, in document order, then the
file's properties) is one line of the Jinja source checked here, so an error points at the paragraph the
clerk sees in Word. docxtpl's tags (``{%tr …%}``, ``{%p …%}``, ``{%tc …%}``, ``{{r …}}``) are read as the
plain Jinja tag they stand for. Placeholders are checked against the fields of the document's context
(``context.py``), through loops (``{% for u in units %}`` … ``u.total``), ``loop`` and every block body
(``with``, ``macro``, ``call``, ``filter``, ``set … endset``).

A template may come from anywhere (another commune, a forum), so it is rendered in Jinja's immutable sandbox
(``jinja_env``), and the checker refuses what only an attack needs: a name or attribute starting with "_"
(``''.__class__``), the ``attr`` filter, ``include``/``import``/``extends``, and any name that is not a field.
"""

from __future__ import annotations

import dataclasses
import re
import typing
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import jinja2
import jinja2.sandbox
from jinja2 import nodes
from lxml import etree

from schemas.errors import WorkbookError

__all__ = [
    "Shape", "TemplateError", "TemplateProblem", "check_template", "field_names", "jinja_env", "paragraphs", "shape_of",
]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_CORE = "docProps/core.xml"
_DOCXTPL_PREFIX = re.compile(r"(\{%-?|\{\{-?|\{#)(?:tr|tc|p|r)\s")
_DOCXTPL_CELL = re.compile(r"\{%\s*(?:colspan|cellbg)\s+([^%]*)%\}")
_DOCXTPL_MERGE = re.compile(r"\{%\s*(?:vm|hm)\s*%\}")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


class TemplateError(WorkbookError):
    """A template that cannot be used: the file, the paragraph and the placeholder, in Vietnamese."""

    def __init__(self, message: str, *, path: str = "", problems: tuple[TemplateProblem, ...] = ()) -> None:
        super().__init__(message, path=path)
        self.path = path
        self.problems = problems


@dataclass(frozen=True)
class TemplateProblem:
    part: str  # "phần thân", "đầu trang", "chân trang"
    paragraph: int  # 1-based, in document order within the part
    text: str  # the paragraph as Word shows it (shortened)
    placeholder: str
    message: str

    def describe(self) -> str:
        where = f"{self.part}, đoạn {self.paragraph}" if self.paragraph else self.part
        shown = f" «{self.text}»" if self.text else ""
        return f"{where}{shown}: {self.message}"


# -- shapes: what names a context offers ----------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """A value of the context: a leaf (text, number), a list of ``item``, or an object with ``fields``."""

    fields: dict[str, Shape] | None = None
    item: Shape | None = None

    @property
    def is_leaf(self) -> bool:
        return self.fields is None and self.item is None


LEAF = Shape()


def shape_of(tp: Any) -> Shape:
    """The shape of a context type: a dataclass, ``tuple[X, ...]`` or a plain value."""
    origin = typing.get_origin(tp)
    if origin is tuple:
        args = typing.get_args(tp)
        return Shape(item=shape_of(args[0]) if args else LEAF)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = typing.get_type_hints(tp)
        return Shape(fields={f.name: shape_of(hints[f.name]) for f in dataclasses.fields(tp)})
    return LEAF


def field_names(shape: Shape, prefix: str = "") -> list[str]:
    """Every placeholder of a shape: "office.commune", "units[].total" (a list's items as ``[]``)."""
    if shape.item is not None:
        return field_names(shape.item, prefix + "[]") if not shape.item.is_leaf else [prefix + "[]"]
    if shape.fields is None:
        return [prefix]
    out: list[str] = []
    for name, sub in shape.fields.items():
        out += field_names(sub, f"{prefix}.{name}" if prefix else name)
    return out


_LOOP = Shape(fields={k: LEAF for k in (
    "index", "index0", "revindex", "revindex0", "first", "last", "length", "previtem", "nextitem", "depth", "depth0",
)} | {"cycle": LEAF, "changed": LEAF})


# -- reading paragraphs ---------------------------------------------------------------------------------


def _part_label(name: str) -> str:
    if "header" in name:
        return "đầu trang"
    if "footer" in name:
        return "chân trang"
    if "footnotes" in name or "endnotes" in name:
        return "chú thích"
    return "phần thân"


def paragraphs(path: Path | IO[bytes]) -> list[tuple[str, int, str]]:
    """(part, 1-based paragraph number, text) of every paragraph of a .docx, body first; then each text
    property of the file (title, subject, …: docxtpl renders them as templates too), one line each."""
    out: list[tuple[str, int, str]] = []
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    with zipfile.ZipFile(path) as zf:
        names = sorted((n for n in zf.namelist() if _PARTS.match(n)), key=lambda n: (not n.startswith("word/document"), n))
        for name in names:
            root = etree.fromstring(zf.read(name), parser)
            label = _part_label(name)
            for i, p in enumerate(root.iter(f"{_W}p"), 1):
                text = "".join(t.text or "" for t in p.iter(f"{_W}t"))
                out.append((label, i, text))
        if _CORE in zf.namelist():
            root = etree.fromstring(zf.read(_CORE), parser)
            for element in root:
                if element.text and element.text.strip():
                    for line in element.text.splitlines():
                        out.append(("thuộc tính tệp", 0, line))
    return out


def _normalise(text: str) -> str:
    text = _DOCXTPL_PREFIX.sub(lambda m: m.group(1) + " ", text)
    text = _DOCXTPL_CELL.sub(r"{{ \1 }}", text)
    text = _DOCXTPL_MERGE.sub("", text)

    def quotes(m: re.Match[str]) -> str:
        return m.group(0).translate(_QUOTES)

    return re.sub(r"\{[{%].*?[}%]\}", quotes, text)


# -- the walk -------------------------------------------------------------------------------------------


#: The largest ``range()`` a template may loop over (the sandbox's own cap is 100,000).
MAX_RANGE = 1000
#: Filters a template may not use: ``attr`` reaches attributes by a computed name.
_REFUSED_FILTERS = frozenset({"attr"})


def _range(*args: int) -> range:
    """``range`` for templates: at most ``MAX_RANGE`` items."""
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise jinja2.sandbox.SecurityError(f"range() quá lớn (tối đa {MAX_RANGE} phần tử)")
    return rng


def jinja_env() -> jinja2.sandbox.ImmutableSandboxedEnvironment:
    """The environment templates are checked and rendered with: Jinja's immutable sandbox (no attribute
    walking to Python internals, no calls of unsafe methods, no changing values), unknown names fail, text
    is XML-escaped; the only global is a small ``range``."""
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)
    env.globals.clear()
    env.globals["range"] = _range
    for name in _REFUSED_FILTERS:
        env.filters.pop(name, None)
    return env


_GLOBALS = {"range": LEAF}
_HIDDEN = "tên bắt đầu bằng dấu “_” không được dùng trong mẫu (mẫu có thể độc hại: nó cố truy cập vào bên trong chương trình)"


class _Checker:
    def __init__(self, env: jinja2.Environment, lines: list[tuple[str, int, str]]) -> None:
        self.env = env
        self.lines = lines
        self.problems: list[TemplateProblem] = []

    def problem(self, node: nodes.Node, placeholder: str, message: str) -> None:
        self.problems.append(_at(self.lines, node.lineno, placeholder, message))

    def hidden(self, node: nodes.Node, name: str) -> bool:
        if name.startswith("_"):
            self.problem(node, name, f"«{name}»: {_HIDDEN}")
            return True
        return False

    def expr(self, node: nodes.Node, scope: dict[str, Shape]) -> Shape | None:
        """The shape of an expression (None: unknown, already reported or not checkable)."""
        if isinstance(node, nodes.Name):
            if self.hidden(node, node.name):
                return None
            if node.name in scope:
                return scope[node.name]
            self.problem(node, node.name, f"không có trường «{node.name}»{_known(scope)}")
            return None
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            key_node = node.arg if isinstance(node, nodes.Getitem) else None
            if isinstance(node, nodes.Getattr) and self.hidden(node, node.attr):
                self.expr(node.node, scope)
                return None
            if isinstance(key_node, nodes.Const) and isinstance(key_node.value, str) and self.hidden(node, key_node.value):
                self.expr(node.node, scope)
                return None
            base = self.expr(node.node, scope)
            if isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Const):
                self.expr(node.arg, scope)
                return base.item if base is not None else None
            key = node.attr if isinstance(node, nodes.Getattr) else typing.cast(nodes.Const, node.arg).value
            if base is None:
                return None
            if isinstance(key, int) and base.item is not None:
                return base.item
            if base.fields is not None and isinstance(key, str):
                if key in base.fields:
                    return base.fields[key]
                name = _dotted(node)
                self.problem(node, name, f"không có trường «{name}»{_known(base.fields, prefix=_dotted(node.node) + '.')}")
                return None
            if base.item is not None and isinstance(key, str):
                return None  # a list method or attribute (length via |length): not checked further
            if base.is_leaf and isinstance(key, str):
                return None  # a method of a text (``u.name.upper()``): the sandbox allows only safe ones
            name = _dotted(node)
            self.problem(node, name, f"«{name}»: «{_dotted(node.node)}» không có trường con")
            return None
        if isinstance(node, nodes.Filter | nodes.Test):
            table = self.env.filters if isinstance(node, nodes.Filter) else self.env.tests
            kind = "bộ lọc" if isinstance(node, nodes.Filter) else "phép thử"
            if isinstance(node, nodes.Filter) and node.name in _REFUSED_FILTERS:
                self.problem(node, node.name, f"không dùng được {kind} «{node.name}» trong mẫu văn bản")
            elif node.name not in table:
                self.problem(node, node.name, f"không có {kind} «{node.name}»")
            if node.node is not None:
                self.expr(node.node, scope)
            self.arguments(node, scope)
            return None
        if isinstance(node, nodes.Call):
            self.expr(node.node, scope)
            self.arguments(node, scope)
            return None
        if isinstance(node, nodes.Const) and isinstance(node.value, str) and node.value.startswith("__"):
            self.problem(node, node.value, f"«{node.value}»: {_HIDDEN}")
            return None
        for sub in node.iter_child_nodes():
            self.expr(sub, scope)
        return None

    def arguments(self, node: nodes.Call | nodes.Filter | nodes.Test, scope: dict[str, Shape]) -> None:
        for arg in (*node.args, *(k.value for k in node.kwargs)):
            self.expr(arg, scope)
        for extra in (node.dyn_args, node.dyn_kwargs):
            if extra is not None:
                self.expr(extra, scope)
        for kw in node.kwargs:
            self.hidden(node, str(kw.key))

    def body(self, body: list[nodes.Node], scope: dict[str, Shape]) -> None:
        for node in body:
            self.stmt(node, scope)

    def bind(self, target: nodes.Node, scope: dict[str, Shape], shape: Shape | None = None) -> None:
        for name in _targets(target):
            if not self.hidden(target, name):
                scope[name] = shape if shape is not None and len(_targets(target)) == 1 else LEAF

    def stmt(self, node: nodes.Node, scope: dict[str, Shape]) -> None:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if not isinstance(child, nodes.TemplateData):
                    self.expr(child, scope)
        elif isinstance(node, nodes.For):
            seq = self.expr(node.iter, scope)
            inner = dict(scope, loop=_LOOP)
            item = seq.item if seq is not None and seq.item is not None else None
            self.bind(node.target, inner, item)
            if node.test is not None:
                self.expr(node.test, inner)
            self.body(node.body, inner)
            self.body(node.else_, scope)
        elif isinstance(node, nodes.If):
            self.expr(node.test, scope)
            self.body(node.body, scope)
            for elif_ in node.elif_:
                self.stmt(elif_, scope)
            self.body(node.else_, scope)
        elif isinstance(node, nodes.Assign):
            shape = self.expr(node.node, scope)
            self.bind(node.target, scope, shape)
        elif isinstance(node, nodes.AssignBlock):
            if node.filter is not None:
                self.expr(node.filter, scope)
            self.body(node.body, dict(scope))
            self.bind(node.target, scope)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values, strict=False):
                self.bind(target, inner, self.expr(value, scope))
            self.body(node.body, inner)
        elif isinstance(node, nodes.Macro | nodes.CallBlock):
            inner = dict(scope, caller=LEAF)
            for default in node.defaults:
                self.expr(default, scope)
            for arg in node.args:
                self.bind(arg, inner)
            if isinstance(node, nodes.Macro):
                if not self.hidden(node, node.name):
                    scope[node.name] = LEAF
                    inner[node.name] = LEAF
            else:
                self.expr(node.call, scope)
            self.body(node.body, inner)
        elif isinstance(node, nodes.FilterBlock):
            self.expr(node.filter, scope)
            self.body(node.body, dict(scope))
        elif isinstance(node, nodes.Include | nodes.Import | nodes.FromImport | nodes.Extends | nodes.Block):
            tag = {nodes.Include: "include", nodes.Import: "import", nodes.FromImport: "from … import",
                   nodes.Extends: "extends", nodes.Block: "block"}[type(node)]
            self.problem(node, tag, f"không dùng được thẻ {{% {tag} %}} trong mẫu văn bản (mẫu chỉ dùng các trường của văn bản)")
        else:
            for part in node.iter_child_nodes():
                if isinstance(part, nodes.Stmt):
                    self.stmt(part, scope)
                elif isinstance(part, nodes.Expr):
                    self.expr(part, scope)


def _targets(node: nodes.Node) -> list[str]:
    if isinstance(node, nodes.Name):
        return [node.name]
    if isinstance(node, nodes.Tuple):
        return [n for item in node.items for n in _targets(item)]
    return []


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_dotted(node.node)}[{node.arg.value!r}]"
    return "…"


def _known(fields: dict[str, Shape], prefix: str = "") -> str:
    names = [f"{prefix}{k}" for k in fields if k not in ("loop", "caller", *_GLOBALS)]
    if not names:
        return ""
    shown = ", ".join(names[:12]) + (", …" if len(names) > 12 else "")
    return f" (các trường có: {shown})"


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _at(lines: list[tuple[str, int, str]], lineno: int | None, placeholder: str, message: str) -> TemplateProblem:
    if lineno is None or not 1 <= lineno <= len(lines):
        return TemplateProblem("phần thân", 0, "", placeholder, message)
    part, number, text = lines[lineno - 1]
    return TemplateProblem(part, number, _short(text), placeholder, message)


_TOKENS = {"end of print statement": "}}", "end of statement block": "%}", "end of template": "hết văn bản"}
_SYNTAX = (
    (re.compile(r"Unexpected end of template.*closed is '(\w+)'", re.S),
     "thẻ {{% {0} … %}} chưa có thẻ đóng {{% end{0} %}}"),
    (re.compile(r"Encountered unknown tag '(end\w+)'"), "thẻ đóng {{% {0} %}} thừa, không có thẻ mở tương ứng"),
    (re.compile(r"Encountered unknown tag '(\w+)'"), "không có thẻ «{0}»"),
    (re.compile(r"expected token '(.+?)', got '(.+?)'"), "cần «{0}» nhưng gặp «{1}»"),
    (re.compile(r"unexpected char '(.+?)'"), "ký tự «{0}» không đúng cú pháp"),
    (re.compile(r"unexpected '(.+?)'"), "ký tự «{0}» không đúng chỗ (thiếu dấu ngoặc nhọn?)"),
)
_BLOCK = re.compile(r"\{%-?\s*(for|if|end\w+)\b")


def _syntax_message(err: jinja2.TemplateSyntaxError) -> str:
    for pattern, text in _SYNTAX:
        m = pattern.search(err.message or "")
        if m:
            return "lỗi cú pháp: " + text.format(*(_TOKENS.get(g, g) for g in m.groups()))
    return f"lỗi cú pháp ({err.message})"


def _unclosed(sources: list[str]) -> int | None:
    """The line (1-based) of the innermost block tag left open, for "unexpected end of template"."""
    stack: list[int] = []
    for lineno, text in enumerate(sources, 1):
        for m in _BLOCK.finditer(text):
            if m.group(1) in ("for", "if"):
                stack.append(lineno)
            elif m.group(1) in ("endfor", "endif") and stack:
                stack.pop()
    return stack[-1] if stack else None


def check_template(path: Path | IO[bytes], context_type: type, *, name: str | None = None) -> None:
    """Raise ``TemplateError`` (Vietnamese, with the paragraph and the placeholder) if the template is unusable."""
    label = name or str(path)
    try:
        lines = paragraphs(path)
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, OSError) as err:
        raise TemplateError(f"Mẫu văn bản {label}: không đọc được tệp .docx ({err}).", path=label) from err
    env = jinja_env()
    sources = [_normalise(text) for _, _, text in lines]
    try:
        tree = env.parse("\n".join(sources))
    except jinja2.TemplateSyntaxError as err:
        lineno = err.lineno
        if (err.message or "").startswith("Unexpected end of template"):
            lineno = _unclosed(sources) or lineno
        problem = _at(lines, lineno, "", _syntax_message(err))
        raise TemplateError(f"Mẫu văn bản {label}: {problem.describe()}. Chưa ghi văn bản nào.", path=label,
                            problems=(problem,)) from err
    shape = shape_of(context_type)
    assert shape.fields is not None
    checker = _Checker(env, lines)
    checker.body(tree.body, {**_GLOBALS, **shape.fields})
    if checker.problems:
        details = "\n".join(f"  - {p.describe()}" for p in checker.problems)
        raise TemplateError(
            f"Mẫu văn bản {label}: có {len(checker.problems)} trường không hợp lệ. Chưa ghi văn bản nào.\n{details}",
            path=label, problems=tuple(checker.problems),
        )
