"""Rendering a document: the template checked first, then docxtpl, then an atomic save; PDF via LibreOffice.

    load_template(name, folder) -> Template    the commune's copy when it has one, else the default
    check(template, context_type)               raises TemplateError before anything is written
    render(template, context, out) -> Path     the .docx, written atomically
    to_pdf(paths, outdir) -> list[Path]        one LibreOffice start for all of them
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate

from schemas.errors import DvkError, WorkbookError

from ..files import give_file_mode
from .check import TemplateError, check_template, field_names, jinja_env, shape_of
from .context import as_context
from .defaults import DEFAULT_BUILDERS

__all__ = [
    "NoLibreOffice", "Template", "check", "export_templates", "load_template", "render", "render_bytes", "save", "soffice",
    "to_pdf",
]


@dataclass(frozen=True)
class Template:
    name: str  # "bao-cao", "bao-cao-giai-doan", "to-trinh", "quyet-dinh"
    data: bytes
    source: Path | None  # the commune's file; None: dvk's default

    @property
    def label(self) -> str:
        return str(self.source) if self.source else f"mẫu mặc định {self.name}.docx"


def _default(name: str) -> bytes:
    buf = io.BytesIO()
    DEFAULT_BUILDERS[name]().save(buf)
    return buf.getvalue()


def load_template(name: str, folder: Path | None = None) -> Template:
    """The template ``name``: ``<folder>/<name>.docx`` when the commune has one there, else dvk's default."""
    if name not in DEFAULT_BUILDERS:
        raise KeyError(name)
    if folder is not None:
        path = Path(folder) / f"{name}.docx"
        if path.is_file():
            try:
                return Template(name, path.read_bytes(), path)
            except OSError as err:
                raise TemplateError(f"Không đọc được mẫu văn bản {path}: {err.strerror or err}.", path=str(path)) from err
    return Template(name, _default(name), None)


FIELD_LIST = "danh-sach-truong.txt"


def export_templates(folder: Path, contexts: dict[str, type]) -> list[Path]:
    """Write dvk's default templates into ``folder`` for the commune to edit, and the list of placeholders."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    lines = [
        "Các trường dữ liệu dùng được trong mẫu văn bản của dvk (cú pháp docxtpl/Jinja).",
        "Một giá trị: {{ office.commune }}. Danh sách (dấu []): lặp bằng {%p for u in units %} … {%p endfor %}",
        "(trong bảng: {%tr for u in units %} … {%tr endfor %}), rồi dùng {{ u.total }}.",
        "",
    ]
    for name in DEFAULT_BUILDERS:
        path = folder / f"{name}.docx"
        _save_atomic(path, _default(name))
        out.append(path)
        lines += [f"{name}.docx:", *(f"  {f}" for f in field_names(shape_of(contexts[name]))), ""]
    listing = folder / FIELD_LIST
    _save_atomic(listing, "\n".join(lines).encode("utf-8"))
    return [*out, listing]


def check(template: Template, context_type: type) -> None:
    check_template(io.BytesIO(template.data), context_type, name=template.label)


def _save_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        give_file_mode(Path(tmp), path)
        os.replace(tmp, path)
    except PermissionError as err:
        raise WorkbookError(f"Không ghi được {path}: tệp đang mở trong Word hoặc không có quyền ghi. Đóng tệp rồi chạy lại.",
                            path=str(path)) from err
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def render_bytes(template: Template, context: Any) -> bytes:
    """The .docx of ``context`` (a value of ``context.py``) rendered with ``template`` (checked first)."""
    check(template, type(context))
    doc = DocxTemplate(io.BytesIO(template.data))
    try:
        doc.render(as_context(context), jinja_env=jinja_env(), autoescape=True)
    except Exception as err:  # a commune's template may do anything Jinja allows: never a traceback
        detail = err.message if isinstance(err, jinja2.TemplateError) and err.message else str(err)
        raise TemplateError(f"Mẫu văn bản {template.label}: không dựng được văn bản ({detail}). Chưa ghi văn bản nào.",
                            path=template.label) from err
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def save(path: Path, data: bytes) -> Path:
    """Write a rendered document atomically."""
    _save_atomic(Path(path), data)
    return Path(path)


def render(template: Template, context: Any, out: Path) -> Path:
    """Render ``context`` into the file ``out`` with ``template``."""
    return save(out, render_bytes(template, context))


class NoLibreOffice(DvkError):
    """LibreOffice is not installed: the .docx files are written, no PDF."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(paths: list[Path], outdir: Path, *, timeout: float = 300) -> list[Path]:
    """Convert .docx files to PDF with LibreOffice headless, in one start. Raises NoLibreOffice without it."""
    exe = soffice()
    if exe is None:
        raise NoLibreOffice(
            "Không tìm thấy LibreOffice (soffice) nên chưa xuất được PDF; các tệp .docx đã được ghi. Cài LibreOffice "
            "hoặc mở tệp .docx trong Word và chọn Lưu dạng PDF."
        )
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dvk-lo-profile-") as profile:
        cmd = [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(outdir), *(str(p) for p in paths)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as err:
            raise DvkError(f"LibreOffice không chuyển xong sang PDF sau {int(timeout)} giây.") from err
    outs = [outdir / f"{Path(p).stem}.pdf" for p in paths]
    missing = [o.name for o in outs if not o.exists()]
    if missing:
        raise DvkError(f"LibreOffice không chuyển được sang PDF: {', '.join(missing)}. {proc.stderr.strip()}")
    return outs
