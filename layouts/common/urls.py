"""A URL's query string to and from plain values (every page reads its view from the URL)."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qs, urlencode


def parse_query(search: str | None) -> dict[str, str]:
    """ "?unit=502&metric=x" -> {"unit": "502", "metric": "x"} (first value of each key, stripped)."""
    parsed = parse_qs((search or "").lstrip("?"), keep_blank_values=True)
    return {key: values[0].strip() for key, values in parsed.items() if values}


def query_search(values: Mapping[str, str | int | None]) -> str:
    """ "?unit=502&year=2025" for dcc.Location.search (empty and None values left out)."""
    kept = {k: str(v) for k, v in values.items() if v is not None and v != ""}
    return "?" + urlencode(kept) if kept else ""
