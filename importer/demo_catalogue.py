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
    name: str
    field_code: str
    legal_days: int
    online_level: str  # "full" | "partial" | "" (not offered online)
    has_fee: bool
    weight: float
    late_factor: float = 1.0
    supplement_factor: float = 1.0
    full_online_from: date | None = None  # the procedure became "full" online on this date

    @property
    def field_name(self) -> str:
        return FIELDS[self.field_code]


P = Procedure

COMMUNE: tuple[Procedure, ...] = (
    P("1.001193", "Đăng ký khai sinh", "HT", 0, "full", False, 14, 0.4, 0.5),
    P("1.000894", "Đăng ký kết hôn", "HT", 0, "partial", False, 4, 0.4, 0.5),
    P("1.000656", "Đăng ký khai tử", "HT", 0, "full", False, 4, 0.4, 0.5),
    P("2.000635", "Cấp bản sao trích lục hộ tịch", "HT", 0, "full", True, 8, 0.3, 0.3),
    P("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", "HT", 3, "full", True, 7, 0.6, 0.8),
    P(
        "1.001022",
        "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, "
        "cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
        "HT",
        5,
        "full",
        False,
        3,
        1.0,
        1.0,
    ),
    P("1.004859", "Đăng ký lại khai sinh", "HT", 5, "partial", True, 1, 0.8, 1.5),
    P(
        "2.000815",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền "
        "của Việt Nam cấp hoặc chứng nhận",
        "CT",
        0,
        "partial",
        True,
        30,
        0.3,
        0.2,
        date(2024, 7, 1),
    ),
    P("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản", "CT", 0, "", True, 6, 0.3, 0.2),
    P(
        "2.001035",
        "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất, nhà ở",
        "CT",
        2,
        "",
        True,
        5,
        0.6,
        0.8,
    ),
    P("1.003554", "Hòa giải tranh chấp đất đai", "DD", 45, "", False, 0.5, 2.5, 1.5),
    P(
        "1.004227",
        "Tiếp nhận hồ sơ đăng ký đất đai, cấp Giấy chứng nhận quyền sử dụng đất tại cấp xã",
        "DD",
        3,
        "partial",
        False,
        3,
        1.8,
        2.0,
    ),
    P(
        "1.001776",
        "Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở",
        "LDTBXH",
        10,
        "partial",
        False,
        0.5,
        1.2,
        1.0,
    ),
    P(
        "1.001758",
        "Xác nhận hộ gia đình làm nông nghiệp, lâm nghiệp, ngư nghiệp có mức sống trung bình",
        "LDTBXH",
        7,
        "partial",
        False,
        1,
        1.0,
        1.0,
    ),
    P("1.001699", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", "LDTBXH", 3, "full", False, 0.8),
    P("1.000954", "Xét tặng danh hiệu Gia đình văn hóa hằng năm", "VHTTDL", 5, "partial", False, 0.5),
    P(
        "2.001827",
        "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai, dịch bệnh",
        "NN",
        10,
        "partial",
        False,
        0.5,
        1.3,
        1.2,
    ),
)

DISTRICT: tuple[Procedure, ...] = (
    P(
        "1.004203",
        "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        "DD",
        10,
        "partial",
        True,
        18,
        2.0,
        2.0,
        date(2025, 7, 1),
    ),
    P(
        "1.001990",
        "Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác "
        "gắn liền với đất lần đầu",
        "DD",
        20,
        "partial",
        True,
        6,
        2.2,
        2.5,
    ),
    P(
        "1.004217",
        "Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền",
        "DD",
        15,
        "partial",
        True,
        2,
        2.0,
        2.0,
    ),
    P("1.004221", "Cấp đổi Giấy chứng nhận quyền sử dụng đất", "DD", 7, "partial", True, 4, 1.8, 1.5),
    P("1.009994", "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "XD", 15, "full", True, 5, 1.3, 2.0),
    P(
        "1.009995",
        "Cấp giấy phép sửa chữa, cải tạo đối với nhà ở riêng lẻ",
        "XD",
        15,
        "full",
        True,
        1,
        1.2,
        1.5,
    ),
    P("2.000720", "Đăng ký thành lập hộ kinh doanh", "DKKD", 3, "full", True, 6, 0.5, 0.8),
    P("2.000575", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "DKKD", 3, "full", True, 3, 0.5, 0.8),
    P("2.000528", "Đăng ký khai sinh có yếu tố nước ngoài", "HT", 15, "partial", False, 0.3, 0.8, 1.0),
    P("1.000893", "Đăng ký kết hôn có yếu tố nước ngoài", "HT", 10, "partial", True, 0.3, 0.8, 1.5),
    P("2.000748", "Thay đổi, cải chính, bổ sung thông tin hộ tịch", "HT", 3, "full", True, 1.5, 0.6, 1.0),
    P(
        "2.000843",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền "
        "của nước ngoài cấp hoặc chứng nhận",
        "CT",
        0,
        "partial",
        True,
        1,
        0.3,
        0.2,
    ),
    P(
        "2.000908",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản tại Phòng Tư pháp",
        "CT",
        0,
        "partial",
        True,
        8,
        0.3,
        0.2,
        date(2024, 7, 1),
    ),
    P(
        "1.001753",
        "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng",
        "LDTBXH",
        15,
        "partial",
        False,
        3,
        1.2,
        1.0,
    ),
    P("1.002519", "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", "LDTBXH", 12, "partial", False, 1),
    P("1.005070", "Chuyển trường đối với học sinh trung học cơ sở", "GDDT", 3, "full", False, 1, 0.5, 0.5),
    P("2.000633", "Cấp Giấy phép bán lẻ sản phẩm rượu", "CTH", 10, "full", True, 0.5),
    P("1.005280", "Đăng ký thành lập hợp tác xã", "KHDT", 5, "full", True, 0.3),
    P(
        "1.001750",
        "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
        "YT",
        15,
        "full",
        True,
        0.8,
        1.2,
        1.5,
    ),
    P("1.001029", "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke", "VHTTDL", 5, "full", True, 0.2),
)

DEPARTMENTS: dict[str, tuple[Procedure, ...]] = {
    "SGTVT": (
        P(
            "1.002804",
            "Cấp đổi giấy phép lái xe do ngành Giao thông vận tải cấp",
            "GTVT",
            5,
            "full",
            True,
            10,
            0.5,
        ),
        P("1.002809", "Cấp lại giấy phép lái xe", "GTVT", 10, "full", True, 2, 0.7),
        P("1.002820", "Cấp Giấy phép lái xe quốc tế", "GTVT", 5, "full", True, 1, 0.5),
        P("1.002859", "Cấp Giấy phép liên vận Việt - Lào cho phương tiện", "GTVT", 2, "full", True, 1),
        P("1.004988", "Đăng ký xe máy chuyên dùng lần đầu", "GTVT", 3, "partial", True, 0.5),
    ),
    "STP": (
        P(
            "2.000488",
            "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
            "TP",
            10,
            "full",
            True,
            8,
            1.0,
            0.5,
        ),
        P("2.001032", "Đăng ký hoạt động Văn phòng công chứng", "TP", 10, "partial", True, 0.3),
        P("1.008724", "Đăng ký hoạt động của tổ chức hành nghề luật sư", "TP", 10, "partial", True, 0.2),
    ),
    "SKHDT": (
        P(
            "2.001610",
            "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên",
            "DKKD",
            3,
            "full",
            True,
            2,
        ),
        P("2.002043", "Đăng ký thay đổi nội dung đăng ký doanh nghiệp", "DKKD", 3, "full", True, 5, 0.5),
        P("2.001983", "Thông báo tạm ngừng kinh doanh", "DKKD", 3, "full", False, 1.5, 0.3),
        P("2.001167", "Giải thể doanh nghiệp", "DKKD", 5, "full", False, 0.5),
        P(
            "1.009645",
            "Chấp thuận chủ trương đầu tư của Ủy ban nhân dân tỉnh",
            "KHDT",
            35,
            "partial",
            False,
            0.3,
            2.0,
        ),
    ),
    "STNMT": (
        P(
            "1.004193",
            "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất của tổ chức",
            "DD",
            10,
            "partial",
            True,
            5,
            1.8,
            1.8,
        ),
        P(
            "1.004177",
            "Cấp Giấy chứng nhận quyền sử dụng đất cho tổ chức",
            "DD",
            20,
            "partial",
            True,
            1,
            2.0,
            2.0,
        ),
        P("1.004209", "Cung cấp dữ liệu đất đai", "DD", 2, "full", True, 3, 0.5),
        P("1.010727", "Cấp giấy phép môi trường", "MT", 15, "partial", True, 0.3, 1.5, 1.5),
        P("1.004232", "Cấp giấy phép khai thác, sử dụng nước dưới đất", "MT", 25, "partial", True, 0.2, 1.5),
    ),
    "SYT": (
        P("1.002952", "Cấp Chứng chỉ hành nghề dược", "YT", 20, "full", True, 1),
        P(
            "1.004616",
            "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược",
            "YT",
            20,
            "partial",
            True,
            0.7,
            1.3,
        ),
        P("1.012256", "Cấp giấy phép hành nghề khám bệnh, chữa bệnh", "YT", 20, "partial", True, 1),
        P("2.000609", "Khám giám định y khoa", "YT", 30, "", False, 0.5, 1.3),
    ),
    "SLDTBXH": (
        P("1.001978", "Giải quyết hưởng trợ cấp thất nghiệp", "LDTBXH", 20, "partial", False, 5, 0.6),
        P("1.000459", "Cấp giấy phép lao động cho người lao động nước ngoài", "LDTBXH", 5, "full", True, 0.6),
        P(
            "1.002271",
            "Giải quyết chế độ ưu đãi đối với người có công với cách mạng",
            "LDTBXH",
            12,
            "partial",
            False,
            1,
        ),
    ),
    "SXD": (
        P(
            "1.009974",
            "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II",
            "XD",
            20,
            "full",
            True,
            0.5,
            1.5,
        ),
        P(
            "1.009972",
            "Thẩm định Báo cáo nghiên cứu khả thi đầu tư xây dựng",
            "XD",
            25,
            "partial",
            True,
            0.5,
            1.5,
        ),
        P("1.009986", "Cấp chứng chỉ hành nghề hoạt động xây dựng", "XD", 20, "full", True, 1),
    ),
    "SCT": (
        P("2.000620", "Cấp Giấy phép bán buôn sản phẩm rượu", "CTH", 15, "full", True, 0.5),
        P("2.000002", "Đăng ký thực hiện khuyến mại", "CTH", 5, "full", False, 2, 0.3),
        P("2.001655", "Cấp Giấy phép hoạt động điện lực", "CTH", 15, "partial", True, 0.3),
    ),
    "SGDDT": (
        P("2.001914", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", "GDDT", 0, "full", True, 2, 0.3),
        P("2.001918", "Chỉnh sửa nội dung văn bằng, chứng chỉ", "GDDT", 5, "partial", False, 0.5),
        P("1.005081", "Chuyển trường đối với học sinh trung học phổ thông", "GDDT", 3, "full", False, 1, 0.5),
    ),
    "SNV": (
        P("1.000775", "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "NV", 20, "", False, 1),
        P(
            "1.001055",
            "Đăng ký thuyên chuyển chức sắc, chức việc, nhà tu hành",
            "NV",
            15,
            "partial",
            False,
            0.3,
        ),
        P("2.001815", "Cấp bản sao và chứng thực tài liệu lưu trữ", "NV", 2, "full", True, 0.5),
    ),
    "STTTT": (
        P("1.003725", "Cấp giấy phép xuất bản bản tin", "TTTT", 15, "full", False, 0.5),
        P("1.004572", "Cấp giấy phép hoạt động in", "TTTT", 5, "full", True, 0.5),
    ),
    "SVHTTDL": (
        P("1.001432", "Cấp Giấy phép kinh doanh dịch vụ lữ hành nội địa", "VHTTDL", 10, "full", True, 0.5),
        P(
            "1.001455",
            "Công nhận hạng cơ sở lưu trú du lịch hạng 1 sao, 2 sao, 3 sao",
            "VHTTDL",
            30,
            "partial",
            True,
            0.5,
        ),
        P("1.009397", "Tổ chức biểu diễn nghệ thuật trên địa bàn tỉnh", "VHTTDL", 5, "full", False, 0.5),
        P(
            "1.000932",
            "Cấp Giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao",
            "VHTTDL",
            7,
            "full",
            True,
            0.3,
        ),
    ),
    "SNNPTNT": (
        P(
            "1.003612",
            "Cấp Giấy chứng nhận kiểm dịch động vật, sản phẩm động vật vận chuyển ra khỏi địa bàn cấp tỉnh",
            "NN",
            1,
            "partial",
            True,
            3,
            0.5,
        ),
        P("1.008004", "Cấp Giấy chứng nhận đủ điều kiện buôn bán phân bón", "NN", 15, "full", True, 0.5),
        P("1.004692", "Cấp văn bản chấp thuận đóng mới, cải hoán tàu cá", "NN", 7, "partial", True, 0.3),
    ),
    "STC": (
        P("1.005449", "Cấp mã số đơn vị có quan hệ với ngân sách", "TC", 2, "full", False, 2, 0.5),
        P("1.005422", "Mua quyển hóa đơn bán tài sản công", "TC", 2, "partial", True, 0.3),
    ),
    "SKHCN": (
        P(
            "1.004480",
            "Cấp giấy phép tiến hành công việc bức xạ - sử dụng thiết bị X-quang chẩn đoán y tế",
            "KHCN",
            10,
            "full",
            True,
            0.5,
        ),
        P(
            "1.002224",
            "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ",
            "KHCN",
            10,
            "partial",
            False,
            0.3,
        ),
    ),
    "BQLKKT": (
        P(
            "1.009770",
            "Cấp Giấy chứng nhận đăng ký đầu tư trong khu kinh tế",
            "KKT",
            15,
            "partial",
            False,
            0.5,
            1.5,
        ),
        P(
            "1.000105",
            "Cấp giấy phép lao động cho người nước ngoài làm việc trong khu công nghiệp",
            "KKT",
            5,
            "full",
            True,
            0.7,
        ),
        P(
            "1.009811",
            "Cấp giấy phép xây dựng trong khu kinh tế, khu công nghiệp",
            "KKT",
            20,
            "partial",
            True,
            0.3,
            1.5,
        ),
    ),
    "SNGV": (
        P("2.001791", "Cho phép sử dụng thẻ đi lại của doanh nhân APEC", "NGV", 10, "full", False, 1),
        P("2.001802", "Cho phép tổ chức hội nghị, hội thảo quốc tế", "NGV", 15, "partial", False, 0.3),
    ),
    "TTRA": (
        P("2.002387", "Giải quyết khiếu nại lần đầu tại cấp tỉnh", "TTR", 30, "", False, 1, 2.5),
        P("2.002395", "Giải quyết tố cáo tại cấp tỉnh", "TTR", 30, "", False, 0.3, 2.5),
    ),
    "BDT": (
        P("1.003714", "Công nhận người có uy tín trong đồng bào dân tộc thiểu số", "DT", 15, "", False, 1),
    ),
    "VPUB": (
        P(
            "1.000278",
            "Tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính",
            "VP",
            10,
            "full",
            False,
            1,
        ),
    ),
}

GENERIC_DEPARTMENT: tuple[Procedure, ...] = (
    P("9.000001", "Thủ tục cấp tỉnh (mẫu)", "VP", 10, "partial", False, 1),
)

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
}
DEFAULT_DEPARTMENT_WEIGHT = 1.0


def department_catalogue(code: str) -> tuple[Procedure, ...]:
    return DEPARTMENTS.get(code, GENERIC_DEPARTMENT)


def two_tier_commune_catalogue() -> tuple[Procedure, ...]:
    """From 2025-07-01 communes also handle the former district-level procedures."""
    return COMMUNE + DISTRICT
