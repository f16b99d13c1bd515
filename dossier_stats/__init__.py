"""Dossier KPIs and reports: computed in SQL, returned as plain data (no Dash here)."""
