"""Wall data and the PDF brief on a real database (SQLite and PostgreSQL): what the wall
reads is what the StatsService answers, and the brief is one A4 page with Vietnamese text."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from dossier_stats.periods import Period
from dossier_stats.service import StatsService
from tests.test_stats_kpis import SEPT_502, SEPT_20341, load_sample
from wall.brief import FONT_DIR, build_brief
from wall.data import read_wall_data

SEPTEMBER = Period("month", 2025, 9)


@pytest.fixture
def service(db_engine):
    load_sample(db_engine)
    return StatsService(db_engine, "49")


def test_wall_data_reads_every_level_of_the_period_and_the_one_before(service):
    data = read_wall_data(service, SEPTEMBER)
    assert data.previous == Period("month", 2025, 8)
    assert {u.code: u.kpis for u in data.districts}["502"] == SEPT_502
    assert {u.code: u.kpis for u in data.communes}["20341"] == SEPT_20341
    every_commune = [c for d in data.districts for c in service.commune_kpis(SEPTEMBER, d.code)]
    assert data.communes == tuple(sorted(every_commune, key=lambda u: u.code))
    assert data.departments == tuple(service.department_kpis(SEPTEMBER))
    assert data.districts_before == tuple(service.district_kpis(Period("month", 2025, 8)))
    assert data.province == service.province_kpis(SEPTEMBER)
    assert [m for m, _ in data.months][-1] == Period("month", 2025, 9) and len(data.months) == 12
    assert data.months[-1][1] == data.province
    assert data.version == service.data_version()


def test_brief_is_one_a4_page_with_the_shipped_font(service):
    pdf = build_brief(service, SEPTEMBER)
    assert pdf.startswith(b"%PDF-")
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page>") + pdf.count(b"/Type /Page ") >= 1
    assert b"/MediaBox [0 0 595.28 841.89]" in pdf or b"595.28 841.89" in pdf
    assert b"DejaVuSans" in pdf
    assert (FONT_DIR / "LICENSE").exists()


def test_brief_text_has_vietnamese_diacritics_and_the_period(service, tmp_path):
    if shutil.which("pdftotext") is None:
        reason = "pdftotext (poppler-utils) not installed: text of the PDF not checked"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {reason}")
        pytest.skip(reason)
    path = tmp_path / "brief.pdf"
    path.write_bytes(build_brief(service, SEPTEMBER))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Tình hình giải quyết hồ sơ thủ tục hành chính" in text
    assert "Tháng 9/2025" in text and "Tháng 8/2025" in text
    assert "Tỷ lệ giải quyết đúng hạn" in text and "Đơn vị cần chú ý" in text


def test_wall_cache_reads_once_per_data_version(service, db_engine):
    from types import SimpleNamespace

    from callbacks.wall.refresh import WallCache
    from config import Settings
    from dossier_stats.analysis import AnalysisService
    from dossier_stats.lists_service import DossierListService
    from tests.test_stats_service import add_september_dossier

    cache = WallCache()
    settings = Settings.from_env({"APP_TODAY": "2025-10-15"})
    services = SimpleNamespace(
        stats=service,
        lists=DossierListService(db_engine, "49", today=settings.today),
        analysis=AnalysisService(service),
        settings=settings,
    )
    first = cache.get(services, service.data_version(), SEPTEMBER)
    assert cache.get(services, service.data_version(), SEPTEMBER) is first  # nothing recomputed
    add_september_dossier(db_engine)
    from clock import now_local
    from importer.runs import bump_data_state

    with db_engine.begin() as conn:
        bump_data_state(conn, now_local())
    second = cache.get(services, service.data_version(), SEPTEMBER)
    assert second is not first and second.version == first.version + 1
    assert second.province.received_total == first.province.received_total + 1


def test_bad_playlist_file_gives_a_page_that_says_why(tmp_path):
    from types import SimpleNamespace

    from callbacks.common.pages import PageRequest
    from callbacks.wall.page import wall_page

    path = tmp_path / "playlist.toml"
    path.write_text('scenes = ["map"]\nseconds = 0\nmetric = "on_time_rate"\nkind = "month"\npoll = 20\n')
    services = SimpleNamespace(settings=SimpleNamespace(extra={"wall_playlist": str(path)}))
    page = wall_page(PageRequest(services, "/assets/topojson/", "?scenes=map"))
    assert "wall-unavailable" in page.className
    assert "Giá trị “seconds”" in str(page) and "nằm ngoài khoảng 2–3600" in str(page)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_wall_and_its_brief_after_the_reform_are_the_citys(backend, tmp_path):
    """October 2026 on the shipped registry (editions stored): the wall reads the city's 94
    units, ranks those with data, has no former district; the brief says so too."""
    from importer.dossiers import import_dossiers
    from tests.import_fixtures import october_dossiers, registry_database

    october = Period("month", 2026, 10)
    with registry_database(backend, tmp_path) as engine:
        files = [october_dossiers(tmp_path / f"{a}.csv", a, 3, f"W{a}") for a in ("SNV", "20335")]
        assert import_dossiers(engine, files).inserted == 6
        stats = StatsService(engine, "49")
        data = read_wall_data(stats, october)
        assert data.province_name == "Thành phố Đà Nẵng" and data.whole == "Toàn thành phố"
        assert data.city is not None and len(data.city.units) == 94 and data.districts == ()
        assert [u.code for u in data.communes] == ["20335"]  # the one unit with data is ranked
        assert data.city.with_data == {"20335"}
        assert data.city.coverage_note.startswith("Số liệu của 1/94 đơn vị; 93 đơn vị chưa có dữ liệu")
        assert "SNV" in {u.code for u in data.departments}
        old = read_wall_data(stats, october, "quang-nam-2020")  # the other edition, asked for
        assert old.city is None and len(old.districts) == 18 and old.province_name == "Tỉnh Quảng Nam"
        if shutil.which("pdftotext") is None:  # as the brief's text test: required under CI
            if os.environ.get("CI") == "true":
                pytest.fail("CI=true and pdftotext (poppler-utils) not installed")
            return
        path = tmp_path / "brief.pdf"
        path.write_bytes(build_brief(stats, october))
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Thành phố Đà Nẵng" in text and "Số liệu toàn thành phố" in text
        assert "Xã, phường, đặc khu" in text and "Huyện, thị xã" not in text
