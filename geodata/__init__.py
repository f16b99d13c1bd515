"""Boundaries: load, validate, simplify and serve them; the shipped data files live in data/."""
