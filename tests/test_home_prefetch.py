"""After a province view, the views of its districts are computed ahead in the background
(callbacks/home/prefetch.py): once done, each district's map units are answered from the
cache (only the data version is read), and a second round for the same view does nothing."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import event

from callbacks.common.services import Services
from callbacks.home.metric_sources import metric_catalog
from callbacks.home.prefetch import districts_ahead
from config import Settings
from db.engine import make_engine
from dossier_stats.periods import Period


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    from importer.setup import ensure_database

    settings = Settings.from_env(
        {"DATA_DIR": str(tmp_path_factory.mktemp("prefetch")), "APP_TODAY": "2026-11-27"}
    )
    ensure_database(settings, demo_dossiers=300, seed=5, progress=False)
    engine = make_engine(settings.database_url)
    yield Services.over(engine, settings)
    engine.dispose()


def statements_of(engine, action) -> int:
    count = 0

    def counted(*_args):
        nonlocal count
        count += 1

    event.listen(engine, "before_cursor_execute", counted)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return count


def view_in(services, period: str):
    """The default view for a period of the edition with districts (before 1 July 2025)."""
    return replace(services.view_context().default_view(), period=Period.parse(period))


def test_district_views_are_ready_after_a_province_view(services):
    view = view_in(services, "2025-03")
    catalog = metric_catalog(services)
    metric, source = catalog.metric(view.metric), catalog.source(view.metric)
    districts = [u.code for u in source.units(metric, view.period, None)]
    assert len(districts) == 18
    engine = services.stats.engine
    cold = statements_of(engine, lambda: source.units(metric, view.period, districts[0]))
    warm = statements_of(engine, lambda: source.units(metric, view.period, districts[0]))
    assert cold > warm  # the version reads, then the query (this district was never asked)

    round_ = districts_ahead(services, view, catalog)
    assert round_ is not None
    round_.result(timeout=120)
    for code in districts:
        # each district costs what a cached one costs: only the data version is read
        assert statements_of(engine, lambda c=code: source.units(metric, view.period, c)) == warm, code
    assert districts_ahead(services, view, catalog) is None  # done once per view and data version


def test_a_district_view_and_the_city_edition_compute_nothing_ahead(services):
    view = view_in(services, "2025-03")
    catalog = metric_catalog(services)
    assert districts_ahead(services, replace(view, district="502"), catalog) is None
    city = view_in(services, "2026-10")  # the two-level city: all communes at once, no district step
    assert districts_ahead(services, city, catalog) is None


def test_home_prefetch_0_turns_it_off(services):
    off = replace(services, settings=replace(services.settings, extra={"home_prefetch": "0"}))
    view = view_in(services, "2025-04")
    assert districts_ahead(off, view, metric_catalog(off)) is None
    round_ = districts_ahead(services, view, metric_catalog(services))  # on: it would have run
    assert round_ is not None
    round_.result(timeout=120)
