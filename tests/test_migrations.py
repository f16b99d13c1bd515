from sqlalchemy import inspect

from db.migrate import upgrade
from db.models import metadata


def test_migrations_create_every_table_of_the_schema(db_engine):
    tables = set(inspect(db_engine).get_table_names())
    assert set(metadata.tables) <= tables
    assert "alembic_version" in tables


def test_upgrade_twice_changes_nothing(db_engine):
    before = sorted(inspect(db_engine).get_table_names())
    upgrade(db_engine)
    assert sorted(inspect(db_engine).get_table_names()) == before
