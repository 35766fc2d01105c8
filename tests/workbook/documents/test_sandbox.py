"""A received template can not reach Python: the checker refuses it, the sandbox stops it, nothing is written.

The payloads of the hostile review (H1, ``repro-hostile/docs_template_ssti.py``) and others of the same class:
attribute walking from a constant, from a field, from a Jinja global, through ``attr``, inside every block the
old checker skipped (``with``, ``set … endset``, ``macro``, ``call``, ``filter``), ``include``, a huge
``range``, and a method that would change the context (caught at render time by the immutable sandbox).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from workbook.documents import TemplateError, export_templates, load_template, render

from .test_templates import decision_context


def _template(tmp_path: Path, *paragraphs: str) -> Path:
    folder = tmp_path / "mau"
    export_templates(folder)
    path = folder / "quyet-dinh.docx"
    doc = Document(str(path))
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(str(path))
    return path


def _refused(tmp_path: Path, *paragraphs: str) -> str:
    path = _template(tmp_path, *paragraphs)
    out = tmp_path / "qd.docx"
    with pytest.raises(TemplateError) as info:
        render(load_template("quyet-dinh", path.parent), decision_context(), out)
    message = str(info.value)
    assert str(path) in message and "Chưa ghi văn bản nào" in message, message
    assert not out.exists()
    return message


@pytest.mark.parametrize("payload", [
    # the review's three
    "Lớp: {{ ''.__class__.__mro__[1].__subclasses__()|length }}",
    "{% with x = 1 %}{{ cycler.__init__.__globals__.os.popen('id > {marker}; echo ran').read() }}{% endwith %}",
    "{% with x = 1 %}{{ cycler.__init__.__globals__.os.popen('head -c 60 /etc/passwd').read() }}{% endwith %}",
    # the same class
    "{{ office.__class__.__init__.__globals__ }}",
    "{{ office.commune|attr('__class__') }}",
    "{{ office['__class__'] }}",
    "{% set x %}{{ ''.__class__.__mro__ }}{% endset %}{{ x }}",
    "{% set x = ''.__class__ %}{{ x }}",
    "{% macro m() %}{{ lipsum.__globals__.os.popen('id > {marker}').read() }}{% endmacro %}{{ m() }}",
    "{% macro m() %}{{ caller() }}{% endmacro %}{% call m() %}{{ joiner.__init__.__globals__ }}{% endcall %}",
    "{% filter upper %}{{ namespace.__init__.__globals__['os'].popen('id > {marker}').read() }}{% endfilter %}",
    "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
    "{{ self.__init__.__globals__ }}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{{ config.items() }}",
    "{{ office.clear() }}",  # changing the context
    "{{ paper.recipients.append(1) or paper }}",
])
def test_attack_payloads_are_refused_before_rendering(tmp_path: Path, payload: str) -> None:
    marker = tmp_path / "PWNED"
    message = _refused(tmp_path, payload.replace("{marker}", str(marker)))
    assert "đoạn" in message  # the paragraph the clerk finds in Word
    assert not marker.exists()


def test_refusal_names_the_hidden_name_and_the_paragraph(tmp_path: Path) -> None:
    message = _refused(tmp_path, "Lớp: {{ ''.__class__ }}")
    assert "«__class__»" in message and "«Lớp: {{ ''.__class__ }}»" in message and "độc hại" in message


def test_the_sandbox_stops_what_the_checker_lets_through(tmp_path: Path) -> None:
    message = _refused(tmp_path, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    assert "range() quá lớn" in message and "không được phép" in message, message


def test_ordinary_jinja_still_works(tmp_path: Path) -> None:
    path = _template(tmp_path, "{% with n = groups|length %}Nhóm: {{ n }}{% endwith %} {{ office.commune.upper() }} "
                               "{% for i in range(3) %}{{ i }}{% endfor %} {% set y %}{{ year }}{% endset %}{{ y }}")
    out = render(load_template("quyet-dinh", path.parent), decision_context(), tmp_path / "qd.docx")
    assert "Nhóm: 2 XÃ CAO MINH 012 2026" in Document(str(out)).paragraphs[-1].text
