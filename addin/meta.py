"""Names and Vietnamese help texts of the Excel functions and scripts: one place, used by ``udfs.py``.

Excel shows the description and the argument help in the function wizard (classic) or the formula
autocomplete (Office.js runtimes). The argument names are the Python parameter names of ``udfs.py``; a
test compares them, and this whole table is kept in a JSON snapshot so a renamed argument is noticed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["FUNCTIONS", "SCRIPTS", "ArgHelp", "FunctionHelp", "ScriptHelp", "function_help", "metadata"]


@dataclass(frozen=True)
class ArgHelp:
    name: str
    doc: str
    optional: bool = False
    repeating: bool = False


@dataclass(frozen=True)
class FunctionHelp:
    name: str  # the Excel name, e.g. DVK_DIEM
    description: str
    args: tuple[ArgHelp, ...]

    @property
    def python_name(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class ScriptHelp:
    title: str  # shown in the xlwings Lite task pane
    lite_name: str  # the Lite script (takes the workbook)
    classic_name: str  # the classic macro (no argument, uses the calling workbook)
    description: str


_POINTS = "Điểm các tiêu chí theo thứ tự bộ tiêu chí (một dòng hoặc một cột), hoặc vùng hai cột mã tiêu chí | điểm"
_RATING_ARGS = (
    ArgHelp("diem", _POINTS + "; hoặc một ô tổng điểm (khi đó không xét quy tắc tiêu chí 0 điểm)."),
    ArgHelp("ky_luat", "Kỷ luật người đứng đầu hoặc cấp phó: Không, Khiển trách, Cảnh cáo, Cách chức trở lên. Để trống: Không.", optional=True),
    ArgHelp("vi_pham", "Ô (hoặc các ô) trả lời Có/Không về tham nhũng, mất đoàn kết nghiêm trọng, cán bộ bị truy cứu hình sự.", optional=True),
    ArgHelp("cach_xep_loai", "Mã cách xếp loại, ví dụ dan-van-2025 hoặc nd-335-2025. Để trống: cách mặc định của bộ tiêu chí.", optional=True),
)

FUNCTIONS: tuple[FunctionHelp, ...] = (
    FunctionHelp(
        "DVK_DIEM",
        "Điểm của một tiêu chí tính từ số liệu đơn vị nhập, đúng quy tắc của bộ tiêu chí. "
        "Ví dụ =DVK_DIEM(\"S1\"; 120; 115) cho 12. Tiêu chí trừ điểm cho số điểm bị trừ.",
        (
            ArgHelp("ma_tieu_chi", "Mã tiêu chí, ví dụ \"K1\", \"S1\", \"A1\"."),
            ArgHelp("so_lieu_1", "Thông tin thứ nhất của tiêu chí: chỉ tiêu, số phiếu hợp lệ, số lượng hoặc mức đạt được."),
            ArgHelp("so_lieu_2", "Thông tin thứ hai (nếu tiêu chí cần): kết quả thực hiện, số phiếu hài lòng…", optional=True),
            ArgHelp("so_lieu_3", "Thông tin thứ ba (nếu tiêu chí cần), ví dụ có điểm nóng (Có/Không) của Q1.", optional=True),
        ),
    ),
    FunctionHelp(
        "DVK_TONGDIEM",
        "Tổng điểm = điểm chuẩn + điểm thưởng − điểm trừ, đã áp dụng mức thưởng và trừ tối đa.",
        (ArgHelp("diem", _POINTS + "."),),
    ),
    FunctionHelp(
        "DVK_XEPLOAI",
        "Tên mức xếp loại (Hoàn thành xuất sắc nhiệm vụ …) theo tổng điểm, tiêu chí 0 điểm, kỷ luật và vi phạm.",
        _RATING_ARGS,
    ),
    FunctionHelp(
        "DVK_MAXEPLOAI",
        "Mã mức xếp loại (HTXS, HTT, HT, KHT); tham số như DVK_XEPLOAI.",
        _RATING_ARGS,
    ),
    FunctionHelp(
        "DVK_XEPHANG",
        "Thứ hạng theo tổng điểm giảm dần; các đơn vị bằng điểm cùng hạng (1, 2, 2, 4).",
        (
            ArgHelp("tong_diem", "Tổng điểm của đơn vị (hoặc một cột tổng điểm: trả về cột thứ hạng)."),
            ArgHelp("cac_tong_diem", "Vùng tổng điểm của tất cả các đơn vị; ô trống được bỏ qua."),
        ),
    ),
    FunctionHelp(
        "DVK_KIEMTRA",
        "Kiểm tra phiếu tự đánh giá: trả về bảng lỗi (trang, ô, mã lỗi, nội dung) hoặc “Hợp lệ”.",
        (
            ArgHelp(
                "vung",
                "Các vùng của mẫu phiếu theo thứ tự: Thông tin đơn vị, Chấm điểm, Mô hình, Điển hình, "
                "Đề nghị khen thưởng (xem lệnh dvk addin classic để có sẵn công thức).",
                repeating=True,
            ),
        ),
    ),
)

SCRIPTS: tuple[ScriptHelp, ...] = (
    ScriptHelp(
        "Kiểm tra phiếu", "kiem_tra_phieu", "dvk_kiem_tra_phieu",
        "Kiểm tra phiếu đang mở: ghi danh sách lỗi vào trang “Lỗi” và tô màu các ô có lỗi (đỏ) hoặc cảnh báo (vàng cam).",
    ),
    ScriptHelp(
        "Cập nhật tổng hợp", "cap_nhat_tong_hop", "dvk_cap_nhat_tong_hop",
        "Tính lại tổng điểm, xếp loại và xếp hạng trong tệp tổng hợp từ các cột điểm thẩm định "
        "(ô thẩm định trống thì dùng điểm tự chấm).",
    ),
)


def function_help(name: str) -> FunctionHelp:
    for f in FUNCTIONS:
        if f.name == name:
            return f
    raise KeyError(name)


def metadata() -> dict[str, Any]:
    """The whole table as JSON data (the snapshot stored in the tests)."""
    return {
        "functions": [
            {
                "name": f.name,
                "description": f.description,
                "args": [{"name": a.name, "doc": a.doc, "optional": a.optional, "repeating": a.repeating} for a in f.args],
            }
            for f in FUNCTIONS
        ],
        "scripts": [
            {"title": s.title, "lite": s.lite_name, "classic": s.classic_name, "description": s.description}
            for s in SCRIPTS
        ],
    }
