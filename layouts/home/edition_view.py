"""The map's edition in a view (issue 13): which one is drawn, switching, the control."""

from __future__ import annotations

from dataclasses import replace

from layouts.home.view import View, ViewContext, edition_of_period, view_edition


def is_city_view(view: View, ctx: ViewContext) -> bool:
    """True when the view's edition has no district level (all communes at once)."""
    edition = view_edition(view, ctx)
    return edition is not None and not edition.has_districts


def with_edition(view: View, edition_id: str | None, ctx: ViewContext) -> View:
    """Another edition: the province/city of it, metric and period kept (None or the
    period's own edition: back to the default)."""
    chosen = next((e for e in ctx.editions if e.id == edition_id), None)
    default = edition_of_period(ctx, view.period)
    explicit = None if chosen is None or (default is not None and chosen.id == default.id) else chosen.id
    return replace(view, edition=explicit, district=None, commune=None)


def edition_options(ctx: ViewContext) -> list[dict[str, str]]:
    """The edition control's options (name of each edition, by its id)."""
    return [{"label": e.name, "value": e.id} for e in ctx.editions]
