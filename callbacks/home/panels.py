"""Side panel (figures and index results of the unit in view), unmapped-communes note and
breadcrumb.

The panel shows the Biểu 06 figures of the unit in view and, for a district or a commune,
its PAR index result with a link to its scorecard (for a PAR metric: the year on screen;
else the newest year with an index up to the period's year). With a 766 metric it also
shows the unit's 766 result for the period. Clicking a commune on the map selects it, so
its panel — and the scorecard link — opens (issue #4's "clicking a unit opens its
scorecard": a prominent link, not a page change, so the map stays where it is).
Sent after the map (callbacks/home/interaction.py: `follow`); the breadcrumb comes with the map.
"""

from __future__ import annotations

import logging
from typing import Any

from dash import no_update

from callbacks.common.services import Services
from callbacks.home.metric_sources import MetricCatalog, metric_catalog
from callbacks.home.view_data import unit_name, unmapped_in_district, view_as_of
from layouts.common.as_of import period_text
from layouts.common.dossier_links import drill_href
from layouts.common.warning_block import warning_block
from layouts.home.ids import Ids
from layouts.home.panels import unit_panel, unmapped_note
from layouts.home.view import View, view_edition

log = logging.getLogger(__name__)


def panel_for(services: Services, view: View, catalog: MetricCatalog | None = None) -> list[Any]:
    """Figures of the selected commune, else of the district in view, else of the province,
    with the index blocks of the metric's family."""
    stats = services.stats
    catalog = catalog or metric_catalog(services)
    family = catalog.family(view.metric) or "dossiers"
    before: list[Any] = []
    after: list[Any] = []
    for source in catalog.sources.values():
        above, below = source.panel_blocks(view, family)
        before += above
        after += below
    code = view.commune or view.district
    subtitle = period_text(view.period.label, view_as_of(services, view.period))

    def href(kind: str) -> str:  # each count opens the list of its dossiers
        return drill_href(code, view.period.key, kind)

    if family == "dossiers":
        after += due_soon_block(services, code)
    edition = view_edition(view, services.view_context())
    if edition is not None and not edition.has_districts:
        if view.commune is None:
            kpis = stats.province_kpis(view.period)
            return unit_panel(edition.unit_name, subtitle, kpis, before=before, after=after, href=href)
        found = [u for u in stats.edition_level_kpis(view.period, edition.id) if u.code == view.commune]
        if not found:
            return []
        return unit_panel(found[0].name, subtitle, found[0].kpis, before=before, after=after, href=href)
    if code is None:
        province = stats.province().name if edition is None else edition.unit_name
        kpis = stats.province_kpis(view.period)
        return unit_panel(province, subtitle, kpis, before=before, after=after, href=href)
    units = stats.level_kpis(view.period, view.district) if view.commune else stats.district_kpis(view.period)
    kpis = next((u.kpis for u in units if u.code == code), None)
    if kpis is None:
        return []
    return unit_panel(unit_name(services, code), subtitle, kpis, before=before, after=after, href=href)


def due_soon_block(services: Services, code: str | None) -> list[Any]:
    """The unit's dossiers due within the next two working days, linked to their list."""
    try:
        due = services.lists.due_soon(code, 2, page_size=1)
    except (LookupError, ValueError) as exc:
        log.warning("early warning not readable for %s: %s", code, exc)
        return []
    return warning_block(code, due.page.total, due.window.text)


def panel_outputs(
    services: Services,
    view: View,
    changed: list[str] | None,
    before: str | None,
    new_data: bool,
    catalog: MetricCatalog,
) -> tuple:
    """Side panel and unmapped-communes note after the view moved (`changed`: its fields
    that moved, None: everything; `before`: the metric before it) or new data came; no_update
    for what did not move: metrics of one family show the same panel."""
    if changed == [] and not new_data:
        return no_update, no_update
    if changed == ["metric"] and not new_data and before is not None:
        if catalog.family(before) == catalog.family(view.metric):
            return no_update, no_update
        return panel_for(services, view, catalog), no_update
    return panel_for(services, view, catalog), unmapped_note(unmapped_in_district(services, view))


PANEL_OUTPUTS = ((Ids.UNIT_PANEL, "children"), (Ids.UNMAPPED_NOTE, "children"))
