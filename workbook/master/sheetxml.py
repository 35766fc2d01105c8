"""``FormWorksheet``: XlsxWriter's worksheet with what the master needs beyond it.

* ``differentFirst`` on the header and footer (XlsxWriter has no option for it): the page number is printed
  from the second page on, as on an administrative document (OFFICE.md).
* ``write_items``: one whole table row written straight into the worksheet's row stream (``constant_memory``)
  as a single string: the XML XlsxWriter's ``write_number`` / ``write_formula`` / ``write_blank`` /
  ``write_datetime`` and ``set_row`` produce, without their per-cell calls and checks (most of the time of
  a large master). Texts go to the workbook's shared strings, as Excel writes them (XlsxWriter writes them
  inline in ``constant_memory`` mode): the labels and names repeated on thousands of rows are stored once,
  which makes the file smaller and quicker to compress. A formula filled down a block of rows (kind "F")
  is a shared formula, as Excel stores one: the block's first cell holds its text and range, the others
  refer to it (half the file at 3,000 units). A row it cannot take (a link, a boolean, a very long text, a
  row already started through the general API) is left to the caller's general path, which writes the
  full formula.

XlsxWriter 3.x internals this relies on: ``_write_header_footer``, ``previous_row`` / ``table`` /
``row_info`` / ``_write_single_row`` (its ``constant_memory`` row stream), ``_check_dimensions``,
``row_sizes``, ``str_table``; ``tests/workbook/master`` check the written files cell by cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

__all__ = ["FormWorksheet"]

_ERRORS = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"})
_LONG = 16_383  # below half of Excel's 32,767 UTF-16 units no text needs XlsxWriter's truncation check
_FAST = frozenset("snfFbd")  # item kinds (see ``cells.CellItem``) written here


def _escape(value: str) -> str:
    """XML text as XlsxWriter escapes data (&, <, >)."""
    if "&" in value or "<" in value or ">" in value:
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


_EPOCH = dt.datetime(1899, 12, 31)


def _serial(value: dt.date, sheet: Worksheet) -> float:
    """Excel's serial number of a date or a naive date and time after 1900, as XlsxWriter computes it."""
    if value.year > 1900 and not sheet.date_1904:
        if type(value) is dt.datetime and value.tzinfo is None:
            delta = value - _EPOCH
            return delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / 86400 + 1
        if type(value) is dt.date:
            return float((value - _EPOCH.date()).days + 1)
    return float(sheet._convert_date_time(value))


def _text(value: str) -> str:
    """XML text of a cell string, as XlsxWriter escapes it (control characters as _xHHHH_, &, <, >)."""
    if "_x" in value or not value.isprintable():
        value = Worksheet._escape_control_characters(value)
    if "&" in value or "<" in value or ">" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


class FormWorksheet(Worksheet):
    """A worksheet of the master or a phase review (see the module's docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self._refs: list[str] = []
        self._xf: dict[Format | None, str] = {}
        self._shared: dict[tuple[int, int], int] = {}  # (column, first row) of a filled-down block → its si

    def _write_header_footer(self) -> None:
        if not self.header_footer_changed:
            super()._write_header_footer()
            return
        attributes: list[tuple[str, Any]] = [("differentFirst", 1)]
        if not self.header_footer_scales:
            attributes.append(("scaleWithDoc", 0))
        if not self.header_footer_aligns:
            attributes.append(("alignWithMargins", 0))
        self._xml_start_tag("headerFooter", attributes)
        if self.header:
            self._write_odd_header()
        if self.footer:
            self._write_odd_footer()
        self._xml_end_tag("headerFooter")  # no <firstHeader>: the first page has none

    def _style(self, fmt: Format | None) -> str:
        s = self._xf[fmt] = f' s="{fmt._get_xf_index()}"' if fmt is not None else ""
        return s

    def write_items(self, row: int, items: Sequence[Any], height: float) -> bool:
        """Write ``items`` (``cells.CellItem`` or None) as row ``row`` with ``height`` points; False when the row
        must go through the general API instead (nothing written then)."""
        if not self.constant_memory or self.excel_version == 2010 or row >= self.xls_rowmax:
            return False
        previous: int = getattr(self, "previous_row")  # noqa: B009 - untyped in XlsxWriter
        if row < previous or (row == previous and (self.table.get(row) or row in self.row_info)):
            return False
        first = last = -1
        for c, item in enumerate(items):
            if item is None:
                continue
            kind = item[0]
            if kind not in _FAST or (kind == "s" and len(item[1]) > _LONG):
                return False
            if first < 0:
                first = c
            last = c
        if first < 0 or last >= self.xls_colmax:
            return False
        if row > previous:
            self._write_single_row(row)  # what the general API left of the row before
        self._check_dimensions(row, first)
        self._check_dimensions(row, last)
        refs = self._refs
        while len(refs) <= last:
            refs.append(xl_col_to_name(len(refs)))
        r = str(row + 1)
        px = int(height * 4.0 / 3.0 + 0.5)  # as ``set_row``
        self.row_sizes[row] = [px, False]  # for anchoring a chart or an image below
        if px != self.original_row_height or px != self.default_row_height:
            parts = [f'<row r="{r}" ht="{px * 0.75:.16g}" customHeight="1">']
        else:
            parts = [f'<row r="{r}">']
        xf = self._xf
        shared = self.str_table._get_shared_string_index
        for c, item in enumerate(items):
            if item is None:
                continue
            kind, value, fmt, _, extra = item
            st = xf.get(fmt)
            if st is None:
                st = self._style(fmt)
            ref = refs[c]
            if kind == "s":
                if value.startswith("<r>") and value.endswith("</r>"):  # XlsxWriter would take it for rich text
                    space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
                    parts.append(f'<c r="{ref}{r}"{st} t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>')
                else:
                    parts.append(f'<c r="{ref}{r}"{st} t="s"><v>{shared(value)}</v></c>')
            elif kind == "b":
                if fmt is not None:  # a blank cell without a format is not written (as ``write_blank``)
                    parts.append(f'<c r="{ref}{r}"{st}/>')
            elif kind == "n":
                parts.append(f'<c r="{ref}{r}"{st}><v>{value:.16G}</v></c>')
            elif kind == "f" or kind == "F":
                if kind == "F":
                    value, top, bottom = value
                    si = self._shared.get((c, top))
                    if row + 1 == top and bottom > top:  # the block's first cell holds the formula
                        si = self._shared[(c, top)] = len(self._shared)
                        f = f'<f t="shared" ref="{ref}{top}:{ref}{bottom}" si="{si}">{_escape(value[1:])}</f>'
                    elif si is not None:  # the others refer to it (Excel shifts its relative references)
                        f = f'<f t="shared" si="{si}"/>'
                    else:  # the first cell went through the general path: a plain formula
                        f = f"<f>{_escape(value[1:])}</f>"
                else:
                    f = f"<f>{_escape(value[1:])}</f>"
                if isinstance(extra, bool):
                    parts.append(f'<c r="{ref}{r}"{st} t="b">{f}<v>{int(extra)}</v></c>')
                elif isinstance(extra, str):
                    kind_attr = "" if extra == "" else ' t="e"' if extra in _ERRORS else ' t="str"'
                    parts.append(f'<c r="{ref}{r}"{st}{kind_attr}>{f}<v>{_escape(extra)}</v></c>')
                else:
                    parts.append(f'<c r="{ref}{r}"{st}>{f}<v>{extra}</v></c>')
            else:  # "d": a date or a date and time, as a serial number
                parts.append(f'<c r="{ref}{r}"{st}><v>{_serial(value, self):.16G}</v></c>')
        parts.append("</row>")
        self.fh.write("".join(parts))
        self.previous_row = row + 1  # the general API continues on the next row
        return True
