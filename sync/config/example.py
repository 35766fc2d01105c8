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
# Đúng hạn khi phiếu đầu tiên của đơn vị (đọc được, đã điền) tới dvk chậm nhất ngày này; bản sửa gửi sau vẫn đúng hạn.
deadline = {year}-12-15
# Tên và chức danh in ở tiêu đề, dòng ngày tháng và phần chữ ký của các phụ lục, báo cáo, tờ trình, quyết định.
# Bỏ trống thì văn bản để dấu “…” để điền tay.
# Địa danh ở dòng “…, ngày … tháng … năm …”; bỏ trống thì lấy từ tên xã (“Cao Minh”).
# place = "Cao Minh"
# Tên cơ quan ở góc trái tiêu đề, in hoa; bỏ trống thì là “UBND XÃ …” theo tên xã.
# people_committee = "UBND XÃ CAO MINH"
# Tên hội đồng ban hành các phụ lục, in hoa.
# council = "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"
# Họ tên Chủ tịch UBND xã (ký quyết định khen thưởng).
chairman = ""
# Họ tên Chủ tịch Hội đồng Thi đua - Khen thưởng xã (ký các phụ lục tổng hợp).
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
# Tệp bộ tiêu chí riêng của xã (TOML). Bỏ trống để dùng bộ tiêu chí mặc định của dvk (xem: dvk rubric).
# file = './bo-tieu-chi-{year}.toml'
# Cách xếp loại: "dan-van-2025" (≥95 / 85 / 75, mặc định) hoặc "nd-335-2025" (≥90 / 70 / 50, HTXS ≤ 20% số HTT).
preset = "dan-van-2025"

# ---------------------------------------------------------------------------------------------------------
# Danh sách đơn vị được đánh giá
# ---------------------------------------------------------------------------------------------------------
# Mỗi đơn vị là một mục [[units]] với các khóa:
#   code   mã đơn vị: chữ không dấu, số, "_", "." hoặc "-", không có dấu cách, tối đa 20 ký tự, không trùng nhau
#          (không phân biệt chữ hoa, chữ thường: "hnd" và "HND" là một mã; dvk ghi mã bằng chữ hoa)
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
# Văn bản của hội đồng (`dvk docs`): báo cáo, biên bản, tờ trình, quyết định khen thưởng, quyết định công nhận
# ---------------------------------------------------------------------------------------------------------
[documents]
# Thư mục mẫu văn bản .docx riêng của xã (tạo bằng `dvk docs --export-templates THƯ-MỤC`, sửa trong Word).
# templates = './mau-van-ban'
# Tệp căn cứ pháp lý riêng của xã (chép can-cu.toml do --export-templates ghi ra, sửa bản chép). Bỏ trống:
# dùng bộ căn cứ có sẵn (Luật TCCQĐP 2025, Luật Thi đua, khen thưởng 2022, NĐ 152/2025, NĐ 129/2025, …).
# grounds = './mau-van-ban/can-cu.toml'
# Kế hoạch thực hiện Phong trào của xã và quy định về khen thưởng của xã: số, ngày (in trong các căn cứ).
# plan_number = "45/KH-UBND"
# plan_date = 2026-04-03
# regulation_number = "02/QyĐ-VHXH"
# regulation_date = 2026-04-20
# Số và ngày văn bản của năm đánh giá ở mục [commune]; bỏ trống thì văn bản để “…” tô vàng và là DỰ THẢO.
# Mỗi năm một số mới (Nghị định 30/2020); năm khác ghi ở mục riêng [documents.NĂM] (xem cuối mục này).
# Tình trạng nộp (còn hạn, trễ hạn, chưa nộp) trong văn bản tính đến ngày của văn bản; bỏ trống ngày thì tính
# đến ngày lập văn bản.
# report_number = "15/BC-UBND"
# report_date = {year}-12-22
# minutes_number = "01/BB-HĐTĐKT"
# minutes_date = {year}-12-24
# submission_number = "01/TTr-HĐTĐKT"
# submission_date = {year}-12-26
# decision_number = "02/QĐ-UBND"
# decision_date = {next_year}-01-05
# recognition_number = "03/QĐ-UBND"
# recognition_date = {next_year}-01-05
# Ai trình đề nghị khen thưởng: "council" (Hội đồng Thi đua - Khen thưởng, số riêng TTr-HĐTĐKT) hoặc "office"
# (cơ quan thường trực của Hội đồng, theo kế hoạch mục IV.2 là Phòng Văn hóa - Xã hội, số TTr-VHXH).
# submission_issuer = "council"
# standing_office = "Phòng Văn hóa - Xã hội"
# standing_office_code = "VHXH"
# Thành viên Hội đồng, in trong danh sách dự họp của biên bản (“Họ tên – chức vụ”).
# council_members = ["Nguyễn Văn A – Chủ tịch UBND xã, Chủ tịch Hội đồng", "Trần Thị B – Phó Chủ tịch Hội đồng"]
# Nơi nhận thêm (mỗi mục một dòng), sau các nơi nhận mặc định (“Như Điều 3”, “Như trên”, …, “Lưu: VT”):
# recipients cho mọi văn bản; report_, submission_, decision_, recognition_recipients cho từng văn bản.
# recipients = ["Ban Tuyên giáo và Dân vận Tỉnh ủy"]
# decision_recipients = ["Kho bạc Nhà nước khu vực"]

# Người ký từng văn bản (bỏ trống: theo mục [commune]). Ví dụ Phó Chủ tịch Hội đồng ký tờ trình thay Chủ tịch:
# [documents.signers.to-trinh]
# lines = ["TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
# position = "PHÓ CHỦ TỊCH UBND XÃ CAO MINH"
# name = "Trần Thị B"
# Thư ký cuộc họp Hội đồng (ký biên bản):
# [documents.signers.thu-ky]
# name = "Hoàng Thị C"

# Số và ngày văn bản của một năm khác, và của sơ kết (phase1) / tổng kết (phase2): báo cáo, biên bản họp Hội
# đồng, tờ trình và quyết định khen thưởng giai đoạn (dvk docs --phase 1). Ngày phải sau hạn nộp phiếu năm cuối
# của giai đoạn (2028, 2030).
# [documents.{next_year}]
# report_number = "18/BC-UBND"
# report_date = {next_year}-12-21
# [documents.phase1]
# report_number = "30/BC-UBND"
# report_date = 2028-12-30
# minutes_number = "05/BB-HĐTĐKT"
# minutes_date = 2029-01-06
# submission_number = "06/TTr-HĐTĐKT"
# submission_date = 2029-01-08
# decision_number = "12/QĐ-UBND"
# decision_date = 2029-01-12

# ---------------------------------------------------------------------------------------------------------
# Khen thưởng: số lượng do Hội đồng Thi đua – Khen thưởng xã quyết định
# ---------------------------------------------------------------------------------------------------------
[awards]
# Số Giấy khen của Chủ tịch UBND xã xét trong năm. Danh sách đề nghị (trang “Đề nghị khen thưởng” của tệp tổng
# hợp, tờ trình) xếp các trường hợp đủ điều kiện theo tổng điểm; các trường hợp vượt số này vẫn được liệt kê, ghi
# rõ “Ngoài số lượng”. Khi bằng điểm ở ngưỡng, ưu tiên nữ và tập thể có từ 70% nữ (NĐ 152/2025/NĐ-CP, Điều 4
# khoản 6). Bỏ trống: không giới hạn.
# giay_khen_quota = 5
# Số Giấy khen xét khi sơ kết (giai đoạn I, kết quả 2026-2028) và tổng kết (giai đoạn II, kết quả 2029-2030;
# năm 2028 đã xét ở sơ kết): đơn vị đạt từ Hoàn thành tốt nhiệm vụ trở lên ở mọi năm của giai đoạn, xếp theo
# điểm bình quân, cùng các mô hình, điển hình tiêu biểu được công nhận trong giai đoạn. Bỏ trống: không giới hạn.
# phase_giay_khen_quota = 3
"""


def example_config(year: int | None = None) -> str:
    """The text of a commented example dvk.toml for ``year`` (the current evaluation year by default)."""
    year = year or current_evaluation_year()
    return _TEMPLATE.format(year=year, next_year=year + 1)
