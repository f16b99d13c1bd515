"""Local time of the province, the one place that knows the time zone.

Asia/Ho_Chi_Minh has been UTC+07:00 without daylight saving since 1975, so a fixed offset
is exact. The schema stores naive local datetimes; `now_local` gives one, to the second.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

LOCAL_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


def now_local() -> datetime:
    """Current local time as the naive datetime the schema stores (UTC+07:00)."""
    return datetime.now(LOCAL_TZ).replace(tzinfo=None, microsecond=0)


def today_local() -> date:
    """Today's date in the province (not the server's time zone)."""
    return now_local().date()
