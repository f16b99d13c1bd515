"""Finding a unit of the map by name, accents ignored (issue 14 item 8): "tien phuoc"
finds "Huyện Tiên Phước", "dien ban" "Thị xã Điện Bàn", "DUY XUYEN" "Huyện Duy Xuyên".

Names and queries are folded the same way (`fold`): Unicode NFD, combining marks dropped,
đ/Đ written d, lower case, runs of spaces and punctuation made one space. A unit matches
when every word of the query starts a word of its name (or the query equals its code).
Best first: the whole name equal to the query, then the name without its title ("Huyện",
"Xã", "Phường", …) equal to it, then names whose words start with the query's in order,
then the rest; ties by level (district before commune) and Vietnamese name order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from dossier_stats.units import UnitInfo, all_units
from vi_format import vietnamese_sort_key

TITLES = ("thanh pho", "thi xa", "thi tran", "huyen", "phuong", "xa", "tinh", "dac khu")
LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}
_SEPARATORS = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case without accents, đ as d, words separated by one space."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _SEPARATORS.sub(" ", bare).strip()


MapUnit = UnitInfo  # a unit with a polygon: province, district or current commune


@dataclass(frozen=True)
class UnitMatch:
    unit: MapUnit
    score: int  # lower is better (see the module docstring)


def _bare_name(folded: str) -> str:
    for title in TITLES:
        if folded.startswith(title + " "):
            return folded[len(title) + 1 :]
    return folded


def _score(query: str, unit: MapUnit) -> int | None:
    name = fold(unit.name)
    if query == fold(unit.code):
        return 0
    words = name.split()
    wanted = query.split()
    if not wanted or not all(any(w.startswith(q) for w in words) for q in wanted):
        return None
    if name == query:
        return 1
    if _bare_name(name) == query:
        return 2
    if f" {query}" in f" {name}":
        return 3
    return 4


def find_units(query: str, units: Sequence[MapUnit], limit: int = 10) -> list[UnitMatch]:
    """The units matching `query`, best first, at most `limit`; [] for an empty query."""
    folded = fold(query or "")
    if not folded or limit < 1:
        return []
    matches = []
    for unit in units:
        score = _score(folded, unit)
        if score is not None:
            matches.append(UnitMatch(unit, score))
    matches.sort(
        key=lambda m: (
            m.score,
            LEVEL_ORDER.get(m.unit.level, 9),
            vietnamese_sort_key(m.unit.name),
            m.unit.code,
        )
    )
    return matches[:limit]


def map_units(conn: Connection) -> tuple[MapUnit, ...]:
    """Every unit with a polygon (province, districts, current communes)."""
    return tuple(all_units(conn))
