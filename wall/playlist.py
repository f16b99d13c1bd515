"""The wall's playlist: which scenes, in which order, for how long, for which metric and period.

It comes from a TOML file (default: wall/playlist.toml, see the comments there) and each
value can be overridden in the wall's URL (`/wall?scenes=map,ranking&seconds=30`), so each
meeting can have its own link. A bad value in the file is an error (`PlaylistError`, a
Vietnamese message naming the key); a bad value in the URL keeps the file's value and adds
a Vietnamese message saying what was not understood — the wall always shows something.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, get_args

from dossier_stats.periods import Period, PeriodKind, default_period, periods_between

DEFAULT_PLAYLIST = Path(__file__).resolve().parent / "playlist.toml"

SCENES: dict[str, str] = {
    "map": "Bản đồ theo huyện",
    "communes": "Bản đồ xã, phường toàn tỉnh",
    "ranking": "Xếp hạng sở, ban, ngành và huyện",
    "commune_ranking": "Xếp hạng xã, phường",
    "trend": "Diễn biến 12 tháng",
    "attention": "Đơn vị cần chú ý",
    "warning": "Cảnh báo: hồ sơ sắp đến hạn",
}
KIND_NAMES: dict[str, str] = {"month": "tháng", "quarter": "quý", "year": "năm"}
SECONDS_RANGE = (2, 3600)
POLL_RANGE = (1, 600)
ATTENTION_SIZE_RANGE = (1, 20)
URL_KEYS = ("scenes", "seconds", "metric", "kind", "period", "poll", "edition")
IGNORED_URL_KEYS = ("kiosk",)  # /?kiosk=1 opens the wall; not a playlist value
MAX_ECHO = 40
_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
_EDITION = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


class PlaylistError(ValueError):
    """The playlist file is unreadable or has a bad value (message in Vietnamese)."""


@dataclass(frozen=True)
class Playlist:
    scenes: tuple[str, ...]
    seconds: int
    metric: str
    kind: PeriodKind
    period: str | None  # a fixed period key; None = the last full period of `kind`
    poll: int
    reload_at: str  # "HH:MM" or "" (no nightly reload)
    attention_size: int = 8
    attention_min_resolved: int = 5
    edition: str = ""  # a map edition's id (geodata/data/editions.toml); "": the period's own

    def to_store(self) -> dict[str, Any]:
        return {
            "scenes": list(self.scenes),
            "seconds": self.seconds,
            "metric": self.metric,
            "kind": self.kind,
            "period": self.period,
            "poll": self.poll,
            "reload_at": self.reload_at,
            "attention_size": self.attention_size,
            "attention_min_resolved": self.attention_min_resolved,
            "edition": self.edition,
        }

    @classmethod
    def from_store(cls, data: Mapping[str, Any]) -> Playlist:
        return cls(**{**data, "scenes": tuple(data["scenes"])})


def _echo(value: object) -> str:
    text = str(value)
    return text if len(text) <= MAX_ECHO else text[: MAX_ECHO - 1] + "…"


# ---------------------------------------------------------------- single values


def parse_scenes(value: object) -> tuple[str, ...]:
    """A list (file) or comma-separated text (URL) of scene keys; ValueError names the bad ones."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise ValueError("danh sách cảnh phải là một danh sách, ví dụ map,ranking")
    keys = [str(item).strip() for item in items if str(item).strip()]
    if not keys:
        raise ValueError("danh sách cảnh trống")
    unknown = [k for k in keys if k not in SCENES]
    if unknown:
        raise ValueError(
            f"không có cảnh {', '.join(f'“{_echo(k)}”' for k in unknown)} (các cảnh: {', '.join(SCENES)})"
        )
    return tuple(keys)


def parse_whole(value: object, bounds: tuple[int, int], what: str) -> int:
    """A whole number within bounds (bool is not a number here)."""
    lo, hi = bounds
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"{what} phải là số nguyên từ {lo} đến {hi}")
    try:
        number = int(value.strip()) if isinstance(value, str) else value
    except ValueError:
        raise ValueError(f"{what} “{_echo(value)}” không phải số nguyên (từ {lo} đến {hi})") from None
    if not lo <= number <= hi:
        raise ValueError(f"{what} {number} nằm ngoài khoảng {lo}–{hi}")
    return number


def parse_metric(value: object, metrics: Collection[str]) -> str:
    if not isinstance(value, str) or value.strip() not in metrics:
        raise ValueError(f"không có chỉ tiêu “{_echo(value)}” (các chỉ tiêu: {', '.join(metrics)})")
    return value.strip()


def parse_kind(value: object) -> PeriodKind:
    kinds = get_args(PeriodKind)
    if not isinstance(value, str) or value.strip() not in kinds:
        names = ", ".join(f"{k} ({KIND_NAMES[k]})" for k in kinds)
        raise ValueError(f"loại kỳ “{_echo(value)}” không hợp lệ (dùng {names})")
    return value.strip()  # type: ignore[return-value]


def parse_period_key(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"kỳ báo cáo “{_echo(value)}” không hợp lệ")
    try:
        return Period.parse(value).key
    except ValueError:
        raise ValueError(
            f"không hiểu kỳ báo cáo “{_echo(value)}” (dạng đúng: 2026-10, 2026-Q3 hoặc 2026)"
        ) from None


def parse_edition(value: object) -> str:
    """A map edition's id (quang-nam-2020, da-nang-2025) or "" for the period's own edition;
    whether it is stored is checked when the wall reads its data."""
    if value == "":
        return ""
    if not isinstance(value, str) or not _EDITION.fullmatch(value.strip()):
        raise ValueError(
            f"phiên bản bản đồ “{_echo(value)}” không hợp lệ (ví dụ quang-nam-2020, da-nang-2025)"
        )
    return value.strip()


def parse_reload_at(value: object) -> str:
    if value == "":
        return ""
    if not isinstance(value, str) or not _TIME.fullmatch(value.strip()):
        raise ValueError(f'giờ tải lại “{_echo(value)}” không hợp lệ (dạng HH:MM, hoặc "" để tắt)')
    return value.strip()


# ---------------------------------------------------------------- the file


FILE_KEYS = (
    "scenes",
    "seconds",
    "metric",
    "kind",
    "period",
    "poll",
    "reload_at",
    "attention_size",
    "attention_min_resolved",
    "edition",
)


def playlist_from_mapping(data: Mapping[str, Any], metrics: Collection[str], source: str = "") -> Playlist:
    """A Playlist from the file's table; PlaylistError naming the first bad or unknown key."""
    where = f" trong {source}" if source else ""
    unknown = sorted(set(data) - set(FILE_KEYS))
    if unknown:
        raise PlaylistError(
            f"Khóa không hợp lệ{where}: {', '.join(unknown)} (các khóa: {', '.join(FILE_KEYS)})."
        )
    missing = [k for k in ("scenes", "seconds", "metric", "kind", "poll") if k not in data]
    if missing:
        raise PlaylistError(f"Thiếu khóa{where}: {', '.join(missing)}.")
    parsers: dict[str, Any] = {
        "scenes": parse_scenes,
        "seconds": lambda v: parse_whole(v, SECONDS_RANGE, "Số giây mỗi cảnh"),
        "metric": lambda v: parse_metric(v, metrics),
        "kind": parse_kind,
        "period": parse_period_key,
        "poll": lambda v: parse_whole(v, POLL_RANGE, "Số giây giữa hai lần kiểm tra dữ liệu"),
        "reload_at": parse_reload_at,
        "attention_size": lambda v: parse_whole(v, ATTENTION_SIZE_RANGE, "Số đơn vị cần chú ý"),
        "attention_min_resolved": lambda v: parse_whole(v, (0, 1_000_000), "Số hồ sơ tối thiểu"),
        "edition": parse_edition,
    }
    values: dict[str, Any] = {"reload_at": "", "period": None}
    for key, value in data.items():
        try:
            values[key] = parsers[key](value)
        except ValueError as exc:
            raise PlaylistError(f"Giá trị “{key}”{where} không hợp lệ: {exc}.") from None
    return Playlist(**values)


def load_playlist(path: Path, metrics: Collection[str]) -> Playlist:
    """Read and validate a playlist file."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlaylistError(f"Không tìm thấy tệp cấu hình màn hình trình chiếu: {path}.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PlaylistError(f"Tệp cấu hình {path} không đọc được: {exc}.") from None
    return playlist_from_mapping(data, metrics, source=str(path))


# ---------------------------------------------------------------- the URL


def apply_overrides(
    base: Playlist, params: Mapping[str, str], metrics: Collection[str]
) -> tuple[Playlist, list[str]]:
    """The playlist with the URL's values; a Vietnamese message per value that was not used."""
    changes: dict[str, Any] = {}
    messages: list[str] = []
    parsers: dict[str, Any] = {
        "scenes": parse_scenes,
        "seconds": lambda v: parse_whole(v, SECONDS_RANGE, "số giây mỗi cảnh"),
        "metric": lambda v: parse_metric(v, metrics),
        "kind": parse_kind,
        "period": parse_period_key,
        "poll": lambda v: parse_whole(v, POLL_RANGE, "số giây giữa hai lần kiểm tra dữ liệu"),
        "edition": parse_edition,
    }
    for key, value in params.items():
        if key in IGNORED_URL_KEYS:
            continue
        if key not in parsers:
            messages.append(f"Tham số “{_echo(key)}” không dùng cho màn hình trình chiếu (bỏ qua).")
            continue
        try:
            changes[key] = parsers[key](value)
        except ValueError as exc:
            messages.append(f"Tham số {key}: {exc} — dùng giá trị mặc định.")
    if "kind" in changes and "period" not in changes:
        changes["period"] = None  # a kind asked for in the URL follows the calendar
    return replace(base, **changes), messages


def resolve_period(
    playlist: Playlist, today: date, first_data_date: date | None
) -> tuple[Period, str | None]:
    """The period shown: the fixed one if it has data, else the last full period of the kind."""
    fallback = default_period(playlist.kind, today)
    if playlist.period is None:
        return fallback, None
    period = Period.parse(playlist.period)
    first = min(first_data_date or fallback.start, fallback.start)
    options = periods_between(period.kind, first, today)
    if period in options:
        return period, None
    return default_period(period.kind, today), (
        f"Không có số liệu cho kỳ {period.label} (có từ {options[-1].label} đến {options[0].label}) "
        f"— đang hiển thị {default_period(period.kind, today).label}."
    )
