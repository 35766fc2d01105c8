"""The non-criterion parts of the evaluation sheet: unit information fields and the three tables.

The rubric says which facts each criterion needs; these specs say what else a unit fills. The workbook
layer places them; the validator parses them. Keys are stable identifiers (used in defined names and JSON).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from .models import HeadDiscipline, ModelStatus
from .rubric import FIELDS

__all__ = [
    "EXEMPLARS",
    "INFO_FIELDS",
    "KINDS",
    "MODELS",
    "PROPOSALS",
    "PROPOSAL_FORMS",
    "PROPOSAL_KINDS",
    "RECOGNITION_LEVELS",
    "TABLES",
    "YES_NO",
    "ColumnSpec",
    "FieldSpec",
    "TableSpec",
]

YES_NO: tuple[str, ...] = ("Có", "Không")
KINDS: tuple[str, ...] = ("Tập thể", "Cá nhân")
#: Who may be proposed for commendation: khen thưởng phong trào thi đua is for "cá nhân, tập thể, hộ gia đình"
#: (Luật Thi đua, khen thưởng 2022, Điều 8), e.g. a household that gave land for a road (the plan's II.4a).
PROPOSAL_KINDS: tuple[str, ...] = (*KINDS, "Hộ gia đình")
RECOGNITION_LEVELS: tuple[str, ...] = ("Xã", "Tỉnh")
PROPOSAL_FORMS: tuple[str, ...] = (
    "Giấy khen của Chủ tịch UBND xã",
    "Đề nghị Bằng khen của Chủ tịch UBND tỉnh",
)


class FieldSpec(BaseModel):
    """One unit-information input. ``kind``: text | integer | level | date."""

    model_config = ConfigDict(frozen=True)

    key: str
    label: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""

    @property
    def name(self) -> str:
        return f"info.{self.key}"


INFO_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(key="unit_code", label="Mã đơn vị", kind="text", required=True, help="Mã do xã cấp cho đơn vị (xem danh sách mã ở trang “Hướng dẫn” hoặc hỏi Bộ phận Thi đua)"),
    FieldSpec(key="unit_name", label="Tên đơn vị", kind="text", required=True),
    FieldSpec(key="year", label="Năm đánh giá", kind="integer", required=True, help="Từ 2026 đến 2030"),
    FieldSpec(key="head", label="Người đứng đầu", kind="text", required=True),
    FieldSpec(key="contact", label="Điện thoại, e-mail liên hệ", kind="text"),
    FieldSpec(
        key="head_discipline",
        label="Kỷ luật người đứng đầu hoặc cấp phó trong năm",
        kind="level",
        required=True,
        choices=tuple(d.value for d in HeadDiscipline),
    ),
    FieldSpec(
        key="ko_corruption",
        label="Có tham nhũng, lãng phí hoặc mất đoàn kết nội bộ nghiêm trọng",
        kind="level",
        required=True,
        choices=YES_NO,
    ),
    FieldSpec(
        key="ko_prosecuted",
        label="Có cán bộ, công chức bị truy cứu trách nhiệm hình sự",
        kind="level",
        required=True,
        choices=YES_NO,
    ),
    FieldSpec(key="signer", label="Người ký phiếu", kind="text"),
    FieldSpec(key="signed_on", label="Ngày ký (dd/mm/yyyy)", kind="date"),
)


class ColumnSpec(BaseModel):
    """One column of a table. ``kind``: text | level | date | yesno."""

    model_config = ConfigDict(frozen=True)

    key: str
    label: str
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    width: int = 18


class TableSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str  # models | exemplars | proposals
    title: str
    columns: tuple[ColumnSpec, ...]
    max_rows: int

    def column(self, key: str) -> ColumnSpec:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)


MODELS = TableSpec(
    key="models",
    title="Mô hình",
    max_rows=30,
    columns=(
        ColumnSpec(key="name", label="Tên mô hình", required=True, width=32),
        ColumnSpec(key="lead_unit", label="Đơn vị chủ trì", width=22),
        ColumnSpec(key="field", label="Lĩnh vực", kind="level", required=True, choices=FIELDS, width=20),
        ColumnSpec(key="kind", label="Tập thể / Cá nhân", kind="level", required=True, choices=KINDS, width=14),
        ColumnSpec(key="situation", label="Sự cần thiết, lý do", width=30),
        ColumnSpec(key="goals", label="Mục tiêu, tiêu chí đánh giá", width=30),
        ColumnSpec(key="content", label="Nội dung, cách thức thực hiện", width=34),
        ColumnSpec(key="area", label="Địa bàn, đối tượng", width=22),
        ColumnSpec(key="forces", label="Lực lượng (chủ trì, phối hợp, tham gia)", width=28),
        ColumnSpec(key="resources", label="Nguồn lực (kinh phí, ngày công, đóng góp)", width=28),
        ColumnSpec(key="start_date", label="Ngày bắt đầu", kind="date", width=13),
        ColumnSpec(key="milestones", label="Các mốc thực hiện", width=24),
        ColumnSpec(key="outputs", label="Sản phẩm, kết quả kiểm chứng được", width=30),
        ColumnSpec(key="sustainability", label="Khả năng duy trì, nhân rộng", width=26),
        ColumnSpec(
            key="status", label="Tình trạng", kind="level", required=True,
            choices=tuple(s.value for s in ModelStatus), width=18,
        ),
        ColumnSpec(key="recognition_level", label="Cấp công nhận", kind="level", choices=RECOGNITION_LEVELS, width=12),
        ColumnSpec(key="decision_no", label="Số quyết định công nhận", width=18),
        ColumnSpec(key="decision_date", label="Ngày quyết định", kind="date", width=13),
    ),
)

EXEMPLARS = TableSpec(
    key="exemplars",
    title="Điển hình",
    max_rows=30,
    columns=(
        ColumnSpec(key="name", label="Tên tập thể, cá nhân điển hình", required=True, width=32),
        ColumnSpec(key="kind", label="Tập thể / Cá nhân", kind="level", required=True, choices=KINDS, width=14),
        ColumnSpec(key="field", label="Lĩnh vực", kind="level", required=True, choices=FIELDS, width=20),
        ColumnSpec(key="achievements", label="Thành tích, cách làm hiệu quả", width=44),
        ColumnSpec(key="recognition_level", label="Cấp công nhận", kind="level", choices=RECOGNITION_LEVELS, width=12),
        ColumnSpec(key="decision_no", label="Số quyết định công nhận", width=18),
        ColumnSpec(key="decision_date", label="Ngày quyết định", kind="date", width=13),
    ),
)

PROPOSALS = TableSpec(
    key="proposals",
    title="Đề nghị khen thưởng",
    max_rows=20,
    columns=(
        ColumnSpec(key="subject", label="Tập thể, cá nhân được đề nghị", required=True, width=32),
        ColumnSpec(key="kind", label="Tập thể / Cá nhân", kind="level", required=True, choices=PROPOSAL_KINDS, width=14),
        ColumnSpec(key="form", label="Hình thức khen thưởng", kind="level", required=True, choices=PROPOSAL_FORMS, width=34),
        ColumnSpec(key="achievements", label="Tóm tắt thành tích", width=44),
        ColumnSpec(key="model", label="Mô hình gắn với đề nghị", width=28),
        ColumnSpec(key="female", label="Nữ / tập thể ≥ 70% nữ", kind="level", choices=YES_NO, width=14),
    ),
)

TABLES: tuple[TableSpec, ...] = (MODELS, EXEMPLARS, PROPOSALS)
