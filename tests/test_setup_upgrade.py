"""Upgrading a deployment whose agency registry predates the successions file: the server
still starts (`cli.py setup` runs before `make serve`), nothing is written, and the log tells
the operator what is missing and what to run."""

from __future__ import annotations

import csv
import logging

from sqlalchemy import func, select

from config import Settings
from db.schema import agencies
from importer.setup import ensure_registry
from importer.successions import successions_loaded

NEW_AGENCIES = {"SNNMT", "SDTTG"}  # created by the 2025 mergers, absent from an older registry


def old_registry(tmp_path):
    shipped = Settings.agencies_file.read_text(encoding="utf-8").splitlines(keepends=True)
    rows = list(csv.reader(shipped))
    code = rows[0].index("code")
    kept = [shipped[0]] + [
        line for line, row in zip(shipped[1:], rows[1:], strict=True) if row[code] not in NEW_AGENCIES
    ]
    assert len(kept) < len(shipped)  # the shipped registry has them
    path = tmp_path / "agencies_2024.csv"
    path.write_text("".join(kept), encoding="utf-8")
    return path


def test_setup_of_an_older_registry_starts_without_successions_and_says_why(tmp_path, caplog):
    settings = Settings.from_env(
        {
            "DATA_DIR": str(tmp_path),
            "AGENCIES_FILE": str(old_registry(tmp_path)),
            "SUCCESSIONS_FILE": str(tmp_path / "none.csv"),
        }
    )
    ensure_registry(settings).dispose()  # the registry as it was before the successions
    upgraded = Settings.from_env({"DATA_DIR": str(tmp_path)})
    with caplog.at_level(logging.WARNING, logger="importer.setup"):
        engine = ensure_registry(upgraded)
    try:
        assert not successions_loaded(engine)
        warning = " ".join(r.getMessage() for r in caplog.records)
        assert "SNNMT" in warning and "import-successions" in warning
    finally:
        engine.dispose()


def test_a_new_database_with_a_registry_that_does_not_fit_still_starts(tmp_path, caplog):
    settings = Settings.from_env({"DATA_DIR": str(tmp_path), "AGENCIES_FILE": str(old_registry(tmp_path))})
    with caplog.at_level(logging.ERROR, logger="importer.setup"):
        engine = ensure_registry(settings)
    try:
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(agencies)).scalar_one() > 0
        assert not successions_loaded(engine)
        assert "import-successions" in " ".join(r.getMessage() for r in caplog.records)
    finally:
        engine.dispose()
