"""The callbacks, one sub-package per page (home/, wall/, scoring/) and what pages share
(common/: the services, the page types, the read-error guard). Each page registers its
callbacks with `register(app, services)`; wiring only: parse inputs -> ask a service ->
build with the pure functions of `layouts`."""
