"""`dvk addin lite|classic`: what Excel needs to run the dvk functions (xlwings Lite bundle, classic settings)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from schemas.errors import ConfigError

from .common import console

__all__ = ["register"]

def _existing_parent(out: Path) -> None:
    """``--out`` is a folder dvk may create, but only inside one that exists (a typo must not build a path)."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out: {out} là một tệp; hãy chỉ một thư mục.", key="--out")
    if not out.parent.is_dir():
        raise ConfigError(f"--out: thư mục {out.parent} chưa có; hãy tạo thư mục trước hoặc chọn nơi khác.", key="--out")


addin_app = typer.Typer(
    help="Hàm Excel của dvk (DVK_DIEM, DVK_TONGDIEM, DVK_XEPLOAI, DVK_XEPHANG, DVK_KIEMTRA …): "
    "tạo mã cho xlwings Lite hoặc cấu hình cho xlwings trên Windows.",
    no_args_is_help=True,
)


@addin_app.command("lite")
def lite_command(
    out: Annotated[Path, typer.Option("--out", metavar="<THƯ MỤC>", help="Thư mục ghi main.py và requirements.txt.")],
    rubric_file: Annotated[
        Path | None, typer.Option(
            "--rubric", help="Tệp bộ tiêu chí TOML đóng gói kèm (mặc định: theo dvk.toml, hoặc bộ tiêu chí mặc định của dvk).",
        )
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="Tệp cấu hình dvk.toml (mặc định: ./dvk.toml nếu có).")
    ] = None,
) -> None:
    """Tạo main.py và requirements.txt cho xlwings Lite (Excel 365/2021+, Excel trên web, macOS)."""
    from addin.bundle import write_lite_bundle

    from ..config import load_settings

    _existing_parent(out)
    chosen = rubric_file or load_settings(config).rubric.file  # the commune's own rubric, as template/validate
    for path in write_lite_bundle(out, chosen):
        console.print(f"Đã ghi {path}", markup=False, soft_wrap=True)
    console.print(
        "Mở sổ tính trong Excel, bấm nút xlwings Lite trên thẻ Trang đầu, dán nội dung main.py và "
        "requirements.txt vào hai thẻ cùng tên của trình soạn thảo, rồi lưu sổ tính."
    )


@addin_app.command("classic")
def classic_command(
    out: Annotated[
        Path | None, typer.Option("--out", metavar="<THƯ MỤC>", help="Thư mục ghi xlwings.conf và hướng dẫn (mặc định: chỉ in ra màn hình).")
    ] = None,
    interpreter: Annotated[
        str | None, typer.Option("--interpreter", help="Đường dẫn python ghi vào INTERPRETER_WIN (mặc định: Python đang chạy dvk).")
    ] = None,
    pythonpath: Annotated[
        str | None, typer.Option("--pythonpath", help="Thư mục mã nguồn dvk ghi vào PYTHONPATH (không bắt buộc).")
    ] = None,
) -> None:
    """In (hoặc ghi ra thư mục) cấu hình xlwings.conf và các bước cài hàm dvk cho Excel 2016/2019 trên Windows.

    INTERPRETER_WIN là Python của môi trường đang chạy dvk (pythonw.exe cạnh python.exe), trừ khi có --interpreter:
    hãy chạy lệnh này bằng .venv\\Scripts\\dvk trên chính máy Windows có Excel."""
    import sys

    from addin.classic import classic_steps, conf_file_text, venv_interpreter, write_classic

    chosen = interpreter or venv_interpreter()
    if out is None:
        typer.echo(classic_steps(chosen))
        typer.echo("Nội dung tệp xlwings.conf:")
        typer.echo(conf_file_text(interpreter=chosen, pythonpath=pythonpath), nl=False)
    else:
        _existing_parent(out)
        for path in write_classic(out, interpreter=chosen, pythonpath=pythonpath):
            console.print(f"Đã ghi {path}", markup=False, soft_wrap=True)
    if interpreter is None and sys.platform != "win32":
        console.print(
            f"Lưu ý: dvk đang chạy trên {sys.platform}, không phải Windows, nên INTERPRETER_WIN ({chosen}) không dùng "
            "được cho Excel. Hãy chạy lại lệnh này bằng .venv\\Scripts\\dvk trên máy Windows có Excel, hoặc chỉ rõ "
            "--interpreter C:\\…\\.venv\\Scripts\\pythonw.exe.",
            style="yellow", markup=False, soft_wrap=True,
        )


@addin_app.command("check")
def check_command(
    files: Annotated[list[Path], typer.Argument(help="Các tệp .xlsx cần kiểm tra phần mã xlwings Lite.")],
) -> None:
    """Kiểm tra phần mã xlwings Lite nhúng trong tệp: còn nguyên, không có, hay đã bị hỏng (lưu lại bằng LibreOffice).

    Mỗi tệp được kiểm tra trước như khi đọc tệp tổng hợp (kích thước, tệp nén, khai báo XML), phần mã đọc có giới
    hạn. Mã thoát 1 khi có tệp bị hỏng phần mã, 2 khi không đọc được tệp."""
    from addin.embed import LiteState, lite_problem, lite_state
    from schemas.errors import UnsafeFileError
    from workbook.preflight import preflight

    broken = unreadable = 0
    for path in files:
        if not path.is_file():
            console.print(f"Không có tệp {path}.", markup=False, soft_wrap=True)
            unreadable += 1
            continue
        try:  # the limits dvk reads a master with (a template or a master may carry the code)
            preflight(path, max_uncompressed=200 * 2**20, max_cells=20_000_000, max_shared_strings=1_000_000,
                      max_shared_bytes=128 * 2**20)
        except UnsafeFileError as err:
            console.print(str(err), markup=False, soft_wrap=True)
            unreadable += 1
            continue
        state = lite_state(path)
        if state in (LiteState.BROKEN, LiteState.DAMAGED):
            broken += 1
            console.print(lite_problem(path) or "", markup=False, soft_wrap=True)
        elif state is LiteState.OK:
            console.print(f"Tệp {path.name}: có mã xlwings Lite, còn nguyên.", markup=False, soft_wrap=True)
        else:
            console.print(f"Tệp {path.name}: không có mã xlwings Lite.", markup=False, soft_wrap=True)
    if unreadable:
        raise typer.Exit(2)
    if broken:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(addin_app, name="addin")
