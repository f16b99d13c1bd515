"""The view the dashboard shows — unit, metric, period — and its URL form.

`/?unit=<code>&metric=<key>&period=<key>` holds the view, so a link reopens it. `unit` is
the province code, a former district code (its communes are shown) or a current commune
code (its district's communes are shown, that commune selected). Reading a URL never
fails: each unknown value is replaced by its default and a Vietnamese message says what
was not understood (an unknown unit falls back to the whole province; a bad metric or
period only replaces that value, the rest of the view is kept).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal, Protocol
from urllib.parse import parse_qs, urlencode

from dossier_stats.periods import Period, PeriodKind, default_period, periods_between

MAX_ECHO = 40  # longest piece of a URL value repeated in a message


class UnitLike(Protocol):
    code: str
    name: str
    level: str
    parent_code: str | None


class MetricLike(Protocol):
    key: str
    label: str


@dataclass(frozen=True)
class View:
    metric: str
    period: Period
    district: str | None = None  # former district whose communes are shown; None = province
    commune: str | None = None  # selected current commune (inside `district`)

    @property
    def level(self) -> Literal["province", "district"]:
        return "province" if self.district is None else "district"

    def to_store(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "period": self.period.key,
            "district": self.district,
            "commune": self.commune,
        }

    @classmethod
    def from_store(cls, data: Mapping[str, Any]) -> View:
        return cls(
            metric=str(data["metric"]),
            period=Period.parse(str(data["period"])),
            district=data.get("district"),
            commune=data.get("commune"),
        )


@dataclass(frozen=True)
class ViewContext:
    """What resolving a view needs besides the URL: the province, "today", the data's start."""

    province_code: str
    today: date
    first_data_date: date | None
    default_metric: str

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


def _echo(value: str) -> str:
    return value if len(value) <= MAX_ECHO else value[: MAX_ECHO - 1] + "…"


def parse_query(search: str | None) -> dict[str, str]:
    """ "?unit=502&metric=x" -> {"unit": "502", "metric": "x"} (first value of each key, stripped)."""
    parsed = parse_qs((search or "").lstrip("?"), keep_blank_values=True)
    return {key: values[0].strip() for key, values in parsed.items() if values}


def view_query(view: View, province_code: str) -> str:
    """The URL query string of a view ("?unit=…&metric=…&period=…")."""
    unit = view.commune or view.district or province_code
    return "?" + urlencode({"unit": unit, "metric": view.metric, "period": view.period.key})


def view_href(view: View, province_code: str) -> str:
    return "/" + view_query(view, province_code)


def _resolve_unit(
    code: str | None, ctx: ViewContext, find_unit: Callable[[str], UnitLike | None]
) -> tuple[str | None, str | None, str | None]:
    """(district, commune, message) for the `unit` parameter."""
    if not code or code == ctx.province_code:
        return None, None, None
    unit = find_unit(code) if len(code) <= 10 else None
    if unit is None:
        return None, None, f"Không tìm thấy đơn vị có mã {_echo(code)} — đang hiển thị toàn tỉnh."
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
    return ctx.default_metric, f"Không có chỉ tiêu “{_echo(key)}” — đang hiển thị “{default}”."


def _resolve_period(key: str | None, ctx: ViewContext) -> tuple[Period, str | None]:
    default = ctx.default_period()
    if not key:
        return default, None
    try:
        period = Period.parse(key)
    except ValueError:
        return default, (
            f"Không hiểu kỳ báo cáo “{_echo(key)}” (dạng đúng: 2026-10, 2026-Q3 hoặc 2026) "
            f"— đang hiển thị {default.label}."
        )
    options = ctx.period_options(period.kind)
    if period not in options:
        return default, (
            f"Không có số liệu cho kỳ {period.label} (có từ {options[-1].label} đến {options[0].label}) "
            f"— đang hiển thị {default.label}."
        )
    return period, None


def resolve_view(
    params: Mapping[str, str],
    ctx: ViewContext,
    find_unit: Callable[[str], UnitLike | None],
    metrics: Mapping[str, MetricLike],
) -> tuple[View, list[str]]:
    """The view a URL asks for, and a message for every value that had to be replaced."""
    district, commune, unit_msg = _resolve_unit(params.get("unit"), ctx, find_unit)
    metric, metric_msg = _resolve_metric(params.get("metric"), ctx, metrics)
    period, period_msg = _resolve_period(params.get("period"), ctx)
    messages = [m for m in (unit_msg, metric_msg, period_msg) if m]
    return View(metric=metric, period=period, district=district, commune=commune), messages


def with_kind(view: View, kind: PeriodKind, ctx: ViewContext) -> View:
    """Switching Tháng / Quý / Năm opens that kind's default period."""
    if kind == view.period.kind:
        return view
    return replace(view, period=ctx.default_period(kind))


def with_period(view: View, key: str | None, ctx: ViewContext) -> View:
    if not key:
        return view
    period, message = _resolve_period(key, ctx)
    return view if message else replace(view, period=period)


def with_metric(view: View, key: str | None, metrics: Mapping[str, MetricLike]) -> View:
    return replace(view, metric=key) if key in metrics else view


def with_district(view: View, district: str | None) -> View:
    return replace(view, district=district, commune=None)


def with_commune(view: View, commune: str) -> View:
    """Select a commune of the shown district; selecting it again clears the selection."""
    return replace(view, commune=None if view.commune == commune else commune)


def metric_options(metrics: Mapping[str, MetricLike]) -> list[dict[str, str]]:
    """Dropdown options of the metric selector."""
    return [{"label": m.label, "value": key} for key, m in metrics.items()]


def period_options(ctx: ViewContext, kind: PeriodKind) -> list[dict[str, str]]:
    """Dropdown options of the period selector for one kind, newest first."""
    return [{"label": p.label, "value": p.key} for p in ctx.period_options(kind)]


VIEW_FIELDS = ("metric", "period", "district", "commune")


def view_store(view: View, previous: View | None) -> dict[str, Any]:
    """What the VIEW store holds: the view, and which fields changed since the view before it
    (None when there was none — the page was just opened — so everything must be drawn)."""
    changed = (
        None if previous is None else [f for f in VIEW_FIELDS if getattr(view, f) != getattr(previous, f)]
    )
    return {"view": view.to_store(), "changed": changed}


def read_view_store(data: Mapping[str, Any]) -> tuple[View, list[str] | None]:
    return View.from_store(data["view"]), data.get("changed")
