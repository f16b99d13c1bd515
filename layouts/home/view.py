"""The view the dashboard shows — unit, metric, period, edition — and its URL form.

`/?unit=<code>&metric=<key>&period=<key>[&edition=<id>][&colour=fixed][&compare=<key>]` holds the view,
so a link reopens it (colour mode, second period: view_compare.py). `unit` is the province code, a
former district code (its communes are shown) or a current commune code (its district's communes are
shown, that commune selected). The map's edition (geodata/data/editions.toml) is by default the one
valid on the period's last day: Quảng Nam with its districts before July 2025, the city of Đà Nẵng (94
communes, no district step) after; `edition=` asks for another one. A district code in the URL without
`edition=` opens the edition that has that district. Reading a URL never fails: each unknown value is
replaced by its default and a Vietnamese message says what was not understood (an unknown unit falls
back to the whole province; a bad metric or period only replaces that value, the rest of the view is
kept).

A yearly metric (one with `years`, the PAR index) exists only for those years: its
period is always a year among them. Choosing it moves the view to the year of the
period shown when it has the index, else to its default year (the newest year with the
index up to the last full year); choosing a dossier metric again keeps that year.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal, Protocol
from urllib.parse import urlencode

from dossier_stats.periods import Period, PeriodKind, default_period, periods_between
from geodata.editions import edition_on
from layouts.common.payload import BadPayload, mapping, optional_text, text
from layouts.common.urls import app_path, echo
from layouts.home.colour_modes import DEFAULT_COLOUR, colour_mode

MAX_EDITION = 40  # longest edition id
MAX_CODE = 10  # longest unit code


class UnitLike(Protocol):
    code: str
    name: str
    level: str
    parent_code: str | None


class MetricLike(Protocol):
    key: str
    label: str  # a yearly metric also has `years` (newest first); others have none or None


def metric_years(metric: Any) -> tuple[int, ...] | None:
    """The years a yearly metric exists for (newest first), None for any period."""
    years = getattr(metric, "years", None)
    return None if years is None else tuple(years)


class EditionLike(Protocol):
    id: str
    name: str
    unit_name: str
    valid_from: date
    valid_to: date | None

    @property
    def has_districts(self) -> bool: ...


@dataclass(frozen=True)
class View:
    metric: str
    period: Period
    district: str | None = None  # former district whose communes are shown; None = province
    commune: str | None = None  # selected current commune (inside `district`, or of the city)
    edition: str | None = None  # the map edition asked for; None: the period's (its last day)
    colour: str = DEFAULT_COLOUR  # colour mode (layouts.home.colour_modes)
    compare: Period | None = None  # the second period: the map shows the change since it

    @property
    def level(self) -> Literal["province", "district"]:
        return "province" if self.district is None else "district"

    def to_store(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "period": self.period.key,
            "district": self.district,
            "commune": self.commune,
            "edition": self.edition,
            "colour": self.colour,
            "compare": self.compare and self.compare.key,
        }

    @classmethod
    def from_store(cls, data: Mapping[str, Any]) -> View:
        return replace(read_view_store({"view": data})[0], edition=data.get("edition"))


@dataclass(frozen=True)
class ViewContext:
    """What resolving a view needs besides the URL: the province, "today", the data's start."""

    province_code: str
    today: date
    first_data_date: date | None
    default_metric: str
    editions: tuple[EditionLike, ...] = ()  # oldest first; empty: no editions stored

    def default_period(self, kind: PeriodKind = "month") -> Period:
        """Last full month (quarter, year) before today."""
        return default_period(kind, self.today)

    def period_options(self, kind: PeriodKind) -> list[Period]:
        """Newest first, from the one containing today back to the first data (at least to the default)."""
        default = self.default_period(kind)
        first = min(self.first_data_date or default.start, default.start)
        return periods_between(kind, first, self.today)

    def default_view(self) -> View:
        return View(metric=self.default_metric, period=self.default_period())

    def default_year(self, years: tuple[int, ...]) -> Period:
        """A yearly metric's default: the newest of its years up to the last full year, else its oldest."""
        last_full = self.default_period("year").year
        earlier = [y for y in years if y <= last_full]
        return Period("year", max(earlier) if earlier else min(years), 0)


def edition_of_period(ctx: ViewContext, period: Period) -> EditionLike | None:
    """The edition valid on the period's last day (geodata.editions.edition_on); None without editions."""
    return edition_on(ctx.editions, period.end) if ctx.editions else None


def view_edition(view: View, ctx: ViewContext) -> EditionLike | None:
    """The edition the view is drawn in: the one asked for, else the period's."""
    chosen = next((e for e in ctx.editions if e.id == view.edition), None)
    return chosen or edition_of_period(ctx, view.period)


def view_query(view: View, province_code: str) -> str:
    """The URL query string of a view ("?unit=…&metric=…&period=…[&edition=…]")."""
    unit = view.commune or view.district or province_code
    query = {"unit": unit, "metric": view.metric, "period": view.period.key}
    if view.edition:
        query["edition"] = view.edition
    extra = {"colour": view.colour if view.colour != DEFAULT_COLOUR else None, "compare": view.compare}
    query.update({key: str(getattr(value, "key", value)) for key, value in extra.items() if value})
    return "?" + urlencode(query)


def view_href(view: View, province_code: str) -> str:
    return app_path("/" + view_query(view, province_code))


def _resolve_unit(
    code: str | None, ctx: ViewContext, find_unit: Callable[[str], UnitLike | None]
) -> tuple[str | None, str | None, str | None]:
    """(district, commune, message) for the `unit` parameter."""
    if not code or code == ctx.province_code:
        return None, None, None
    unit = find_unit(code) if len(code) <= 10 else None
    if unit is None:
        return None, None, f"Không tìm thấy đơn vị có mã {echo(code)} — đang hiển thị toàn tỉnh."
    if unit.level == "district":
        return unit.code, None, None
    if unit.level == "commune" and unit.parent_code:
        return unit.parent_code, unit.code, None
    return None, None, None  # the province itself


def _resolve_metric(
    key: str | None, ctx: ViewContext, metrics: Mapping[str, MetricLike]
) -> tuple[str, str | None]:
    if not key:
        return ctx.default_metric, None
    if key in metrics:
        return key, None
    default = metrics[ctx.default_metric].label
    return ctx.default_metric, f"Không có chỉ tiêu “{echo(key)}” — đang hiển thị “{default}”."


def _resolve_yearly(key: str | None, ctx: ViewContext, metric: Any) -> tuple[Period, str | None]:
    years = metric_years(metric) or ()
    default = ctx.default_year(years)
    if not key:
        return default, None
    try:
        period = Period.parse(key)
    except ValueError:
        period = None
    if period is not None and period.kind == "year" and period.year in years:
        return period, None
    shown = ", ".join(str(y) for y in sorted(years))
    return default, (
        f"“{metric.label}” chỉ có theo năm ({shown}); không có cho kỳ “{echo(key)}”"
        f" — đang hiển thị {default.label}."
    )


def _resolve_period(key: str | None, ctx: ViewContext, metric: Any = None) -> tuple[Period, str | None]:
    if metric_years(metric):
        return _resolve_yearly(key, ctx, metric)
    default = ctx.default_period()
    if not key:
        return default, None
    try:
        period = Period.parse(key)
    except ValueError:
        return default, (
            f"Không hiểu kỳ báo cáo “{echo(key)}” (dạng đúng: 2026-10, 2026-Q3 hoặc 2026) "
            f"— đang hiển thị {default.label}."
        )
    options = ctx.period_options(period.kind)
    if period not in options:
        return default, (
            f"Không có số liệu cho kỳ {period.label} (có từ {options[-1].label} đến {options[0].label}) "
            f"— đang hiển thị {default.label}."
        )
    return period, None


def _resolve_edition(key: str | None, ctx: ViewContext) -> tuple[str | None, str | None]:
    if not key or not ctx.editions:
        return None, None
    if any(e.id == key for e in ctx.editions):
        return key, None
    names = ", ".join(e.id for e in ctx.editions)
    return None, f"Không có phiên bản bản đồ “{echo(key)}” (có: {names}) — đang hiển thị phiên bản theo kỳ."


def _resolve_city_unit(
    code: str | None, ctx: ViewContext, edition: EditionLike, find_edition_unit: FindEditionUnit
) -> tuple[str | None, str | None]:
    """(commune, message) for the `unit` parameter in an edition without districts."""
    if not code or code in (ctx.province_code, getattr(edition, "province_code", None)):
        return None, None
    unit = find_edition_unit(edition.id, code) if len(code) <= 10 else None
    if unit is not None and unit.level == "commune":
        return unit.code, None
    if unit is not None:
        return None, None  # the city itself
    return None, f"Không tìm thấy đơn vị có mã {echo(code)} — đang hiển thị {edition.unit_name}."


FindEditionUnit = Callable[[str, str], UnitLike | None]


def resolve_view(
    params: Mapping[str, str],
    ctx: ViewContext,
    find_unit: Callable[[str], UnitLike | None],
    metrics: Mapping[str, MetricLike],
    find_edition_unit: FindEditionUnit | None = None,
) -> tuple[View, list[str]]:
    """The view a URL asks for, and a message for every value that had to be replaced."""
    metric, metric_msg = _resolve_metric(params.get("metric"), ctx, metrics)
    period, period_msg = _resolve_period(params.get("period"), ctx, metrics[metric])
    edition_id, edition_msg = _resolve_edition(params.get("edition"), ctx)
    view = View(metric=metric, period=period, edition=edition_id)
    edition = view_edition(view, ctx)
    code = params.get("unit")
    unit_msg: str | None
    if edition is not None and not edition.has_districts and find_edition_unit is not None:
        own = find_edition_unit(edition.id, code) if code and len(code) <= 10 else None
        district_unit = find_unit(code) if code and len(code) <= 10 and own is None else None
        if edition_id is None and district_unit is not None and district_unit.level == "district":
            # an old link to a district: the edition that has districts
            with_districts = next((e for e in ctx.editions if e.has_districts), None)
            view = replace(view, edition=with_districts.id if with_districts else None)
            district, commune, unit_msg = _resolve_unit(code, ctx, find_unit)
            view = replace(view, district=district, commune=commune)
        else:
            commune, unit_msg = _resolve_city_unit(code, ctx, edition, find_edition_unit)
            view = replace(view, commune=commune)
    else:
        district, commune, unit_msg = _resolve_unit(code, ctx, find_unit)
        view = replace(view, district=district, commune=commune)
    messages = [m for m in (unit_msg, metric_msg, period_msg, edition_msg) if m]
    return view, messages


def with_kind(view: View, kind: PeriodKind, ctx: ViewContext, metric: Any = None) -> View:
    """Switching Tháng / Quý / Năm opens that kind's default period (a yearly metric stays on its year)."""
    if kind == view.period.kind or metric_years(metric):
        return view
    return replace(view, period=ctx.default_period(kind))


def with_period(view: View, key: str | None, ctx: ViewContext, metric: Any = None) -> View:
    if not key:
        return view
    period, message = _resolve_period(key, ctx, metric)
    return view if message else replace(view, period=period)


def with_metric(
    view: View, key: str | None, metrics: Mapping[str, MetricLike], ctx: ViewContext | None = None
) -> View:
    """Another metric; for a yearly one the period becomes one of its years (see module doc)."""
    if key not in metrics:
        return view
    years = metric_years(metrics[key])
    if ctx is None:
        return replace(view, metric=key)
    if not years:  # keep the period when the data have it (a yearly metric's year may predate them)
        period, message = _resolve_period(view.period.key, ctx)
        return replace(view, metric=key, period=view.period if message is None else period)
    year = view.period.year
    period = Period("year", year, 0) if year in years else ctx.default_year(years)
    return replace(view, metric=key, period=period)


def with_district(view: View, district: str | None) -> View:
    return replace(view, district=district, commune=None)


def with_commune(view: View, commune: str) -> View:
    """Select a commune of the shown district; selecting it again clears the selection."""
    return replace(view, commune=None if view.commune == commune else commune)


def metric_options(metrics: Mapping[str, MetricLike]) -> list[dict[str, str]]:
    """Dropdown options of the metric selector."""
    return [{"label": m.label, "value": key} for key, m in metrics.items()]


def period_options(ctx: ViewContext, kind: PeriodKind, metric: Any = None) -> list[dict[str, str]]:
    """Dropdown options of the period selector for one kind, newest first (a yearly metric: its years)."""
    years = metric_years(metric)
    periods = (
        [Period("year", y, 0) for y in sorted(years, reverse=True)] if years else ctx.period_options(kind)
    )
    return [{"label": p.label, "value": p.key} for p in periods]


PERIOD_KIND_LABELS: dict[str, str] = {"month": "Tháng", "quarter": "Quý", "year": "Năm"}


def period_kind_options(metric: Any = None) -> list[dict[str, Any]]:
    """Tháng / Quý / Năm; only Năm can be chosen for a yearly metric."""
    yearly = bool(metric_years(metric))
    return [
        {"label": label, "value": kind, "disabled": yearly and kind != "year"}
        for kind, label in PERIOD_KIND_LABELS.items()
    ]


VIEW_FIELDS = ("metric", "period", "district", "commune", "edition", "colour", "compare")


def view_store(view: View, previous: View | None) -> dict[str, Any]:
    """What the VIEW store holds: the view, which fields changed since the view before it
    (None when there was none — the page was just opened — so everything must be drawn),
    and the metric before it (a change of metric family also changes hover texts)."""
    changed = (
        None if previous is None else [f for f in VIEW_FIELDS if getattr(view, f) != getattr(previous, f)]
    )
    return {
        "view": view.to_store(),
        "changed": changed,
        "before": None if previous is None else previous.metric,
    }


def read_view_store(data: Any) -> tuple[View, list[str] | None]:
    """The view store as sent back by the browser; BadPayload for anything `view_store` never
    writes (a forged `{}`, a period "../../etc", a unit that is not a code)."""
    store = mapping(data, "view-store")
    view = mapping(store.get("view"), "view-store.view")
    changed = store.get("changed")
    if changed is not None and (not isinstance(changed, list) or not set(changed) <= set(VIEW_FIELDS)):
        raise BadPayload("view-store.changed: cần danh sách các trường của góc nhìn.")
    optional_text(store.get("before"), "view-store.before")
    return (
        View(
            metric=text(view.get("metric"), "view-store.view.metric"),
            period=_stored_period(text(view.get("period"), "view-store.view.period")),
            district=optional_text(view.get("district"), "view-store.view.district", MAX_CODE),
            commune=optional_text(view.get("commune"), "view-store.view.commune", MAX_CODE),
            edition=optional_text(view.get("edition"), "view-store.view.edition", MAX_EDITION),
            colour=colour_mode(view.get("colour")) or DEFAULT_COLOUR,
            compare=_stored_period(c) if (c := optional_text(view.get("compare"), "view.compare")) else None,
        ),
        changed,
    )


def _stored_period(key: str) -> Period:  # one the comparisons can go back from (not 1900-01)
    try:
        (period := Period.parse(key)).previous()
    except ValueError as exc:
        raise BadPayload(str(exc)) from None
    return period


def metric_before(data: Any) -> str | None:
    """The metric of the view before the stored one (None: the page was just opened)."""
    return data.get("before")
