"""What a Windows user of classic xlwings needs: the ``xlwings.conf`` settings and the steps, in Vietnamese.

Classic xlwings reads its settings from a sheet named ``xlwings.conf`` in the workbook (column A key, column B
value), from an ``xlwings.conf`` file beside the workbook, or from ``%USERPROFILE%\\.xlwings\\xlwings.conf``
(one ``"KEY","VALUE"`` line each; the xlwings documentation writes the keys in capitals, its VBA compares
them case-insensitively). dvk needs the UDF module and the interpreter of the environment dvk is installed in:
without ``INTERPRETER_WIN`` xlwings starts ``pythonw`` from PATH, the system Python, which has neither xlwings
nor dvk. ``dvk addin classic`` writes the interpreter it runs under (``pythonw.exe`` beside ``python.exe``:
the form the xlwings documentation shows), unless ``--interpreter`` names another.

The functions live in a workbook of their own (``dvk-ham.xlsm``): "Import Functions" writes VBA into the
workbook, which must then be saved as .xlsm, and dvk reads only .xlsx; the master and the units' sheets stay
.xlsx, and the two macros act on the workbook in front (``addin.udfs``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path, PureWindowsPath

from .meta import FUNCTIONS, SCRIPTS

__all__ = ["TOOLS_WORKBOOK", "UDF_MODULE", "classic_steps", "conf_file_text", "conf_rows", "venv_interpreter",
           "write_classic"]

UDF_MODULE = "addin.udfs"
#: The macro-enabled workbook the functions are imported into (never the master: it stays .xlsx).
TOOLS_WORKBOOK = "dvk-ham.xlsm"


def venv_interpreter(
    executable: str | None = None, *, windows: bool | None = None, exists: Callable[[str], bool] | None = None,
) -> str:
    """The interpreter xlwings should start for the environment dvk runs from (``sys.executable``): on
    Windows ``pythonw.exe`` beside ``python.exe`` when it is there (as in every venv: no console window),
    else the executable itself. ``windows``/``exists`` stand for the platform and the disk (tests)."""
    exe = executable if executable is not None else sys.executable
    on_windows = sys.platform == "win32" if windows is None else windows
    if not on_windows:
        return exe
    win = PureWindowsPath(exe)
    quiet = win.with_name("pythonw.exe")
    present = exists if exists is not None else (lambda p: Path(p).is_file())
    if win.name.lower() == "python.exe" and present(str(quiet)):
        return str(quiet)
    return str(win)


def conf_rows(*, interpreter: str | None = None, pythonpath: str | None = None) -> list[tuple[str, str]]:
    """The settings as (key, value) rows, as the ``xlwings.conf`` sheet holds them."""
    rows = [("UDF Modules", UDF_MODULE)]
    if interpreter:
        rows.append(("Interpreter_Win", interpreter))
    if pythonpath:
        rows.append(("PYTHONPATH", pythonpath))
    return rows


def conf_file_text(*, interpreter: str | None = None, pythonpath: str | None = None) -> str:
    """The user-level ``xlwings.conf`` file, keys in capitals as the xlwings documentation writes them."""
    rows = conf_rows(interpreter=interpreter, pythonpath=pythonpath)
    return "".join(f'"{k.upper()}","{v}"\n' for k, v in rows)


def classic_steps(interpreter: str | None = None) -> str:
    """The Vietnamese guide for Excel 2016/2019 on Windows; ``interpreter``: the one written into xlwings.conf."""
    functions = "\n".join(f"   - ={f.name}({'; '.join(a.name for a in f.args)}): {f.description}" for f in FUNCTIONS)
    macros = "\n".join(f"   - {s.classic_name.upper()}: {s.description}" for s in SCRIPTS)
    where = (f'      "INTERPRETER_WIN","{interpreter}"\n' if interpreter else
             '      "INTERPRETER_WIN","…\\.venv\\Scripts\\pythonw.exe"\n')
    return f"""\
Cài hàm dvk cho Excel trên Windows (xlwings bản thường, dùng được với Excel 2016/2019)

1. Cài Python 3.11 trở lên (python.org). dvk không có trên PyPI: cài từ thư mục mã nguồn dvk (thư mục có
   tệp pyproject.toml). Trong cửa sổ lệnh (cmd), tại thư mục đó:
     py -m venv .venv
     .venv\\Scripts\\pip install ".[excel]"
   (cài dvk cùng xlwings vào môi trường .venv; Python của hệ thống không có hai gói này).
2. Cài thẻ xlwings vào Excel:
     .venv\\Scripts\\xlwings addin install
3. Tạo tệp cấu hình bằng chính dvk vừa cài (chạy trên máy này, trong thư mục mã nguồn):
     .venv\\Scripts\\dvk addin classic --out cau-hinh-excel
   Lệnh ghi cau-hinh-excel\\xlwings.conf với hai dòng:
      "UDF MODULES","{UDF_MODULE}"
{where}   (Interpreter_Win là Python của môi trường .venv mà lệnh đang chạy, nên Excel gọi đúng Python có dvk;
   muốn chỉ Python khác thì thêm --interpreter ĐƯỜNG_DẪN). Chép tệp đó vào
     %USERPROFILE%\\.xlwings\\xlwings.conf
   (tạo thư mục .xlwings nếu chưa có; nếu đã có tệp này, thêm hai dòng trên vào cuối).
4. Trong Excel: Tệp > Tùy chọn > Trung tâm Tin cậy > Thiết đặt Trung tâm Tin cậy > Thiết đặt macro:
   đánh dấu "Tin cậy quyền truy nhập vào mô hình đối tượng dự án VBA".
5. Tạo sổ tính chứa hàm (làm một lần): Excel > Sổ làm việc trống > Lưu thành, chọn loại "Sổ làm việc
   Excel bật Macro (*.xlsm)", đặt tên {TOOLS_WORKBOOK}, lưu vào một thư mục riêng (không phải thư mục tệp
   tổng hợp hay thư mục nộp bài). Trên thẻ xlwings bấm "Import Functions" (Nhập hàm), rồi lưu lại.
   Làm lại bước này khi cập nhật dvk.
   Không lưu tệp tổng hợp hay phiếu thành .xlsm: dvk chỉ đọc tệp .xlsx, nên điểm thẩm định gõ vào bản
   .xlsm sẽ không được đọc (dvk report và dvk sync sẽ cảnh báo khi thấy bản .xlsm cạnh tệp tổng hợp).
   Tệp tổng hợp đã có sẵn công thức tính tổng điểm, xếp loại, xếp hạng; không cần hàm dvk trong đó.
6. Các hàm dùng được trong các ô của {TOOLS_WORKBOOK} (dấu phân cách tham số theo cài đặt vùng của máy:
   ; hoặc ,). Ở sổ tính khác khi {TOOLS_WORKBOOK} đang mở, ghi kèm tên sổ, ví dụ
   ='{TOOLS_WORKBOOK}'!DVK_DIEM("S1"; 120; 115).
{functions}
7. Các macro: mở {TOOLS_WORKBOOK} và tệp cần xử lý (phiếu của đơn vị hoặc tệp tổng hợp, dạng .xlsx),
   chuyển sang cửa sổ tệp đó, bấm Alt+F8, chọn macro của {TOOLS_WORKBOOK} rồi Chạy. Macro làm việc trên sổ
   tính đang ở phía trước; sau đó lưu tệp ấy, vẫn dạng .xlsx.
{macros}
"""


def write_classic(out_dir: Path, *, interpreter: str | None = None, pythonpath: str | None = None) -> list[Path]:
    """Write ``xlwings.conf`` (with ``INTERPRETER_WIN``: ``interpreter``, else the one dvk runs under) and
    ``huong-dan-excel-windows.txt`` into ``out_dir``."""
    chosen = interpreter or venv_interpreter()
    out_dir.mkdir(parents=True, exist_ok=True)
    conf = out_dir / "xlwings.conf"
    conf.write_text(conf_file_text(interpreter=chosen, pythonpath=pythonpath), encoding="utf-8")
    guide = out_dir / "huong-dan-excel-windows.txt"
    guide.write_text(classic_steps(chosen), encoding="utf-8-sig")  # BOM: old Notepad shows Vietnamese
    return [conf, guide]
