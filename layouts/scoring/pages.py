"""The PAR-index pages for the router: path -> page frame (each page's callback reads its
query and fills it), and one skeleton with every fixed id of the three pages for Dash's
callback validation."""

from __future__ import annotations

from collections.abc import Callable

from dash import dcc, html

from layouts.scoring.common import (
    ENTRY_PATH,
    RESULTS_PATH,
    SCORECARD_PATH,
    UnitOption,
    unit_dropdown,
    year_dropdown,
)
from layouts.scoring.entry import entry_page
from layouts.scoring.ids import ScoringIds, action_id
from layouts.scoring.results import download_bar, group_selector, results_page
from layouts.scoring.scorecard import scorecard_page
from layouts.scoring.tables import js_table

Page = Callable[[str | None], html.Div]


def scoring_routes() -> dict[str, Page]:
    """/scorecard, /scoring/results, /scoring/entry (no database access when built)."""
    return {
        SCORECARD_PATH: lambda _search: scorecard_page(),
        RESULTS_PATH: lambda _search: results_page(),
        ENTRY_PATH: lambda _search: entry_page(),
    }


def scoring_skeleton() -> html.Div:
    """Every id the three pages' callbacks use, without data."""
    unit = [UnitOption("", "", "")]
    return html.Div(
        [
            scorecard_page(),
            year_dropdown(ScoringIds.CARD_YEAR, [], None),
            unit_dropdown(ScoringIds.CARD_UNIT, unit, None),
            results_page(),
            year_dropdown(ScoringIds.RESULTS_YEAR, [], None),
            group_selector([], None),
            download_bar(0, 0),
            entry_page(),
            year_dropdown(ScoringIds.ENTRY_YEAR, [], None),
            unit_dropdown(ScoringIds.ENTRY_UNIT, unit, None),
            html.Div(id=ScoringIds.ENTRY_FORM),
            dcc.RadioItems(id=ScoringIds.ENTRY_STEP, options=[]),
            html.Button(id=action_id("save")),
            *js_table(ScoringIds.CARD_TREE, ScoringIds.CARD_TREE_DATA, None),
            *js_table(ScoringIds.RESULTS_TABLE, ScoringIds.RESULTS_TABLE_DATA, None),
            *js_table(ScoringIds.ENTRY_TABLE, ScoringIds.ENTRY_TABLE_DATA, None),
        ]
    )
