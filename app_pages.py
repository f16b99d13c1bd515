"""Every page of the app, once, and the server routes that are not pages.

A page is one `Page` entry: the routes that open it, its layout function (called by the
router on each visit, with a `PageRequest`), the skeleton of its components (Dash
validates every callback against the skeletons of all pages), the `register(app,
services)` of its callbacks, and, if it serves plain HTTP (a file, a health check), its
`server_routes(server, services)`. app.create_app loops over `PAGES` and `SERVER_ROUTES`;
adding a page or a route is adding an entry here and nothing else.

The registry sits above callbacks/ and layouts/ (it names functions of both), next to
app.py: layouts never import callbacks, so it cannot live in layouts/.
"""

from __future__ import annotations

from callbacks.audit import page as audit
from callbacks.common import health
from callbacks.common.pages import Page, Route, ServerRoutes
from callbacks.dossiers import drill as dossier_drill
from callbacks.dossiers import due_soon as dossier_due_soon
from callbacks.dossiers import lookup as dossier_lookup
from callbacks.home import page as home
from callbacks.officials import page as officials
from callbacks.scoring import entry, results, scorecard
from callbacks.wall import page as wall
from callbacks.wall import refresh as wall_refresh
from callbacks.wall import routes as wall_routes
from layouts.audit.page import AUDIT_PATH
from layouts.common.dossier_links import DOSSIERS_PATH, DUE_SOON_PATH, LOOKUP_PATH
from layouts.dossiers.due_soon_page import due_soon_page, due_soon_skeleton
from layouts.dossiers.list_page import list_page, list_skeleton
from layouts.dossiers.lookup_page import lookup_page, lookup_skeleton
from layouts.home.page import home_skeleton
from layouts.officials.page import OFFICIALS_PATH
from layouts.scoring.common import ENTRY_PATH, RESULTS_PATH, SCORECARD_PATH
from layouts.scoring.entry import entry_page, entry_skeleton
from layouts.scoring.results import results_page, results_skeleton
from layouts.scoring.scorecard import scorecard_page, scorecard_skeleton
from layouts.wall.page import wall_skeleton

PAGES: tuple[Page, ...] = (
    Page(
        name="home",  # the map, its panels and rankings, the detail tabs
        routes=(Route("/"),),
        layout=home.home_page,
        skeleton=home_skeleton,
        register=home.register,
        in_first_answer=True,  # the map drawn from the first answer (issue 15)
    ),
    Page(
        name="wall",  # the wall display, also /?kiosk=1
        routes=(Route("/wall"), Route("/", {"kiosk": "1"})),
        layout=wall.wall_page,
        skeleton=wall_skeleton,
        register=wall_refresh.register,
        server_routes=wall_routes.register_routes,  # /wall/brief.pdf, /wall/health
        account_corner=False,
    ),
    Page(
        name="scorecard",  # a unit's PAR-index scorecard
        routes=(Route(SCORECARD_PATH),),
        layout=lambda _request: scorecard_page(),
        skeleton=lambda _topojson_url: scorecard_skeleton(),
        register=scorecard.register,
    ),
    Page(
        name="results",  # a group's PAR-index results and the yearly annex
        routes=(Route(RESULTS_PATH),),
        layout=lambda _request: results_page(),
        skeleton=lambda _topojson_url: results_skeleton(),
        register=results.register,
    ),
    Page(
        name="entry",  # entering and appraising PAR-index points
        routes=(Route(ENTRY_PATH),),
        layout=lambda _request: entry_page(),
        skeleton=lambda _topojson_url: entry_skeleton(),
        register=entry.register,
    ),
    Page(
        name="audit",  # the audit trail, for Quản trị and Lãnh đạo; /audit.csv
        routes=(Route(AUDIT_PATH),),
        layout=audit.audit_page,
        server_routes=audit.register_routes,
    ),
    Page(
        name="officials",  # officials' statistics per handler id; /officials.csv
        routes=(Route(OFFICIALS_PATH),),
        layout=officials.officials_page,
        server_routes=officials.register_routes,
    ),
    Page(
        name="dossiers",  # the dossiers behind a figure (drill-through; restricted)
        routes=(Route(DOSSIERS_PATH),),
        layout=lambda _request: list_page(),
        skeleton=lambda _topojson_url: list_skeleton(),
        register=dossier_drill.register,
        server_routes=dossier_drill.register_routes,  # /dossiers/export.csv
    ),
    Page(
        name="due_soon",  # cảnh báo: dossiers due within the next working days (restricted)
        routes=(Route(DUE_SOON_PATH),),
        layout=lambda _request: due_soon_page(),
        skeleton=lambda _topojson_url: due_soon_skeleton(),
        register=dossier_due_soon.register,
        server_routes=dossier_due_soon.register_routes,  # /dossiers/due-soon.csv
    ),
    Page(
        name="lookup",  # tra cứu hồ sơ: one dossier by code (restricted)
        routes=(Route(LOOKUP_PATH),),
        layout=lambda request: lookup_page(request.query.get("code")),
        skeleton=lambda _topojson_url: lookup_skeleton(),
        register=dossier_lookup.register,
    ),
)

# Plain HTTP routes of the server that belong to no page (the process's health and
# readiness checks, sign-in and sign-out…): each a `routes(server, services)` that adds
# its `@server.route`s; create_app calls them after the pages' own routes.
SERVER_ROUTES: tuple[ServerRoutes, ...] = (
    health.register_routes,  # /healthz, /readyz
)
