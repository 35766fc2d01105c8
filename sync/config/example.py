"""The commented example dvk.toml that `dvk init` writes (in Vietnamese: the commune's staff edit it)."""

from __future__ import annotations

from .settings import current_evaluation_year

__all__ = ["example_config"]

_TEMPLATE = """\
# Tệp cấu hình của dvk — chấm điểm phong trào thi đua “Dân vận khéo” cấp xã.
# Tạo bằng lệnh `dvk init`. Sửa các giá trị bên dưới cho phù hợp với xã mình.
#
# Quy ước:
# - Dòng bắt đầu bằng dấu # là ghi chú; bỏ dấu # để dùng khóa đó.
# - Chuỗi chữ đặt trong dấu nháy kép: "xã Cao Minh". Ngày viết dạng 2026-12-15 (năm-tháng-ngày).
# - Đường dẫn đặt trong dấu nháy đơn, nhất là đường dẫn Windows có dấu \\: 'D:\\Thi dua\\nop-bai'
#   (trong dấu nháy kép, dấu \\ có nghĩa khác); hoặc dùng dấu /: "D:/Thi dua/nop-bai".
# - Đường dẫn tương đối (./nop-bai) được tính từ thư mục chứa tệp này.
# - Mọi khóa đều có thể ghi đè bằng biến môi trường: tiền tố DVK_, hai dấu gạch dưới (__) giữa các cấp,
#   ví dụ DVK_COMMUNE__YEAR=2027 hoặc DVK_SOURCES__GOOGLE__API_ENDPOINT=http://127.0.0.1:8765
#   (biến môi trường được ưu tiên hơn tệp này).

# Danh sách đơn vị lấy từ một tệp (thay cho các mục [[units]] ở cuối tệp; không dùng cả hai cùng lúc).
# Khóa này phải đứng ở đây, trước mục [commune] đầu tiên. Tệp .csv (UTF-8, phân cách bằng dấu phẩy hoặc
# chấm phẩy) hoặc .xlsx, dòng đầu là tiêu đề: Mã đơn vị | Tên đơn vị | Loại | Email | Bảng tính
# units_file = './danh-sach-don-vi.csv'

# ---------------------------------------------------------------------------------------------------------
# Thông tin xã và năm đánh giá
# ---------------------------------------------------------------------------------------------------------
[commune]
# Tên xã, in trên phiếu và báo cáo.
name = "xã Cao Minh"
# Tên tỉnh.
province = "Thái Nguyên"
# Năm đánh giá (2026–2030). Bỏ trống thì lấy năm đánh giá hiện tại.
year = {year}
# Hạn nộp phiếu tự đánh giá (năm-tháng-ngày). Bỏ trống thì lấy ngày 15/12 của năm đánh giá.
deadline = {year}-12-15
# Tên và chức danh in ở tiêu đề, dòng ngày tháng và phần chữ ký của các phụ lục, báo cáo, tờ trình, quyết định.
# Bỏ trống thì văn bản để dấu “…” để điền tay.
# Địa danh ở dòng “…, ngày … tháng … năm …”; bỏ trống thì lấy từ tên xã (“Cao Minh”).
# place = "Cao Minh"
# Tên cơ quan ở góc trái tiêu đề, in hoa; bỏ trống thì là “UBND XÃ …” theo tên xã.
# people_committee = "UBND XÃ CAO MINH"
# Tên hội đồng ban hành các phụ lục, in hoa.
# council = "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG"
# Họ tên Chủ tịch UBND xã (ký quyết định khen thưởng).
chairman = ""
# Họ tên Chủ tịch Hội đồng Thi đua – Khen thưởng xã (ký các phụ lục tổng hợp).
council_chair = ""
# Họ tên người lập biểu.
preparer = ""
# Bộ phận các đơn vị liên hệ khi điền phiếu, số điện thoại, email (in trên trang “Hướng dẫn” của phiếu).
office = "Bộ phận Thi đua – Khen thưởng (Phòng Văn hóa – Xã hội), UBND xã Cao Minh"
phone = ""
email = ""

# ---------------------------------------------------------------------------------------------------------
# Bộ tiêu chí chấm điểm và cách xếp loại
# ---------------------------------------------------------------------------------------------------------
[rubric]
# Tệp bộ tiêu chí riêng của xã (TOML). Bỏ trống để dùng bộ “Cao Minh 2026” có sẵn (xem: dvk rubric).
# file = './bo-tieu-chi-{year}.toml'
# Cách xếp loại: "dan-van-2025" (≥95 / 85 / 75, mặc định) hoặc "nd-335-2025" (≥90 / 70 / 50, HTXS ≤ 20% số HTT).
preset = "dan-van-2025"

# ---------------------------------------------------------------------------------------------------------
# Danh sách đơn vị được đánh giá
# ---------------------------------------------------------------------------------------------------------
# Mỗi đơn vị là một mục [[units]] với các khóa:
#   code   mã đơn vị: chữ không dấu, số, "_", "." hoặc "-", không có dấu cách, tối đa 20 ký tự, không trùng nhau
#   name   tên đơn vị
#   kind   loại đơn vị, một trong: "Phòng, ban" · "MTTQ, đoàn thể" · "Đơn vị thuộc UBND xã" · "Thôn, xóm"
#          (gõ không dấu cũng được, ví dụ "thon xom")
#   email  địa chỉ email liên hệ (không bắt buộc)
#   phone  số điện thoại liên hệ (không bắt buộc)
#   sheet  địa chỉ (hoặc mã) bảng tính Google Sheets của đơn vị (không bắt buộc; bỏ trống nếu đơn vị gửi tệp qua email)
#
# Thay cho các mục [[units]], có thể dùng một tệp danh sách: xem khóa units_file ở đầu tệp.

[[units]]
code = "VP"
name = "Văn phòng HĐND và UBND"
kind = "Phòng, ban"
email = "vanphong@caominh.example.vn"
sheet = "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-VP/edit"

[[units]]
code = "KT"
name = "Phòng Kinh tế"
kind = "Phòng, ban"
email = "kinhte@caominh.example.vn"

[[units]]
code = "MTTQ"
name = "Ủy ban MTTQ Việt Nam xã"
kind = "MTTQ, đoàn thể"
email = "mttq@caominh.example.vn"

[[units]]
code = "HND"
name = "Hội Nông dân"
kind = "MTTQ, đoàn thể"

[[units]]
code = "TYT"
name = "Trạm Y tế"
kind = "Đơn vị thuộc UBND xã"
phone = "0208 3000 000"

[[units]]
code = "NAMO"
name = "Thôn Nà Mò"
kind = "Thôn, xóm"

[[units]]
code = "BANCHANG"
name = "Thôn Bản Chang"
kind = "Thôn, xóm"

# ---------------------------------------------------------------------------------------------------------
# Nguồn dữ liệu: thư mục tệp gửi qua email và Google Sheets
# ---------------------------------------------------------------------------------------------------------
[sources.folder]
# Thư mục chứa các tệp .xlsx các đơn vị gửi qua email (mã đơn vị được đọc từ trong tệp).
path = './nop-bai'

[sources.google]
# Tệp khóa JSON của tài khoản dịch vụ Google (service account). Chia sẻ bảng tính của từng đơn vị
# (quyền Xem) cho địa chỉ email của tài khoản dịch vụ này. Không gửi tệp khóa cho người khác.
# credentials = './khoa-tai-khoan-dich-vu.json'
# Địa chỉ thay thế cho API Google, chỉ dùng khi chạy thử với máy giả lập; để trống khi chạy thật.
# api_endpoint = "http://127.0.0.1:8765"
# Mã (hoặc địa chỉ) thư mục Google Drive chứa bảng tính các đơn vị: giúp kiểm tra thay đổi bằng một lượt đọc.
# drive_folder_id = "1AbCdEfGhIjKlMnOpQrStUvWxYz"
# Số lượt đọc tối đa mỗi phút (1–60; hạn mức của Google là 60 cho một tài khoản dịch vụ).
reads_per_minute = 55
# Thời gian chờ tối đa mỗi yêu cầu, tính bằng giây.
timeout = 30
# Số lần thử tối đa khi Google báo lỗi tạm thời (quá hạn mức, lỗi máy chủ, mất kết nối).
max_attempts = 5
# Tệp OAuth client (loại “ứng dụng cài đặt”) của xã, tải từ Google Cloud Console: dùng để đăng nhập bằng
# tài khoản Google của xã (`dvk google login`) khi tạo, chia sẻ, ghi kết quả và khóa bảng tính của các đơn vị.
# oauth_client = './oauth-client.json'
# Ghi kết quả kiểm tra vào trang “Kết quả kiểm tra” trong bảng tính của từng đơn vị sau mỗi lần đồng bộ.
# Bỏ trống: có ghi khi đã đăng nhập.
# write_back = true

# ---------------------------------------------------------------------------------------------------------
# Tệp kết quả
# ---------------------------------------------------------------------------------------------------------
[output]
# Tệp Excel tổng hợp; {{year}} được thay bằng năm đánh giá.
master = './tong-hop/tong-hop-dan-van-kheo-{{year}}.xlsx'
# Sổ lưu trữ SQLite (mọi phiên bản đã nhận, điểm thẩm định). Bỏ trống: dvk-ledger.sqlite cạnh tệp tổng hợp.
# ledger = './tong-hop/dvk-ledger.sqlite'
# Nhật ký của dịch vụ `dvk sync --watch`. Bỏ trống: dvk-sync.log cạnh tệp tổng hợp.
# log = './tong-hop/dvk-sync.log'

# ---------------------------------------------------------------------------------------------------------
# Văn bản của hội đồng (`dvk docs`): báo cáo, tờ trình, quyết định khen thưởng
# ---------------------------------------------------------------------------------------------------------
[documents]
# Thư mục mẫu văn bản .docx riêng của xã (tạo bằng `dvk docs --export-templates THƯ-MỤC`, sửa trong Word).
# templates = './mau-van-ban'
# Số và ngày của văn bản; bỏ trống thì văn bản để “…” để điền tay.
# report_number = "15/BC-UBND"
# report_date = {year}-12-25
# submission_number = "08/TTr-UBND"
# submission_date = {year}-12-28
# decision_number = "120/QĐ-UBND"
# decision_date = {next_year}-01-05
# Nơi nhận (mỗi mục một dòng); bỏ trống để dùng danh sách mặc định.
# recipients = ["Thường trực Đảng ủy xã", "Các đơn vị được đánh giá"]

# ---------------------------------------------------------------------------------------------------------
# Khen thưởng: số lượng do Hội đồng Thi đua – Khen thưởng xã quyết định
# ---------------------------------------------------------------------------------------------------------
[awards]
# Số Giấy khen của Chủ tịch UBND xã xét trong năm. Danh sách đề nghị (trang “Đề nghị khen thưởng” của tệp tổng
# hợp, tờ trình) xếp các trường hợp đủ điều kiện theo tổng điểm; các trường hợp vượt số này vẫn được liệt kê, ghi
# rõ “Ngoài số lượng”. Khi bằng điểm ở ngưỡng, ưu tiên nữ và tập thể có từ 70% nữ (NĐ 152/2025/NĐ-CP, Điều 4
# khoản 6). Bỏ trống: không giới hạn.
# giay_khen_quota = 5
"""


def example_config(year: int | None = None) -> str:
    """The text of a commented example dvk.toml for ``year`` (the current evaluation year by default)."""
    year = year or current_evaluation_year()
    return _TEMPLATE.format(year=year, next_year=year + 1)
