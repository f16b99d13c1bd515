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


def test_district_views_are_ready_after_a_province_view(services):
    view = services.view_context().default_view()
    catalog = metric_catalog(services)
    metric, source = catalog.metric(view.metric), catalog.source(view.metric)
    districts = [u.code for u in source.units(metric, view.period, None)]
    assert len(districts) == 18
    engine = services.stats.engine
    cold = statements_of(engine, lambda: source.units(metric, view.period, districts[0]))
    assert cold > 1  # the version, then the query (this district was never asked)

    round_ = districts_ahead(services, view, catalog)
    assert round_ is not None
    round_.result(timeout=120)
    for code in districts:
        assert statements_of(engine, lambda c=code: source.units(metric, view.period, c)) == 1, code
    assert districts_ahead(services, view, catalog) is None  # done once per view and data version


def test_a_district_view_computes_nothing_ahead(services):
    view = services.view_context().default_view()
    catalog = metric_catalog(services)
    assert districts_ahead(services, replace(view, district="502"), catalog) is None


def test_home_prefetch_0_turns_it_off(services):
    off = replace(services, settings=replace(services.settings, extra={"home_prefetch": "0"}))
    view = replace(services.view_context().default_view(), metric="received")
    assert districts_ahead(off, view, metric_catalog(off)) is None
