"""Component ids inside the detail tabs' content, drawn by callbacks (the section's own
ids — tabs, content area, downloads — are part of the home page: layouts/home/ids.py)."""

from __future__ import annotations

from enum import StrEnum


class DetailsIds(StrEnum):
    TREND_GRAPH = "details-trend-graph"
    RANK_GRAPH = "details-rank-graph"
    OVERDUE_STATE = "details-overdue-state"  # sort and page of the overdue table
    OVERDUE_CLICK = "details-overdue-click"  # last real click on a header or the pager (details.js)
    OVERDUE_TABLE = "details-overdue-table"
    OVERDUE_PREV = "details-overdue-prev"
    OVERDUE_NEXT = "details-overdue-next"
    OVERDUE_CSV = "details-overdue-csv"
    OVERDUE_MESSAGE = "details-overdue-message"  # why the CSV could not be made
    OVERDUE_DOWNLOAD = "details-overdue-download"
    CHANNEL_GRAPH = "details-channel-graph"
    REPORT_XLSX = "details-report-xlsx"
    REPORT_CSV = "details-report-csv"
    REPORT_MESSAGE = "details-report-message"
    REPORT_DOWNLOAD = "details-report-download"


SORT_HEADER = "details-overdue-sort"  # pattern-matching type: {"type": SORT_HEADER, "key": <sort key>}


def sort_header_id(key: str) -> dict[str, str]:
    return {"type": SORT_HEADER, "key": key}
