"""Spreadsheet formula injection: a text cell that starts with = + - @, a tab or a carriage
return is read as a formula by Excel and LibreOffice. The OWASP rule: prefix such text with
a single quote. Numbers and dates are written as they are.

(A small local helper for the dossier lists of this package; a shared one for every export
of the product may replace it.)
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """`value`, with a quote in front when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
