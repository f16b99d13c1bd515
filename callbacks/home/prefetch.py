"""Views likely to come next, computed ahead in the background.

Once a province view has been answered (in an edition with districts), the next click is
most likely on one of its districts: one background thread computes the map units of every
district for the view's metric and period (each into the services' per-data-version cache),
so that the click finds them ready. Done once per (data version, metric's family, period,
today) and process; a failure is logged and ends that round (the click then computes as it
always did).
`HOME_PREFETCH=0` (or Settings.extra["home_prefetch"] = "0") turns it off.
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy.exc import SQLAlchemyError

from callbacks.common.services import Services
from callbacks.home.metric_sources import MetricCatalog
from layouts.home.view import View, view_edition

log = logging.getLogger(__name__)
_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="home-prefetch")
_done: set[tuple] = set()
_lock = threading.Lock()
KEEP = 256  # rounds remembered; older ones may run again


def enabled(services: Services) -> bool:
    setting = services.settings.extra.get("home_prefetch") or os.environ.get("HOME_PREFETCH", "1")
    return setting.strip() != "0"


def districts_ahead(services: Services, view: View, catalog: MetricCatalog) -> Future[None] | None:
    """After a province view: its districts' views, computed in the background (once; the
    round's Future, None when there is nothing to do)."""
    if view.district is not None or not enabled(services):
        return None
    edition = view_edition(view, services.view_context())
    if edition is not None and not edition.has_districts:
        return None  # all communes are drawn at once: no district step to prepare
    version = services.stats.data_version()
    key = (
        id(services.stats),
        version,
        catalog.family(view.metric),
        view.period.key,
        services.settings.today(),
    )
    with _lock:
        if key in _done:
            return None
        if len(_done) >= KEEP:
            _done.clear()
        _done.add(key)
    return _pool.submit(_compute, services, view, catalog)


def _compute(services: Services, view: View, catalog: MetricCatalog) -> None:
    try:
        metric = catalog.metric(view.metric)
        source = catalog.source(view.metric)
        for unit in source.units(metric, view.period, None):
            source.units(metric, view.period, unit.code)
    except (SQLAlchemyError, LookupError, ValueError) as exc:
        log.warning("prefetch of the district views stopped: %s", exc.__class__.__name__)
