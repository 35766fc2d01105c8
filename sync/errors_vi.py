"""Vietnamese wording for the errors that libraries and the operating system raise (the CLI edge's one map).

dvk's own errors (``DvkError``) already carry a Vietnamese message. Everything else that can reach the user
— a folder given as a file, a read-only ledger, a name too long, a CSV field over the csv module's limit, a
file that is not a zip — is described here, so ``sync.cli.main`` and the ``--watch`` service print a
Vietnamese line and never a traceback.
"""

from __future__ import annotations

import csv
import errno
import os
import re
import sqlite3
import zipfile

from schemas.text import size_text

__all__ = ["describe_exception", "library_message"]

_STRERROR = {  # after a subject: "“D:/x” là một thư mục, không phải tệp"
    "Is a directory": "là một thư mục, không phải tệp",
    "Not a directory": "có một phần không phải thư mục",
    "No such file or directory": "không tồn tại",
    "Permission denied": "không có quyền truy cập",
    "File name too long": "có tên quá dài",
    "Read-only file system": "nằm trên ổ đĩa chỉ đọc",
    "No space left on device": "không ghi được vì ổ đĩa đầy",
    "File exists": "đã có",
    "Invalid argument": "không hợp lệ",
}


def _strerror(match: re.Match[str]) -> str:
    phrase = _STRERROR.get(match.group(1), match.group(1))
    return f"“{match.group(2)}” {phrase}" if match.group(2) is not None else phrase


# English messages of libraries passed through inside dvk's own messages, with their Vietnamese wording.
_LIBRARY = (
    (re.compile(r"\[Errno \d+\] ([A-Z][a-z][^:'\]]*)(?:: '([^']*)')?"), _strerror),
    (re.compile(r"File is not a zip file"), "tệp không phải dạng nén .xlsx"),
    (re.compile(r"unable to open database file"), "không mở được tệp cơ sở dữ liệu"),
    (re.compile(r"attempt to write a readonly database"), "sổ lưu trữ đang ở chế độ chỉ đọc"),
    (re.compile(r"database is locked"), "sổ lưu trữ đang bị một chương trình khác khóa"),
    (re.compile(r"file is not a database"), "tệp không phải cơ sở dữ liệu SQLite"),
    (re.compile(r"database disk image is malformed"), "tệp cơ sở dữ liệu bị hỏng"),
    (re.compile(r"field larger than field limit \((\d+)\)"), r"có ô dài quá giới hạn \1 ký tự"),
    (re.compile(r"unexpected end of data"), "dữ liệu bị cắt ngang"),
    (re.compile(r"'([\w-]+)' codec can't decode byte (0x[0-9a-f]+) in position (\d+)(?:: [^)\n]*)?"),
     r"không đọc được bằng bảng mã \1 (byte \2 ở vị trí \3)"),
    (re.compile(r"Cannot declare \(([^)]*)\) twice"), r"bảng [\1] được khai báo hai lần"),
    (re.compile(r"Cannot overwrite a value"), "một khóa được gán hai lần"),
    (re.compile(r"Input should be a valid tuple"), "phải là một danh sách"),
    (re.compile(r"Input should be a valid list"), "phải là một danh sách"),
    (re.compile(r"Input should be a valid dictionary[^,;\n]*"), "phải là một bảng (mục [..])"),
    (re.compile(r"Input should be a valid string"), "phải là chuỗi ký tự"),
    (re.compile(r"Input should be a valid boolean[^,;\n]*"), "phải là true hoặc false"),
    (re.compile(r"Field required"), "thiếu giá trị (bắt buộc)"),
    # an OS reason passed on bare ("… thư mục /proc (No such file or directory)"), after the [Errno] form above
    (re.compile(r"\b(" + "|".join(re.escape(k) for k in _STRERROR) + r")\b"), lambda m: _STRERROR[m.group(1)]),
)


def library_message(text: str) -> str:
    """``text`` with the English library phrases dvk knows replaced by Vietnamese ones."""
    for pattern, replacement in _LIBRARY:
        text = pattern.sub(replacement, text)
    return text


def _name(err: OSError) -> str:
    name = err.filename if err.filename is not None else err.filename2
    return f"“{name}”" if name is not None else "tệp"


def _disk_full(err: OSError, where: str) -> str:
    """A full disk: which file, how much is left, what to do (never "restore a backup": nothing is damaged)."""
    from pathlib import Path  # the standard library; here only for this rare message

    from workbook.files import free_space

    name = err.filename if err.filename is not None else err.filename2
    folder = Path(os.fsdecode(name)).parent if name is not None else None
    free = free_space(folder) if folder is not None else None
    left = f" (còn trống {size_text(free)})" if free is not None else ""
    place = f"trên ổ chứa thư mục “{folder}”" if folder is not None else "trên ổ đĩa"
    return (f"Ổ đĩa đã đầy, không ghi được {where}{left}. Hãy giải phóng dung lượng {place} (xóa hoặc chuyển bớt "
            "tệp không cần sang ổ khác, dọn thùng rác) rồi chạy lại.")


def _os_error(err: OSError) -> str:
    where = _name(err)
    if isinstance(err, IsADirectoryError):
        return f"{where} là một thư mục, không phải tệp. Hãy chỉ đường dẫn tới một tệp."
    if isinstance(err, NotADirectoryError):
        return f"Đường dẫn {where} đi qua một tệp như thể đó là thư mục. Kiểm tra lại đường dẫn."
    if isinstance(err, FileNotFoundError) and os.name == "nt" and len(os.fsdecode(err.filename or "")) >= 260:
        return (f"Đường dẫn {where} dài {len(os.fsdecode(err.filename))} ký tự, quá giới hạn 259 ký tự của Windows. "
                "Hãy chọn thư mục ngắn hơn (gần gốc ổ đĩa) hoặc đặt tên tệp ngắn hơn.")
    if isinstance(err, FileNotFoundError):
        return f"Không tìm thấy {where} (hoặc thư mục chứa nó chưa có)."
    if isinstance(err, PermissionError):
        name = str(err.filename or "")
        if os.path.basename(name).startswith((".~dvk-", ".dvk-")):  # the temporary file of an atomic save
            return (
                f"Không ghi được tệp vào thư mục “{os.path.dirname(name)}”: không có quyền (tệp cần ghi đang ở chế độ "
                "chỉ đọc, hoặc thư mục không cho ghi). Bỏ chế độ chỉ đọc của tệp hoặc chọn nơi khác."
            )
        return f"Không có quyền đọc hoặc ghi {where}. Kiểm tra quyền của tệp và thư mục, hoặc chọn nơi khác."
    if isinstance(err, FileExistsError):
        return f"{where} đã có (là một tệp), nên không tạo được thư mục hay tệp mới cùng tên. Hãy đổi tên hoặc chọn đường dẫn khác."
    code = err.errno
    if code == errno.ENAMETOOLONG:
        return f"Tên tệp hoặc đường dẫn quá dài: {where}. Hãy đặt tên ngắn hơn."
    if code == errno.EROFS:
        return f"{where} nằm trên ổ đĩa chỉ đọc; hãy chọn nơi ghi khác."
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return _disk_full(err, where)
    if code == errno.EINVAL:
        return f"Đường dẫn {where} không hợp lệ trên máy này."
    reason = err.strerror or str(err)
    return f"Lỗi hệ thống khi làm việc với {where}: {reason}."


def _sqlite_error(err: sqlite3.Error) -> str:
    text = str(err)
    if "readonly" in text:
        return "Sổ lưu trữ (SQLite) đang ở chế độ chỉ đọc: kiểm tra quyền ghi của tệp sổ và thư mục chứa nó."
    if "locked" in text:
        return "Sổ lưu trữ (SQLite) đang bị một chương trình khác khóa. Hãy chờ một lát rồi chạy lại."
    if "unable to open" in text:
        return "Không mở được sổ lưu trữ (SQLite): thư mục không có hoặc không có quyền ghi."
    return f"Sổ lưu trữ (SQLite) không dùng được: {library_message(text)}."


def describe_exception(err: BaseException) -> str:
    """A Vietnamese sentence for any exception that is not a ``DvkError``."""
    if isinstance(err, OSError):
        return _os_error(err)
    if isinstance(err, sqlite3.Error):
        return _sqlite_error(err)
    if isinstance(err, csv.Error):
        return f"Không đọc được tệp CSV: {library_message(str(err))}."
    if isinstance(err, zipfile.BadZipFile):
        return "Tệp không phải tệp Excel .xlsx hợp lệ (không mở được dạng nén)."
    if isinstance(err, UnicodeError):
        return f"Không đọc được văn bản: {library_message(str(err))}. Hãy lưu tệp bằng mã UTF-8."
    if isinstance(err, MemoryError):
        return "Không đủ bộ nhớ để xử lý tệp này (tệp quá lớn?)."
    if isinstance(err, RecursionError):
        return "Dữ liệu lồng nhau quá sâu, không xử lý được."
    name = type(err).__name__
    if name == "FileCreateError" and err.args and isinstance(err.args[0], OSError):  # XlsxWriter's wrapper
        return _os_error(err.args[0])
    if name == "InvalidFileException":  # openpyxl: a path whose extension it does not open
        return "Tệp không phải dạng Excel .xlsx mà dvk đọc được (đuôi tệp phải là .xlsx)."
    if name == "MarkupError":
        return "Tên tệp có ký tự đặc biệt không in được."
    return f"Lỗi không mong đợi ({name}): {library_message(str(err))}"
