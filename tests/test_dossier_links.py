"""The links from a figure to the dossiers behind it (layouts/common/dossier_links.py): the URL
a page writes is the request the list page reads; every count of the side panel, the
rankings and Biểu 06 names the count it shows; the as-of note of a running period."""

from __future__ import annotations

from datetime import date

from dash import html

from dossier_stats.asof import as_of
from dossier_stats.dossier_list import ListOrder
from dossier_stats.drill import COUNT_KINDS, DrillCell
from dossier_stats.kpis import Kpis
from dossier_stats.periods import Period
from layouts.common.as_of import as_of_note, period_text
from layouts.common.dossier_links import (
    BIEU06_KINDS,
    COLUMN_KINDS,
    PANEL_KINDS,
    bieu06_cell_href,
    drill_href,
    drill_query,
    due_soon_href,
    lookup_href,
    ranking_cell_links,
)
from layouts.common.rankings import MapRankRow, ranking_payload
from layouts.common.urls import parse_query
from layouts.dossiers.request import read_drill, read_due_soon
from layouts.home.details.report import PREVIEW_COLUMNS
from layouts.home.map_metrics import DOSSIER_COLUMNS
from layouts.home.panels import kpi_table


def test_a_link_opens_the_request_it_was_built_from():
    href = drill_href("502", "2026-Q3", "pending_overdue", level="commune", sector="")
    path, _, query = href.partition("?")
    request = read_drill(parse_query("?" + query))
    assert path == "/dossiers" and request.messages == []
    assert (request.unit, request.period, request.cell) == (
        "502",
        Period("quarter", 2026, 3),
        DrillCell("pending_overdue", "commune", ""),  # "" = dossiers without a sector
    )
    paged = read_drill(
        parse_query(drill_query(None, "2026", DrillCell("received_new"), ListOrder("due", True, 2)))
    )
    assert (paged.unit, paged.order.sort, paged.order.descending, paged.order.page) == (None, "due", True, 2)
    assert read_due_soon(parse_query(due_soon_href("SNV", 1).partition("?")[2])).days == 1
    assert lookup_href("H49 01") == "/dossiers/lookup?code=H49+01"


def test_bad_values_are_named_and_replaced():
    request = read_drill(
        {"period": "2026", "count": "received_total", "sort": "size", "page": "x", "level": "x"}
    )
    assert (
        request.usable
        and request.order.sort == "received"
        and request.order.page == 0
        and request.cell == DrillCell("received_total")
    )
    assert len(request.messages) == 3


def _panel_labels() -> list[str]:
    table = kpi_table(Kpis())
    return [row.children[0].children for row in table.children.children]


def test_every_count_of_the_panel_rankings_and_bieu06_names_a_list():
    labels = _panel_labels()
    assert [label for label, _ in PANEL_KINDS] == labels[: len(PANEL_KINDS)]
    assert {kind for _, kind in PANEL_KINDS} <= set(COUNT_KINDS)
    assert len(BIEU06_KINDS) == len(PREVIEW_COLUMNS) and set(BIEU06_KINDS) <= set(COUNT_KINDS)
    k = Kpis(1, 2, 3, 4, 5, 6, 7, 8)  # every field different: each column reads its own count
    assert [read(k) for _, read in PREVIEW_COLUMNS] == [getattr(k, kind) for kind in BIEU06_KINDS]
    assert set(DOSSIER_COLUMNS) == set(COLUMN_KINDS)
    assert bieu06_cell_href(None, "2026-10", 10, "district") == (
        "/dossiers?period=2026-10&count=pending_overdue&level=district"
    )


def test_ranking_rows_carry_the_links_of_their_counts():
    links = ranking_cell_links("502", "2026-10", "pending_overdue", DOSSIER_COLUMNS)
    assert links == [
        "/dossiers?unit=502&period=2026-10&count=pending_overdue",
        "/dossiers?unit=502&period=2026-10&count=received_total",
        "/dossiers?unit=502&period=2026-10&count=pending_overdue",
    ]
    assert ranking_cell_links("502", "2026-10", "on_time_rate", DOSSIER_COLUMNS)[0] is None  # a rate
    assert ranking_cell_links("502", "2026", "par_total", ("Xếp loại",), family="par") == [None, None]

    class Metric:
        label, kind, columns = "Hồ sơ", "count", DOSSIER_COLUMNS

    row = MapRankRow(1, "502", "Tam Kỳ", 3.0, "3", ("10", "3"))
    payload = ranking_payload(
        [row],
        Metric(),
        cell_links=lambda code: ranking_cell_links(code, "2026-10", "received", DOSSIER_COLUMNS),
    )
    assert payload["rows"][0][-1][0] == "/dossiers?unit=502&period=2026-10&count=received_new"
    assert len(ranking_payload([row], Metric())["rows"][0]) == 7  # without links: as before


def test_a_running_period_says_to_which_day():
    running = as_of(Period("month", 2026, 11), date(2026, 11, 18))
    assert as_of_note(running) == "tính đến ngày 18/11/2026"
    assert period_text("Tháng 11/2026", running) == "Tháng 11/2026 (tính đến ngày 18/11/2026)"
    ended = as_of(Period("month", 2026, 10), date(2026, 11, 18))
    assert as_of_note(ended) == "" and period_text("Tháng 10/2026", ended) == "Tháng 10/2026"


def test_count_links_are_plain_components():
    from layouts.common.dossier_links import count_link

    link = count_link("1.234", drill_href(None, "2026", "received_total"))
    assert link.children == "1.234" and link.href.startswith("/dossiers?") and not isinstance(link, html.Div)


def test_the_side_panel_warning_block_links_to_the_units_list():
    from layouts.common.warning_block import warning_block

    block = warning_block("502", 1234, "Hạn trả từ 18/11/2026 đến 20/11/2026 (2 ngày làm việc tới)")[0]
    figure = block.children[1].children[0].children
    assert figure.children == "1.234" and figure.href == "/dossiers/due-soon?unit=502"
    assert warning_block("502", None, "") == []


def test_the_overdue_csv_carries_the_rule_and_source_after_the_as_of_line():
    import csv
    import io
    from datetime import datetime

    from dossier_stats.overdue import CSV_HEADER, overdue_csv
    from layouts.common.as_of import export_notes

    notes = export_notes(datetime(2026, 11, 18, 7, 5))
    lines = list(csv.reader(io.StringIO(overdue_csv([], date(2026, 11, 18), notes).decode("utf-8-sig"))))
    assert lines[0] == ["Số liệu tính đến ngày 18/11/2026"]
    assert lines[1][0].startswith("Quy tắc: kỳ chưa kết thúc được tính từ ngày đầu kỳ")
    assert lines[2] == [
        "Nguồn: cơ sở dữ liệu hồ sơ thủ tục hành chính của tỉnh (Bản đồ thể chế); "
        "dữ liệu cập nhật lúc 07:05 18/11/2026."
    ]
    assert tuple(lines[3]) == CSV_HEADER


def test_the_home_interaction_stands_still_when_a_link_leaves_the_page():
    from callbacks.home.interaction import leaving

    assert leaving("/dossiers") and leaving("/scorecard")
    assert not leaving("/") and not leaving(None) and not leaving("")
