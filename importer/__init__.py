"""Data enters here: CSV reading and validation, quarantine, agency and dossier import,
the demo-data generator and first-run setup.

Public entry points:
- `importer.dossiers.import_dossiers(engine, paths, progress=None, batch_size=5000)`
- `importer.agencies.import_agencies(engine, path)`
- `importer.setup.ensure_database(settings, demo_dossiers=0, seed=42, progress=True)`
- `importer.csv_source.FileRejected`: a whole file refused, with the reason
"""
