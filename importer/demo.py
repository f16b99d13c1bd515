"""Deterministic demo dossiers, written as dossiers.csv files (interchange format).

Demo data enters the product through the same path as real data: `write_demo_csv`
writes `dossiers_0001.csv`, `dossiers_0002.csv`… in the format of
importer/data/INTERCHANGE.md (every column, UTF-8, header, RFC 4180 with CRLF line
ends), and the importer reads them like any export.

The same (dossiers, seed, today, registry, boundaries) always gives byte-identical
files, whatever `rows_per_file`. Dossiers are drawn day by day from 2023-01-01 to
`today` in chunks of whole days (about CHUNK_ROWS rows each), so memory does not grow
with the number of dossiers. What the rows look like is described in demo_rows,
demo_agencies and demo_catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO

import numpy as np

from importer.demo_calendar import day_weights
from importer.demo_rows import NA, simulate
from importer.demo_world import LEVEL_NAMES, World, build_world
from importer.dossier_rows import FILE_COLUMNS

COLUMNS = FILE_COLUMNS
CHUNK_ROWS = 50_000
LINE_END = b"\r\n"
FILE_PATTERN = re.compile(r"dossiers_\d{4,}\.csv")
LOCAL_OFFSET = "+07:00"

_RATINGS = (b"", b"satisfied", b"neutral", b"unsatisfied")
_MAX_SUPPLEMENT_TENTHS = 400


def daily_counts(world: World, dossiers: int, seed: int) -> np.ndarray:
    """How many dossiers each day gets (sums exactly to `dossiers`)."""
    days = (world.first_day + np.arange(world.n_days)).astype("datetime64[D]")
    weights = day_weights(days, world.calendar)
    rng = np.random.default_rng([seed, 2])
    return rng.multinomial(dossiers, weights / weights.sum())


def day_chunks(counts: np.ndarray, chunk_rows: int = CHUNK_ROWS) -> Iterator[np.ndarray]:
    """Day indices, one per dossier, grouped in runs of whole days of about chunk_rows rows."""
    first, rows = 0, 0
    for i, count in enumerate(counts.tolist()):
        rows += count
        if rows >= chunk_rows or i == len(counts) - 1:
            if rows:
                yield np.repeat(np.arange(first, i + 1), counts[first : i + 1])
            first, rows = i + 1, 0


def _table(values: list[bytes]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


class RowFormatter:
    """Turns simulated arrays into CSV lines (bytes, UTF-8, without line ends).

    Speed comes from lookup tables of ready-made UTF-8 pieces: adjacent columns that
    take few values (online_level + channel + status, the five flags, the two
    supplement columns) are one piece, and a timestamp is a date piece plus a
    time-of-day piece, both looked up.
    """

    def __init__(self, world: World) -> None:
        self.world = world
        self.agency_codes = _table([c.encode() for c in world.agency_codes.tolist()])
        self.code_prefixes = _table(
            [f"{world.code_prefix}{c}-".encode() for c in world.agency_codes.tolist()]
        )
        self.procedures = _table([t.encode() for t in world.proc_text.tolist()])
        self.handlers = _table([h.encode() for h in world.handler_ids.tolist()] + [b""])  # -1: none
        self.ratings = _table(list(_RATINGS))
        self.level_channel_status = _table(
            [
                f"{level},{channel},{status}".encode()
                for level in LEVEL_NAMES
                for channel in range(4)
                for status in range(11)
            ]
        )
        self.flags = _table([",".join(f"{i >> b & 1}" for b in (4, 3, 2, 1, 0)).encode() for i in range(32)])
        self.supplements = _table(
            [
                f"{count},{tenths / 10:.1f}".encode() if tenths else f"{count},0".encode()
                for count in range(3)
                for tenths in range(_MAX_SUPPLEMENT_TENTHS + 1)
            ]
        )
        self.times = _table(
            [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}{LOCAL_OFFSET}".encode() for s in range(86_400)]
            + [b""]
        )

    def _dates(self, first: int, last: int, suffix: str) -> np.ndarray:
        text = np.datetime_as_string(np.arange(first, last + 1).astype("datetime64[D]")).tolist()
        return _table([(t + suffix).encode() for t in text] + [b""])

    def _timestamps(self, values: np.ndarray, dates: np.ndarray, first: int) -> list[bytes]:
        missing = values == NA
        day = np.where(missing, len(dates) - 1 + first, values // 86_400) - first
        second = np.where(missing, 86_400, values % 86_400)
        return (dates[day] + self.times[second]).tolist()

    def lines(self, rows: dict[str, np.ndarray]) -> list[bytes]:
        stamps = [rows[k] for k in ("submitted", "received", "due", "finished", "returned", "updated")]
        present = np.concatenate([v[v != NA] for v in stamps])
        first, last = int(present.min()) // 86_400, int(present.max()) // 86_400
        dates = self._dates(first, last, "T")
        day = rows["day"]
        code_days = _table(
            [
                f"{t[2:4]}{t[5:7]}{t[8:10]}-".encode()
                for t in np.datetime_as_string(
                    np.arange(day.min(), day.max() + 1).astype("datetime64[D]")
                ).tolist()
            ]
        )
        seq = rows["seq"]
        seq_text = _table([f"{i:05d}".encode() for i in range(int(seq.max()) + 1)])
        codes = self.code_prefixes[rows["agency"]] + code_days[day - day.min()] + seq_text[seq]
        flags = (
            rows["has_fee"].astype(np.int64) << 4
            | rows["paid_online"].astype(np.int64) << 3
            | rows["e_result"].astype(np.int64) << 2
            | rows["digitized"].astype(np.int64) << 1
            | rows["reused_data"].astype(np.int64)
        )
        supplement = rows["supplement_count"] * (_MAX_SUPPLEMENT_TENTHS + 1) + rows["supplement_tenths"]
        columns = [
            codes.tolist(),
            self.agency_codes[rows["agency"]].tolist(),
            self.procedures[rows["proc"]].tolist(),  # procedure_code, procedure_name, field_code, field_name
            self.level_channel_status[(rows["level"] * 4 + rows["channel"]) * 11 + rows["status"]].tolist(),
            *(self._timestamps(v, dates, first) for v in stamps[:5]),
            self.supplements[supplement].tolist(),
            self.flags[flags].tolist(),
            self.handlers[rows["handler"]].tolist(),
            self.ratings[rows["rating"]].tolist(),
            self._timestamps(stamps[5], dates, first),
        ]
        return list(map(b",".join, zip(*columns, strict=True)))


class _SplitWriter:
    """Writes lines into dossiers_0001.csv, dossiers_0002.csv… of at most rows_per_file rows each.

    Each file is written as `<name>.part` and renamed when complete.
    """

    def __init__(self, out_dir: Path, rows_per_file: int) -> None:
        self.out_dir = out_dir
        self.rows_per_file = rows_per_file
        self.paths: list[Path] = []
        self._fh: BinaryIO | None = None
        self._left = 0

    def _part(self, path: Path) -> Path:
        return path.with_name(path.name + ".part")

    def _finish_file(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
            self._part(self.paths[-1]).replace(self.paths[-1])

    def _next_file(self) -> BinaryIO:
        self._finish_file()
        path = self.out_dir / f"dossiers_{len(self.paths) + 1:04d}.csv"
        self.paths.append(path)
        self._fh = self._part(path).open("wb")
        self._fh.write(",".join(COLUMNS).encode() + LINE_END)
        self._left = self.rows_per_file
        return self._fh

    def write(self, lines: list[bytes]) -> None:
        pos = 0
        while pos < len(lines):
            fh = self._fh if self._fh is not None and self._left > 0 else self._next_file()
            take = min(self._left, len(lines) - pos)
            fh.write(LINE_END.join(lines[pos : pos + take]) + LINE_END)
            self._left -= take
            pos += take

    def close(self) -> list[Path]:
        self._finish_file()
        return self.paths

    def abort(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
            self._part(self.paths[-1]).unlink(missing_ok=True)


def write_demo_csv(
    out_dir: Path,
    dossiers: int,
    seed: int,
    today: date,
    agencies_file: Path,
    geodata_dir: Path,
    progress: Callable[[int], None] | None = None,
    rows_per_file: int = 100_000,
) -> list[Path]:
    """Write `dossiers` demo dossiers received from 2023-01-01 to `today` into out_dir.

    Returns the files written, in order. Other `dossiers_NNNN.csv` files already in
    out_dir (from an earlier, larger run) are removed, so the folder holds exactly one
    demo set. `progress(n)` is called after each chunk with the rows written since the
    previous call.
    """
    if dossiers < 1:
        raise ValueError(f"số hồ sơ mẫu phải ≥ 1 (nhận {dossiers})")
    if rows_per_file < 1:
        raise ValueError(f"số dòng mỗi tệp phải ≥ 1 (nhận {rows_per_file})")
    if seed < 0:
        raise ValueError(f"seed phải ≥ 0 (nhận {seed})")
    world = build_world(seed, today, agencies_file, geodata_dir)
    counts = daily_counts(world, dossiers, seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    formatter = RowFormatter(world)
    writer = _SplitWriter(out_dir, rows_per_file)
    try:
        for chunk_no, day_index in enumerate(day_chunks(counts)):
            lines = formatter.lines(simulate(world, day_index, np.random.default_rng([seed, 3, chunk_no])))
            writer.write(lines)
            if progress is not None:
                progress(len(lines))
    except BaseException:
        writer.abort()
        raise
    paths = writer.close()
    for stale in out_dir.iterdir():
        if FILE_PATTERN.fullmatch(stale.name) and stale not in paths:
            stale.unlink()
    return paths
