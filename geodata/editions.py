"""Editions of the administrative map, read from a data file (default geodata/data/editions.toml).

An edition is a named, dated hierarchy with its boundary files: "Tỉnh Quảng Nam (2020 –
30/6/2025)" is province → districts → communes, "Thành phố Đà Nẵng (từ 01/7/2025)" is city
→ communes (no district level). The keys are documented in the file itself. The edition a
period is shown in by default is the one valid on the period's last day (`for_day`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Protocol, TypeVar

from geodata.records import CrosswalkRecord, UnitRecord, crosswalk_records, unit_records

DEFAULT_EDITIONS_FILE = Path(__file__).resolve().parent / "data" / "editions.toml"
SHAPES = (("province", "district", "commune"), ("province", "commune"))
_REQUIRED = ("id", "name", "unit_name", "province_code", "folder", "levels", "files", "crosswalk")


class EditionFileError(ValueError):
    """The editions file is missing, unreadable or not in the documented shape."""


class EditionLevels:
    """What an edition's `levels` tell, for every record of an edition (the file's Edition,
    dossier_stats.editions.EditionInfo stored in the database)."""

    levels: tuple[str, ...]  # ("province", "district", "commune") or ("province", "commune")

    @property
    def top_level(self) -> str:
        """The level drawn first under the province: "district" or "commune"."""
        return self.levels[1]

    @property
    def has_districts(self) -> bool:
        return "district" in self.levels


@dataclass(frozen=True)
class Edition(EditionLevels):
    id: str
    name: str
    unit_name: str
    province_code: str
    folder: Path
    levels: tuple[str, ...]  # ("province", "district", "commune") or ("province", "commune")
    files: tuple[tuple[str, str], ...]  # (level, file name) top-down
    crosswalk: str
    valid_from: date
    valid_to: date | None
    units_from: date

    def file_for(self, level: str) -> Path:
        return self.folder / dict(self.files)[level]

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def units(self) -> list[UnitRecord]:
        """Every unit of the edition's files, top level first."""
        return unit_records(self.folder, self.files)

    def crosswalk_links(self) -> list[CrosswalkRecord]:
        return crosswalk_records(self.folder, self.crosswalk)


@dataclass(frozen=True)
class Editions:
    editions: tuple[Edition, ...]

    def __iter__(self) -> Iterator[Edition]:
        return iter(self.editions)

    def __len__(self) -> int:
        return len(self.editions)

    def get(self, edition_id: str) -> Edition | None:
        return next((e for e in self.editions if e.id == edition_id), None)

    def for_day(self, day: date) -> Edition:
        """The edition valid on `day` (see `edition_on`)."""
        return edition_on(self.editions, day)

    def ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.editions)


class _Dated(Protocol):
    valid_from: date
    valid_to: date | None


D = TypeVar("D", bound=_Dated)


def edition_on(editions: Sequence[D], day: date) -> D:
    """The edition valid on `day` (the latest starting one if several are); before the first
    edition, the first; in a gap between editions, the latest that started before `day`."""
    ordered = sorted(editions, key=lambda e: e.valid_from)
    valid = [e for e in ordered if e.valid_from <= day and (e.valid_to is None or day <= e.valid_to)]
    if valid:
        return valid[-1]
    earlier = [e for e in ordered if e.valid_from <= day]
    return earlier[-1] if earlier else ordered[0]


def _date(value: object, key: str, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise EditionFileError(f"{where}: {key} '{value}' không phải ngày (yyyy-mm-dd)") from exc


def _edition(raw: dict, base: Path, position: int) -> Edition:
    where = f"phiên bản thứ {position}"
    missing = [key for key in _REQUIRED if key not in raw]
    if missing or "valid_from" not in raw:
        raise EditionFileError(f"{where}: thiếu khóa {', '.join(missing or ['valid_from'])}")
    levels = tuple(str(level) for level in raw["levels"])
    if levels not in SHAPES:
        shapes = " hoặc ".join(str(list(shape)) for shape in SHAPES)
        raise EditionFileError(f"{where} ({raw['id']}): levels {list(levels)} không hợp lệ — cần {shapes}")
    files = raw["files"]
    absent = [level for level in levels if level not in files]
    if absent:
        raise EditionFileError(f"{where} ({raw['id']}): files thiếu tệp cho cấp {', '.join(absent)}")
    valid_from = _date(raw["valid_from"], "valid_from", where)
    valid_to = _date(raw["valid_to"], "valid_to", where) if raw.get("valid_to") else None
    if valid_to is not None and valid_to < valid_from:
        raise EditionFileError(f"{where} ({raw['id']}): valid_to trước valid_from")
    return Edition(
        id=str(raw["id"]),
        name=str(raw["name"]),
        unit_name=str(raw["unit_name"]),
        province_code=str(raw["province_code"]),
        folder=(base / str(raw["folder"])).resolve(),
        levels=levels,
        files=tuple((level, str(files[level])) for level in levels),
        crosswalk=str(raw["crosswalk"]),
        valid_from=valid_from,
        valid_to=valid_to,
        units_from=_date(raw.get("units_from", raw["valid_from"]), "units_from", where),
    )


def parse_editions(text: str, base: Path) -> Editions:
    """Editions from TOML text; folders relative to `base`. EditionFileError names the problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EditionFileError(f"tệp phiên bản bản đồ không đúng TOML: {exc}") from exc
    raws = data.get("edition")
    if not isinstance(raws, list) or not raws:
        raise EditionFileError("tệp phiên bản bản đồ không có bảng [[edition]] nào")
    editions = tuple(_edition(raw, base, i) for i, raw in enumerate(raws, start=1))
    ids = [e.id for e in editions]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise EditionFileError(f"mã phiên bản bị trùng: {', '.join(duplicated)}")
    return Editions(tuple(sorted(editions, key=lambda e: e.valid_from)))


@lru_cache(maxsize=8)
def load_editions(path: Path = DEFAULT_EDITIONS_FILE) -> Editions:
    """The editions of a file (cached per path for the life of the process)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise EditionFileError(f"không đọc được tệp phiên bản bản đồ {path}: {exc}") from exc
    return parse_editions(text, path.parent)
