"""How units are named on screen, whatever the page."""

from __future__ import annotations

COMMITTEE_PREFIXES = ("ủy ban nhân dân ", "uỷ ban nhân dân ", "ubnd ")


def commune_label(agency_name: str) -> str:
    """ "Ủy ban nhân dân xã Tam Vinh" -> "Xã Tam Vinh" (the place, not its committee)."""
    for prefix in COMMITTEE_PREFIXES:
        if agency_name.lower().startswith(prefix):
            rest = agency_name[len(prefix) :]
            return rest[:1].upper() + rest[1:]
    return agency_name
