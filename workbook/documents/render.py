"""Rendering a document: the template checked first, then docxtpl in Jinja's sandbox, then an atomic save;
PDF via LibreOffice.

    load_template(name, folder) -> Template      the commune's copy when it has one, else the default
    check(template, context_type)                 raises TemplateError before anything is written
    render_document(template, context) -> Finished  the .docx bytes, blanks highlighted, what is missing
    render(template, context, out) -> Path       the .docx, written atomically
    to_pdf(paths, outdir) -> PdfResult           one LibreOffice start for all of them, into a temporary
                                                 folder; each PDF moved into place only when it was made now
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
from docxtpl import DocxTemplate

from schemas.errors import DvkError, WorkbookError

from ..files import give_file_mode
from .check import TemplateError, check_template, field_names, jinja_env, shape_of
from .context import as_context
from .defaults import DEFAULT_BUILDERS
from .grounds import default_grounds_text
from .marks import Finished, finish

__all__ = [
    "NoLibreOffice", "PdfResult", "Template", "check", "export_templates", "font_warning", "load_template", "render",
    "render_bytes", "render_document", "save", "soffice", "to_pdf",
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
GROUNDS_FILE = "can-cu.toml"


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
    grounds = folder / GROUNDS_FILE
    _save_atomic(grounds, default_grounds_text().encode("utf-8"))
    return [*out, listing, grounds]


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


def _template_line(err: BaseException) -> int | None:
    """The line of the template source a Jinja error happened on (Jinja rewrites tracebacks to "<template>")."""
    line = getattr(err, "lineno", None)
    tb = err.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _where(err: BaseException, doc: DocxTemplate) -> str:
    """The paragraph of the body a render error happened in (docxtpl renders one paragraph per source line)."""
    text = ""
    line = _template_line(err)
    try:
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", doc.patch_xml(doc.get_xml())).splitlines()
        if line is not None and 1 <= line <= len(source):
            text = " ".join(re.sub(r"<[^>]+>", "", source[line - 1]).split())
    except Exception:  # only for the message: a failure here must not hide the error itself
        text = ""
    if not text:
        lines = [" ".join(x.split()) for x in getattr(err, "docx_context", ()) or ()]
        text = " ".join(x for x in lines if x)
    return f", đoạn «{text[:120]}{'…' if len(text) > 120 else ''}»" if text else ""


def render_document(template: Template, context: Any, problems: tuple[str, ...] = (), *,
                    draft_mark: bool = True) -> Finished:
    """The .docx of ``context`` (a value of ``context.py``) rendered with ``template`` (checked first) in the
    sandbox; its blanks highlighted, and what is missing (with ``problems``) listed (``marks.finish``)."""
    check(template, type(context))
    doc = DocxTemplate(io.BytesIO(template.data))
    try:
        doc.render(as_context(context), jinja_env=jinja_env(), autoescape=True)
    except jinja2.sandbox.SecurityError as err:
        raise TemplateError(
            f"Mẫu văn bản {template.label}{_where(err, doc)}: mẫu cố làm việc không được phép trong văn bản ({err}). "
            "Mẫu này có thể độc hại; hãy dùng mẫu mặc định (dvk docs --export-templates). Chưa ghi văn bản nào.",
            path=template.label) from err
    except Exception as err:  # a commune's template may do anything Jinja allows: never a traceback
        detail = err.message if isinstance(err, jinja2.TemplateError) and err.message else str(err)
        raise TemplateError(f"Mẫu văn bản {template.label}{_where(err, doc)}: không dựng được văn bản ({detail}). "
                            "Chưa ghi văn bản nào.", path=template.label) from err
    buf = io.BytesIO()
    doc.save(buf)
    return finish(buf.getvalue(), problems, draft_mark=draft_mark)


def render_bytes(template: Template, context: Any) -> bytes:
    """The .docx of ``context`` rendered with ``template`` (``render_document``'s bytes)."""
    return render_document(template, context).data


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


@dataclass(frozen=True)
class PdfResult:
    """PDFs made by this conversion (moved into place), and the documents whose PDF failed, with the reason."""

    written: tuple[Path, ...] = ()
    failed: tuple[tuple[Path, str], ...] = field(default_factory=tuple)


_LO_REASONS = (
    (re.compile(r"source file could not be loaded", re.I), "LibreOffice không mở được tệp .docx"),
    (re.compile(r"no export filter", re.I), "LibreOffice không có bộ chuyển sang PDF (cài thêm gói libreoffice-writer)"),
    (re.compile(r"no space left|disk full|ENOSPC", re.I), "ổ đĩa đã đầy"),
    (re.compile(r"permission denied", re.I), "không có quyền ghi"),
)


def _reason(stderr: str, returncode: int | None) -> str:
    """LibreOffice's reason in Vietnamese (its own words kept, shortened, after it)."""
    text = " ".join(stderr.split())
    for pattern, said in _LO_REASONS:
        if pattern.search(text):
            return f"{said} ({text[:160]})"
    code = f"LibreOffice kết thúc với mã lỗi {returncode}" if returncode else "LibreOffice không tạo ra tệp PDF"
    return f"{code}{f' ({text[:160]})' if text else ''}"


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(5) == b"%PDF-" and path.stat().st_size > 200
    except OSError:
        return False


def to_pdf(paths: list[Path], outdir: Path, *, timeout: float = 300) -> PdfResult:
    """Convert .docx files to PDF with LibreOffice headless, in one start, into a temporary folder; each PDF
    LibreOffice made now is moved to ``outdir`` (replacing an older one). A document whose PDF was not made
    is in ``failed`` with the reason, and an older PDF of it in ``outdir`` is removed, so no PDF of an earlier
    run is left beside the new .docx. Raises NoLibreOffice without LibreOffice."""
    exe = soffice()
    if exe is None:
        raise NoLibreOffice(
            "Không tìm thấy LibreOffice (soffice) nên chưa xuất được PDF; các tệp .docx đã được ghi. Cài LibreOffice "
            "hoặc mở tệp .docx trong Word và chọn Lưu dạng PDF."
        )
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    failed: list[tuple[Path, str]] = []
    with tempfile.TemporaryDirectory(prefix="dvk-lo-profile-") as profile, \
            tempfile.TemporaryDirectory(prefix=".dvk-pdf-", dir=outdir, ignore_cleanup_errors=True) as tmp:
        cmd = [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", tmp, *(str(p) for p in paths)]
        stderr, code = "", None
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
            stderr, code = proc.stderr or "", proc.returncode
        except subprocess.TimeoutExpired:
            stderr = f"LibreOffice không chuyển xong sau {int(timeout)} giây"
            code = -1
        except OSError as err:
            stderr, code = str(err), -1
        for source in paths:
            made = Path(tmp) / f"{Path(source).stem}.pdf"
            target = outdir / made.name
            if code == 0 and _is_pdf(made):
                try:
                    os.replace(made, target)
                    written.append(target)
                    continue
                except OSError as err:
                    reason = f"không ghi được tệp PDF vào {outdir} ({err.strerror or err})"
            elif code == -1 and "giây" in stderr:
                reason = stderr
            else:
                reason = _reason(stderr, code)
            failed.append((Path(source), reason + _drop_stale(target)))
    return PdfResult(tuple(written), tuple(failed))


def _drop_stale(pdf: Path) -> str:
    """Remove a PDF of an earlier run that no longer matches its .docx; what was done, for the message."""
    if not pdf.exists():
        return ""
    try:
        pdf.unlink()
        return f"; đã xóa tệp PDF cũ {pdf.name} vì nó không khớp với văn bản mới"
    except OSError:
        return f"; tệp PDF cũ {pdf.name} vẫn còn nhưng KHÔNG khớp với văn bản mới, đừng in tệp đó"


#: Families with the metrics of Times New Roman (what LibreOffice prints in its place).
_TIMES_METRIC = ("Times New Roman", "Liberation Serif", "Tinos")
#: Letters every Vietnamese document has: ạ ệ ờ ư đ (and Ơ).
_VIETNAMESE = "1ea1 1ec7 1edd 1b0 111 1a0"


def font_warning() -> str:
    """A warning (Vietnamese) when this machine has no Times New Roman–metric font with Vietnamese letters:
    LibreOffice would then print the accented letters in another font. Empty when it has one, on Windows
    and macOS (Times New Roman comes with the system), and where fontconfig's ``fc-list`` is absent."""
    if sys.platform in ("win32", "darwin"):
        return ""
    fc = shutil.which("fc-list")
    if fc is None:
        return ""
    try:
        out = subprocess.run([fc, f":charset={_VIETNAMESE}", "family"], capture_output=True, text=True, timeout=60,
                             check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""
    families = {name.strip() for line in out.splitlines() for name in line.split(",")}
    if any(f in families for f in _TIMES_METRIC):
        return ""
    return ("Cảnh báo: máy này không có phông Times New Roman, hay phông cùng cỡ chữ (Liberation Serif 2), có đủ chữ "
            "tiếng Việt, nên tệp PDF in các chữ có dấu bằng phông khác, lệch thể thức. Cài phông Times New Roman, "
            "hoặc trên Ubuntu/Debian: sudo apt-get install fonts-liberation2 (bản Liberation Serif 1.07 của gói "
            "fonts-liberation không có chữ tiếng Việt).")
