"""A Flask test client of the app that sends what a browser on the app's own page sends
with a POST: an Origin naming the host (the cross-site check of accounts.web refuses a
POST without one)."""

from __future__ import annotations

from dash import Dash
from flask.testing import FlaskClient

TEST_HOST = "localhost"  # the Flask test client's default host
ORIGIN = f"http://{TEST_HOST}"


def app_client(app: Dash) -> FlaskClient:
    client = app.server.test_client()
    client.environ_base["HTTP_ORIGIN"] = ORIGIN
    return client
