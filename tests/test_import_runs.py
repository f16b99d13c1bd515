"""A killed import leaves its run "running"; the next import or refresh marks it
"interrupted" — but never a run whose process is still at work (issue 12, item 6).

The runs are held by real child processes (`importer.runs.running`), killed with SIGKILL
as a power cut or the out-of-memory killer would: on PostgreSQL the run's advisory lock
goes with the process's connection, on SQLite the process id stops existing.
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text

import cli
from db.schema import dossiers, import_runs
from importer.dossiers import import_dossiers
from importer.indicators import import_indicators
from importer.refresh import refresh
from importer.runs import RUN_LOCK_SPACE, mark_interrupted
from tests.import_fixtures import dossier, write_dossiers

ROOT = Path(cli.__file__).resolve().parent
NOW = datetime(2026, 1, 15, 10, 0)
CHILD = """
import sys, time
from datetime import datetime
sys.path.insert(0, {root!r})
from db.engine import make_engine
from importer.runs import running
engine = make_engine({url!r})
with running(engine, "dossiers", "/du_lieu/ho_so_dang_nhap.csv", datetime(2026, 1, 15, 9, 30)) as run_id:
    print(run_id, flush=True)
    time.sleep(600)
"""


@pytest.fixture
def registry_engine(registry_db):
    return registry_db


def url_of(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


class LiveRun:
    """A child process in the middle of an import run (its id in `run_id`)."""

    def __init__(self, engine) -> None:
        self.engine = engine
        code = CHILD.format(root=str(ROOT), url=url_of(engine))
        command = [sys.executable, "-c", code]
        self.proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        line = self.proc.stdout.readline()
        assert line.strip().isdigit(), f"the child did not start its run: {line!r}"
        self.run_id = int(line)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()  # reaped: no zombie keeps its pid alive
        self.proc.stdout.close()
        if self.engine.dialect.name == "postgresql":
            self._wait_for_the_server_to_drop_its_session()

    def _wait_for_the_server_to_drop_its_session(self) -> None:
        query = text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = :space AND objid = :id"
        )
        for _ in range(300):
            with self.engine.connect() as conn:
                if not conn.execute(query, {"space": RUN_LOCK_SPACE, "id": self.run_id}).scalar():
                    return
            time.sleep(0.1)
        raise AssertionError("the server kept the killed process's session")

    def status(self) -> str:
        with self.engine.connect() as conn:
            query = select(import_runs.c.status).where(import_runs.c.id == self.run_id)
            return conn.execute(query).scalar_one()


def test_a_run_still_at_work_is_left_alone_and_a_killed_one_is_marked_by_the_next_import(
    registry_engine, tmp_path
):
    live = LiveRun(registry_engine)
    try:
        path = write_dossiers(tmp_path / "a.csv", [dossier("H1")])
        first = import_dossiers(registry_engine, [path], now=NOW)
        assert first.interrupted == []
        assert live.status() == "running"
    finally:
        live.kill()

    second = import_dossiers(registry_engine, [write_dossiers(tmp_path / "b.csv", [dossier("H2")])], now=NOW)

    assert [run.id for run in second.interrupted] == [live.run_id]
    assert live.status() == "interrupted"
    text_vi = second.format_vi()
    assert "bị gián đoạn" in text_vi and f"lần nhập {live.run_id}" in text_vi
    assert "ho_so_dang_nhap.csv" in text_vi and "09:30 15/01/2026" in text_vi
    with registry_engine.connect() as conn:
        run = conn.execute(select(import_runs).where(import_runs.c.id == live.run_id)).one()
        assert sorted(conn.execute(select(dossiers.c.dossier_code)).scalars()) == ["H1", "H2"]
    assert run.finished_at is not None and run.owner is None and "đã dừng" in run.message
    assert mark_interrupted(registry_engine) == []  # marked once


def test_refresh_and_the_indicator_import_mark_killed_runs_too(registry_engine, tmp_path):
    for sweep in ("refresh", "indicators"):
        live = LiveRun(registry_engine)
        live.kill()
        if sweep == "refresh":
            summary = refresh(registry_engine, now=NOW)
        else:
            path = tmp_path / "i.csv"
            path.write_text(
                "agency_code,period,indicator,value\nSNV,2025-Q3,procedures_announced_on_time,5\n"
            )
            summary = import_indicators(registry_engine, path, now=NOW)
        assert [run.id for run in summary.interrupted] == [live.run_id], sweep
        assert "bị gián đoạn" in summary.format_vi()
        assert live.status() == "interrupted"


def test_the_runs_command_names_each_status_in_vietnamese(registry_engine, tmp_path, monkeypatch, capsys):
    path = write_dossiers(tmp_path / "c.csv", [dossier("H1"), dossier("BAD", channel="7")])
    import_dossiers(registry_engine, [path], now=NOW)
    live = LiveRun(registry_engine)
    try:
        monkeypatch.setenv("DATABASE_URL", url_of(registry_engine))
        assert cli.main(["runs"]) == 0
        shown = capsys.readouterr().out
        assert f"[lần {live.run_id}]" in shown and "đang chạy" in shown
        assert "c.csv  hoàn tất" in shown and "cách ly 1" in shown
    finally:
        live.kill()
    assert cli.main(["runs", "--limit", "1"]) == 0
    shown = capsys.readouterr().out
    assert f"Đã đánh dấu bị gián đoạn: lần nhập {live.run_id}" in shown
    assert f"[lần {live.run_id}]" in shown and "bị gián đoạn" in shown and "c.csv" not in shown
