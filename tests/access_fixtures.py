"""What the access-matrix tests share: a set-up database with dossiers, a fresh index year
per case, the accounts of every role, a logged-in client per role, the Dash payloads
exactly as the browser posts them, and a snapshot of everything a refused call must leave
unchanged."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select

from accounts.kiosk import create_token
from accounts.permissions import COMMAND_LINE, SYSTEM, Role
from config import Settings
from db.engine import make_engine
from db.schema_accounts import audit_log
from db.schema_scoring import scoring_adjustments, scoring_entries, scoring_history, scoring_survey
from importer.setup import ensure_database
from scoring import state
from scoring.entry import save_step
from scoring.workflow import Appraisal, SelfAssessment
from tests.accounts_fixtures import PASSWORD, ensure_account
from tests.app_client import app_client
from tests.conftest import create_pg_database, drop_pg_database, require_pg
from tests.test_scoring_definition import small_mapping
from tests.test_scoring_workflow import store

TODAY = "2026-03-02"
STAFF_UNIT = "SNV"  # the department whose scores the writes aim at
DISTRICT = "502"  # Tam Kỳ: the district whose dossier lists are asked for
# role -> (user name, roles, unit); "anonymous" and "kiosk" have no account
ACCOUNTS: dict[str, tuple[str, set[Role], str | None]] = {
    "leader": ("m.lanhdao", {Role.LEADER}, None),
    "appraiser": ("m.thamdinh", {Role.APPRAISER}, None),
    "admin": ("m.quantri", {Role.ADMIN}, None),
    "staff_snv": ("m.cb.snv", {Role.UNIT_STAFF}, STAFF_UNIT),
    "staff_502": ("m.cb.502", {Role.UNIT_STAFF}, DISTRICT),
}
ROLES = ("anonymous", *ACCOUNTS, "kiosk")
_years: dict[str, itertools.count] = {}  # database URL -> the next free index year
_pristine: dict[tuple[str, str], int] = {}  # (database URL, stage) -> a year still at that stage


def make_database(backend: str, data_dir: Path) -> Iterator[Settings]:
    """A set-up database with 3000 demo dossiers and the accounts of every role."""
    url = f"sqlite:///{data_dir / 'matrix.sqlite3'}"
    if backend == "postgresql":
        require_pg()
        url = create_pg_database()
    settings = Settings.from_env({"DATA_DIR": str(data_dir), "DATABASE_URL": url, "APP_TODAY": TODAY})
    ensure_database(settings, demo_dossiers=3000, seed=3, progress=False)
    engine = make_engine(url)
    for username, roles, unit in ACCOUNTS.values():
        ensure_account(engine, username, roles, unit)
    engine.dispose()
    try:
        yield settings
    finally:
        if backend == "postgresql":
            drop_pg_database(url)


def make_app(settings: Settings, **changes: Any) -> Any:
    from app import create_app

    return create_app(replace(settings, **changes))


def client_as(app: Any, role: str) -> FlaskClient:
    """A client of the app logged in as the role (a kiosk through its token)."""
    client = app_client(app)
    engine = app.server.extensions["bando"].scoring.engine
    if role == "kiosk":
        with engine.begin() as conn:
            _, token = create_token(conn, "Phòng họp (kiểm thử)", COMMAND_LINE)
        assert client.get(f"/wall?token={token}").status_code == 303
    elif role != "anonymous":
        username = ACCOUNTS[role][0]
        response = client.post("/login", data={"username": username, "password": PASSWORD, "next": "/"})
        assert response.status_code == 303, response.get_data(as_text=True)
    return client


# -- the state a case starts from ---------------------------------------------------------


def year_at(engine: Engine, stage: str) -> int:
    """A year whose SNV is still at `stage` (made by `fresh_year` when none is); a case that
    changed it calls `spent`."""
    key = (str(engine.url), stage)
    if key not in _pristine:
        _pristine[key] = fresh_year(engine, stage)
    return _pristine[key]


def spent(engine: Engine, stage: str) -> None:
    """The year of `stage` was written to: the next case gets a fresh one."""
    _pristine.pop((str(engine.url), stage), None)


def fresh_year(engine: Engine, stage: str) -> int:
    """A new year with the departments' index, SNV at `stage`: "open" (self-assessed, not
    locked), "locked", "appraised" (appraisal 1 on every assessment row)."""
    year = next(_years.setdefault(str(engine.url), itertools.count(2030)))
    store(engine, small_mapping("departments", year))
    selfs = [SelfAssessment("1.1.1", 20), SelfAssessment("1.1.2", 10)]
    save_step(engine, SYSTEM, STAFF_UNIT, year, "departments", "self", selfs)
    if stage in ("locked", "appraised"):
        save_step(engine, SYSTEM, STAFF_UNIT, year, "departments", "self", [], action="lock")
    if stage == "appraised":
        marks = [Appraisal("1.1.1", 18), Appraisal("1.1.2", 9)]
        save_step(engine, SYSTEM, STAFF_UNIT, year, "departments", "appraisal1", marks)
    return year


def snapshot(engine: Engine) -> tuple:
    """Everything a refused call must leave as it was: the scoring change counter, the
    entries, survey results, bonus/penalty lines, the history and the audit trail."""
    with engine.connect() as conn:
        counts = tuple(
            conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (scoring_entries, scoring_survey, scoring_adjustments, scoring_history, audit_log)
        )
        entries = sorted(tuple(map(str, r)) for r in conn.execute(select(scoring_entries)))
        return state.scoring_version(conn), counts, entries


# -- Dash payloads as the renderer posts them ----------------------------------------------


def dash_payload(
    outputs: list[tuple[str, str]],
    inputs: list[tuple[str, str, Any]],
    states: list[tuple[str, str, Any]],
) -> dict[str, Any]:
    """POST /_dash-update-component body: one output as "id.prop", several as "..a.p...b.q.."."""
    out = [{"id": i, "property": p} for i, p in outputs]
    key = (
        f"{outputs[0][0]}.{outputs[0][1]}"
        if len(outputs) == 1
        else "..{}..".format("...".join(f"{i}.{p}" for i, p in outputs))
    )
    return {
        "output": key,
        "outputs": out[0] if len(out) == 1 else out,
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in states],
        "changedPropIds": [f"{inputs[0][0]}.{inputs[0][1]}"],
    }


def post(client: FlaskClient, payload: dict[str, Any]) -> Any:
    return client.post("/_dash-update-component", json=payload)


def texts(node: Any) -> Iterator[str]:
    """Every text in a callback answer's components."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for child in node:
            yield from texts(child)
    elif isinstance(node, dict):
        yield from texts(node.get("props", {}).get("children"))


def answer_text(response: Any) -> str:
    """The text of every output of a callback's answer (200 expected)."""
    assert response.status_code == 200, response.get_data(as_text=True)
    outputs = response.get_json()["response"]
    return " ".join(t for out in outputs.values() for value in out.values() for t in texts(value))


def entry_notice(node: Any) -> str | None:
    """The text of the first entry-form notice (class entry-notice) in components, if any."""
    if isinstance(node, list):
        return next((found for child in node if (found := entry_notice(child)) is not None), None)
    if isinstance(node, dict):
        props = node.get("props", {})
        if "entry-notice" in (props.get("className") or ""):
            return " ".join(texts(props.get("children")))
        return entry_notice(props.get("children"))
    return None


def notice_text(response: Any) -> str:
    """The text of the entry form's notice (class entry-notice) in a callback's answer."""
    assert response.status_code == 200, response.get_data(as_text=True)
    outputs = response.get_json()["response"]
    return next((t for out in outputs.values() for v in out.values() if (t := entry_notice(v))), "")
