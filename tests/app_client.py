"""A Flask test client of the app that sends what a browser on the app's own page sends
with a POST: an Origin naming the host (the cross-site check of accounts.web refuses a
POST without one)."""

from __future__ import annotations

from dash import Dash
from flask.testing import FlaskClient

TEST_HOST = "localhost"  # the Flask test client's default host
ORIGIN = f"http://{TEST_HOST}"
# The body of the live poll's callback request (every page's timer), as the browser sends it.
LIVE_POLL = {
    "output": "..live-state.data...data-time.children..",
    "outputs": [{"id": "live-state", "property": "data"}, {"id": "data-time", "property": "children"}],
    "inputs": [{"id": "live-poll", "property": "n_intervals", "value": 3}],
    "state": [{"id": "live-state", "property": "data", "value": {"key": [0, 0]}}],
    "changedPropIds": ["live-poll.n_intervals"],
}


def router_request(pathname: str, search: str = "") -> dict:
    """The body of the router's callback request for a browser at `pathname` + `search`."""
    return {
        "output": "page.children",
        "outputs": {"id": "page", "property": "children"},
        "inputs": [{"id": "page-url", "property": "pathname", "value": pathname}],
        "state": [{"id": "page-url", "property": "search", "value": search}],
        "changedPropIds": ["page-url.pathname"],
    }


def app_client(app: Dash) -> FlaskClient:
    client = app.server.test_client()
    client.environ_base["HTTP_ORIGIN"] = ORIGIN
    return client
