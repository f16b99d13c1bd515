"""Local time of the province, the one place that knows the time zone and reads the clock.

Asia/Ho_Chi_Minh has been UTC+07:00 without daylight saving since 1975, so a fixed offset
is exact. The schema stores naive local datetimes; `now_local` gives one, to the second.
Nothing else in the project reads the host's clock or time zone (`date.today()`,
`datetime.now()` without a zone, `time.localtime`): on a server set to UTC those are seven
hours behind between 00:00 and 07:00 local time (tests/test_clock.py checks the code for them).

The instant is read through `utc_now`, which a test can freeze (`frozen`); deployments and
demos fix the time with APP_NOW / APP_TODAY through config.Settings instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone

LOCAL_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


def _system_utc_now() -> datetime:
    return datetime.now(UTC)


_source: Callable[[], datetime] = _system_utc_now


def utc_now() -> datetime:
    """The current instant (an aware datetime), from the system clock unless frozen."""
    return _source()


def to_local(moment: datetime) -> datetime:
    """An instant as the naive local datetime the schema stores; a naive `moment` is
    taken as local time already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(LOCAL_TZ).replace(tzinfo=None)


def now_local() -> datetime:
    """Current local time as the naive datetime the schema stores (UTC+07:00)."""
    return to_local(utc_now()).replace(microsecond=0)


def today_local() -> date:
    """Today's date in the province (not the server's time zone)."""
    return now_local().date()


def parse_local(text: str) -> datetime:
    """An ISO date-time as local time: with an offset ("2026-12-04T18:00:00+00:00", "…Z")
    converted, without one taken as local. ValueError (Vietnamese) when unreadable."""
    cleaned = text.strip()
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"
    try:
        return to_local(datetime.fromisoformat(cleaned)).replace(microsecond=0)
    except ValueError:
        raise ValueError(
            f"Thời điểm không hợp lệ: {text!r} (dạng đúng: 2026-12-05T08:30:00 theo giờ Việt Nam, "
            "hoặc kèm múi giờ như 2026-12-05T01:30:00+00:00)."
        ) from None


@contextmanager
def frozen(instant: datetime) -> Iterator[None]:
    """Within the block `utc_now()` answers `instant` (aware; a naive one is local time)."""
    global _source
    aware = instant if instant.tzinfo is not None else instant.replace(tzinfo=LOCAL_TZ)
    previous = _source
    _source = lambda: aware  # noqa: E731
    try:
        yield
    finally:
        _source = previous
