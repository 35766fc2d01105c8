"""Configuration: one pydantic-settings model read from dvk.toml, overridden by ``DVK_…`` environment variables.

Loaded once at the edge (the CLI or the service) with ``load_settings`` and passed down; library code never
reads ``os.environ``. Precedence: environment (``DVK_`` prefix, ``__`` for nesting, e.g.
``DVK_SOURCES__GOOGLE__API_ENDPOINT``) over the TOML file over the defaults. Relative paths resolve against
the folder of the config file (the current folder when there is no file). Every problem is a ``ConfigError``
naming the key and the reason in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)
from pydantic_settings.sources.utils import parse_env_vars

from schemas.config_files import CONFIG_LIMIT, ConfigFileError, describe, read_bounded, special_kind
from schemas.errors import ConfigError
from schemas.models import Unit
from schemas.office import Letterhead
from schemas.rubric import PresetSpec, Rubric, default_rubric, load_rubric
from schemas.text import clean_text
from schemas.validate import YEARS

from .registry import UnitEntry, check_unique, describe_validation_error, read_registry, spreadsheet_id

__all__ = [
    "CONFIG_ENV",
    "DEFAULT_CONFIG",
    "DOCUMENT_PREFIXES",
    "PHASE_KINDS",
    "SIGNER_ROLES",
    "AwardsConfig",
    "CommuneConfig",
    "DocumentsConfig",
    "FolderSource",
    "GoogleSource",
    "OutputConfig",
    "PhasePapers",
    "RubricConfig",
    "Settings",
    "SignerConfig",
    "Sources",
    "YearPapers",
    "current_evaluation_year",
    "load_settings",
]

DEFAULT_CONFIG = Path("dvk.toml")
CONFIG_ENV = "DVK_CONFIG"


def current_evaluation_year(today: dt.date | None = None) -> int:
    """The year being evaluated: this year from April on, last year in January–March; within 2026–2030."""
    today = today or dt.date.today()
    year = today.year if today.month >= 4 else today.year - 1
    return min(max(year, YEARS.start), YEARS.stop - 1)


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CommuneConfig(_Section):
    """[commune]: the commune and the year being evaluated."""

    name: str = Field("xã Cao Minh", description="Tên xã, in trên phiếu và báo cáo.")
    province: str = Field("Thái Nguyên", description="Tên tỉnh.")
    year: int = Field(description="Năm đánh giá (2026–2030). Mặc định: năm đánh giá hiện tại.")
    deadline: dt.date = Field(description="Hạn nộp phiếu tự đánh giá. Mặc định: ngày 15/12 của năm đánh giá.")
    place: str = Field("", description="Địa danh ghi ở dòng ngày tháng (“Cao Minh, ngày … tháng … năm …”); bỏ trống: lấy từ tên xã.")
    people_committee: str = Field("", description="Tên cơ quan chủ quản in hoa ở góc trái (mặc định “UBND XÃ …”).")
    council: str = Field("HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", description="Tên hội đồng ban hành phụ lục, in hoa.")
    chairman: str = Field("", description="Họ tên Chủ tịch UBND xã (ký quyết định khen thưởng).")
    council_chair: str = Field("", description="Họ tên Chủ tịch Hội đồng Thi đua - Khen thưởng (ký các phụ lục).")
    preparer: str = Field("", description="Họ tên người lập biểu.")
    office: str = Field("", description="Bộ phận các đơn vị liên hệ khi điền phiếu (in trên trang “Hướng dẫn”).")
    phone: str = Field("", description="Số điện thoại liên hệ của bộ phận đó.")
    email: str = Field("", description="Địa chỉ email liên hệ của bộ phận đó.")

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        data = dict(data)
        data.setdefault("year", current_evaluation_year())
        if data.get("deadline") in (None, ""):
            try:
                data["deadline"] = dt.date(int(data["year"]), 12, 15)
            except (TypeError, ValueError):  # the year itself is wrong: reported there, not as a missing deadline
                data["deadline"] = dt.date(YEARS.start, 12, 15)
        return data

    @field_validator("name", "province")
    @classmethod
    def _text(cls, value: str) -> str:
        text = clean_text(value)
        if not text:
            raise ValueError("không được để trống")
        return text

    @field_validator("place", "people_committee", "council", "chairman", "council_chair", "preparer", "office", "phone", "email")
    @classmethod
    def _optional_text(cls, value: str) -> str:
        return clean_text(value)

    @field_validator("year")
    @classmethod
    def _year(cls, value: int) -> int:
        if value not in YEARS:
            raise ValueError(f"năm {value} nằm ngoài kế hoạch {YEARS.start}–{YEARS.stop - 1}")
        return value

    @model_validator(mode="after")
    def _deadline_in_year(self) -> CommuneConfig:
        if self.deadline.year not in (self.year, self.year + 1):
            raise ValueError(f"hạn nộp {self.deadline:%d/%m/%Y} không thuộc năm đánh giá {self.year}")
        return self


class RubricConfig(_Section):
    """[rubric]: which rubric and which rating preset."""

    file: Path | None = Field(None, description="Tệp bộ tiêu chí TOML; bỏ trống để dùng bộ tiêu chí mặc định của dvk.")
    preset: str | None = Field(None, description="Mã cách xếp loại (preset); bỏ trống để dùng mặc định của bộ tiêu chí.")


class FolderSource(_Section):
    """[sources.folder]: the folder of .xlsx files sent by e-mail."""

    path: Path = Field(Path("nop-bai"), description="Thư mục chứa các tệp .xlsx các đơn vị gửi qua email.")


class GoogleSource(_Section):
    """[sources.google]: reading the units' Google Sheets."""

    credentials: Path | None = Field(None, description="Tệp khóa JSON của tài khoản dịch vụ (service account).")
    api_endpoint: str | None = Field(
        None, description="Địa chỉ thay thế cho API Google (ví dụ máy giả lập http://127.0.0.1:8765); để trống khi chạy thật."
    )
    drive_folder_id: str | None = Field(None, description="Mã (hoặc địa chỉ) thư mục Google Drive chứa các bảng tính.")
    reads_per_minute: int = Field(55, ge=1, le=60, description="Số lượt đọc tối đa mỗi phút (hạn mức Google: 60).")
    timeout: float = Field(30.0, gt=0, le=600, description="Thời gian chờ tối đa mỗi yêu cầu, tính bằng giây.")
    max_attempts: int = Field(5, ge=1, le=20, description="Số lần thử tối đa khi Google báo lỗi tạm thời.")
    oauth_client: Path | None = Field(
        None, description="Tệp OAuth client (ứng dụng cài đặt) của xã, để đăng nhập bằng tài khoản Google của xã (dvk google login)."
    )
    write_back: bool | None = Field(
        None, description="Ghi kết quả kiểm tra vào bảng tính của từng đơn vị sau mỗi lần đồng bộ; mặc định: có, khi đã đăng nhập."
    )

    @field_validator("api_endpoint", mode="before")
    @classmethod
    def _endpoint(cls, value: object) -> str | None:
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise ValueError(f"'{text}' không phải địa chỉ http(s) hợp lệ (ví dụ http://127.0.0.1:8765)")
        return text.rstrip("/")

    @field_validator("drive_folder_id", mode="before")
    @classmethod
    def _folder(cls, value: object) -> str | None:
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        if "/folders/" in text:
            text = text.split("/folders/", 1)[1].split("?")[0].split("/")[0]
        try:
            return spreadsheet_id(text)
        except ValueError as err:
            raise ValueError(f"'{text}' không phải mã thư mục Google Drive hợp lệ") from err


class Sources(_Section):
    folder: FolderSource = Field(default_factory=FolderSource, description="Nguồn: thư mục tệp .xlsx.")
    google: GoogleSource = Field(default_factory=GoogleSource, description="Nguồn: Google Sheets.")


_YEAR_KEY = re.compile(r"^\d{4}$")
_PHASE_KEY = re.compile(r"^phase([12])$")
#: The document kinds of `dvk docs` and the prefix of their keys in [documents].
DOCUMENT_PREFIXES = {
    "bao-cao": "report", "to-trinh": "submission", "quyet-dinh": "decision", "bien-ban": "minutes",
    "cong-nhan": "recognition",
}
#: The document kinds of a phase (`dvk docs --phase N`): the sơ kết / tổng kết report and the phase's awards.
PHASE_KINDS = ("bao-cao", "bien-ban", "to-trinh", "quyet-dinh")
SIGNER_ROLES = ("bao-cao", "to-trinh", "quyet-dinh", "cong-nhan", "bien-ban", "thu-ky")


def _clean_texts(value: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(t for t in (clean_text(v) for v in value) if t)


class YearPapers(_Section):
    """[documents.<year>]: the numbers and dates of one year's documents (a number per year: Nghị định 30/2020,
    Phụ lục I, II.3a). Unset keys fall back to the [documents] keys when the year is [commune] year."""

    report_number: str = Field("", description="Số báo cáo kết quả năm, ví dụ “15/BC-UBND”.")
    report_date: dt.date | None = Field(None, description="Ngày ký báo cáo kết quả năm.")
    minutes_number: str = Field("", description="Số biên bản họp Hội đồng Thi đua - Khen thưởng, ví dụ “02/BB-HĐTĐKT”.")
    minutes_date: dt.date | None = Field(None, description="Ngày họp Hội đồng (ngày của biên bản).")
    submission_number: str = Field("", description="Số tờ trình đề nghị khen thưởng, ví dụ “08/TTr-HĐTĐKT”.")
    submission_date: dt.date | None = Field(None, description="Ngày ký tờ trình.")
    decision_number: str = Field("", description="Số quyết định khen thưởng, ví dụ “120/QĐ-UBND”.")
    decision_date: dt.date | None = Field(None, description="Ngày ký quyết định khen thưởng.")
    recognition_number: str = Field("", description="Số quyết định công nhận mô hình, điển hình “Dân vận khéo”.")
    recognition_date: dt.date | None = Field(None, description="Ngày ký quyết định công nhận.")

    @field_validator("report_number", "minutes_number", "submission_number", "decision_number", "recognition_number")
    @classmethod
    def _number(cls, value: str) -> str:
        return clean_text(value)

    def merged(self, under: YearPapers) -> YearPapers:
        """These values, each unset one taken from ``under``."""
        own = self.model_dump(exclude_unset=True)
        return under.model_copy(update={k: v for k, v in own.items() if v not in ("", None)})


class PhasePapers(_Section):
    """[documents.phase1] / [documents.phase2]: the numbers and dates of the sơ kết / tổng kết report and of the
    phase's commendation file (biên bản, tờ trình, quyết định khen thưởng; ``PHASE_KINDS``)."""

    report_number: str = Field("", description="Số báo cáo sơ kết / tổng kết, ví dụ “20/BC-UBND”.")
    report_date: dt.date | None = Field(None, description="Ngày ký báo cáo sơ kết / tổng kết.")
    minutes_number: str = Field("", description="Số biên bản họp Hội đồng xét khen thưởng giai đoạn, ví dụ “05/BB-HĐTĐKT”.")
    minutes_date: dt.date | None = Field(None, description="Ngày họp Hội đồng xét khen thưởng giai đoạn.")
    submission_number: str = Field("", description="Số tờ trình đề nghị khen thưởng giai đoạn, ví dụ “06/TTr-HĐTĐKT”.")
    submission_date: dt.date | None = Field(None, description="Ngày ký tờ trình đề nghị khen thưởng giai đoạn.")
    decision_number: str = Field("", description="Số quyết định khen thưởng giai đoạn, ví dụ “40/QĐ-UBND”.")
    decision_date: dt.date | None = Field(None, description="Ngày ký quyết định khen thưởng giai đoạn.")

    @field_validator("report_number", "minutes_number", "submission_number", "decision_number")
    @classmethod
    def _number(cls, value: str) -> str:
        return clean_text(value)


class SignerConfig(_Section):
    """[documents.signers.<văn bản>]: who signs, as the document prints it (Nghị định 30/2020, Phụ lục I, II.7)."""

    lines: tuple[str, ...] | None = Field(None, description="Các dòng quyền hạn, chức vụ, in hoa, ví dụ [\"KT. CHỦ TỊCH\", \"PHÓ CHỦ TỊCH\"].")
    position: str | None = Field(None, description="Chức vụ khác in trên họ tên (người ký tờ trình của Hội đồng: chức vụ trong UBND xã).")
    name: str | None = Field(None, description="Họ tên người ký.")

    @field_validator("lines")
    @classmethod
    def _lines(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return None if value is None else tuple(t.upper() for t in _clean_texts(value))

    @field_validator("position", "name")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return None if value is None else clean_text(value)


class DocumentsConfig(YearPapers):
    """[documents]: the council's .docx documents (`dvk docs`): templates, legal grounds, numbers and dates,
    signers, recipients. The numbers and dates here are those of [commune] year; other years and the phases
    have their own tables ([documents.2027], [documents.phase1])."""

    templates: Path | None = Field(None, description="Thư mục mẫu văn bản .docx riêng của xã; bỏ trống để dùng mẫu có sẵn.")
    grounds: Path | None = Field(None, description="Tệp căn cứ pháp lý riêng của xã (TOML, chép từ dvk docs --export-templates); bỏ trống để dùng bộ căn cứ có sẵn.")
    plan_number: str = Field("", description="Số kế hoạch thực hiện Phong trào của xã, ví dụ “45/KH-UBND”.")
    plan_date: dt.date | None = Field(None, description="Ngày ban hành kế hoạch, ví dụ 2026-04-03.")
    regulation_number: str = Field("", description="Số quy định về khen thưởng thực hiện Phong trào của xã.")
    regulation_date: dt.date | None = Field(None, description="Ngày ban hành quy định về khen thưởng.")
    submission_issuer: str = Field("council", description="Ai trình đề nghị khen thưởng: \"council\" (Hội đồng Thi đua - Khen thưởng) hoặc \"office\" (cơ quan thường trực, Phòng Văn hóa - Xã hội).")
    submission_series: str = Field("", description="Ký hiệu số tờ trình; mặc định “TTr-HĐTĐKT” (Hội đồng) hoặc “TTr-VHXH” (Phòng).")
    standing_office: str = Field("Phòng Văn hóa - Xã hội", description="Cơ quan thường trực của Hội đồng (trình tờ trình khi submission_issuer = \"office\").")
    standing_office_code: str = Field("VHXH", description="Chữ viết tắt tên cơ quan thường trực trong ký hiệu văn bản.")
    council_members: tuple[str, ...] = Field((), description="Thành viên Hội đồng (“Họ tên – chức vụ”), in trong danh sách dự họp của biên bản.")
    recipients: tuple[str, ...] = Field((), description="Nơi nhận thêm cho mọi văn bản (mỗi dòng một nơi), sau các nơi nhận mặc định.")
    report_recipients: tuple[str, ...] = Field((), description="Nơi nhận thêm cho báo cáo (năm, sơ kết, tổng kết).")
    submission_recipients: tuple[str, ...] = Field((), description="Nơi nhận thêm cho tờ trình.")
    decision_recipients: tuple[str, ...] = Field((), description="Nơi nhận thêm cho quyết định khen thưởng.")
    recognition_recipients: tuple[str, ...] = Field((), description="Nơi nhận thêm cho quyết định công nhận.")
    signers: dict[str, SignerConfig] = Field(default_factory=dict, description="Người ký từng văn bản ([documents.signers.quyet-dinh] …).")
    years: dict[int, YearPapers] = Field(default_factory=dict, description="Số và ngày văn bản của từng năm ([documents.2027]).")
    phases: dict[int, PhasePapers] = Field(default_factory=dict, description="Số và ngày báo cáo sơ kết, tổng kết và văn bản khen thưởng giai đoạn ([documents.phase1]).")

    @model_validator(mode="before")
    @classmethod
    def _tables(cls, data: Any) -> Any:
        """[documents.2027] and [documents.phase1] into ``years`` and ``phases``."""
        if not isinstance(data, Mapping):
            return data
        data = dict(data)
        years = dict(data.pop("years", None) or {})
        phases = dict(data.pop("phases", None) or {})
        for key in list(data):
            name = str(key)
            if _YEAR_KEY.match(name):
                years[int(name)] = data.pop(key)
            elif m := _PHASE_KEY.match(name):
                phases[int(m.group(1))] = data.pop(key)
        if years:
            data["years"] = years
        if phases:
            data["phases"] = phases
        return data

    @field_validator("plan_number", "regulation_number", "submission_series", "standing_office", "standing_office_code")
    @classmethod
    def _plain(cls, value: str) -> str:
        return clean_text(value)

    @field_validator("submission_issuer")
    @classmethod
    def _issuer(cls, value: str) -> str:
        text = clean_text(value).lower()
        if text not in ("council", "office"):
            raise ValueError(f"'{value}': chỉ dùng \"council\" (Hội đồng trình) hoặc \"office\" (cơ quan thường trực trình)")
        return text

    @field_validator("recipients", "report_recipients", "submission_recipients", "decision_recipients",
                     "recognition_recipients", "council_members")
    @classmethod
    def _recipients(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _clean_texts(value)

    @field_validator("signers")
    @classmethod
    def _signers(cls, value: dict[str, SignerConfig]) -> dict[str, SignerConfig]:
        wrong = [k for k in value if k not in SIGNER_ROLES]
        if wrong:
            raise ValueError(f"'{', '.join(wrong)}' không có; người ký khai cho: {', '.join(SIGNER_ROLES)}")
        return value

    @field_validator("years")
    @classmethod
    def _years(cls, value: dict[int, YearPapers]) -> dict[int, YearPapers]:
        wrong = [str(y) for y in value if y not in YEARS]
        if wrong:
            raise ValueError(f"[documents.{wrong[0]}]: năm nằm ngoài kế hoạch {YEARS.start}–{YEARS.stop - 1}")
        return value

    def papers(self, year: int, current: int) -> YearPapers:
        """The numbers and dates of ``year``'s documents: [documents.<year>], over the [documents] keys when
        ``year`` is the current one (``current``: [commune] year)."""
        base = YearPapers.model_validate(self.model_dump(include=set(YearPapers.model_fields))) if year == current \
            else YearPapers()
        own = self.years.get(year)
        return own.merged(base) if own is not None else base

    def phase_papers(self, phase: int) -> PhasePapers:
        return self.phases.get(phase) or PhasePapers()


class AwardsConfig(_Section):
    """[awards]: the council's own numbers of awards (the commune sets its Giấy khen numbers, DOMAIN.md §7)."""

    giay_khen_quota: int | None = Field(
        None, ge=0,
        description="Số Giấy khen của Chủ tịch UBND xã Hội đồng xét trong năm; bỏ trống: không giới hạn (mọi trường "
                    "hợp đủ điều kiện đều vào danh sách đề nghị).",
    )
    phase_giay_khen_quota: int | None = Field(
        None, ge=0,
        description="Số Giấy khen của Chủ tịch UBND xã Hội đồng xét khi sơ kết, tổng kết mỗi giai đoạn (dvk docs --phase); "
                    "bỏ trống: không giới hạn. Không lấy theo số của năm.",
    )


class OutputConfig(_Section):
    """[output]: where the master workbook, the ledger and the service log go."""

    master: Path = Field(
        Path("tong-hop/tong-hop-dan-van-kheo-{year}.xlsx"),
        description="Tệp Excel tổng hợp; {year} được thay bằng năm đánh giá.",
    )
    ledger: Path | None = Field(None, description="Sổ lưu trữ SQLite; mặc định dvk-ledger.sqlite cạnh tệp tổng hợp.")
    log: Path | None = Field(None, description="Nhật ký của dịch vụ `dvk sync --watch`; mặc định dvk-sync.log cạnh tệp tổng hợp.")

    @field_validator("master")
    @classmethod
    def _pattern(cls, value: Path) -> Path:
        try:
            str(value).format(year=2026)
        except (KeyError, IndexError, ValueError) as err:
            raise ValueError(f"'{value}': trong tên tệp chỉ dùng được {{year}}") from err
        if value.suffix.lower() != ".xlsx":
            raise ValueError(f"'{value}': tệp tổng hợp phải có đuôi .xlsx (ví dụ tong-hop/tong-hop-dan-van-kheo-{{year}}.xlsx)")
        return value


class Settings(BaseSettings):
    """Everything dvk needs to run, from dvk.toml and the environment. Paths are absolute once loaded.

    Build it with ``load_settings``: the constructor alone reads neither the file nor the environment and
    leaves paths as written (``output.ledger``/``output.log`` unset).
    """

    model_config = SettingsConfigDict(env_prefix="DVK_", env_nested_delimiter="__", extra="forbid", frozen=True)

    commune: CommuneConfig = Field(
        default_factory=lambda: CommuneConfig.model_validate({}), description="Thông tin xã và năm đánh giá."
    )
    rubric: RubricConfig = Field(default_factory=RubricConfig, description="Bộ tiêu chí và cách xếp loại.")
    units: tuple[UnitEntry, ...] = Field((), description="Danh sách đơn vị được đánh giá ([[units]]).")
    units_file: Path | None = Field(None, description="Hoặc: tệp CSV/.xlsx danh sách đơn vị (không dùng cùng [[units]]).")
    sources: Sources = Field(default_factory=Sources, description="Nguồn dữ liệu.")
    output: OutputConfig = Field(default_factory=OutputConfig, description="Tệp kết quả.")
    documents: DocumentsConfig = Field(default_factory=DocumentsConfig, description="Văn bản của hội đồng (dvk docs).")
    awards: AwardsConfig = Field(default_factory=AwardsConfig, description="Số lượng khen thưởng của Hội đồng.")

    _source: Path | None = PrivateAttr(None)
    _master_pattern: str = PrivateAttr("")
    _registry: dict[str, Unit] | None = PrivateAttr(None)
    _rubric: Rubric | None = PrivateAttr(None)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only the given values: ``load_settings`` merges the file and the environment it was handed."""
        return (init_settings,)

    @model_validator(mode="after")
    def _one_registry(self) -> Settings:
        if self.units and self.units_file is not None:
            raise ValueError("units_file: không dùng cùng lúc với các mục [[units]]; chọn một trong hai cách")
        return self

    @property
    def source(self) -> Path | None:
        """The config file this was loaded from, None when only defaults and the environment were used."""
        return self._source

    @property
    def year(self) -> int:
        return self.commune.year

    def deadline(self, year: int | None = None) -> dt.date:
        """The deadline of ``year``: ``[commune] deadline`` for the configured year, the same day and month
        (shifted by as many years) for another one."""
        configured = self.commune.deadline
        if year is None or year == self.commune.year:
            return configured
        shift = year - self.commune.year
        try:
            return configured.replace(year=configured.year + shift)
        except ValueError:  # 29 February in a year without one
            return configured.replace(year=configured.year + shift, day=28)

    @property
    def ledger_path(self) -> Path:
        """The SQLite ledger (beside the master unless configured)."""
        return self.output.ledger or self.master_path().parent / "dvk-ledger.sqlite"

    @property
    def log_path(self) -> Path:
        """The service log of `dvk sync --watch`."""
        return self.output.log or self.master_path().parent / "dvk-sync.log"

    def master_path(self, year: int | None = None) -> Path:
        """The master workbook of a year (the configured year by default)."""
        pattern = self._master_pattern or str(self.output.master)
        return Path(pattern.format(year=year or self.commune.year))

    def papers(self, year: int | None = None) -> YearPapers:
        """The numbers and dates of a year's documents ([documents.<year>], else [documents] for [commune] year)."""
        return self.documents.papers(year or self.commune.year, self.commune.year)

    def letterhead(self) -> Letterhead:
        """Names and titles for headings, date lines and signature blocks of everything dvk prints."""
        c = self.commune
        return Letterhead(
            commune=c.name, province=c.province, place=c.place, people_committee=c.people_committee,
            council=c.council, chairman=c.chairman, council_chair=c.council_chair, preparer=c.preparer,
            office=c.office, phone=c.phone, email=c.email,
        )

    def registry(self) -> dict[str, Unit]:
        """The registered units by code, in the order given."""
        if self._registry is None:
            if self.units_file is not None:
                units = read_registry(self.units_file)
            else:
                units = [u.to_unit() for u in self.units]
                check_unique(units, [f"units[{i + 1}]" for i in range(len(units))], f"{self._label()}: ",
                             [u.code for u in self.units])
            self._registry = {u.code: u for u in units}
        return dict(self._registry)

    def load_rubric(self) -> Rubric:
        """The rubric (the file of [rubric], else the default), with the configured preset checked."""
        if self._rubric is None:
            if self.rubric.file is not None and self.rubric.file.is_dir():
                raise ConfigError(
                    f"{self._label()}: rubric.file: {self.rubric.file} là một thư mục; hãy chỉ tệp bộ tiêu chí .toml.",
                    key="rubric.file",
                )
            rubric = load_rubric(self.rubric.file) if self.rubric.file else default_rubric()
            if self.rubric.preset is not None and self.rubric.preset not in {p.code for p in rubric.presets}:
                known = ", ".join(p.code for p in rubric.presets)
                raise ConfigError(
                    f"{self._label()}: rubric.preset: '{self.rubric.preset}' không có trong bộ tiêu chí "
                    f"“{rubric.name}”; chọn một trong: {known}",
                    key="rubric.preset",
                )
            self._rubric = rubric
        return self._rubric

    def preset(self) -> PresetSpec:
        """The rating preset in force."""
        return self.load_rubric().preset(self.rubric.preset)

    def _label(self) -> str:
        return str(self._source) if self._source else "dvk.toml"


class _MappingEnvSource(EnvSettingsSource):
    """The environment source of pydantic-settings, reading a given mapping instead of ``os.environ``."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = dict(environ)
        super().__init__(Settings)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return parse_env_vars(self._environ, self.case_sensitive, self.env_ignore_empty, self.env_parse_none_str)


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(dict(out[key]), value)
        else:
            out[key] = value
    return out


def _env_name(loc: tuple[int | str, ...], env: Mapping[str, str]) -> str | None:
    """The DVK_… variable an error location came from, if the environment set it."""
    names = {k.upper() for k in env}
    parts: list[str] = []
    found = None
    for part in loc:
        if not isinstance(part, str):
            break
        parts.append(part.upper())
        name = "DVK_" + "__".join(parts)
        if name in names:
            found = name
    return found


_TOML_MESSAGES = (
    (re.compile(r"\(at line (\d+), column (\d+)\)"), r"(dòng \1, cột \2)"),
    (re.compile(r"\(at end of document\)"), "(ở cuối tệp)"),
    (re.compile(r"Unescaped '\\' in a string"), r"dấu \\ không được dùng trong chuỗi đặt trong dấu nháy kép"),
    (re.compile(r"Unrecognized escape sequence[^(]*"), r"dấu \\ trong chuỗi không hợp lệ "),
    (re.compile(r"Expected ']' at the end of a table declaration"), "thiếu dấu ] ở cuối tên mục [..]"),
    (re.compile(r"Expected ']]' at the end of an array declaration"), "thiếu dấu ]] ở cuối tên mục [[..]]"),
    (re.compile(r"Expected '=' after a key in a key/value pair"), "thiếu dấu = sau tên khóa"),
    (re.compile(r"Expected newline or end of document after a statement"), "mỗi dòng chỉ ghi một khóa = giá trị"),
    (re.compile(r"Cannot overwrite a value"), "một khóa được gán giá trị hai lần"),
    (re.compile(r"Cannot mutate immutable namespace.*?(?= \(|$)"), "không thêm khóa vào một bảng đã đóng"),
    (re.compile(r"Duplicate inline table key '?([^' ]+)'?"), r"khóa \1 lặp lại"),
    (re.compile(r"Unterminated string"), "chuỗi thiếu dấu nháy đóng"),
    (re.compile(r"Unclosed array"), "danh sách thiếu dấu ] đóng"),
    (re.compile(r"Unclosed inline table"), "bảng thiếu dấu } đóng"),
    (re.compile(r"Invalid statement"), "dòng không hợp lệ"),
    (re.compile(r"Invalid value"), "giá trị không hợp lệ (chuỗi phải đặt trong dấu nháy)"),
    (re.compile(r"Invalid date or datetime"), "ngày không hợp lệ (dạng 2026-12-15)"),
    (re.compile(r"Invalid initial character for a key part"), "tên khóa bắt đầu bằng ký tự không hợp lệ"),
    (re.compile(r"Illegal character ('.*?')"), r"ký tự không được phép \1"),
    (re.compile(r"Found invalid character ('.*?')"), r"ký tự không hợp lệ \1"),
    (re.compile(r"Invalid hex value"), r"mã \\u… không hợp lệ"),
)
_BACKSLASH_HINT = (
    "Đường dẫn Windows có dấu \\: đặt trong dấu nháy đơn (path = 'D:\\Thi dua\\nop-bai') "
    "hoặc dùng dấu / (path = \"D:/Thi dua/nop-bai\")."
)


def _toml_message(err: tomllib.TOMLDecodeError, text: str) -> str:
    message = str(err)
    found = re.search(r"\(at line (\d+),", message)
    line = text.splitlines()[int(found.group(1)) - 1] if found and int(found.group(1)) <= len(text.splitlines()) else ""
    message = re.sub(
        r"Cannot declare \(([^)]*)\) twice",
        lambda m: "mục [" + ".".join(re.findall(r"'([^']*)'", m.group(1))) + "] được khai báo hai lần",
        message,
    )
    for pattern, replacement in _TOML_MESSAGES:
        message = pattern.sub(replacement, message)
    if "\\" in line:
        message += f". {_BACKSLASH_HINT}"
    return message


def _read_toml(path: Path) -> dict[str, Any]:
    text = ""
    try:
        # a BOM (Notepad's "UTF-8 with BOM") is fine; an ordinary file of bounded size only (review H13)
        text = read_bounded(path, CONFIG_LIMIT).decode("utf-8-sig")
        return tomllib.loads(text)
    except ConfigFileError as err:
        raise ConfigError(describe(err, "Tệp cấu hình"), key=str(path)) from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: lỗi cú pháp TOML — {_toml_message(err, text)}", key=str(path)) from err
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: tệp cấu hình phải lưu bằng mã UTF-8.", key=str(path)) from err
    except OSError as err:
        raise ConfigError(
            f"{path}: không đọc được tệp cấu hình ({'không có quyền đọc' if isinstance(err, PermissionError) else err.strerror}).",
            key=str(path),
        ) from err


def _absolute(path: Path, base: Path) -> Path:
    path = path.expanduser()
    return Path(os.path.normpath(path if path.is_absolute() else base / path))


def _resolved(settings: Settings, base: Path) -> Settings:
    out = settings.output
    pattern = _absolute(out.master, base)
    master = Path(str(pattern).format(year=settings.commune.year))
    ledger = _absolute(out.ledger, base) if out.ledger else master.parent / "dvk-ledger.sqlite"
    log = _absolute(out.log, base) if out.log else master.parent / "dvk-sync.log"
    google = settings.sources.google
    creds = _absolute(google.credentials, base) if google.credentials else None
    oauth = _absolute(google.oauth_client, base) if google.oauth_client else None
    docs = settings.documents
    resolved = settings.model_copy(
        update={
            "rubric": settings.rubric.model_copy(
                update={"file": _absolute(settings.rubric.file, base) if settings.rubric.file else None}
            ),
            "units_file": _absolute(settings.units_file, base) if settings.units_file else None,
            "sources": Sources(
                folder=FolderSource(path=_absolute(settings.sources.folder.path, base)),
                google=google.model_copy(update={"credentials": creds, "oauth_client": oauth}),
            ),
            "output": OutputConfig(master=master, ledger=ledger, log=log),
            "documents": docs.model_copy(
                update={"templates": _absolute(docs.templates, base) if docs.templates else None,
                        "grounds": _absolute(docs.grounds, base) if docs.grounds else None}
            ),
        }
    )
    resolved._master_pattern = str(pattern)
    return resolved


def _env_error(err: SettingsError, environ: Mapping[str, str]) -> str:
    """A DVK_ variable whose value pydantic-settings could not parse (JSON of a list or a table)."""
    found = re.search(r'field "([^"]+)"', str(err))
    field_name = found.group(1) if found else ""
    names = sorted(k for k in environ if k.upper().startswith(f"DVK_{field_name.upper()}")) if field_name else []
    name = names[0] if names else "DVK_…"
    return (
        f"biến môi trường {name}: giá trị không đọc được; khóa “{field_name or '?'}” cần viết dạng JSON, "
        'ví dụ DVK_UNITS=\'[{"code": "VP", "name": "Văn phòng", "kind": "Phòng, ban"}]\'.'
    )


def _by_code(line: str, loc: tuple[int | str, ...], data: Mapping[str, Any]) -> str:
    """"units[3].sheet" → "units[VP].sheet" when unit 3 has a code: staff find a unit by its code."""
    if len(loc) < 3 or loc[0] != "units" or not isinstance(loc[1], int) or loc[2] == "code":
        return line
    units = data.get("units")
    entry = units[loc[1]] if isinstance(units, list | tuple) and loc[1] < len(units) else None
    code = entry.get("code") if isinstance(entry, Mapping) else None
    if not isinstance(code, str) or not re.fullmatch(r"[A-Za-z0-9_.\-]{1,20}", code.strip()):
        return line
    return line.replace(f"units[{loc[1] + 1}]", f"units[{code.strip()}]", 1)


def load_settings(
    path: Path | None = None, *, env: Mapping[str, str] | None = None, require_file: bool = False
) -> Settings:
    """Load the settings: ``path``, else ``$DVK_CONFIG``, else ./dvk.toml (which may be absent unless
    ``require_file``: `dvk sync` and `dvk report` must not invent a commune).

    ``env`` is the environment to read overrides from (``os.environ`` when None — only the edge passes None).
    The registry and the rubric are loaded once here so a bad config fails now, not in the middle of a sync.
    """
    environ: Mapping[str, str] = os.environ if env is None else env
    explicit = path if path is not None else (Path(environ[CONFIG_ENV]) if environ.get(CONFIG_ENV) else None)
    config_path = explicit if explicit is not None else DEFAULT_CONFIG
    data: dict[str, Any] = {}
    source: Path | None = None
    if config_path.is_dir():
        raise ConfigError(
            f"{config_path} là một thư mục, không phải tệp cấu hình; hãy chỉ tệp, ví dụ {config_path / 'dvk.toml'}.",
            key=str(config_path),
        )
    special = special_kind(config_path)
    if special is not None:  # --config /dev/zero exists but is no file to read (review H16)
        raise ConfigError(
            f"{config_path} không phải một tệp cấu hình thông thường (đó là {special}). Hãy chỉ đến tệp dvk.toml, "
            "ví dụ --config dvk.toml; tạo tệp mẫu bằng lệnh: dvk init",
            key=str(config_path),
        )
    if config_path.is_file():
        data = _read_toml(config_path)
        source = config_path
    elif explicit is not None:
        raise ConfigError(f"Không tìm thấy tệp cấu hình {explicit}. Tạo tệp mẫu bằng lệnh: dvk init", key=str(explicit))
    elif require_file:
        raise ConfigError(
            f"Không có tệp cấu hình {DEFAULT_CONFIG} trong thư mục {Path.cwd()}. Tạo tệp mẫu bằng lệnh: dvk init "
            "(rồi sửa thông tin xã và danh sách đơn vị), hoặc chỉ tệp bằng --config.",
            key=str(DEFAULT_CONFIG),
        )
    label = str(config_path)
    try:
        env_data = _MappingEnvSource(environ)()
    except SettingsError as err:
        raise ConfigError(_env_error(err, environ), key="env") from err
    merged = _merge(data, env_data)
    try:
        settings = Settings.model_validate(merged)
    except ValidationError as err:
        described = describe_validation_error(err, label)
        lines = []
        for (_key, line), e in zip(described, err.errors(), strict=True):
            name = _env_name(tuple(e["loc"]), environ)
            line = _by_code(line, tuple(e["loc"]), merged)
            lines.append(line.replace(f"{label}: ", f"biến môi trường {name}: ", 1) if name else line)
        raise ConfigError("\n".join(lines), key=described[0][0]) from err
    base = config_path.resolve().parent if source else Path.cwd()
    settings = _resolved(settings, base)
    settings._source = source
    creds = settings.sources.google.credentials
    special = special_kind(creds) if creds is not None else None
    if special is not None:
        raise ConfigError(
            f"{label}: sources.google.credentials: {creds} không phải một tệp khóa (đó là {special}); hãy chỉ đến "
            "tệp JSON khóa tài khoản dịch vụ tải từ Google Cloud Console.", key="sources.google.credentials",
        )
    if creds is not None and not creds.is_file():
        raise ConfigError(
            f"{label}: sources.google.credentials: không tìm thấy tệp khóa {creds}", key="sources.google.credentials"
        )
    settings.registry()
    settings.load_rubric()
    return settings
