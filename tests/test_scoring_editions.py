"""The PAR index per map edition (issue 13), on the shipped registry with the demo scores of
2025, SQLite and PostgreSQL: a year is shown in the edition of its last day (2025: the city);
the city ranks its own departments (none abolished in March 2025) and communes among
themselves, with no district group; Quảng Nam's edition keeps the whole 2025 groups. The map's
PAR metric, its department ranking and the results page follow the edition."""

from __future__ import annotations

import csv
import json

import pytest
from flask import Flask, g

from accounts.permissions import Actor, Role
from accounts.web import ACTOR_KEY
from callbacks.common.services import Services
from callbacks.home.metric_sources import ParSource, metric_catalog
from callbacks.scoring.results import results_content
from config import Settings
from dossier_stats.periods import Period
from scoring.demo import fill_demo
from scoring.service import ScoringService
from tests.import_fixtures import AGENCIES_FILE, registry_database

QN, DN = "quang-nam-2020", "da-nang-2025"
YEAR = 2025
ABOLISHED_MARCH_2025 = ("SKHDT", "SGTVT", "STNMT", "STTTT", "SLDTBXH", "BDT", "SNNPTNT")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def engine(request, tmp_path_factory):
    with registry_database(request.param, tmp_path_factory.mktemp("par_editions")) as engine:
        fill_demo(engine, YEAR)
        yield engine


@pytest.fixture
def as_leader():
    with Flask(__name__).test_request_context():
        setattr(g, ACTOR_KEY, Actor("kiemthu.lanhdao", frozenset({Role.LEADER})))
        yield


def city_departments() -> set[str]:
    with AGENCIES_FILE.open(encoding="utf-8") as fh:
        return {r["code"] for r in csv.DictReader(fh) if r["kind"] == "department" and r["unit_code"] == "48"}


def competition(rows) -> list[int]:
    """The ranks the rows' percentages give among themselves (ties share: 1, 2, 2, 4)."""
    return [1 + sum(other.percent > r.percent for other in rows) for r in rows]


def test_a_par_year_is_shown_in_the_edition_of_its_last_day(engine):
    service = ScoringService(engine)
    assert (service.year_edition(2024), service.year_edition(2025), service.year_edition(2026)) == (
        QN,
        DN,
        DN,
    )


def test_the_city_ranks_its_own_departments_and_communes_among_themselves(engine):
    service = ScoringService(engine)
    whole = {r.unit_code for r in service.results(YEAR, "departments")}
    assert set(ABOLISHED_MARCH_2025) <= whole  # scored by the group (valid in the year)
    table = service.edition_table(YEAR, "departments", DN)
    codes = [r.unit_code for r in table.rows]
    assert set(codes) == city_departments() and len(codes) == 15
    assert not set(codes) & set(ABOLISHED_MARCH_2025)
    assert [r.rank for r in table.rows] == competition(table.rows) and table.rows[0].rank == 1
    assert [r.rank for r in table.rows] == sorted(r.rank for r in table.rows)
    assert service.edition_groups(YEAR, DN) == ["departments", "communes"]  # no district level
    communes = service.edition_table(YEAR, "communes", DN)
    assert len(communes.rows) == 78
    with engine.connect() as conn:
        from dossier_stats.editions import edition_units_of

        city_units = {code for code, _name in edition_units_of(conn, DN)}
    assert {r.map_code for r in communes.rows} <= city_units


def test_quang_nams_edition_keeps_the_whole_2025_groups_and_their_ranks(engine):
    service = ScoringService(engine)
    assert service.edition_groups(YEAR, QN) == ["departments", "districts", "communes"]
    for group in ("departments", "districts"):
        whole = service.results_table(YEAR, group)
        shown = service.edition_table(YEAR, group, QN)
        assert [(r.unit_code, r.rank) for r in shown.rows] == [(r.unit_code, r.rank) for r in whole.rows]
    assert service.edition_table(YEAR, "districts", DN).rows == ()


def test_the_maps_par_metric_follows_the_edition(engine, as_leader):
    settings = Settings(database_url="sqlite://", province_code="49")
    services = Services.over(engine, settings)
    catalog = metric_catalog(services)
    source = catalog.source("par")
    assert isinstance(source, ParSource)
    metric, year = catalog.metric("par"), Period("year", YEAR, 0)
    city = {u.code for u in source.departments(metric, year, DN)}
    assert city == city_departments()
    assert {u.code for u in source.departments(metric, year, QN)} >= set(ABOLISHED_MARCH_2025)
    units = source.units(metric, year, None, DN)  # the city's 94 units, the 78 communes scored
    assert len(units) == 94 and sum(u.value is not None for u in units) == 78


def test_the_results_page_follows_the_years_edition_and_an_old_district_link(engine, as_leader):
    services = Services.over(engine, Settings(database_url="sqlite://", province_code="49"))

    def page(search: str) -> str:
        return json.dumps(results_content(services, search), ensure_ascii=False, default=str)

    city = page(f"?year={YEAR}&group=departments")
    assert "Đơn vị thuộc Thành phố Đà Nẵng (từ 01/7/2025)" in city
    assert "Sở Kế hoạch và Đầu tư" not in city and "Sở Nông nghiệp và Môi trường" in city
    assert "UBND cấp huyện" not in city  # no district group offered in the city
    old = page(f"?year={YEAR}&group=departments&edition={QN}")
    assert "Sở Kế hoạch và Đầu tư" in old and "Đơn vị thuộc Tỉnh Quảng Nam" in old
    districts = page(f"?year={YEAR}&group=districts")  # an old link: the edition with districts
    assert "Tỉnh Quảng Nam (2020 – 30/6/2025)" in districts and "Thành phố Tam Kỳ" in districts
    unknown = page(f"?year={YEAR}&edition=khong-co")
    assert "Không có phiên bản bản đồ 'khong-co'" in unknown
