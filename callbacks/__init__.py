"""Callbacks, one module per feature, each with `register(app, services)`; wiring only:
parse inputs -> ask the StatsService -> build with the pure functions of `layouts`."""
