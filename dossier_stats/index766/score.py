"""The 766 formulas (DOMAIN.md §3) as pure functions of additive counts.

`Index766Counts` are what the aggregates give for one agency (or a pool of agencies)
and one period; `score(counts, imported, config)` turns them and the imported
indicators into points per indicator, group and the total, with the grade.

From dossier data, for a period [S, E] (766 on-time rule, index766.facts):
- timeliness 20 × good / handled, where handled = dossiers handled in the period
  (ended in it + pending at E; Biểu 06 column 3, newly received plus carried over) and
  good = ended within the 766 deadline (withdrawn or stopped count in time) + pending
  within it at E (rule set `timeliness_denominator`: "received" divides by newly
  received instead, capped at 20);
- online services (12): "project" splits 4 + 4 + 4 (configurable): share of newly
  received dossiers filed online (full at 50%); share of the procedures with dossiers
  received in the period that are offered online (full at 80%); share of those that had
  an online dossier (full at 100%). Procedure shares count (agency, procedure) pairs, so
  pooling agencies adds them up. "portal_table": 12 × dossiers filed online / dossiers of
  full-online procedures;
- online payment ("project") min(10, 6A + min(2, 2.5B) + 2.5C): A = newly received
  fee-bearing dossiers paid online / newly received fee-bearing dossiers; B and C
  approximated from dossiers: among the procedures with fee-bearing dossiers in the
  period, B = those with a dossier paid online within the integration window (12 months
  to E), C = those with a dossier paid online in the period. "portal_table": 10 × A;
- satisfaction with dossier handling min(6, 6 × ratio / 0.9): "one_denominator" ratio =
  (good − resolved in time yet rated unsatisfied) / handled, a dossier counted once;
  "two_rates" ratio = 1 − late / handled − unsatisfied / resolved (floored at 0);
- digitization: electronic results 6 × e_result / resolved in the period; digitized
  4 × digitized / newly received; reuse 2 × min(1, (reused / newly received) / 0.8);
- an empty denominator scores 0 ("zero", as the portal) or full marks ("full"), noted
  "không phát sinh"; an imported indicator without a value scores 0, "chưa có số liệu".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from dossier_stats.index766.config import (
    DEFAULT_CONFIG,
    GROUPS,
    INDICATORS,
    NOTE_EMPTY,
    NOTE_MISSING,
    PAYMENT_MAX,
    Index766Config,
    grade_for,
    max_points,
)
from vi_format import format_points


@dataclass(frozen=True)
class Index766Counts:
    handled: int = 0  # ended in the period + pending at its end
    good: int = 0  # of those: in time under the 766 rule
    received: int = 0  # newly received in the period
    received_online: int = 0
    fee_received: int = 0
    paid_online: int = 0
    digitized: int = 0
    reused_data: int = 0
    resolved: int = 0  # status 9/10 ended in the period
    e_result: int = 0
    unsatisfied: int = 0
    unsatisfied_ok: int = 0  # of those, ended within the 766 deadline
    full_received: int = 0  # newly received dossiers of full-online procedures (direct scan)
    full_received_online: int = 0  # of those, filed online
    procedures: int = 0  # (agency, procedure) pairs with dossiers received in the period
    procedures_online: int = 0  # of those, offered online
    procedures_online_used: int = 0  # of those, with an online dossier in the period
    fee_procedures: int = 0  # pairs with fee-bearing dossiers received in the period
    fee_procedures_integrated: int = 0  # of those, paid online within the integration window
    fee_procedures_used: int = 0  # of those, paid online in the period

    def __add__(self, other: Index766Counts) -> Index766Counts:
        return Index766Counts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    @property
    def late(self) -> int:
        return self.handled - self.good

    @property
    def has_dossiers(self) -> bool:
        return bool(self.handled or self.received)


COUNT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Index766Counts))


@dataclass(frozen=True)
class ImportedValue:
    points: float
    note: str | None = None  # e.g. "trung bình 2/3 tháng"


@dataclass(frozen=True)
class IndicatorScore:
    key: str
    label: str
    group: str
    max_points: float
    points: float
    source: str  # dossiers | imported
    ratio: float | None = None  # the share behind computed points (0..1), None when undefined
    note: str | None = None  # không phát sinh | chưa có số liệu | how an imported value was made

    @property
    def missing(self) -> bool:
        return self.note == NOTE_MISSING


@dataclass(frozen=True)
class GroupScore:
    key: str
    label: str
    max_points: float
    points: float
    indicators: tuple[IndicatorScore, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(i.key for i in self.indicators if i.missing)


@dataclass(frozen=True)
class Index766Score:
    groups: tuple[GroupScore, ...]
    total: float
    grade: str

    def group(self, key: str) -> GroupScore:
        return next(g for g in self.groups if g.key == key)

    @property
    def missing(self) -> tuple[str, ...]:
        """Imported indicators without a value (scored 0, "chưa có số liệu")."""
        return tuple(k for g in self.groups for k in g.missing)

    @property
    def points_with_data(self) -> float:
        """How many of the 100 points had data: per group the maxima of its indicators not
        missing, capped at the group's maximum (payment's maxima add up to 10.5)."""
        return sum(
            min(g.max_points, sum(i.max_points for i in g.indicators if not i.missing)) for g in self.groups
        )


def share(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def full_at(ratio: float, threshold: float) -> float:
    """0..1: the ratio scaled so that `threshold` and above give full marks."""
    return min(1.0, ratio / threshold) if threshold > 0 else 1.0


def satisfaction_points(
    late_rate: float, unsatisfied_rate: float, config: Index766Config = DEFAULT_CONFIG
) -> float:
    """min(6, 6 × ratio / 0.9) with ratio = 1 − late rate − unsatisfied rate (at least 0)."""
    ratio = max(0.0, 1.0 - late_rate - unsatisfied_rate)
    return min(6.0, 6.0 * ratio / config.satisfaction_full_at)


def payment_points(a: float, b: float, c: float) -> float:
    """min(10, 6A + min(2, 2.5B) + 2.5C)."""
    return min(PAYMENT_MAX, 6.0 * a + min(2.0, 2.5 * b) + 2.5 * c)


class _Scorer:
    def __init__(
        self, counts: Index766Counts, imported: Mapping[str, ImportedValue], config: Index766Config
    ) -> None:
        self.c = counts
        self.imported = imported
        self.config = config

    def _empty(self, key: str) -> tuple[float, str]:
        full = max_points(key, self.config) if self.config.empty_denominator == "full" else 0.0
        return full, NOTE_EMPTY

    def from_share(
        self, key: str, numerator: int, denominator: int, threshold: float = 1.0
    ) -> IndicatorScore:
        ratio = share(numerator, denominator)
        top = max_points(key, self.config)
        if ratio is None:
            points, note = self._empty(key)
        else:
            points, note = top * full_at(ratio, threshold), None
        return self._make(key, points, ratio, note)

    def _make(self, key: str, points: float, ratio: float | None, note: str | None) -> IndicatorScore:
        ind = next(i for i in INDICATORS if i.key == key)
        return IndicatorScore(
            key, ind.label, ind.group, max_points(key, self.config), points, ind.source, ratio, note
        )

    def imported_one(self, key: str) -> IndicatorScore:
        value = self.imported.get(key)
        if value is None:
            return self._make(key, 0.0, None, NOTE_MISSING)
        return self._make(key, value.points, None, value.note)

    def timeliness(self) -> IndicatorScore:
        if self.config.timeliness_denominator == "received":
            score = self.from_share("on_time", self.c.good, self.c.received)
            return replace(score, points=min(score.points, score.max_points))
        return self.from_share("on_time", self.c.good, self.c.handled)

    def online(self) -> list[IndicatorScore]:
        c, cfg = self.c, self.config
        if cfg.splits == "portal_table":
            return [
                self.from_share("filed_online", c.full_received_online, c.full_received),
                self._make("procedures_online", 0.0, None, None),
                self._make("online_procedures_used", 0.0, None, None),
            ]
        return [
            self.from_share("filed_online", c.received_online, c.received, cfg.filed_online_full_at),
            self.from_share(
                "procedures_online", c.procedures_online, c.procedures, cfg.procedures_online_full_at
            ),
            self.from_share(
                "online_procedures_used",
                c.procedures_online_used,
                c.procedures_online,
                cfg.online_used_full_at,
            ),
        ]

    def payment(self) -> list[IndicatorScore]:
        c = self.c
        a = self.from_share("paid_online", c.paid_online, c.fee_received)
        if self.config.splits == "portal_table":
            return [
                a,
                self._make("payment_integrated", 0.0, None, None),
                self._make("payment_used", 0.0, None, None),
            ]
        if c.fee_procedures == 0:
            b = self._make("payment_integrated", *self._empty_ratio("payment_integrated"))
            cc = self._make("payment_used", *self._empty_ratio("payment_used"))
            return [a, b, cc]
        b_ratio = c.fee_procedures_integrated / c.fee_procedures
        c_ratio = c.fee_procedures_used / c.fee_procedures
        b = self._make("payment_integrated", min(2.0, 2.5 * b_ratio), b_ratio, None)
        cc = self._make("payment_used", 2.5 * c_ratio, c_ratio, None)
        return [a, b, cc]

    def _empty_ratio(self, key: str) -> tuple[float, None, str]:
        points, note = self._empty(key)
        return points, None, note

    def dossier_satisfaction(self) -> IndicatorScore:
        c = self.c
        if c.handled == 0:
            return self._make("dossier_satisfaction", *self._empty_ratio("dossier_satisfaction"))
        if self.config.dossier_satisfaction == "one_denominator":
            ratio = (c.good - c.unsatisfied_ok) / c.handled
            points = min(6.0, 6.0 * ratio / self.config.satisfaction_full_at)
            return self._make("dossier_satisfaction", points, ratio, None)
        late_rate = c.late / c.handled
        unsatisfied_rate = c.unsatisfied / c.resolved if c.resolved else 0.0
        ratio = max(0.0, 1.0 - late_rate - unsatisfied_rate)
        return self._make(
            "dossier_satisfaction", satisfaction_points(late_rate, unsatisfied_rate, self.config), ratio, None
        )

    def indicators(self) -> list[IndicatorScore]:
        c, cfg = self.c, self.config
        computed = [
            self.timeliness(),
            *self.online(),
            *self.payment(),
            self.dossier_satisfaction(),
            self.from_share("e_results", c.e_result, c.resolved),
            self.from_share("digitized", c.digitized, c.received),
            self.from_share("data_reused", c.reused_data, c.received, cfg.reuse_full_at),
        ]
        by_key = {i.key: i for i in computed}
        return [by_key.get(i.key) or self.imported_one(i.key) for i in INDICATORS]


def score(
    counts: Index766Counts,
    imported: Mapping[str, ImportedValue] | None = None,
    config: Index766Config = DEFAULT_CONFIG,
) -> Index766Score:
    """Points per indicator and group, total and grade. Groups are capped at their maximum
    (online payment's formula can reach 10.5)."""
    indicators = _Scorer(counts, imported or {}, config).indicators()
    groups = []
    for g in GROUPS:
        members = tuple(i for i in indicators if i.group == g.key)
        points = min(g.max_points, sum(i.points for i in members))
        groups.append(GroupScore(g.key, g.label, g.max_points, points, members))
    total = sum(g.points for g in groups)
    return Index766Score(tuple(groups), total, grade_for(total, config))


def competition_ranks(values: list[float | None], decimals: int = 2) -> list[int | None]:
    """Rank of each value, highest first; equal (rounded) values share a rank and the next
    rank skips (1, 2, 2, 4); None (no index) gets no rank."""
    rounded = [None if v is None else round(v, decimals) for v in values]
    ordered = sorted((v for v in rounded if v is not None), reverse=True)
    first: dict[float, int] = {}
    for position, v in enumerate(ordered, start=1):
        first.setdefault(v, position)
    return [None if v is None else first[v] for v in rounded]


NOT_RANKED_NO_DOSSIERS = "không phát sinh hồ sơ trong kỳ"


def unranked_reason(score: Index766Score | None) -> str | None:
    """Why a unit is listed apart instead of ranked (None: it is ranked). Only comparables
    are ranked: a unit without any dossier in the period ("không phát sinh") and a unit
    with an imported indicator missing (its total lacks points others may have) are not."""
    if score is None:
        return NOT_RANKED_NO_DOSSIERS
    if score.missing:
        return f"thiếu số liệu nhập: {len(score.missing)} chỉ số chưa có số liệu ({data_coverage(score)})"
    return None


def data_coverage(score: Index766Score) -> str:
    """ "96/100 điểm có số liệu": how many of the 100 points had data."""
    return f"{format_points(score.points_with_data)}/100 điểm có số liệu"
