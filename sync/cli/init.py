"""`dvk init`: write a commented example dvk.toml."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from schemas.errors import ConfigError

from ..errors_vi import describe_exception
from .common import console

__all__ = ["init_command", "register", "write_example"]


def write_example(out: Path, *, force: bool = False) -> Path:
    """Write the example configuration to ``out``; refuse to overwrite an existing file unless ``force``."""
    if out.exists() and out.is_dir():
        raise ConfigError(f"{out} là một thư mục; hãy chỉ tên tệp, ví dụ {out / 'dvk.toml'}.", key=str(out))
    if out.exists() and not force:
        raise ConfigError(f"Tệp {out} đã có; không ghi đè. Dùng --force nếu muốn thay bằng tệp mẫu.", key=str(out))
    if out.suffix.lower() != ".toml":
        raise ConfigError(f"--out: tệp cấu hình phải có đuôi .toml (ví dụ dvk.toml), không phải “{out.name}”.", key="--out")
    if not out.parent.is_dir():
        raise ConfigError(
            f"--out: thư mục {out.parent} chưa có; hãy tạo thư mục trước hoặc chọn nơi khác.", key="--out"
        )
    from ..config.example import example_config

    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_text(example_config(), encoding="utf-8")
        tmp.replace(out)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise ConfigError(
            f"Không ghi được {out} ({describe_exception(err)}) Hãy chọn thư mục khác bằng --out.", key="--out"
        ) from err
    return out


def init_command(
    out: Annotated[Path, typer.Option("--out", help="Tệp cấu hình sẽ tạo.")] = Path("dvk.toml"),
    force: Annotated[bool, typer.Option("--force", help="Ghi đè nếu tệp đã có.")] = False,
) -> None:
    """Tạo tệp cấu hình mẫu dvk.toml (có ghi chú tiếng Việt cho từng khóa)."""
    path = write_example(out, force=force)
    console.print(
        f"Đã tạo tệp cấu hình mẫu {path}. Hãy sửa thông tin xã và danh sách đơn vị trước khi chạy dvk sync "
        "(đơn vị mẫu VP có địa chỉ Google Sheets giả: xóa dòng sheet của VP, hoặc chạy dvk sync --no-google).",
        markup=False, soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    app.command("init")(init_command)
