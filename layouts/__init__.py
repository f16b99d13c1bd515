"""Pure builders of the dashboard's components and figures (no database, no callbacks), one
sub-package per page (home/, wall/, scoring/) and what pages share (common/)."""
