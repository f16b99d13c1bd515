"""The database layer: schema, engine, migrations and the query functions on them."""
