"""The Layout: where every input of the evaluation sheet lives, derived from the rubric (pure, no I/O).

The template writer, the folder reader and the Google source all use this one description: an input name
(``"K1.target"``, ``"info.year"``, ``"K1.evidence"``, ``"meta.template_version"``) → sheet + A1 cell + a
workbook-scoped defined name; each table → sheet, header row, first row, row count and column letters.
``Layout.ranges()`` are the A1 ranges a reader fetches (one Sheets ``values:batchGet``).

Sheet "Chấm điểm" has one row per criterion: A code, B field, C content, D maximum, E what to type,
then one column per input slot (①, ②, ③ …), the evidence reference, and the points computed by a formula.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from schemas.forms import INFO_FIELDS, TABLES, TableSpec
from schemas.models import Location
from schemas.rubric import Criterion, InputKind, Rubric, default_rubric

__all__ = [
    "DEFAULT_TEMPLATE_NAME",
    "GUIDE_SHEET",
    "INFO_SHEET",
    "LAYOUT_REVISION",
    "LISTS_SHEET",
    "META_VERSION",
    "SCORE_SHEET",
    "FixedCell",
    "InputCell",
    "Layout",
    "OutputCell",
    "ScoreColumns",
    "TableColumn",
    "TableLayout",
    "a1",
    "build_layout",
    "defined_name_for",
    "quote_sheet",
    "split_a1",
    "table_layouts",
]

#: Bump when cells move without a rubric change; part of ``template_version``.
LAYOUT_REVISION = 1

GUIDE_SHEET = "Hướng dẫn"
INFO_SHEET = "Thông tin đơn vị"
SCORE_SHEET = "Chấm điểm"
LISTS_SHEET = "Danh mục"
META_VERSION = "meta.template_version"
#: How the template of dvk's default rubric is named ("Mặc định dvk/2026.1/1"), whatever the commune.
DEFAULT_TEMPLATE_NAME = "Mặc định dvk"

INFO_VERSION_ROW = 3
INFO_FIRST_ROW = 4
INFO_LABEL_COL = "B"
INFO_VALUE_COL = "C"
INFO_HELP_COL = "D"

SCORE_HEADER_ROW = 5
SCORE_FIRST_ROW = 6
TABLE_HEADER_ROW = 4
#: Rows read under each table to catch rows typed past its end.
TABLE_OVERFLOW_ROWS = 5


def get_column_letter(col: int) -> str:
    """1 → "A", 27 → "AA" (as openpyxl's, without loading openpyxl: the Excel functions use the layout)."""
    if not 1 <= col <= 18278:
        raise ValueError(f"column {col} is outside A..ZZZ")
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def a1(col: int, row: int) -> str:
    return f"{get_column_letter(col)}{row}"


def split_a1(cell: str) -> tuple[str, int]:
    """"F12" → ("F", 12)."""
    letters = cell.rstrip("0123456789")
    return letters, int(cell[len(letters):])


def quote_sheet(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def defined_name_for(name: str) -> str:
    """The workbook-scoped defined name of an input or table: ``"K1.target"`` → ``"dvk_K1_target"``."""
    return "dvk_" + "".join(ch if ch.isalnum() else "_" for ch in name)


@dataclass(frozen=True, slots=True)
class InputCell:
    """One input: a value the unit types (or the template stores, for ``meta.*``)."""

    name: str
    sheet: str
    cell: str
    criterion: str | None
    role: str  # target | result | level | count | text | date | integer
    type: str  # number | integer | level | text | date
    choices: tuple[str, ...]
    label: str
    required: bool = False
    help: str = ""

    @property
    def defined_name(self) -> str:
        return defined_name_for(self.name)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "sheet": self.sheet, "cell": self.cell, "criterion": self.criterion,
            "role": self.role, "type": self.type, "choices": list(self.choices), "label": self.label,
            "defined_name": self.defined_name,
        }


@dataclass(frozen=True, slots=True)
class TableColumn:
    key: str
    letter: str
    label: str
    type: str = "text"
    choices: tuple[str, ...] = ()
    required: bool = False

    @property
    def header(self) -> str:
        """The header text in the template; (*) marks a column required in a filled row."""
        return f"{self.label} (*)" if self.required else self.label


@dataclass(frozen=True, slots=True)
class TableLayout:
    key: str  # models | exemplars | proposals
    sheet: str
    header_row: int
    first_row: int
    max_rows: int
    columns: tuple[TableColumn, ...]
    number_column: str = "A"  # "STT": 1 … max_rows, checked by the reader
    overflow_rows: int = TABLE_OVERFLOW_ROWS

    @property
    def last_row(self) -> int:
        return self.first_row + self.max_rows - 1

    @property
    def defined_name(self) -> str:
        return defined_name_for(self.key)

    @property
    def data_ref(self) -> str:
        """Absolute reference of the data rows, e.g. ``'Mô hình'!$B$5:$S$34``."""
        first, last = self.columns[0].letter, self.columns[-1].letter
        return f"{quote_sheet(self.sheet)}!${first}${self.first_row}:${last}${self.last_row}"

    def column(self, key: str) -> TableColumn:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key, "sheet": self.sheet, "header_row": self.header_row, "first_row": self.first_row,
            "max_rows": self.max_rows, "defined_name": self.defined_name,
            "columns": [
                {"key": c.key, "letter": c.letter, "label": c.label, "type": c.type, "choices": list(c.choices),
                 "required": c.required}
                for c in self.columns
            ],
        }


@dataclass(frozen=True, slots=True)
class FixedCell:
    """A protected cell whose content the reader checks, to notice moved rows or renamed headers."""

    sheet: str
    cell: str
    expected: str | int
    what: str  # "label" | "code" | "header" | "number"


@dataclass(frozen=True, slots=True)
class OutputCell:
    """A cell computed by a native formula (points per criterion, totals, rating)."""

    name: str  # "K1.points", "base_total", "bonus", "penalty", "total", "zero_count", "rating"
    sheet: str
    cell: str

    @property
    def defined_name(self) -> str:
        return defined_name_for(self.name)


@dataclass(frozen=True, slots=True)
class ScoreColumns:
    """Column letters of the "Chấm điểm" sheet."""

    code: str = "A"
    field: str = "B"
    title: str = "C"
    max_points: str = "D"
    what: str = "E"
    slots: tuple[str, ...] = ("F", "G", "H")
    evidence: str = "I"
    points: str = "J"


@dataclass(frozen=True)
class Layout:
    template_version: str
    inputs: tuple[InputCell, ...]
    tables: tuple[TableLayout, ...]
    fixed: tuple[FixedCell, ...] = ()
    outputs: tuple[OutputCell, ...] = ()
    score_columns: ScoreColumns = field(default_factory=ScoreColumns)
    criterion_rows: tuple[tuple[str, int], ...] = ()  # (code, row) on "Chấm điểm"
    #: earlier names of this very template (same rubric, same cells): a sheet issued under one is current
    legacy_versions: tuple[str, ...] = ()

    def is_current(self, version: object) -> bool:
        """Whether a sheet's "Phiên bản mẫu phiếu" names this template (or an earlier name of it)."""
        shown = str(version or "").strip()
        return shown == self.template_version or shown in self.legacy_versions

    def input(self, name: str) -> InputCell:
        for i in self.inputs:
            if i.name == name:
                return i
        raise KeyError(name)

    def table(self, key: str) -> TableLayout:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    def output(self, name: str) -> OutputCell:
        for o in self.outputs:
            if o.name == name:
                return o
        raise KeyError(name)

    def row_of(self, code: str) -> int:
        return dict(self.criterion_rows)[code]

    @property
    def sheets(self) -> tuple[str, ...]:
        """Sheets the reader needs, in workbook order."""
        return (INFO_SHEET, SCORE_SHEET, *(t.sheet for t in self.tables))

    def ranges(self) -> tuple[str, ...]:
        """One A1 range per sheet covering every input, checked cell and table row (with the overflow band)."""
        return tuple(f"{quote_sheet(sheet)}!{a}:{b}" for sheet, (a, b) in self.boxes().items())

    def boxes(self) -> dict[str, tuple[str, str]]:
        """Per sheet the (top-left, bottom-right) cells of ``ranges()``, in the same order."""
        return dict(self._boxes)

    # Derived once per layout (the reader asks for them for every file of a pass); a frozen dataclass without
    # slots keeps cached_property's values in the instance dict, outside the fields, hash and equality.
    @cached_property
    def _boxes(self) -> dict[str, tuple[str, str]]:
        cells: dict[str, list[tuple[int, int]]] = {s: [] for s in self.sheets}

        def add(sheet: str, cell: str) -> None:
            letters, row = split_a1(cell)
            cells[sheet].append((_col_index(letters), row))

        for i in self.inputs:
            add(i.sheet, i.cell)
        for f in self.fixed:
            add(f.sheet, f.cell)
        for t in self.tables:
            add(t.sheet, f"{t.number_column}{t.header_row}")
            add(t.sheet, f"{t.columns[-1].letter}{t.last_row + t.overflow_rows}")
        out: dict[str, tuple[str, str]] = {}
        for sheet, points in cells.items():
            cols = [c for c, _ in points]
            rows = [r for _, r in points]
            out[sheet] = (a1(min(cols), min(rows)), a1(max(cols), max(rows)))
        return out

    @cached_property
    def cell_keys(self) -> tuple[tuple[str, str], ...]:
        """Every (sheet, cell) of ``boxes()``, row by row."""
        keys: list[tuple[str, str]] = []
        for sheet, (top_left, bottom_right) in self._boxes.items():
            l1, r1 = split_a1(top_left)
            l2, r2 = split_a1(bottom_right)
            for row in range(r1, r2 + 1):
                for col in range(_col_index(l1), _col_index(l2) + 1):
                    keys.append((sheet, a1(col, row)))
        return tuple(keys)

    @cached_property
    def date_cells(self) -> frozenset[tuple[str, str]]:
        """The cells that hold a date: date inputs and date columns of the tables, overflow band included."""
        cells = {(i.sheet, i.cell) for i in self.inputs if i.type == "date"}
        for t in self.tables:
            for c in t.columns:
                if c.type == "date":
                    cells.update((t.sheet, f"{c.letter}{r}") for r in range(t.first_row, t.last_row + t.overflow_rows + 1))
        return frozenset(cells)

    @cached_property
    def locations(self) -> dict[tuple[str, str], Location]:
        """A Location for every input and table cell (read it, never change it): the same for every file."""
        keys = [(i.sheet, i.cell) for i in self.inputs]
        keys += [(t.sheet, f"{c.letter}{r}") for t in self.tables for r in range(t.first_row, t.last_row + 1)
                 for c in t.columns]
        return {key: Location(sheet=key[0], cell=key[1]) for key in keys}

    @cached_property
    def input_labels(self) -> dict[tuple[str, str], str]:
        """Every cell a unit types in → a label for messages (read it, never change it)."""
        out = {(i.sheet, i.cell): i.label for i in self.inputs if not i.name.startswith("meta.")}
        for t in self.tables:
            for c in t.columns:
                for r in range(t.first_row, t.last_row + 1):
                    out[(t.sheet, f"{c.letter}{r}")] = f"{t.sheet} – {c.label}"
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "template_version": self.template_version,
            "ranges": list(self.ranges()),
            "inputs": [i.to_json() for i in self.inputs],
            "tables": [t.to_json() for t in self.tables],
            "outputs": [{"name": o.name, "sheet": o.sheet, "cell": o.cell, "defined_name": o.defined_name}
                        for o in self.outputs],
        }


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


_KIND_TYPE = {InputKind.NUMBER: "number", InputKind.INTEGER: "integer", InputKind.LEVEL: "level"}


def _table_layout(spec: TableSpec) -> TableLayout:
    columns = tuple(
        TableColumn(
            key=c.key, letter=get_column_letter(i + 2), label=c.label,
            type="level" if c.kind == "yesno" else c.kind, choices=c.choices, required=c.required,
        )
        for i, c in enumerate(spec.columns)
    )
    return TableLayout(
        key=spec.key, sheet=spec.title, header_row=TABLE_HEADER_ROW, first_row=TABLE_HEADER_ROW + 1,
        max_rows=spec.max_rows, columns=columns,
    )


@cache
def table_layouts() -> tuple[TableLayout, ...]:
    """The three tables; they do not depend on the rubric."""
    return tuple(_table_layout(spec) for spec in TABLES)


def _score_columns(rubric: Rubric) -> ScoreColumns:
    slots = max((len(c.inputs) for c in rubric.criteria), default=1)
    letters = tuple(get_column_letter(6 + i) for i in range(max(slots, 1)))
    return ScoreColumns(slots=letters, evidence=get_column_letter(6 + len(letters)), points=get_column_letter(7 + len(letters)))


def _criterion_inputs(c: Criterion, row: int, cols: ScoreColumns) -> list[InputCell]:
    cells = [
        InputCell(
            name=spec.name, sheet=SCORE_SHEET, cell=f"{cols.slots[i]}{row}", criterion=c.code, role=spec.role,
            type=_KIND_TYPE[spec.kind], choices=spec.choices, label=spec.label, required=True,
        )
        for i, spec in enumerate(c.inputs)
    ]
    cells.append(
        InputCell(
            name=f"{c.code}.evidence", sheet=SCORE_SHEET, cell=f"{cols.evidence}{row}", criterion=c.code,
            role="text", type="text", choices=(), label="Minh chứng",
        )
    )
    return cells


@cache
def build_layout(rubric: Rubric) -> Layout:
    """The Layout of the template for ``rubric`` (cached: rubrics are immutable)."""
    # dvk's own rubric is named neutrally on every template (another commune uses it too); the name it had
    # before (its data name, "Cao Minh 2026") stays accepted, so sheets issued earlier are still current
    default = rubric == default_rubric()
    version = f"{DEFAULT_TEMPLATE_NAME if default else rubric.name}/{rubric.version}/{LAYOUT_REVISION}"
    legacy = (f"{rubric.name}/{rubric.version}/{LAYOUT_REVISION}",) if default else ()
    inputs: list[InputCell] = [
        InputCell(
            name=META_VERSION, sheet=INFO_SHEET, cell=f"{INFO_VALUE_COL}{INFO_VERSION_ROW}", criterion=None,
            role="text", type="text", choices=(), label="Phiên bản mẫu phiếu",
        )
    ]
    fixed: list[FixedCell] = [
        FixedCell(INFO_SHEET, f"{INFO_LABEL_COL}{INFO_VERSION_ROW}", "Phiên bản mẫu phiếu", "label")
    ]
    for i, spec in enumerate(INFO_FIELDS):
        row = INFO_FIRST_ROW + i
        role = {"level": "level", "integer": "integer", "date": "date"}.get(spec.kind, "text")
        inputs.append(
            InputCell(
                name=spec.name, sheet=INFO_SHEET, cell=f"{INFO_VALUE_COL}{row}", criterion=None, role=role,
                type=spec.kind, choices=spec.choices, label=spec.label, required=spec.required, help=spec.help,
            )
        )
        fixed.append(FixedCell(INFO_SHEET, f"{INFO_LABEL_COL}{row}", spec.label, "label"))
    cols = _score_columns(rubric)
    rows: list[tuple[str, int]] = []
    outputs: list[OutputCell] = []
    for i, c in enumerate(rubric.criteria):
        row = SCORE_FIRST_ROW + i
        rows.append((c.code, row))
        inputs.extend(_criterion_inputs(c, row, cols))
        fixed.append(FixedCell(SCORE_SHEET, f"{cols.code}{row}", c.code, "code"))
        outputs.append(OutputCell(f"{c.code}.points", SCORE_SHEET, f"{cols.points}{row}"))
    total_row = SCORE_FIRST_ROW + len(rubric.criteria) + 1
    for j, name in enumerate(("base_total", "bonus", "penalty", "total", "zero_count")):
        outputs.append(OutputCell(name, SCORE_SHEET, f"{cols.points}{total_row + j}"))
    # the rating label is long: it spans the input columns to the points column, from the first slot
    outputs.append(OutputCell("rating", SCORE_SHEET, f"{cols.slots[0]}{total_row + 5}"))
    tables = table_layouts()
    for t in tables:
        fixed.append(FixedCell(t.sheet, f"{t.number_column}{t.header_row}", "STT", "header"))
        for col in t.columns:
            fixed.append(FixedCell(t.sheet, f"{col.letter}{t.header_row}", col.header, "header"))
        for n in range(t.max_rows):
            fixed.append(FixedCell(t.sheet, f"{t.number_column}{t.first_row + n}", n + 1, "number"))
    return Layout(
        template_version=version, inputs=tuple(inputs), tables=tables, fixed=tuple(fixed),
        outputs=tuple(outputs), score_columns=cols, criterion_rows=tuple(rows), legacy_versions=legacy,
    )
