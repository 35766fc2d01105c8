"""Reading and editing .docx files in tests the way a clerk does in Word (python-docx)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.table import Table


def docx_text(path: Path) -> str:
    """Every paragraph of the body, tables included, in document order, one per line."""
    doc = Document(str(path))
    body = doc.element.body
    return "\n".join("".join(t.text or "" for t in p.iter(f"{_W}t")) for p in body.iter(f"{_W}p"))


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def tables(path: Path) -> list[list[list[str]]]:
    """Every bordered table as rows of cell texts."""
    doc = Document(str(path))
    return [[[c.text.strip() for c in row.cells] for row in t.rows] for t in doc.tables]


def table_with_header(path: Path, first: str) -> list[dict[str, str]]:
    """The rows of the table whose header row starts with ``first``, as dicts keyed by header."""
    for rows in tables(path):
        if rows and rows[0] and rows[0][0] == first and len(rows) > 1:
            head = rows[0]
            return [dict(zip(head, r, strict=True)) for r in rows[1:]]
    raise AssertionError(f"no table with header {first!r} in {path}")


def reword(path: Path, old: str, new: str) -> None:
    """Replace the text of the paragraph containing ``old`` with ``new`` (the first run keeps its format)."""
    doc = Document(str(path))
    for p in _all_paragraphs(doc):
        if old in p.text:
            runs = p.runs
            runs[0].text = p.text.replace(old, new)
            for r in runs[1:]:
                r.text = ""
            doc.save(str(path))
            return
    raise AssertionError(f"{old!r} not found in {path}")


def _all_paragraphs(doc):  # type: ignore[no-untyped-def]
    yield from doc.paragraphs
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def remove_column(path: Path, header: str) -> None:
    """Delete the column titled ``header`` from the table that has it (every row), as Word does."""
    doc = Document(str(path))
    for t in doc.tables:
        heads = [c.text.strip() for c in t.rows[0].cells]
        if header in heads:
            _drop(t, heads.index(header))
            doc.save(str(path))
            return
    raise AssertionError(f"no column {header!r} in {path}")


def _drop(table: Table, index: int) -> None:
    grid = table._tbl.tblGrid
    grid.remove(grid.gridCol_lst[index])
    for row in table.rows:
        col = 0
        for tc in row._tr.tc_lst:
            span = tc.grid_span
            if col <= index < col + span:
                if span > 1:
                    tc.grid_span = span - 1  # a merged cell across the column gets narrower
                else:
                    row._tr.remove(tc)
                break
            col += span
