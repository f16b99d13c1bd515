"""The colour mode and the second period of a view (issue 14 items 3, 4): reading them from
the URL (`colour=compare|fixed`, `compare=<period>`), changing them, and dropping a
comparison the period no longer allows. A second period is one the period selector offers
for the view's kind and metric (a yearly metric: its years), never the period itself."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from dossier_stats.periods import Period
from layouts.common.urls import echo
from layouts.home.colour_modes import COLOUR_MODES, DEFAULT_COLOUR, colour_mode
from layouts.home.view import PERIOD_KIND_LABELS, View, ViewContext, period_options


def compare_options(ctx: ViewContext, view: View, metric: Any = None) -> list[dict[str, str]]:
    """The periods the view can be compared with: the period selector's, but the shown one."""
    return [o for o in period_options(ctx, view.period.kind, metric) if o["value"] != view.period.key]


def _resolve_compare(key: str, view: View, ctx: ViewContext, metric: Any) -> tuple[Period | None, str | None]:
    if key in [o["value"] for o in compare_options(ctx, view, metric)]:
        return Period.parse(key), None
    return None, (
        f"Không so sánh được với kỳ “{echo(key)}” (chọn một kỳ "
        f"{PERIOD_KIND_LABELS[view.period.kind].lower()} khác có số liệu) — đang hiển thị không so sánh."
    )


def with_url_options(
    view: View, params: Mapping[str, str], ctx: ViewContext, metric: Any = None
) -> tuple[View, list[str]]:
    """The view with the URL's colour mode and second period, and a message for each that had
    to be replaced by its default (the default colour mode; no comparison)."""
    messages = []
    colour = params.get("colour")
    if colour and not colour_mode(colour):
        default = COLOUR_MODES[DEFAULT_COLOUR]
        messages.append(f"Không có cách tô màu “{echo(colour)}” — đang tô màu “{default}”.")
    view = replace(view, colour=colour_mode(colour) or DEFAULT_COLOUR)
    key = params.get("compare")
    if key:
        compare, message = _resolve_compare(key, view, ctx, metric)
        view = replace(view, compare=compare)
        messages += [message] if message else []
    return view, messages


def with_colour(view: View, key: str | None) -> View:
    mode = colour_mode(key)
    return view if mode is None else replace(view, colour=mode)


def with_compare(view: View, key: str | None, ctx: ViewContext, metric: Any = None) -> View:
    """Compare with another period (None or "": no comparison)."""
    if not key:
        return replace(view, compare=None)
    compare, message = _resolve_compare(key, view, ctx, metric)
    return view if message else replace(view, compare=compare)


def kept_compare(view: View, ctx: ViewContext, metric: Any = None) -> View:
    """The view with its comparison dropped when its period no longer allows it (another kind,
    the same period, a year the metric has not)."""
    if view.compare is None or _resolve_compare(view.compare.key, view, ctx, metric)[1] is None:
        return view
    return replace(view, compare=None)
