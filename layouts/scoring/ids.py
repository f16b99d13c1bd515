"""Component ids of the PAR-index pages (/scorecard, /scoring/results, /scoring/entry).

Each page has its own dcc.Location (the router's is not an input of any page) and its own
controls, so the three pages can sit side by side in the validation layout. The large
tables are drawn by assets/scoring.js from a Store (`…_DATA`); the entry form's action
buttons use pattern-matching ids (`action_id`), as a step offers only some of them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ScoringIds(StrEnum):
    # /scorecard
    CARD_URL = "scorecard-url"
    CARD_CONTENT = "scorecard-content"
    CARD_LINK_POLL = "scorecard-content-link-poll"  # layouts.scoring.common.link_poll_id
    CARD_YEAR = "scorecard-year"
    CARD_UNIT = "scorecard-unit"
    CARD_TREE = "scorecard-tree"  # drawn by assets/scoring.js from CARD_TREE_DATA
    CARD_TREE_DATA = "scorecard-tree-data"
    # /scoring/results
    RESULTS_URL = "results-url"
    RESULTS_CONTENT = "results-content"
    RESULTS_LINK_POLL = "results-content-link-poll"  # layouts.scoring.common.link_poll_id
    RESULTS_YEAR = "results-year"
    RESULTS_GROUP = "results-group"
    RESULTS_EDITION = "results-edition"
    RESULTS_TABLE = "results-table"
    RESULTS_TABLE_DATA = "results-table-data"
    DOWNLOAD_XLSX = "results-download-xlsx"
    DOWNLOAD_CSV = "results-download-csv"
    DOWNLOAD = "results-download"
    DOWNLOAD_MESSAGE = "results-download-message"
    # /scoring/entry
    ENTRY_URL = "entry-url"
    ENTRY_CONTENT = "entry-content"
    ENTRY_LINK_POLL = "entry-content-link-poll"  # layouts.scoring.common.link_poll_id
    ENTRY_YEAR = "entry-year"
    ENTRY_UNIT = "entry-unit"
    ENTRY_FORM = "entry-form"
    ENTRY_STEP = "entry-step"
    ENTRY_TABLE = "entry-table"  # rows with their inputs, drawn by assets/scoring.js
    ENTRY_TABLE_DATA = "entry-table-data"
    ENTRY_SEEN = "entry-seen"  # {row code: {column: value}}: what the form showed when drawn
    ENTRY_SUBMIT = "entry-submit"  # {action, values, at}: what the browser read from the inputs
    ENTRY_ACTION = "entry-action"  # pattern type: {"type", "action"}


class ScoringTextIds(StrEnum):
    """Texts inside a page's content that the browser tests read (no callback uses them)."""

    CARD_TOTAL = "scorecard-total"
    CARD_PERCENT = "scorecard-percent"
    CARD_GRADE = "scorecard-grade"
    CARD_RANK = "scorecard-rank"
    ENTRY_LOCK_STATUS = "entry-lock-status"


def action_id(action: str) -> dict[str, Any]:
    """Id of an action button of the entry form: save | lock | unlock."""
    return {"type": str(ScoringIds.ENTRY_ACTION), "action": action}
