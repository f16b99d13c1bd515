"""Pure builders of the dashboard's components and figures (no database, no callbacks)."""
