"""Component ids inside the detail tabs' content, drawn by callbacks (the section's own
ids — tabs, content area, downloads — are part of the home page: layouts/ids.py)."""

from __future__ import annotations

from enum import StrEnum


class DetailsIds(StrEnum):
    TREND_GRAPH = "details-trend-graph"
    RANK_GRAPH = "details-rank-graph"
    OVERDUE_STATE = "details-overdue-state"  # sort and page of the overdue table
    OVERDUE_TABLE = "details-overdue-table"
    OVERDUE_PREV = "details-overdue-prev"
    OVERDUE_NEXT = "details-overdue-next"
    OVERDUE_CSV = "details-overdue-csv"
    CHANNEL_GRAPH = "details-channel-graph"
    REPORT_XLSX = "details-report-xlsx"
    REPORT_CSV = "details-report-csv"


SORT_HEADER = "details-overdue-sort"  # pattern-matching type: {"type": SORT_HEADER, "key": <sort key>}


def sort_header_id(key: str) -> dict[str, str]:
    return {"type": SORT_HEADER, "key": key}
