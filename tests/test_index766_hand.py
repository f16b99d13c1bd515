"""The 766 index of 2025-Q3 computed by hand for 38 dossiers, under every option of the
named rule set (issue 16), on SQLite and PostgreSQL.

Each option is switched by writing a rule set file (index766.ruleset.load_rule_set) that
differs from the shipped rules.toml in that one line: no code and no stored row changes.
Every expected value below is counted by hand from the dossiers in this file; the
formulas are those of DOMAIN.md §3 with the rule set's options.

Period 2025-Q3: S = 01/07/2025, E = 30/09/2025. Procedures: PA full online, with fee;
PB partial online, no fee; PC not online, with fee; PD full online, no fee (SNV); PH not
online and PK full online, no fee (the commune).

SNV, Sở Nội vụ (31 dossiers, N30 not counted; N01, N02 and N26 received by Quảng Nam's SNV,
valid until 30/06/2025, the others by the city's SNV from 01/07/2025: the Q3 row is the city's
and holds N01 and N02, carried over, each once):
| code | received | due | finished | status | ch | proc | flags | Q3 under the defaults |
|---|---|---|---|---|---|---|---|---|
| N01 | 10/06 | 05/07 | 04/07 | 9 | 1 | PB | | carried over, resolved early: good |
| N02 | 20/06 | 10/07 | — | 4 | 1 | PB | | carried over, pending, overdue: late |
| N03 | 01/07 | 10/07 | 08/07 | 10 | 2 | PA | fee paid online, e, dig, reuse, satisfied | good |
| N04 | 02/07 | 11/07 | 11/07 | 9 | 2 | PA | fee paid online, e, dig | good |
| N05 | 03/07 | 12/07 | 10/07 | 9 | 1 | PA | fee, e | good |
| N06 | 04/07 | 14/07 | 14/07 | 9 | 2 | PA | fee paid online, dig, reuse | good |
| N07 | 07/07 | 15/07 | 15/07 | 9 | 1 | PB | e, dig | good |
| N08 | 08/07 | 16/07 | 12/07 | 10 | 3 | PB | e | good |
| N09 | 09/07 | 17/07 | 17/07 | 9 | 2 | PB | dig, reuse | good |
| N10 | 10/07 | 18/07 | 18/07 | 9 | 1 | PC | fee, e, dig | good |
| N11 | 11/07 | 21/07 | 20/07 | 9 | 1 | PC | fee | good |
| N12 | 14/07 | 22/07 | 22/07 | 9 | 2 | PD | e, dig, reuse | good |
| N13 | 15/07 | 23/07 | 21/07 | 10 | 2 | PD | e | good |
| N14 | 16/07 | 24/07 | 24/07 | 9 | 1 | PD | | good |
| N15 | 01/08 | 08/08 | 12/08 | 9 | 2 | PA | fee paid online, e, unsatisfied | late |
| N16 | 04/08 | 11/08 | 13/08 | 9 | 1 | PC | fee | late |
| N17 | 05/08 | 12/08 | 15/08 | 9 | 1 | PB | e; 1 supplement, 2,5 days | good (exact: 12/08 + 3) |
| N18 | 06/08 | 13/08 | 15/08 | 9 | 2 | PB | e; 1 supplement, 2 days | good |
| N19 | 07/08 | 14/08 | 12/08 | 9 | 2 | PD | 2 supplements, 1 day | late (two requests) |
| N20 | 08/08 | 15/08 | 16/08 | 9 | 1 | PA | fee paid online; 1 supplement, 0,5 d | good (15/08 + 1) |
| N21 | 11/08 | 18/08 | 18/08 | 9 | 1 | PB | e, unsatisfied | good, unsatisfied |
| N22 | 01/09 | 10/09 | — | 5 | 1 | PB | 1 supplement, 3 days | paused: good |
| N23 | 02/09 | 05/09 | — | 6 | 2 | PA | fee | paused: good |
| N24 | 20/08 | 27/08 | 03/09 | 7 | 1 | PC | fee | withdrawn: good |
| N25 | 21/08 | 28/08 | 04/09 | 8 | 1 | PB | | stopped, ended: good |
| N26 | 02/06 | 09/06 | 20/06 | 8 | 1 | PB | | stopped in June: not in Q3 |
| N27 | 20/09 | 05/10 | — | 4 | 2 | PD | | pending within |
| N28 | 10/09 | 25/09 | — | 4 | 1 | PA | fee | pending, overdue: late |
| N29 | 25/09 | 03/10 | — | 2 | 1 | PB | | pending within |
| N30 | — | — | — | 1 | 2 | PA | submitted 28/09 | not counted |
| N32 | 15/09 | 27/09 | — | 4 | 1 | PB | 1 supplement, 2,5 days | within (exact: 27/09 + 3 = 30/09) |

Counts (defaults): handled = N01, N02, N03–N25 (23), N27, N28, N29, N32 = 29; late = N02,
N15, N16, N19, N28 = 5, good = 24; received in Q3 = N03–N25, N27, N28, N29, N32 = 27;
online (ch 2) = N03, N04, N06, N09, N12, N13, N15, N18, N19, N23, N27 = 11; fee = PA's
N03, N04, N05, N06, N15, N20, N23, N28 and PC's N10, N11, N16, N24 = 12, paid online =
N03, N04, N06, N15, N20 = 5; digitized = N03, N04, N06, N07, N09, N10, N12 = 7; reused =
N03, N06, N09, N12 = 4; resolved (9, 10) in Q3 = N01, N03–N21 = 20, with e-result N03,
N04, N05, N07, N08, N10, N12, N13, N15, N17, N18, N21 = 12, unsatisfied N15, N21 = 2, of
which in time N21 = 1; procedures PA, PB, PC, PD = 4, online PA, PB, PD = 3, all three
with an online dossier; fee procedures PA, PC = 2, PA paid online (B = C = 1/2).
Imported for SNV, 2025-Q3: publicity 6 + 4 + 2 + 5 = 17; complaints on time 6,
complaint satisfaction 5; citizen data store 3, population data dossiers 2; missing:
certified_copies (2) and population_data_procedures (2) -> 96/100 points with data.

Bàn Thạch, the new 20335 from 01/07/2025 (5 dossiers), and Tân Thạnh, the old 20335
until 30/06/2025 (2 dossiers, C01 still pending in Q3: it counts for the province only):
| C01 | 16/06 | 08/07 | — | 4 | 1 | PH | | old commune |
| C02 | 05/06 | 10/06 | 10/06 | 9 | 1 | PH | | old commune, before Q3 |
| C03 | 02/07 | 09/07 | 09/07 | 9 | 1 | PH | e | good |
| C04 | 03/07 | 10/07 | 14/07 | 9 | 2 | PH | unsatisfied | late |
| C05 | 04/08 | 11/08 | 08/08 | 10 | 1 | PK | e, dig | good |
| C06 | 15/09 | 22/09 | — | 4 | 1 | PK | | late |
| C07 | 16/09 | 02/10 | — | 4 | 2 | PK | | within |
Bàn Thạch: handled 5, good 3, received 5, online 2, no fee, digitized 1, reused 0,
resolved 3 (e-result 2, unsatisfied 1, late), procedures PH, PK (online PK, used).
Imported: 20335 for 2025-Q3 procedures_announced_on_time 4 (Bàn Thạch's); for 2025-Q2
2 (Tân Thạnh's, not Bàn Thạch's).
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

import cli
from dossier_stats.index766.config import NOTE_EMPTY, NOTE_MISSING
from dossier_stats.index766.results import index766_for_agencies
from dossier_stats.index766.ruleset import DEFAULT_RULES_FILE, load_rule_set
from dossier_stats.periods import Period
from importer.dossiers import import_dossiers
from importer.indicators import import_indicators
from tests.import_fixtures import dossier, registry_database, write_dossiers

NOW = datetime(2025, 10, 15, 12, 0)
Q3 = Period.parse("2025-Q3")
ONLINE = {"PA": "full", "PB": "partial", "PC": "", "PD": "full", "PH": "", "PK": "full"}
FEE = {"PA", "PC"}
ROOT = Path(cli.__file__).resolve().parent


def d(code, agency, proc, status, ch, received, due, finished="", *flags, sup=(0, 0.0), rating=""):
    """A dossier row; flags among paid, e, dig, reuse."""
    return dossier(
        code,
        agency_code=agency,
        procedure_code=proc,
        online_level=ONLINE[proc],
        status=str(status),
        channel=str(ch),
        submitted_at=f"{received or '2025-09-28'}T07:00:00",
        received_at=f"{received}T08:00:00" if received else "",
        due_at=due,
        finished_at=f"{finished}T15:00:00" if finished else "",
        returned_at=f"{finished}T16:00:00" if status == 10 else "",
        has_fee="1" if proc in FEE else "0",
        paid_online="1" if "paid" in flags else "0",
        e_result="1" if "e" in flags else "0",
        digitized="1" if "dig" in flags else "0",
        reused_data="1" if "reuse" in flags else "0",
        rating=rating,
        supplement_count=str(sup[0]),
        supplement_days=str(sup[1]),
        updated_at="2025-10-01T00:00:00",
    )


S = "SNV"
DOSSIERS = [
    d("N01", S, "PB", 9, 1, "2025-06-10", "2025-07-05", "2025-07-04"),
    d("N02", S, "PB", 4, 1, "2025-06-20", "2025-07-10"),
    d("N03", S, "PA", 10, 2, "2025-07-01", "2025-07-10", "2025-07-08", "paid", "e", "dig", "reuse",
      rating="satisfied"),
    d("N04", S, "PA", 9, 2, "2025-07-02", "2025-07-11", "2025-07-11", "paid", "e", "dig"),
    d("N05", S, "PA", 9, 1, "2025-07-03", "2025-07-12", "2025-07-10", "e"),
    d("N06", S, "PA", 9, 2, "2025-07-04", "2025-07-14", "2025-07-14", "paid", "dig", "reuse"),
    d("N07", S, "PB", 9, 1, "2025-07-07", "2025-07-15", "2025-07-15", "e", "dig"),
    d("N08", S, "PB", 10, 3, "2025-07-08", "2025-07-16", "2025-07-12", "e"),
    d("N09", S, "PB", 9, 2, "2025-07-09", "2025-07-17", "2025-07-17", "dig", "reuse"),
    d("N10", S, "PC", 9, 1, "2025-07-10", "2025-07-18", "2025-07-18", "e", "dig"),
    d("N11", S, "PC", 9, 1, "2025-07-11", "2025-07-21", "2025-07-20"),
    d("N12", S, "PD", 9, 2, "2025-07-14", "2025-07-22", "2025-07-22", "e", "dig", "reuse"),
    d("N13", S, "PD", 10, 2, "2025-07-15", "2025-07-23", "2025-07-21", "e"),
    d("N14", S, "PD", 9, 1, "2025-07-16", "2025-07-24", "2025-07-24"),
    d("N15", S, "PA", 9, 2, "2025-08-01", "2025-08-08", "2025-08-12", "paid", "e", rating="unsatisfied"),
    d("N16", S, "PC", 9, 1, "2025-08-04", "2025-08-11", "2025-08-13"),
    d("N17", S, "PB", 9, 1, "2025-08-05", "2025-08-12", "2025-08-15", "e", sup=(1, 2.5)),
    d("N18", S, "PB", 9, 2, "2025-08-06", "2025-08-13", "2025-08-15", "e", sup=(1, 2.0)),
    d("N19", S, "PD", 9, 2, "2025-08-07", "2025-08-14", "2025-08-12", sup=(2, 1.0)),
    d("N20", S, "PA", 9, 1, "2025-08-08", "2025-08-15", "2025-08-16", "paid", sup=(1, 0.5)),
    d("N21", S, "PB", 9, 1, "2025-08-11", "2025-08-18", "2025-08-18", "e", rating="unsatisfied"),
    d("N22", S, "PB", 5, 1, "2025-09-01", "2025-09-10", sup=(1, 3.0)),
    d("N23", S, "PA", 6, 2, "2025-09-02", "2025-09-05"),
    d("N24", S, "PC", 7, 1, "2025-08-20", "2025-08-27", "2025-09-03"),
    d("N25", S, "PB", 8, 1, "2025-08-21", "2025-08-28", "2025-09-04"),
    d("N26", S, "PB", 8, 1, "2025-06-02", "2025-06-09", "2025-06-20"),
    d("N27", S, "PD", 4, 2, "2025-09-20", "2025-10-05"),
    d("N28", S, "PA", 4, 1, "2025-09-10", "2025-09-25"),
    d("N29", S, "PB", 2, 1, "2025-09-25", "2025-10-03"),
    d("N30", S, "PA", 1, 2, "", ""),
    d("N32", S, "PB", 4, 1, "2025-09-15", "2025-09-27", sup=(1, 2.5)),
    d("C01", "20335", "PH", 4, 1, "2025-06-16", "2025-07-08"),
    d("C02", "20335", "PH", 9, 1, "2025-06-05", "2025-06-10", "2025-06-10"),
    d("C03", "20335", "PH", 9, 1, "2025-07-02", "2025-07-09", "2025-07-09", "e"),
    d("C04", "20335", "PH", 9, 2, "2025-07-03", "2025-07-10", "2025-07-14", rating="unsatisfied"),
    d("C05", "20335", "PK", 10, 1, "2025-08-04", "2025-08-11", "2025-08-08", "e", "dig"),
    d("C06", "20335", "PK", 4, 1, "2025-09-15", "2025-09-22"),
    d("C07", "20335", "PK", 4, 2, "2025-09-16", "2025-10-02"),
]  # fmt: skip
IMPORTED = [
    (S, "2025-Q3", "procedures_announced_on_time", "6"),
    (S, "2025-Q3", "published_on_time", "4"),
    (S, "2025-Q3", "published_complete", "2"),
    (S, "2025-Q3", "synced_realtime", "5"),
    (S, "2025-Q3", "complaints_on_time", "6"),
    (S, "2025-Q3", "complaint_satisfaction", "5"),
    (S, "2025-Q3", "citizen_data_store", "3"),
    (S, "2025-Q3", "population_data_dossiers", "2"),
    ("20335", "2025-Q3", "procedures_announced_on_time", "4"),
    ("20335", "2025-Q2", "procedures_announced_on_time", "2"),
]

# ---- SNV under the defaults, by hand (see the module docstring)
SNV_PUBLICITY = 17.0
SNV_TIMELINESS = 20 * 24 / 29
# filed online 11/27 < 50 %: 4 * (11/27) / 0.5; offered 3/4 of 80 %: 4 * 0.75 / 0.8; used 3/3: 4
SNV_ONLINE = 4 * (11 / 27) / 0.5 + 4 * 0.75 / 0.8 + 4
# 6 * 5/12 + min(2, 2.5 * 1/2) + 2.5 * 1/2
SNV_PAYMENT = 6 * 5 / 12 + 1.25 + 1.25
# complaints 6 + 5; dossiers: (good 24 - unsatisfied in time 1) / handled 29, full at 90 %
SNV_SATISFACTION = 6 + 5 + 6 * (23 / 29) / 0.9
# e-results 6 * 12/20; digitized 4 * 7/27; reused 2 * (4/27) / 0.8; imported 3 + 2 (+ 0 + 0 missing)
SNV_DIGITIZATION = 6 * 12 / 20 + 4 * 7 / 27 + 2 * (4 / 27) / 0.8 + 3 + 2
SNV_TOTAL = SNV_PUBLICITY + SNV_TIMELINESS + SNV_ONLINE + SNV_PAYMENT + SNV_SATISFACTION + SNV_DIGITIZATION

# ---- Bàn Thạch under the defaults
# publicity 4 (only procedures_announced_on_time, Bàn Thạch's own Q3 value); timeliness 20 * 3/5;
# online 4 * 0.4 / 0.5 + 4 * 0.5 / 0.8 + 4; payment: no fee-bearing dossier -> 0 (portal);
# satisfaction: dossiers (3 - 0) / 5 -> 6 * 0.6 / 0.9 = 4, complaints missing; digitization
# 6 * 2/3 + 4 * 1/5 + 0
BT_GROUPS = {
    "publicity": 4.0,
    "timeliness": 12.0,
    "online": 3.2 + 2.5 + 4,
    "payment": 0.0,
    "satisfaction": 4.0,
    "digitization": 4.0 + 0.8,
}


def write_rules(tmp_path, name: str, line: str | None = None):
    """The shipped rules.toml with one option line replaced (`key = "value"`)."""
    text = DEFAULT_RULES_FILE.read_text(encoding="utf-8")
    if line is not None:
        key = line.split("=")[0].strip()
        lines = [line if row.startswith(f"{key} =") else row for row in text.splitlines()]
        assert line in lines, key
        text = "\n".join(lines).replace('version = "2026.1"', f'version = "{name}"')
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return load_rule_set(path)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def engine(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hand766")
    with registry_database(request.param, tmp) as engine:
        summary = import_dossiers(engine, [write_dossiers(tmp / "d.csv", DOSSIERS)], now=NOW)
        assert (summary.inserted, summary.quarantined) == (38, 0)
        path = tmp / "i.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["agency_code", "period", "indicator", "value"])
            w.writerows(IMPORTED)
        assert import_indicators(engine, path, now=NOW).inserted == len(IMPORTED)
        yield engine


def rows(engine, config):
    with engine.connect() as conn:
        out = index766_for_agencies(conn, Q3, config)
    snv = next(r for r in out if r.code == S)
    (bt,) = [r for r in out if r.code == "20335"]  # only Bàn Thạch is valid in Q3
    return snv, bt, out


def groups(row):
    return {g.key: g.points for g in row.score.groups}


def indicator(row, key):
    return next(i for g in row.score.groups for i in g.indicators if i.key == key)


def test_defaults_match_the_hand_computation(engine, tmp_path):
    config = write_rules(tmp_path, "defaults")
    snv, bt, _ = rows(engine, config)
    c = snv.counts
    assert (c.handled, c.good, c.received, c.received_online) == (29, 24, 27, 11)
    assert (c.fee_received, c.paid_online, c.digitized, c.reused_data) == (12, 5, 7, 4)
    assert (c.resolved, c.e_result, c.unsatisfied, c.unsatisfied_ok) == (20, 12, 2, 1)
    assert (c.procedures, c.procedures_online, c.procedures_online_used) == (4, 3, 3)
    assert (c.fee_procedures, c.fee_procedures_integrated, c.fee_procedures_used) == (2, 1, 1)
    assert groups(snv) == pytest.approx(
        {
            "publicity": SNV_PUBLICITY,
            "timeliness": SNV_TIMELINESS,
            "online": SNV_ONLINE,
            "payment": SNV_PAYMENT,
            "satisfaction": SNV_SATISFACTION,
            "digitization": SNV_DIGITIZATION,
        }
    )
    assert snv.score.total == pytest.approx(SNV_TOTAL)
    assert set(snv.score.missing) == {"certified_copies", "population_data_procedures"}
    assert snv.score.points_with_data == pytest.approx(96)
    # the reused code: Bàn Thạch counts its own five dossiers, not Tân Thạnh's C01/C02
    b = bt.counts
    assert bt.name.endswith("Bàn Thạch")
    assert (b.handled, b.good, b.received, b.resolved, b.unsatisfied_ok) == (5, 3, 5, 3, 0)
    assert groups(bt) == pytest.approx(BT_GROUPS)
    assert indicator(bt, "procedures_announced_on_time").points == 4  # Q3 value, not Q2's 2
    assert {i.note for i in bt.score.group("payment").indicators} == {NOTE_EMPTY}
    # missing imported: 4 + 2 + 6 + 6 + 6 + 2 + 4 + 2 + 2 = 34 points without data
    assert bt.score.points_with_data == pytest.approx(66)
    assert indicator(bt, "complaints_on_time").note == NOTE_MISSING


def test_empty_denominator_full_gives_the_commune_full_payment(engine, tmp_path):
    snv, bt, _ = rows(engine, write_rules(tmp_path, "empty-full", 'empty_denominator = "full"'))
    # 6 + 2 + 2.5 = 10.5, capped at the group's 10; SNV has no empty denominator: unchanged
    assert groups(bt)["payment"] == pytest.approx(10)
    assert bt.score.total == pytest.approx(sum(BT_GROUPS.values()) + 10)
    assert snv.score.total == pytest.approx(SNV_TOTAL)


def test_whole_supplement_days_make_n17_n20_n32_late(engine, tmp_path):
    snv, bt, _ = rows(engine, write_rules(tmp_path, "whole", 'supplement_days = "whole_days"'))
    # N17: 12/08 + 2 = 14/08 < 15/08; N20: 15/08 + 0 < 16/08; N32 pending: 27/09 + 2 < 30/09
    assert (snv.counts.handled, snv.counts.good, snv.counts.unsatisfied_ok) == (29, 21, 1)
    assert groups(snv)["timeliness"] == pytest.approx(20 * 21 / 29)
    assert indicator(snv, "dossier_satisfaction").points == pytest.approx(6 * (20 / 29) / 0.9)
    delta = (20 * 21 / 29 - SNV_TIMELINESS) + 6 * (20 / 29) / 0.9 - 6 * (23 / 29) / 0.9
    assert snv.score.total == pytest.approx(SNV_TOTAL + delta)
    assert groups(bt) == pytest.approx(BT_GROUPS)  # no supplement at the commune


def test_stopped_as_paused_keeps_n26_pending_for_ever(engine, tmp_path):
    snv, _, _ = rows(engine, write_rules(tmp_path, "paused", 'stopped_status = "paused"'))
    # N26 (stopped in June) is pending within deadline at 30/09; N25 pending instead of ended
    assert (snv.counts.handled, snv.counts.good) == (30, 25)
    assert groups(snv)["timeliness"] == pytest.approx(20 * 25 / 30)
    assert indicator(snv, "dossier_satisfaction").points == pytest.approx(6 * (24 / 30) / 0.9)


def test_two_rates_count_the_late_unsatisfied_dossier_twice(engine, tmp_path):
    snv, bt, _ = rows(engine, write_rules(tmp_path, "two", 'dossier_satisfaction = "two_rates"'))
    # SNV: 1 - late 5/29 - unsatisfied 2/20; Bàn Thạch: 1 - 2/5 - 1/3 (C04 late and unsatisfied)
    assert indicator(snv, "dossier_satisfaction").points == pytest.approx(6 * (1 - 5 / 29 - 0.1) / 0.9)
    assert indicator(bt, "dossier_satisfaction").points == pytest.approx(6 * (1 - 0.4 - 1 / 3) / 0.9)
    assert groups(snv)["timeliness"] == pytest.approx(SNV_TIMELINESS)


def test_timeliness_over_received_only(engine, tmp_path):
    snv, bt, _ = rows(engine, write_rules(tmp_path, "recv", 'timeliness_denominator = "received"'))
    assert groups(snv)["timeliness"] == pytest.approx(20 * 24 / 27)  # N01, N02 carried over
    assert groups(bt)["timeliness"] == pytest.approx(12)  # nothing carried over: same


def test_portal_table_splits(engine, tmp_path):
    snv, bt, _ = rows(engine, write_rules(tmp_path, "portal", 'splits = "portal_table"'))
    # full-online procedures PA (N03, N04, N05, N06, N15, N20, N23, N28) and PD (N12, N13,
    # N14, N19, N27): 13 received, online N03, N04, N06, N15, N23, N12, N13, N19, N27 = 9
    assert groups(snv)["online"] == pytest.approx(12 * 9 / 13)
    assert groups(snv)["payment"] == pytest.approx(10 * 5 / 12)
    # Bàn Thạch: PK's C05, C06, C07, online C07
    assert groups(bt)["online"] == pytest.approx(12 * 1 / 3)
    assert groups(bt)["payment"] == 0


def test_a_department_without_any_dossier_is_not_scored(engine, tmp_path):
    _, _, out = rows(engine, write_rules(tmp_path, "defaults2"))
    stp = next(r for r in out if r.code == "STP")
    assert stp.score is None and stp.rank is None


def run_cli(engine, tmp_path, *args, rules=None):
    env = {
        **os.environ,
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "DATA_DIR": str(tmp_path / "data"),
        "APP_TODAY": "2025-12-01",
    }
    env.pop("INDEX766_RULES", None)
    if rules is not None:
        env["INDEX766_RULES"] = str(rules)
    command = [sys.executable, str(ROOT / "cli.py"), "index766", "--period", "2025-Q3", *args]
    return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)


def test_cli_prints_the_rule_set_and_per_unit_missing_indicators(engine, tmp_path):
    result = run_cli(engine, tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert out[1] == "Bộ quy tắc 766 mặc định, phiên bản 2026.1"
    assert out[2].startswith(
        "Tùy chọn: mẫu số trống: 0 điểm (như Cổng DVCQG); thời gian bổ sung: đúng số ngày"
    )
    snv = next(i for i, line in enumerate(out) if "| SNV | Sở Nội vụ |" in line)
    assert "| 96/100 điểm có số liệu |" in out[snv]
    assert out[snv + 1] == (
        "    chưa có số liệu: Chứng thực bản sao điện tử (cấp xã) (2 điểm); "
        "TTHC kết nối dữ liệu dân cư (2 điểm)"
    )
    stp = next(line for line in out if "| STP |" in line)
    assert stp.endswith("| không phát sinh hồ sơ trong kỳ")


def test_cli_csv_starts_with_the_rule_line_and_lists_missing_indicators(engine, tmp_path):
    rules = tmp_path / "r.toml"
    rules.write_text(
        DEFAULT_RULES_FILE.read_text(encoding="utf-8")
        .replace('version = "2026.1"', 'version = "thử-1"')
        .replace('supplement_days = "exact"', 'supplement_days = "whole_days"'),
        encoding="utf-8",
    )
    out = tmp_path / "i.csv"
    result = run_cli(engine, tmp_path, "--out", str(out), rules=rules)
    assert result.returncode == 0, result.stderr
    lines = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert lines[0] == ["Bộ quy tắc 766 mặc định, phiên bản thử-1"]
    assert "thời gian bổ sung: số ngày làm tròn xuống" in lines[1][0]
    header = lines[2]
    snv = dict(zip(header, next(row for row in lines[3:] if row[2] == "SNV"), strict=True))
    assert snv["Tiến độ, kết quả giải quyết (20)"] == "14,48"  # 20 × 21/29 under whole days
    assert snv["điểm có số liệu"] == "96/100 điểm có số liệu"
    assert snv["chỉ số chưa có số liệu"] == (
        "Chứng thực bản sao điện tử (cấp xã) (2 điểm); TTHC kết nối dữ liệu dân cư (2 điểm)"
    )


def test_a_wrong_rule_set_file_is_refused_with_a_vietnamese_message(engine, tmp_path):
    rules = tmp_path / "bad.toml"
    rules.write_text(
        DEFAULT_RULES_FILE.read_text(encoding="utf-8").replace('splits = "project"', 'splits = "nửa"'),
        encoding="utf-8",
    )
    result = run_cli(engine, tmp_path, rules=rules)
    assert result.returncode == 2
    assert "splits = 'nửa' không hợp lệ; chọn một trong: project, portal_table" in result.stderr
    assert "Traceback" not in result.stderr
