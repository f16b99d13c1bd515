"""Component ids of the dossier pages (/dossiers, /dossiers/due-soon, /dossiers/lookup).

Each page has its own dcc.Location and content container (filled by its callback from the
URL), so the three can sit side by side in the validation layout."""

from __future__ import annotations

from enum import StrEnum


class DossierIds(StrEnum):
    # /dossiers: the list behind a figure
    LIST_URL = "dossiers-url"
    LIST_CONTENT = "dossiers-content"
    # /dossiers/due-soon: cảnh báo
    DUE_URL = "due-soon-url"
    DUE_CONTENT = "due-soon-content"
    # /dossiers/lookup: tra cứu hồ sơ
    LOOKUP_URL = "lookup-url"
    LOOKUP_CONTENT = "lookup-content"
    LOOKUP_INPUT = "lookup-code"
    LOOKUP_BUTTON = "lookup-search"
    # inside the content (one page at a time)
    TITLE = "dossiers-title"
    AS_OF = "dossiers-as-of"
    TOTAL = "dossiers-total"
    TABLE = "dossiers-table"
    PAGER_SUMMARY = "dossiers-pager-summary"
    DOWNLOAD = "dossiers-download"
    ACCESS = "dossiers-access"  # the login prompt or the refusal
