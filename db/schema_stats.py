"""Tables of the 766 index and of the live refresh (issue 3), on db.schema.metadata.

- `dossier_facts`: per dossier, the facts as they were last added to the aggregates
  (the shadow). Updating aggregates means subtracting the contribution of these facts
  and adding that of the new ones, also when the dossiers row was changed directly by
  the processing system (`cli.py refresh`).
- `agency_month_766`: per agency and month, the counts the 766 index needs, under the
  766 on-time rule (dossier_stats.index766.facts). Flows count events in the month;
  `d_pending_*` are changes of the pending stock at month end (as agency_month_stats).
- `agency_procedure_month`: per agency, procedure and reception month, the counts
  behind the procedure shares (offered online, used online, online payment).
- `indicator_values`: 766 indicators that dossier data cannot give, imported per agency
  (or the province code) and period (`cli.py import-indicators`), in points.
- `refresh_state`: the `updated_at` watermark of `cli.py refresh`, and whether the
  tables above have been filled from the dossiers already stored (`bootstrapped`).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
)

from db.schema import metadata

dossier_facts = Table(
    "dossier_facts",
    metadata,
    Column("dossier_code", String(64), primary_key=True),
    Column("agency_id", Integer, nullable=False),  # no foreign key, as dossiers.agency_id
    Column("procedure_code", String(64), nullable=False),
    Column("status", SmallInteger, nullable=False),
    Column("channel", SmallInteger, nullable=False),
    Column("received_on", Date, nullable=True),
    Column("due_on", Date, nullable=True),
    Column("finished_on", Date, nullable=True),
    Column("supplement_count", Integer, nullable=False),
    Column("supplement_days", Float, nullable=False),
    Column("online_offered", Boolean, nullable=False),  # online_level full or partial
    Column("has_fee", Boolean, nullable=False),
    Column("paid_online", Boolean, nullable=False),
    Column("e_result", Boolean, nullable=False),
    Column("digitized", Boolean, nullable=False),
    Column("reused_data", Boolean, nullable=False),
    Column("unsatisfied", Boolean, nullable=False),  # rating = unsatisfied
)

# The counts of a month that a period sums as they are (the 766 counts of the same name)…
MONTH_766_COUNTS = (
    "received",  # newly received (counted statuses), by reception month
    "received_online",
    "fee_received",  # received with has_fee
    "paid_online",  # received with has_fee and paid_online
    "digitized",
    "reused_data",
    "resolved",  # status 9/10 ended in the month
    "e_result",  # resolved with an electronic result
    "unsatisfied",  # resolved and rated unsatisfied
    "unsatisfied_ok",  # of those, ended within the 766 deadline (issue 16: counted once)
)
# … then the end states and pending-stock deltas that `good` and `handled` are made of.
MONTH_766_COLUMNS = (
    *MONTH_766_COUNTS,
    "ended_ok",  # resolved within the 766 deadline, or withdrawn
    "ended_late",
    "d_pending_ok",
    "d_pending_late",
)

agency_month_766 = Table(
    "agency_month_766",
    metadata,
    Column("agency_id", Integer, ForeignKey("agencies.id"), primary_key=True),
    Column("month", Integer, primary_key=True),  # yyyymm
    *(Column(name, Integer, nullable=False, default=0) for name in MONTH_766_COLUMNS),
    Index("ix_agency_month_766_month", "month"),
)

PROCEDURE_MONTH_COLUMNS = ("received", "received_online", "online_offered", "fee_received", "paid_online")

agency_procedure_month = Table(
    "agency_procedure_month",
    metadata,
    Column("agency_id", Integer, ForeignKey("agencies.id"), primary_key=True),
    Column("procedure_code", String(64), primary_key=True),
    Column("month", Integer, primary_key=True),  # yyyymm of reception
    *(Column(name, Integer, nullable=False, default=0) for name in PROCEDURE_MONTH_COLUMNS),
    Index("ix_agency_procedure_month_month", "month"),
)

indicator_values = Table(
    "indicator_values",
    metadata,
    Column("agency_code", String(20), primary_key=True),  # agency code, or the province's unit code
    Column("period_key", String(10), primary_key=True),  # 2025-07 | 2025-Q3 | 2025
    Column("indicator", String(40), primary_key=True),
    Column("value", Float, nullable=False),  # points, 0..the indicator's maximum
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("import_run_id", Integer, ForeignKey("import_runs.id"), nullable=True),
    Column("updated_at", DateTime, nullable=False),
    Index("ix_indicator_values_period", "period_start", "period_end"),
)

refresh_state = Table(
    "refresh_state",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("watermark", DateTime, nullable=True),  # greatest updated_at taken into account
    Column("bootstrapped", Boolean, nullable=False),
    Column("last_run_at", DateTime, nullable=True),
    Column("last_changed", Integer, nullable=False, default=0),
    Column("note", Text, nullable=True),
)
