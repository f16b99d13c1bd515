"""The demo procedure catalogue: sectors (lĩnh vực) and procedures (TTHC) per agency kind.

A small, realistic catalogue with Vietnamese names. Procedure codes follow the
national format (`x.xxxxxx`) but are illustrative: they were not checked against the
national procedure database (Cơ sở dữ liệu quốc gia về TTHC). Legal processing times
are in working days (ngày làm việc); 0 means "within the day" (trong ngày).
`weight` is the relative volume of a procedure within its catalogue; `late_factor`
scales how often it ends late (land procedures are slower than civil status);
`supplement_factor` scales how often a supplement is requested.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

FIELDS: dict[str, str] = {
    "HT": "Hộ tịch",
    "CT": "Chứng thực",
    "DD": "Đất đai",
    "XD": "Xây dựng",
    "DKKD": "Đăng ký kinh doanh",
    "LDTBXH": "Lao động - Thương binh và Xã hội",
    "GTVT": "Giao thông vận tải",
    "TP": "Tư pháp",
    "YT": "Y tế",
    "GDDT": "Giáo dục và Đào tạo",
    "NN": "Nông nghiệp và Phát triển nông thôn",
    "MT": "Tài nguyên và Môi trường",
    "VHTTDL": "Văn hóa, Thể thao và Du lịch",
    "CTH": "Công Thương",
    "NV": "Nội vụ",
    "TTTT": "Thông tin và Truyền thông",
    "TC": "Tài chính",
    "KHDT": "Kế hoạch và Đầu tư",
    "KHCN": "Khoa học và Công nghệ",
    "DT": "Công tác dân tộc",
    "TTR": "Thanh tra",
    "NGV": "Ngoại vụ",
    "KKT": "Khu kinh tế, khu công nghiệp",
    "VP": "Văn phòng",
}


@dataclass(frozen=True)
class Procedure:
    code: str
    field_code: str
    legal_days: int
    online_level: str  # "full" | "partial" | "" (not offered online)
    has_fee: bool
    weight: float
    late_factor: float
    supplement_factor: float
    name: str
    full_online_from: date | None = None  # a "partial" procedure became "full" online on this date

    @property
    def field_name(self) -> str:
        return FIELDS[self.field_code]


# Procedures that became full online (DVC trực tuyến toàn trình) during the demo period.
FULL_ONLINE_FROM: dict[str, date] = {
    "2.000815": date(2024, 7, 1),
    "2.000908": date(2024, 7, 1),
    "1.004203": date(2025, 7, 1),
}

Row = tuple[str, str, int, str, int, float, float, float, str]


def _procedures(*rows: Row) -> tuple[Procedure, ...]:
    return tuple(
        Procedure(
            code, field, days, online, bool(fee), weight, late, supplement, name, FULL_ONLINE_FROM.get(code)
        )
        for code, field, days, online, fee, weight, late, supplement, name in rows
    )


# fmt: off
COMMUNE = _procedures(
    # code       field     days online    fee weight late supplement / name
    ("1.001193", "HT",     0,  "full",    0, 14,  0.4, 0.5,
     "Đăng ký khai sinh"),
    ("1.000894", "HT",     0,  "partial", 0, 4,   0.4, 0.5,
     "Đăng ký kết hôn"),
    ("1.000656", "HT",     0,  "full",    0, 4,   0.4, 0.5,
     "Đăng ký khai tử"),
    ("2.000635", "HT",     0,  "full",    1, 8,   0.3, 0.3,
     "Cấp bản sao trích lục hộ tịch"),
    ("1.004873", "HT",     3,  "full",    1, 7,   0.6, 0.8,
     "Cấp Giấy xác nhận tình trạng hôn nhân"),
    ("1.001022", "HT",     5,  "full",    0, 3,   1,   1,
     "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho "
     "trẻ em dưới 6 tuổi"),
    ("1.004859", "HT",     5,  "partial", 1, 1,   0.8, 1.5,
     "Đăng ký lại khai sinh"),
    ("2.000815", "CT",     0,  "partial", 1, 30,  0.3, 0.2,
     "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp "
     "hoặc chứng nhận"),
    ("2.000884", "CT",     0,  "",        1, 6,   0.3, 0.2,
     "Chứng thực chữ ký trong các giấy tờ, văn bản"),
    ("2.001035", "CT",     2,  "",        1, 5,   0.6, 0.8,
     "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất, nhà ở"),
    ("1.003554", "DD",     45, "",        0, 0.5, 2.5, 1.5,
     "Hòa giải tranh chấp đất đai"),
    ("1.004227", "DD",     3,  "partial", 0, 3,   1.8, 2,
     "Tiếp nhận hồ sơ đăng ký đất đai, cấp Giấy chứng nhận quyền sử dụng đất tại cấp xã"),
    ("1.001776", "LDTBXH", 10, "partial", 0, 0.5, 1.2, 1,
     "Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở"),
    ("1.001758", "LDTBXH", 7,  "partial", 0, 1,   1,   1,
     "Xác nhận hộ gia đình làm nông nghiệp, lâm nghiệp, ngư nghiệp có mức sống trung bình"),
    ("1.001699", "LDTBXH", 3,  "full",    0, 0.8, 1,   1,
     "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội"),
    ("1.000954", "VHTTDL", 5,  "partial", 0, 0.5, 1,   1,
     "Xét tặng danh hiệu Gia đình văn hóa hằng năm"),
    ("2.001827", "NN",     10, "partial", 0, 0.5, 1.3, 1.2,
     "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai, dịch bệnh"),
)

DISTRICT = _procedures(
    # code       field     days online    fee weight late supplement / name
    ("1.004203", "DD",     10, "partial", 1, 18,  2,   2,
     "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất"),
    ("1.001990", "DD",     20, "partial", 1, 6,   2.2, 2.5,
     "Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất "
     "lần đầu"),
    ("1.004217", "DD",     15, "partial", 1, 2,   2,   2,
     "Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền"),
    ("1.004221", "DD",     7,  "partial", 1, 4,   1.8, 1.5,
     "Cấp đổi Giấy chứng nhận quyền sử dụng đất"),
    ("1.009994", "XD",     15, "full",    1, 5,   1.3, 2,
     "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ"),
    ("1.009995", "XD",     15, "full",    1, 1,   1.2, 1.5,
     "Cấp giấy phép sửa chữa, cải tạo đối với nhà ở riêng lẻ"),
    ("2.000720", "DKKD",   3,  "full",    1, 6,   0.5, 0.8,
     "Đăng ký thành lập hộ kinh doanh"),
    ("2.000575", "DKKD",   3,  "full",    1, 3,   0.5, 0.8,
     "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh"),
    ("2.000528", "HT",     15, "partial", 0, 0.3, 0.8, 1,
     "Đăng ký khai sinh có yếu tố nước ngoài"),
    ("1.000893", "HT",     10, "partial", 1, 0.3, 0.8, 1.5,
     "Đăng ký kết hôn có yếu tố nước ngoài"),
    ("2.000748", "HT",     3,  "full",    1, 1.5, 0.6, 1,
     "Thay đổi, cải chính, bổ sung thông tin hộ tịch"),
    ("2.000843", "CT",     0,  "partial", 1, 1,   0.3, 0.2,
     "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của nước ngoài "
     "cấp hoặc chứng nhận"),
    ("2.000908", "CT",     0,  "partial", 1, 8,   0.3, 0.2,
     "Chứng thực bản sao từ bản chính giấy tờ, văn bản tại Phòng Tư pháp"),
    ("1.001753", "LDTBXH", 15, "partial", 0, 3,   1.2, 1,
     "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng"),
    ("1.002519", "LDTBXH", 12, "partial", 0, 1,   1,   1,
     "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ"),
    ("1.005070", "GDDT",   3,  "full",    0, 1,   0.5, 0.5,
     "Chuyển trường đối với học sinh trung học cơ sở"),
    ("2.000633", "CTH",    10, "full",    1, 0.5, 1,   1,
     "Cấp Giấy phép bán lẻ sản phẩm rượu"),
    ("1.005280", "KHDT",   5,  "full",    1, 0.3, 1,   1,
     "Đăng ký thành lập hợp tác xã"),
    ("1.001750", "YT",     15, "full",    1, 0.8, 1.2, 1.5,
     "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm"),
    ("1.001029", "VHTTDL", 5,  "full",    1, 0.2, 1,   1,
     "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke"),
)

DEPARTMENTS: dict[str, tuple[Procedure, ...]] = {
    "SGTVT": _procedures(
        ("1.002804", "GTVT",   5,  "full",    1, 10,  0.5, 1,
         "Cấp đổi giấy phép lái xe do ngành Giao thông vận tải cấp"),
        ("1.002809", "GTVT",   10, "full",    1, 2,   0.7, 1,
         "Cấp lại giấy phép lái xe"),
        ("1.002820", "GTVT",   5,  "full",    1, 1,   0.5, 1,
         "Cấp Giấy phép lái xe quốc tế"),
        ("1.002859", "GTVT",   2,  "full",    1, 1,   1,   1,
         "Cấp Giấy phép liên vận Việt - Lào cho phương tiện"),
        ("1.004988", "GTVT",   3,  "partial", 1, 0.5, 1,   1,
         "Đăng ký xe máy chuyên dùng lần đầu"),
    ),
    "STP": _procedures(
        ("2.000488", "TP",     10, "full",    1, 8,   1,   0.5,
         "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam"),
        ("2.001032", "TP",     10, "partial", 1, 0.3, 1,   1,
         "Đăng ký hoạt động Văn phòng công chứng"),
        ("1.008724", "TP",     10, "partial", 1, 0.2, 1,   1,
         "Đăng ký hoạt động của tổ chức hành nghề luật sư"),
    ),
    "SKHDT": _procedures(
        ("2.001610", "DKKD",   3,  "full",    1, 2,   1,   1,
         "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên"),
        ("2.002043", "DKKD",   3,  "full",    1, 5,   0.5, 1,
         "Đăng ký thay đổi nội dung đăng ký doanh nghiệp"),
        ("2.001983", "DKKD",   3,  "full",    0, 1.5, 0.3, 1,
         "Thông báo tạm ngừng kinh doanh"),
        ("2.001167", "DKKD",   5,  "full",    0, 0.5, 1,   1,
         "Giải thể doanh nghiệp"),
        ("1.009645", "KHDT",   35, "partial", 0, 0.3, 2,   1,
         "Chấp thuận chủ trương đầu tư của Ủy ban nhân dân tỉnh"),
    ),
    "STNMT": _procedures(
        ("1.004193", "DD",     10, "partial", 1, 5,   1.8, 1.8,
         "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất của tổ chức"),
        ("1.004177", "DD",     20, "partial", 1, 1,   2,   2,
         "Cấp Giấy chứng nhận quyền sử dụng đất cho tổ chức"),
        ("1.004209", "DD",     2,  "full",    1, 3,   0.5, 1,
         "Cung cấp dữ liệu đất đai"),
        ("1.010727", "MT",     15, "partial", 1, 0.3, 1.5, 1.5,
         "Cấp giấy phép môi trường"),
        ("1.004232", "MT",     25, "partial", 1, 0.2, 1.5, 1,
         "Cấp giấy phép khai thác, sử dụng nước dưới đất"),
    ),
    "SYT": _procedures(
        ("1.002952", "YT",     20, "full",    1, 1,   1,   1,
         "Cấp Chứng chỉ hành nghề dược"),
        ("1.004616", "YT",     20, "partial", 1, 0.7, 1.3, 1,
         "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược"),
        ("1.012256", "YT",     20, "partial", 1, 1,   1,   1,
         "Cấp giấy phép hành nghề khám bệnh, chữa bệnh"),
        ("2.000609", "YT",     30, "",        0, 0.5, 1.3, 1,
         "Khám giám định y khoa"),
    ),
    "SLDTBXH": _procedures(
        ("1.001978", "LDTBXH", 20, "partial", 0, 5,   0.6, 1,
         "Giải quyết hưởng trợ cấp thất nghiệp"),
        ("1.000459", "LDTBXH", 5,  "full",    1, 0.6, 1,   1,
         "Cấp giấy phép lao động cho người lao động nước ngoài"),
        ("1.002271", "LDTBXH", 12, "partial", 0, 1,   1,   1,
         "Giải quyết chế độ ưu đãi đối với người có công với cách mạng"),
    ),
    "SXD": _procedures(
        ("1.009974", "XD",     20, "full",    1, 0.5, 1.5, 1,
         "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II"),
        ("1.009972", "XD",     25, "partial", 1, 0.5, 1.5, 1,
         "Thẩm định Báo cáo nghiên cứu khả thi đầu tư xây dựng"),
        ("1.009986", "XD",     20, "full",    1, 1,   1,   1,
         "Cấp chứng chỉ hành nghề hoạt động xây dựng"),
    ),
    "SCT": _procedures(
        ("2.000620", "CTH",    15, "full",    1, 0.5, 1,   1,
         "Cấp Giấy phép bán buôn sản phẩm rượu"),
        ("2.000002", "CTH",    5,  "full",    0, 2,   0.3, 1,
         "Đăng ký thực hiện khuyến mại"),
        ("2.001655", "CTH",    15, "partial", 1, 0.3, 1,   1,
         "Cấp Giấy phép hoạt động điện lực"),
    ),
    "SGDDT": _procedures(
        ("2.001914", "GDDT",   0,  "full",    1, 2,   0.3, 1,
         "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc"),
        ("2.001918", "GDDT",   5,  "partial", 0, 0.5, 1,   1,
         "Chỉnh sửa nội dung văn bằng, chứng chỉ"),
        ("1.005081", "GDDT",   3,  "full",    0, 1,   0.5, 1,
         "Chuyển trường đối với học sinh trung học phổ thông"),
    ),
    "SNV": _procedures(
        ("1.000775", "NV",     20, "",        0, 1,   1,   1,
         "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"),
        ("1.001055", "NV",     15, "partial", 0, 0.3, 1,   1,
         "Đăng ký thuyên chuyển chức sắc, chức việc, nhà tu hành"),
        ("2.001815", "NV",     2,  "full",    1, 0.5, 1,   1,
         "Cấp bản sao và chứng thực tài liệu lưu trữ"),
    ),
    "STTTT": _procedures(
        ("1.003725", "TTTT",   15, "full",    0, 0.5, 1,   1,
         "Cấp giấy phép xuất bản bản tin"),
        ("1.004572", "TTTT",   5,  "full",    1, 0.5, 1,   1,
         "Cấp giấy phép hoạt động in"),
    ),
    "SVHTTDL": _procedures(
        ("1.001432", "VHTTDL", 10, "full",    1, 0.5, 1,   1,
         "Cấp Giấy phép kinh doanh dịch vụ lữ hành nội địa"),
        ("1.001455", "VHTTDL", 30, "partial", 1, 0.5, 1,   1,
         "Công nhận hạng cơ sở lưu trú du lịch hạng 1 sao, 2 sao, 3 sao"),
        ("1.009397", "VHTTDL", 5,  "full",    0, 0.5, 1,   1,
         "Tổ chức biểu diễn nghệ thuật trên địa bàn tỉnh"),
        ("1.000932", "VHTTDL", 7,  "full",    1, 0.3, 1,   1,
         "Cấp Giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao"),
    ),
    "SNNPTNT": _procedures(
        ("1.003612", "NN",     1,  "partial", 1, 3,   0.5, 1,
         "Cấp Giấy chứng nhận kiểm dịch động vật, sản phẩm động vật vận chuyển ra khỏi địa bàn cấp tỉnh"),
        ("1.008004", "NN",     15, "full",    1, 0.5, 1,   1,
         "Cấp Giấy chứng nhận đủ điều kiện buôn bán phân bón"),
        ("1.004692", "NN",     7,  "partial", 1, 0.3, 1,   1,
         "Cấp văn bản chấp thuận đóng mới, cải hoán tàu cá"),
    ),
    "STC": _procedures(
        ("1.005449", "TC",     2,  "full",    0, 2,   0.5, 1,
         "Cấp mã số đơn vị có quan hệ với ngân sách"),
        ("1.005422", "TC",     2,  "partial", 1, 0.3, 1,   1,
         "Mua quyển hóa đơn bán tài sản công"),
    ),
    "SKHCN": _procedures(
        ("1.004480", "KHCN",   10, "full",    1, 0.5, 1,   1,
         "Cấp giấy phép tiến hành công việc bức xạ - sử dụng thiết bị X-quang chẩn đoán y tế"),
        ("1.002224", "KHCN",   10, "partial", 0, 0.3, 1,   1,
         "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ"),
    ),
    "BQLKKT": _procedures(
        ("1.009770", "KKT",    15, "partial", 0, 0.5, 1.5, 1,
         "Cấp Giấy chứng nhận đăng ký đầu tư trong khu kinh tế"),
        ("1.000105", "KKT",    5,  "full",    1, 0.7, 1,   1,
         "Cấp giấy phép lao động cho người nước ngoài làm việc trong khu công nghiệp"),
        ("1.009811", "KKT",    20, "partial", 1, 0.3, 1.5, 1,
         "Cấp giấy phép xây dựng trong khu kinh tế, khu công nghiệp"),
    ),
    "SNGV": _procedures(
        ("2.001791", "NGV",    10, "full",    0, 1,   1,   1,
         "Cho phép sử dụng thẻ đi lại của doanh nhân APEC"),
        ("2.001802", "NGV",    15, "partial", 0, 0.3, 1,   1,
         "Cho phép tổ chức hội nghị, hội thảo quốc tế"),
    ),
    "TTRA": _procedures(
        ("2.002387", "TTR",    30, "",        0, 1,   2.5, 1,
         "Giải quyết khiếu nại lần đầu tại cấp tỉnh"),
        ("2.002395", "TTR",    30, "",        0, 0.3, 2.5, 1,
         "Giải quyết tố cáo tại cấp tỉnh"),
    ),
    "BDT": _procedures(
        ("1.003714", "DT",     15, "",        0, 1,   1,   1,
         "Công nhận người có uy tín trong đồng bào dân tộc thiểu số"),
    ),
    "VPUB": _procedures(
        ("1.000278", "VP",     10, "full",    0, 1,   1,   1,
         "Tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính"),
    ),
}
# fmt: on

GENERIC_DEPARTMENT = _procedures(("9.000001", "VP", 10, "partial", 0, 1, 1, 1, "Thủ tục cấp tỉnh (mẫu)"))

# Relative yearly volume of each department (driving licences, criminal records,
# business and land registration dominate). Unknown codes get DEFAULT_DEPARTMENT_WEIGHT.
DEPARTMENT_WEIGHTS: dict[str, float] = {
    "SGTVT": 16,
    "STNMT": 12,
    "SKHDT": 9,
    "STP": 8,
    "SLDTBXH": 7,
    "SYT": 5,
    "SNNPTNT": 4,
    "SXD": 3,
    "SCT": 3,
    "SGDDT": 3,
    "SNV": 2,
    "SVHTTDL": 2,
    "STC": 2,
    "BQLKKT": 1.5,
    "STTTT": 1,
    "SKHCN": 1,
    "SNGV": 0.4,
    "VPUB": 0.3,
    "TTRA": 0.2,
    "BDT": 0.2,
    # from 01/3/2025 (Nghị định 45/2025/NĐ-CP): the merged departments
    "SNNMT": 16,
    "SDTTG": 0.2,
}
DEFAULT_DEPARTMENT_WEIGHT = 1.0


def department_catalogue(code: str) -> tuple[Procedure, ...]:
    return DEPARTMENTS.get(code, GENERIC_DEPARTMENT)


def two_tier_commune_catalogue() -> tuple[Procedure, ...]:
    """From 2025-07-01 communes also handle the former district-level procedures."""
    return COMMUNE + DISTRICT
