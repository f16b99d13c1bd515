"""Draw one chunk of demo dossiers as numpy arrays (vectorised, no Python loop per row).

Each dossier is simulated forward from its reception: a procedure of its agency's
catalogue, a channel (online share rising over time), a deadline in working days,
an end of processing early / on time / late by the agency's propensity, a return of
the result. Whatever would happen after the last second of `today` has not happened
yet: such dossiers are pending (2, 4, or paused 5, 6). Timestamps are naive local
seconds since 1970 (Asia/Ho_Chi_Minh); NA (the int64 minimum) is "empty", which is
also NaT once viewed as datetime64[s].
"""

from __future__ import annotations

import numpy as np

from importer.demo_calendar import online_share, ramp
from importer.demo_world import World

NA = np.iinfo(np.int64).min
DAY = 86_400
HOUR = 3_600

ONLINE_FACTOR_BY_LEVEL = np.array([0.0, 0.8, 1.12])  # none, partial, full
POSTAL_SHARE = 0.03
ON_TIME_SHARE_OF_TIMELY = 0.3  # of the dossiers not late, the share finished on the due date
WITHDRAWN, STOPPED, REFUSED = 0.007, 0.0015, 0.005
NOT_RECEIVED_YET = 0.4  # of online dossiers of the last two days
NEW_UNIT_DAYS, NEW_UNIT_LATE_FACTOR = 90, 1.6


def _working_time(rng: np.random.Generator, n: int, saturday: np.ndarray) -> np.ndarray:
    """Seconds after midnight: 7:30–11:30 or 13:30–17:00; Saturdays mornings only."""
    morning = (rng.random(n) < 0.58) | saturday
    return np.where(morning, 27_000 + rng.random(n) * 14_400, 48_600 + rng.random(n) * 12_600).astype(
        np.int64
    )


def _pick(cumulative: np.ndarray, u: np.ndarray) -> np.ndarray:
    return np.minimum(np.searchsorted(cumulative, u, side="right"), len(cumulative) - 1)


def _sequence_numbers(key: np.ndarray) -> np.ndarray:
    """1, 2, 3… within each key, in the current row order."""
    n = len(key)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    starts = np.ones(n, dtype=bool)
    starts[1:] = sorted_key[1:] != sorted_key[:-1]
    first = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    seq = np.empty(n, dtype=np.int64)
    seq[order] = np.arange(n) - first + 1
    return seq


def _agencies_and_procedures(
    world: World, day_index: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """An agency valid that day (∝ volume), then a procedure of its catalogue."""
    n = len(day_index)
    seg = world.segment_of_day[day_index]
    agency = np.empty(n, dtype=np.int64)
    u = rng.random(n)
    for s in np.unique(seg):
        m = seg == s
        agency[m] = world.segments[s].agency_index[_pick(world.segments[s].cumulative, u[m])]
    cat = world.agency_catalogue[agency]
    proc = np.empty(n, dtype=np.int64)
    u = rng.random(n)
    for c in np.unique(cat):
        m = cat == c
        catalogue = world.catalogues[c]
        proc[m] = catalogue.procedures[_pick(catalogue.cumulative, u[m])]
    return agency, proc


def _channels(
    world: World, proc: np.ndarray, day: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(online level of the procedure that day, channel); online only where the procedure is offered."""
    n = len(proc)
    level = world.proc_level[proc]
    level = np.where((level == 1) & (day >= world.proc_full_from[proc]), 2, level)
    u = rng.random(n)
    p_online = np.minimum(0.97, online_share(day.astype("datetime64[D]")) * ONLINE_FACTOR_BY_LEVEL[level])
    channel = np.where(u < p_online, 2, np.where(u > 1 - POSTAL_SHARE, 3, 1))
    return level, channel


def _submission_lag(channel: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Seconds between submission and reception: hours online, days by post, minutes at the desk."""
    n = len(channel)
    return np.where(
        channel == 2,
        np.minimum(rng.exponential(14 * HOUR, n), 3 * DAY),
        np.where(channel == 3, DAY * (1 + 3 * rng.random(n)), 60 + 1_140 * rng.random(n)),
    ).astype(np.int64)


def _end_of_processing(
    world: World,
    agency: np.ndarray,
    proc: np.ndarray,
    received: np.ndarray,
    due_day64: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Late with the agency's propensity (scaled by procedure, trend, new units), else early or on time."""
    n = len(agency)
    cal = world.calendar
    day = received // DAY
    day64 = day.astype("datetime64[D]")
    mean_late = np.array([c.mean_late_factor for c in world.catalogues])[world.agency_catalogue[agency]]
    years = (day - world.first_day) / 365.25
    trend = 1.2 - 0.35 * np.clip(years / 3.5, 0.0, 1.0)
    new_unit = np.where(day - world.agency_valid_from[agency] < NEW_UNIT_DAYS, NEW_UNIT_LATE_FACTOR, 1.0)
    p_late = (1 - world.agency_on_time[agency]) * world.proc_late[proc] / mean_late * trend * new_unit
    late = rng.random(n) < np.clip(p_late, 0.002, 0.6)
    slots = np.busday_count(day64, due_day64, busdaycal=cal)
    on_time = ~late & ((rng.random(n) < ON_TIME_SHARE_OF_TIMELY) | (slots == 0))
    early = ~late & ~on_time
    finish_day64 = due_day64.copy()
    offset = np.floor(rng.random(n) * slots).astype(np.int64)
    finish_day64[early] = np.busday_offset(day64[early], offset[early], roll="forward", busdaycal=cal)
    overrun = np.minimum(rng.geometric(0.18, n), 80)
    finish_day64[late] = np.busday_offset(due_day64[late], overrun[late], roll="forward", busdaycal=cal)
    finished = finish_day64.astype(np.int64) * DAY + _working_time(rng, n, np.zeros(n, dtype=bool))
    return np.maximum(finished, received + 300 + (3_300 * rng.random(n)).astype(np.int64))


def _return_times(
    world: World, finished: np.ndarray, e_result: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Electronic results are returned at once; others mostly the same day, some days later."""
    n = len(finished)
    u = rng.random(n)
    same_day = finished + np.where(e_result, 60 + 1_800 * rng.random(n), 300 + 10_500 * rng.random(n))
    later_days = np.where(u < 0.9, rng.integers(1, 4, n), rng.integers(4, 16, n))
    later_day = np.busday_offset(
        (finished // DAY).astype("datetime64[D]"), later_days, roll="forward", busdaycal=world.calendar
    )
    later = later_day.astype(np.int64) * DAY + _working_time(rng, n, np.zeros(n, dtype=bool))
    return np.where(e_result | (u < 0.55), same_day, later).astype(np.int64)


def _status(
    world: World,
    channel: np.ndarray,
    received: np.ndarray,
    outcome: tuple[np.ndarray, ...],
    has_fee: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Status: what has happened by the end of `today`. `outcome`: (done, withdrawn,
    stopped, refused, resolved, handed_over)."""
    done, withdrawn, stopped, refused, resolved, handed_over = outcome
    n = len(received)
    status = np.where(resolved, np.where(handed_over, 10, 9), 4)
    status = np.where(done & withdrawn, 7, np.where(done & stopped, 8, status))
    age = world.cutoff - received
    pending = ~done
    u = rng.random(n)
    status = np.where(pending & (age < 1.5 * DAY) & (u < 0.6), 2, status)
    status = np.where(pending & (age > DAY) & (u >= 0.6) & (u < 0.68), 5, status)
    status = np.where(pending & (age > DAY) & has_fee & (u >= 0.68) & (u < 0.72), 6, status)
    stuck = resolved & (age > 60 * DAY) & (u < 0.0006)  # a few old dossiers never came back
    status = np.where(stuck, np.where(has_fee & (u < 0.0002), 6, 5), status)
    not_received = (channel == 2) & (age < 2 * DAY) & (rng.random(n) < NOT_RECEIVED_YET)
    status = np.where(not_received, 1, status)
    return np.where(refused, 3, status)


def _supplements(
    world: World,
    proc: np.ndarray,
    status: np.ndarray,
    received: np.ndarray,
    finished: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Supplements (count, tenths of days): mostly none; their days fit inside the time the
    dossier was open."""
    n = len(status)
    unreceived = (status == 1) | (status == 3)
    ended = np.isin(status, (7, 8, 9, 10))
    u = rng.random(n)
    f = world.proc_supplement[proc]
    supplement_count = np.where(u < 0.012 * f, 2, np.where(u < 0.062 * f, 1, 0))
    supplement_count = np.where(status == 5, np.maximum(supplement_count, 1), supplement_count)
    open_days = (np.where(ended, finished, world.cutoff) - received) / DAY
    wanted = supplement_count * (0.5 + 6 * rng.random(n))
    supplement_tenths = np.floor(np.minimum(wanted, 0.8 * open_days) * 10).astype(np.int64)
    supplement_tenths = np.where(unreceived, 0, np.maximum(supplement_tenths, 0))
    supplement_count = np.where(supplement_tenths == 0, 0, supplement_count)
    return supplement_count, supplement_tenths


def _ratings(
    status: np.ndarray, finished: np.ndarray, due: np.ndarray, day64: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Ratings on a share of resolved dossiers, mostly satisfied, less so when late (0: none)."""
    n = len(status)
    u = rng.random(n)
    rated = ((status == 9) | (status == 10)) & (rng.random(n) < ramp(day64, 0.10, 0.30))
    was_late = finished // DAY > due // DAY
    satisfied_cut = np.where(was_late, 0.70, 0.93)
    neutral_cut = np.where(was_late, 0.85, 0.98)
    rating = np.where(u < satisfied_cut, 1, np.where(u < neutral_cut, 2, 3))
    return np.where(rated, rating, 0)


def _updated_at(
    world: World, status: np.ndarray, times: tuple[np.ndarray, ...], rng: np.random.Generator
) -> np.ndarray:
    """The last change of each dossier: its latest event, some activity while in progress.
    `times`: (submitted, received, finished, returned)."""
    submitted, received = times[0], times[1]
    n = len(status)
    updated = np.maximum.reduce(list(times))
    in_progress = np.isin(status, (4, 5, 6))
    activity = received + (rng.random(n) * (world.cutoff - received)).astype(np.int64)
    updated = np.where(in_progress, np.maximum(updated, activity), updated)
    return np.where(status == 3, submitted + 600 + (14_400 * rng.random(n)).astype(np.int64), updated)


def _due_times(
    world: World, proc: np.ndarray, day: np.ndarray, received: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(due day, due time): the deadline in working days; the appointment keeps the time
    of reception."""
    due_day64 = np.busday_offset(
        day.astype("datetime64[D]"), world.proc_legal_days[proc], roll="forward", busdaycal=world.calendar
    )
    due_day = due_day64.astype(np.int64)
    return due_day64, due_day * DAY + np.where(due_day > day, received - day * DAY, 17 * HOUR)


def _withdrawn_stopped_refused(
    received: np.ndarray, due: np.ndarray, finished: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Which dossiers are withdrawn, stopped or refused, and when processing ends for each
    (a withdrawn or stopped dossier ends before its due time)."""
    n = len(received)
    u = rng.random(n)
    withdrawn = u < WITHDRAWN
    stopped = (u >= WITHDRAWN) & (u < WITHDRAWN + STOPPED)
    refused = (u >= WITHDRAWN + STOPPED) & (u < WITHDRAWN + STOPPED + REFUSED)
    quit_at = received + 60 + (rng.random(n) * np.maximum(due - received, HOUR)).astype(np.int64)
    return withdrawn, stopped, refused, np.where(withdrawn | stopped, quit_at, finished)


def _online_services(
    channel: np.ndarray,
    status: np.ndarray,
    has_fee: np.ndarray,
    e_result: np.ndarray,
    day64: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(paid online, electronic result, digitized, data reused), growing over the years."""
    n = len(status)
    taken = ~((status == 1) | (status == 3))
    paid_rate = np.where(channel == 2, ramp(day64, 0.25, 0.80), ramp(day64, 0.03, 0.20))
    paid_online = has_fee & taken & (rng.random(n) < paid_rate)
    e_result = e_result & ((status == 9) | (status == 10))
    digitized = taken & (rng.random(n) < ramp(day64, 0.35, 0.90))
    reused_data = digitized & (rng.random(n) < ramp(day64, 0.05, 0.45))
    return paid_online, e_result, digitized, reused_data


def simulate(world: World, day_index: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Dossiers whose main date (reception, or submission for status 1 and 3) is the given days.

    `day_index` holds one entry per dossier (days since DEMO_START) and must cover
    whole days, so that the per-agency, per-day sequence numbers are complete.
    """
    n = len(day_index)
    day = world.first_day + day_index
    received = np.sort(day * DAY + _working_time(rng, n, (day + 3) % 7 == 5))
    day = received // DAY
    day_index = day - world.first_day
    day64 = day.astype("datetime64[D]")

    agency, proc = _agencies_and_procedures(world, day_index, rng)
    level, channel = _channels(world, proc, day, rng)
    submitted = received - _submission_lag(channel, rng)

    due_day64, due = _due_times(world, proc, day, received)
    finished = _end_of_processing(world, agency, proc, received, due_day64, rng)

    withdrawn, stopped, refused, finished = _withdrawn_stopped_refused(received, due, finished, rng)
    done = finished <= world.cutoff

    has_fee = world.proc_fee[proc] & (rng.random(n) > 0.04)
    e_rate = ramp(day64, 0.15, 0.75)
    e_result = rng.random(n) < np.where(channel == 2, np.minimum(0.95, e_rate * 1.2), e_rate * 0.8)
    returned = _return_times(world, finished, e_result, rng)
    resolved = done & ~withdrawn & ~stopped
    handed_over = resolved & (returned <= world.cutoff) & (rng.random(n) > 0.03)

    outcome = (done, withdrawn, stopped, refused, resolved, handed_over)
    status = _status(world, channel, received, outcome, has_fee, rng)

    unreceived = (status == 1) | (status == 3)
    ended = np.isin(status, (7, 8, 9, 10))
    submission_time = day * DAY + (rng.random(n) * DAY).astype(np.int64)
    submitted = np.where(status == 1, submission_time, np.where(status == 3, received, submitted))
    received = np.where(unreceived, NA, received)
    due = np.where(unreceived, NA, due)
    finished = np.where(ended, finished, NA)
    returned = np.where(status == 10, returned, NA)

    supplement_count, supplement_tenths = _supplements(world, proc, status, received, finished, rng)

    paid_online, e_result, digitized, reused_data = _online_services(
        channel, status, has_fee, e_result, day64, rng
    )

    rating = _ratings(status, finished, due, day64, rng)

    handler = world.handler_offset[agency] + (rng.random(n) * world.handler_count[agency]).astype(np.int64)
    handler = np.where(status == 1, -1, handler)

    updated = _updated_at(world, status, (submitted, received, finished, returned), rng)

    return {
        "day": day,
        "agency": agency,
        "seq": _sequence_numbers(day_index * len(world.agency_codes) + world.agency_code_id[agency]),
        "proc": proc,
        "level": level,
        "channel": channel,
        "status": status,
        "submitted": submitted,
        "received": received,
        "due": due,
        "finished": finished,
        "returned": returned,
        "supplement_count": supplement_count,
        "supplement_tenths": supplement_tenths,
        "has_fee": has_fee,
        "paid_online": paid_online,
        "e_result": e_result,
        "digitized": digitized,
        "reused_data": reused_data,
        "handler": handler,
        "rating": rating,
        "updated": updated,
    }
