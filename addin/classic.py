"""What a Windows user of classic xlwings needs: the ``xlwings.conf`` settings and the steps, in Vietnamese.

Classic xlwings reads its settings from a sheet named ``xlwings.conf`` in the workbook (column A key,
column B value) or from ``%USERPROFILE%\\.xlwings\\xlwings.conf`` (one ``"KEY","VALUE"`` line each). The
only setting dvk needs is the UDF module; the interpreter and PYTHONPATH are optional.
"""

from __future__ import annotations

from pathlib import Path

from .meta import FUNCTIONS, SCRIPTS

__all__ = ["UDF_MODULE", "classic_steps", "conf_file_text", "conf_rows", "write_classic"]

UDF_MODULE = "addin.udfs"


def conf_rows(*, interpreter: str | None = None, pythonpath: str | None = None) -> list[tuple[str, str]]:
    """The settings as (key, value) rows, as the ``xlwings.conf`` sheet holds them."""
    rows = [("UDF Modules", UDF_MODULE)]
    if interpreter:
        rows.append(("Interpreter_Win", interpreter))
    if pythonpath:
        rows.append(("PYTHONPATH", pythonpath))
    return rows


def conf_file_text(*, interpreter: str | None = None, pythonpath: str | None = None) -> str:
    """The user-level ``xlwings.conf`` file."""
    return "".join(f'"{k}","{v}"\n' for k, v in conf_rows(interpreter=interpreter, pythonpath=pythonpath))


def classic_steps() -> str:
    """The Vietnamese guide for Excel 2016/2019 on Windows."""
    functions = "\n".join(f"   - ={f.name}({'; '.join(a.name for a in f.args)}): {f.description}" for f in FUNCTIONS)
    macros = "\n".join(f"   - {s.classic_name.upper()}: {s.description}" for s in SCRIPTS)
    return f"""\
Cài hàm dvk cho Excel trên Windows (xlwings bản thường, dùng được với Excel 2016/2019)

1. Cài Python 3.11 trở lên (python.org, đánh dấu "Add python.exe to PATH"). dvk không có trên PyPI:
   cài từ thư mục mã nguồn dvk (thư mục có tệp pyproject.toml). Trong cửa sổ lệnh (cmd), tại thư mục đó:
     py -m venv .venv
     .venv\\Scripts\\pip install ".[excel]"
   (cài dvk cùng xlwings; Interpreter_Win trong xlwings.conf là .venv\\Scripts\\python.exe của thư mục này).
2. Cài thẻ xlwings vào Excel:
     .venv\\Scripts\\xlwings addin install
3. Chép tệp xlwings.conf (tạo bởi lệnh dvk addin classic --out THƯ_MỤC) vào
     %USERPROFILE%\\.xlwings\\xlwings.conf
   hoặc thêm vào sổ tính một trang tên "xlwings.conf" có dòng: UDF Modules | {UDF_MODULE}
4. Trong Excel: Tệp > Tùy chọn > Trung tâm Tin cậy > Thiết đặt Trung tâm Tin cậy > Thiết đặt macro:
   đánh dấu "Tin cậy quyền truy nhập vào mô hình đối tượng dự án VBA".
5. Mở phiếu hoặc tệp tổng hợp, lưu thành .xlsm (sổ tính có macro), rồi trên thẻ xlwings bấm
   "Import Functions" (Nhập hàm). Làm lại bước này khi cập nhật dvk.
6. Các hàm dùng được trong ô (dấu phân cách tham số theo cài đặt vùng của máy: ; hoặc ,):
{functions}
7. Các macro (Alt+F8, hoặc gán cho một nút):
{macros}
"""


def write_classic(out_dir: Path, *, interpreter: str | None = None, pythonpath: str | None = None) -> list[Path]:
    """Write ``xlwings.conf`` and ``huong-dan-excel-windows.txt`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    conf = out_dir / "xlwings.conf"
    conf.write_text(conf_file_text(interpreter=interpreter, pythonpath=pythonpath), encoding="utf-8")
    guide = out_dir / "huong-dan-excel-windows.txt"
    guide.write_text(classic_steps(), encoding="utf-8-sig")  # BOM: old Notepad shows Vietnamese
    return [conf, guide]
