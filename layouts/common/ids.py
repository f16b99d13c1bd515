"""Component ids of the app's frame (each page's own ids live in its package: home/ids.py,
home/details/ids.py, wall/ids.py, scoring/ids.py)."""

from __future__ import annotations

from enum import StrEnum


class AppIds(StrEnum):
    ROUTER_URL = "page-url"  # the router's own dcc.Location (pages keep theirs)
    PAGE = "page"  # where the router puts the page of the URL's path
