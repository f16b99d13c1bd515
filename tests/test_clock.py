"""One local "today" and "now" (issue 12 item 3): the province's time (Asia/Ho_Chi_Minh,
UTC+07:00), whatever the server's time zone.

Between 00:00 and 07:00 local time a server on UTC is still on the previous day. The
subprocess test freezes the clock at 01:00 on 20/04/2025 in Việt Nam (18:00 on 19/04 UTC)
and runs the same script under TZ=UTC and TZ=Asia/Ho_Chi_Minh: the host's own idea of the
date differs between the two runs (checked, so the test is not vacuous), while today, the
default period, the as-of day, the overdue list (test_overdue's hand-counted days on
20/04/2025) and the brief's "Lập lúc" are the same and local. A static check keeps code
from reading the host's clock anywhere but clock.py (an instant made aware with its
offset, as the JSON log lines write it, is unambiguous and allowed).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

import clock
from config import Settings
from tests.test_bieu06 import load_sample
from tests.test_overdue import ON_APRIL_20

ROOT = Path(__file__).resolve().parent.parent
HOST_TIME = re.compile(
    r"\bdate\.today\(|\bdatetime\.now\(\s*\)|\bdatetime\.today\(|\butcnow\(|\btime\.localtime\("
    r"|\btime\.strftime\(|\bfromtimestamp\([^,()]*\)(?!\.astimezone\()|\btime\.ctime\("
)

SCRIPT = """
import json, sys
from datetime import datetime, timezone
import clock
from config import Settings
from dossier_stats.details import DetailsService
from dossier_stats.periods import Period, default_period
from dossier_stats.service import StatsService
from db.engine import make_engine
from wall.brief import brief_pdf, read_brief

instant = datetime(2025, 4, 19, 18, 0, tzinfo=timezone.utc)  # 01:00 on 20/04/2025, local
with clock.frozen(instant):
    settings = Settings.from_env({"DATABASE_URL": sys.argv[1]})
    engine = make_engine(settings.database_url)
    today = settings.today()
    stats = StatsService(engine, "49", today=settings.today)
    details = DetailsService(engine, "49", today=settings.today)
    running = Period.containing("month", today)
    page = details.overdue_page(None, running, "days_overdue", True, 0, 50)
    with open(sys.argv[2], "wb") as fh:
        fh.write(brief_pdf(read_brief(stats, running)))
    print(json.dumps({
        "host_date": datetime.fromtimestamp(instant.timestamp()).date().isoformat(),
        "today": today.isoformat(),
        "now": settings.now().isoformat(),
        "default_month": default_period("month", today).key,
        "default_quarter": default_period("quarter", today).key,
        "as_of": stats.as_of(running).day.isoformat(),
        "overdue": [[r.dossier_code, r.days_overdue] for r in page.rows],
        "overdue_as_of": page.as_of.isoformat(),
    }))
"""


def _source_files() -> list[Path]:
    skip = {".venv", "tests", ".git", "data", "node_modules"}
    return [
        p for p in ROOT.rglob("*.py") if not (set(p.relative_to(ROOT).parts) & skip) and p.name != "clock.py"
    ]


def test_no_code_but_clock_py_reads_the_hosts_clock_or_time_zone():
    offenders = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in _source_files()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if HOST_TIME.search(line)
    ]
    assert offenders == []


def test_the_static_check_finds_what_it_looks_for():
    for line in ("x = date.today()", "t = datetime.now()", "datetime.fromtimestamp(ts)", "time.localtime()"):
        assert HOST_TIME.search(line), line
    allowed = (
        "datetime.now(LOCAL_TZ)",
        "datetime.fromtimestamp(ts, tz=UTC)",
        "settings.today()",
        "datetime.fromtimestamp(record.created).astimezone()",  # aware: the offset is written
    )
    for line in allowed:
        assert not HOST_TIME.search(line), line


def test_settings_today_and_now_precedence():
    instant = datetime(2026, 12, 4, 18, 30, tzinfo=UTC)  # 01:30 on 05/12 in Việt Nam
    with clock.frozen(instant):
        plain = Settings.from_env({})
        assert (plain.today(), plain.now()) == (date(2026, 12, 5), datetime(2026, 12, 5, 1, 30))
    fixed = Settings.from_env({"APP_NOW": "2026-12-04T18:00:00Z"})
    assert (fixed.today(), fixed.now()) == (date(2026, 12, 5), datetime(2026, 12, 5, 1, 0))
    local = Settings.from_env({"APP_NOW": "2026-12-05T08:15:00"})  # no offset: local time
    assert local.now() == datetime(2026, 12, 5, 8, 15)
    both = Settings.from_env({"APP_NOW": "2026-12-05T08:15:00", "APP_TODAY": "2026-11-27"})
    assert both.today() == date(2026, 11, 27)
    with pytest.raises(ValueError, match="Thời điểm không hợp lệ"):
        Settings.from_env({"APP_NOW": "hôm qua"})


def test_the_clock_converts_instants_to_local_time():
    assert clock.to_local(datetime(2026, 12, 31, 17, 0, tzinfo=UTC)) == datetime(2027, 1, 1, 0, 0)
    assert clock.to_local(datetime(2026, 1, 1, 3, 0, tzinfo=timezone(timedelta(hours=-5)))) == datetime(
        2026, 1, 1, 15, 0
    )
    with clock.frozen(datetime(2025, 4, 19, 23, 59, 59, 900_000, tzinfo=UTC)):
        assert clock.now_local() == datetime(2025, 4, 20, 6, 59, 59)
        assert clock.today_local() == date(2025, 4, 20)
    assert clock.utc_now().tzinfo is not None  # unfrozen again: the system clock


def _run(tz: str, url: str, pdf: Path) -> dict:
    env = {**os.environ, "TZ": tz, "PYTHONPATH": str(ROOT)}
    env.pop("APP_TODAY", None)
    env.pop("APP_NOW", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, url, str(pdf)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _pdf_text(path: Path) -> str:
    command = ["pdftotext", "-layout", str(path), "-"]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return done.stdout


def test_today_period_overdue_list_and_brief_are_local_under_any_server_time_zone(db_engine, tmp_path):
    load_sample(db_engine)
    url = db_engine.url.render_as_string(hide_password=False)
    utc = _run("UTC", url, tmp_path / "utc.pdf")
    local = _run("Asia/Ho_Chi_Minh", url, tmp_path / "local.pdf")
    # The host's date of the instant differs: the condition under which a host-time bug shows.
    assert (utc["host_date"], local["host_date"]) == ("2025-04-19", "2025-04-20")
    for run in (utc, local):
        assert run["today"] == "2025-04-20"
        assert run["now"] == "2025-04-20T01:00:00"
        assert (run["default_month"], run["default_quarter"]) == ("2025-03", "2025-Q1")
        assert run["as_of"] == run["overdue_as_of"] == "2025-04-20"
        assert dict(map(tuple, run["overdue"])) == ON_APRIL_20  # days counted by hand to 20/04
    assert {k: v for k, v in utc.items() if k != "host_date"} == {
        k: v for k, v in local.items() if k != "host_date"
    }
    texts = [_pdf_text(tmp_path / name) for name in ("utc.pdf", "local.pdf")]
    assert texts[0] == texts[1]
    assert "Lập lúc 01:00 20/04/2025" in texts[0]
    assert "số liệu tính đến ngày 20/04/2025" in texts[0]
