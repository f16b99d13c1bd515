"""Metric sources over real services (SQLite and PostgreSQL): the PAR index and the 766 index
on the map and in the department ranking, the catalog of metrics offered, and the live poll
of the data version through the app. Every expected number is computed by hand below."""

from __future__ import annotations

from dataclasses import replace

import pytest
from flask import Flask, g
from sqlalchemy import insert

from accounts.permissions import Actor, Role
from accounts.web import ACTOR_KEY
from callbacks.common.services import Services
from callbacks.home.metric_sources import Index766Source, ParSource, metric_catalog
from clock import now_local
from config import Settings
from db.schema import admin_units
from dossier_stats.periods import Period
from dossier_stats.service import StatsService
from importer.dossiers import import_dossiers
from importer.runs import bump_data_state
from layouts.common.rankings import rank_map_units
from layouts.home.map_metrics import NO_SCORE_TEXT
from scoring.service import ScoringService
from scoring.survey_adjustments import set_survey_results
from scoring.workflow import SelfAssessment, set_self_assessment
from tests.app_client import app_client
from tests.import_fixtures import write_dossiers
from tests.test_index766 import NOW, d, perfect
from tests.test_scoring_definition import small_mapping
from tests.test_scoring_workflow import APPRAISER, load_small_registry, staff, store

YEAR = Period("year", 2025, 0)


def services_for(engine, settings=None):
    settings = settings or Settings(database_url="sqlite://", province_code="49")
    return Services.over(engine, settings)


# ---------------------------------------------------------------- PAR


@pytest.fixture
def as_leader():
    """The PAR tests read as a leader (provisional scores visible): the map asks
    callbacks.common.auth who reads, within the request (test_par_map_hides_… reads anonymously)."""
    with Flask(__name__).test_request_context():
        setattr(g, ACTOR_KEY, Actor("kiemthu.lanhdao", frozenset({Role.LEADER})))
        yield


@pytest.fixture
def par_data(db_engine, as_leader):
    """Small registry (districts 502, 503 drawn; 519 added as a polygon without a score) with
    the small test definition for districts and departments, 2025.

    small_mapping: area 1 assessment 25 + 15, area 2 auto 30 + 10 (no dossier data: full
    marks), area 3 survey 12 + 8 (missing: the rest rescaled to 100).
    - 502: self 20 + 10 = 30, auto 40, survey 12 + 8 = 20 → 90 (provisional: not appraised);
    - 503: self 25 + 15 = 40, auto 40, no survey → 80 × 100 / 80 = 100 → rank 1, 502 rank 2;
    - SNV: self 25 + 15, survey 20 → 100; STP and SKHDT: nothing entered (0), auto 40, no
      survey → 40 × 100 / 80 = 50 each → ranks 1, 2, 2.
    """
    load_small_registry(db_engine)
    with db_engine.begin() as conn:
        conn.execute(
            insert(admin_units).values(code="519", name="Huyện Nông Sơn", level="district", parent_code="49")
        )
    districts = store(db_engine, small_mapping("districts"))
    departments = store(db_engine, small_mapping("departments"))
    full_survey = {"3.1.1": 12, "3.1.2": 8}
    with db_engine.begin() as conn:
        set_self_assessment(
            conn, districts, "502", [SelfAssessment("1.1.1", 20), SelfAssessment("1.1.2", 10)], staff("502")
        )
        set_survey_results(conn, districts, "502", full_survey, APPRAISER)
        set_self_assessment(
            conn, districts, "503", [SelfAssessment("1.1.1", 25), SelfAssessment("1.1.2", 15)], staff("503")
        )
        set_self_assessment(
            conn, departments, "SNV", [SelfAssessment("1.1.1", 25), SelfAssessment("1.1.2", 15)], staff("SNV")
        )
        set_survey_results(conn, departments, "SNV", full_survey, APPRAISER)
    return db_engine


def test_par_source_colours_scored_districts_and_leaves_the_others_without_score(par_data):
    services = services_for(par_data)
    catalog = metric_catalog(services)
    source = catalog.source("par")
    units = {u.code: u for u in source.units(catalog.metric("par"), YEAR, None)}
    assert {code: u.value for code, u in units.items()} == {"502": 90.0, "503": 100.0, "519": None}
    assert units["519"].hover.endswith(NO_SCORE_TEXT) and units["519"].cells == ("—",)
    assert units["502"].cells == ("Tốt (tạm tính)",) and units["502"].rank == 2
    area = {u.code: u.value for u in source.units(catalog.metric("par_area_1"), YEAR, None)}
    assert area == {"502": 30.0, "503": 40.0, "519": None}
    assert {u.code: u.value for u in source.units(catalog.metric("par"), YEAR, None)} == {
        code: services.scoring.map_values(2025, "districts").get(code) for code in ("502", "503", "519")
    }


def test_an_anonymous_visitor_sees_no_provisional_score_on_the_map(par_data):
    setattr(g, ACTOR_KEY, None)  # every score of par_data is provisional (none appraised twice)
    catalog = metric_catalog(services_for(par_data))
    source = catalog.source("par")
    units = source.units(catalog.metric("par"), YEAR, None)
    assert {u.code: u.value for u in units} == {"502": None, "503": None, "519": None}
    assert [u.value for u in source.departments(catalog.metric("par"), YEAR)] == []
    assert source.result(2025, "districts", "503")[0] is None
    setattr(g, ACTOR_KEY, Actor("cb.503", frozenset({Role.UNIT_STAFF}), "503"))  # its own unit only
    units = source.units(catalog.metric("par"), YEAR, None)
    assert {u.code: u.value for u in units} == {"502": None, "503": 100.0, "519": None}


def test_par_department_ranking_shows_the_groups_ranks(par_data):
    catalog = metric_catalog(services_for(par_data))
    metric = catalog.metric("par")
    rows = rank_map_units(catalog.source("par").departments(metric, YEAR), metric)
    assert [(r.rank, r.code, r.value_text) for r in rows] == [
        (1, "SNV", "100,00"),
        (2, "SKHDT", "50,00"),
        (2, "STP", "50,00"),
    ]


def test_par_result_of_a_polygon_for_the_panel(par_data):
    settings = Settings(database_url="sqlite://", province_code="49")
    source = ParSource(ScoringService(par_data), StatsService(par_data, "49"), settings)
    row, table = source.result(2025, "districts", "503")
    assert (row.unit_code, row.total, row.rank, len(table.rows)) == ("503", 100.0, 1, 2)
    assert source.result(2025, "districts", "519")[0] is None
    assert source.result(2025, "communes", "20335") == (None, None)  # no communes version
    assert source.result(2024, "districts", "502") == (None, None)


def test_par_metrics_are_offered_for_the_years_with_an_index_version(db_engine):
    load_small_registry(db_engine)
    services = services_for(db_engine)
    assert "par" not in metric_catalog(services).metrics
    store(db_engine, small_mapping("districts"))
    metrics = metric_catalog(services).metrics
    assert [k for k, m in metrics.items() if m.family == "par"] == [
        "par",
        "par_area_1",
        "par_area_2",
        "par_area_3",
    ]
    assert metrics["par"].years == (2025,) and metrics["par"].max_value == 100.0
    assert metrics["par_area_2"].label == "Chỉ số CCHC: 2. Lĩnh vực 2"
    assert list(metrics)[:4] == ["on_time_rate", "pending_overdue", "received", "online_share"]


# ---------------------------------------------------------------- 766


@pytest.fixture
def index766_data(registry_db, tmp_path):
    """January 2025, district 502 (Tam Kỳ): old Tân Thạnh (20335) resolves one dossier two days
    late, old An Mỹ (20341) one in time; STP (a department) one perfect dossier in February."""
    rows = [
        d("C1", "20335", "PH", 9, 1, "2025-01-10", "2025-01-12", "2025-01-14", online=""),
        d("C2", "20341", "PH", 9, 1, "2025-01-10", "2025-01-12", "2025-01-12", online=""),
        perfect("T1", "STP"),
    ]
    summary = import_dossiers(registry_db, [write_dossiers(tmp_path / "d.csv", rows)], now=NOW)
    assert summary.inserted == 3
    return registry_db


def test_766_source_draws_every_district_with_its_groups_points(index766_data):
    catalog = metric_catalog(services_for(index766_data))
    source = catalog.source("index766")
    assert isinstance(source, Index766Source)
    q1 = Period.parse("2025-Q1")
    timeliness = {u.code: u.value for u in source.units(catalog.metric("index766_timeliness"), q1, None)}
    assert len(timeliness) == 18  # every district polygon is listed
    # 502: one of two handled dossiers in time → 20 × 1/2 = 10 points; no other district has dossiers
    assert timeliness.pop("502") == 10.0
    assert set(timeliness.values()) == {None}
    total = next(u for u in source.units(catalog.metric("index766"), q1, None) if u.code == "502")
    assert total.value == pytest.approx(source.scored(q1, "district")["502"].score.total)
    assert "Tiến độ, kết quả giải quyết: 10,0/20" in total.hover and "Hồ sơ tính chỉ số: 2" in total.hover


def test_766_department_ranking_lists_departments_with_their_index(index766_data):
    catalog = metric_catalog(services_for(index766_data))
    metric = catalog.metric("index766_timeliness")
    units = {u.code: u for u in catalog.source("index766").departments(metric, Period.parse("2025-Q1"))}
    assert units["STP"].value == 20.0  # its one dossier resolved on its due day: 20 × 1/1
    assert units["SNV"].value is None  # SNV handled nothing
    # nothing imported for STP: not comparable, listed apart with the reason (issue 16)
    assert units["STP"].rank is None
    assert units["STP"].cells == (
        "Trung bình",
        "thiếu số liệu nhập: 10 chỉ số chưa có số liệu (60/100 điểm có số liệu)",
    )
    assert metric.rule_note == "Bộ quy tắc 766 mặc định, phiên bản 2026.1"
    rows = rank_map_units(list(units.values()), metric)
    assert (rows[0].code, rows[0].rank, rows[0].value_text) == ("STP", None, "20,0")  # apart, value kept
    assert not any(code.isdigit() for code in units)  # committees and communes are not departments


# ---------------------------------------------------------------- live poll through the app


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """The app over a set-up SQLite database without dossiers, with its services."""
    from app import create_app
    from importer.setup import ensure_database

    data_dir = tmp_path_factory.mktemp("live")
    settings = Settings.from_env({"DATA_DIR": str(data_dir), "APP_TODAY": "2026-11-27"})
    ensure_database(settings, demo_dossiers=0, progress=False)
    app = create_app(replace(settings, extra={"live_poll_seconds": "2"}))
    return app_client(app), app.server.extensions["bando"]


def poll(client, key):
    body = {
        "output": "..live-state.data...data-time.children..",
        "outputs": [{"id": "live-state", "property": "data"}, {"id": "data-time", "property": "children"}],
        "inputs": [{"id": "live-poll", "property": "n_intervals", "value": 3}],
        "state": [{"id": "live-state", "property": "data", "value": {"key": key}}],
        "changedPropIds": ["live-poll.n_intervals"],
    }
    return client.post("/_dash-update-component", json=body)


def test_poll_answers_nothing_while_the_data_version_stays_and_the_new_key_after_a_change(live_app):
    client, services = live_app
    key = list(services.scoring.change_key())
    unchanged = poll(client, key)
    assert unchanged.status_code == 204 and unchanged.get_data() == b""
    with services.stats.engine.begin() as conn:
        bump_data_state(conn, now_local())
    changed = poll(client, key)
    assert changed.status_code == 200
    response = changed.get_json()["response"]
    assert response["live-state"]["data"] == {"key": [key[0] + 1, key[1]]}
    assert response["data-time"]["children"].startswith("Dữ liệu cập nhật lúc ")
    assert poll(client, response["live-state"]["data"]["key"]).status_code == 204


def test_page_carries_the_data_version_and_the_poll_interval(live_app):
    from tests.test_layouts import routed_page, walk_json

    client, services = live_app
    _, page = routed_page(client)
    props = {
        c["props"]["id"]: c["props"] for c in walk_json(page) if isinstance(c.get("props", {}).get("id"), str)
    }
    assert props["live-state"]["data"] == {"key": list(services.scoring.change_key())}
    assert props["live-poll"]["interval"] == 2000


def test_the_walls_par_column_an_anonymous_wall_final_results_only_a_kiosk_the_leaders_view(par_data):
    from callbacks.wall.refresh import readable_providers

    services = services_for(par_data)
    par = readable_providers(services)[1]
    setattr(g, ACTOR_KEY, None)  # every score of par_data is provisional
    assert par(services, YEAR, "district") is None
    setattr(g, ACTOR_KEY, Actor("kiosk:1 Phòng họp", frozenset({Role.LEADER}), kiosk=True))
    assert par(services, YEAR, "district").values == {"502": "90,0", "503": "100,0"}
