"""Two plain routes for a load balancer, listed in app_pages.SERVER_ROUTES: /healthz (the
process answers; no database) and /readyz (the database answers and is migrated to this
code's heads: 200, else 503 with the reason). A Redis that does not answer is reported but
leaves the process ready: the caches then compute in the process. Under URL_PREFIX both are
served at the root (a load balancer asks the process itself) and under the prefix (asked
through the reverse proxy)."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify
from sqlalchemy.exc import SQLAlchemyError

from callbacks.common.services import Services
from db.migrate import migration_problem

log = logging.getLogger(__name__)
NO_STORE = {"Cache-Control": "no-store"}


def register_routes(server: Flask, services: Services) -> None:
    engine, shared = services.stats.engine, services.shared

    def healthz() -> Response:
        return Response("ok", mimetype="text/plain", headers=NO_STORE)

    def readyz() -> tuple[Response, int]:
        try:
            with engine.connect() as conn:
                problem = migration_problem(conn)
        except SQLAlchemyError as exc:
            problem = f"database unreachable ({exc.__class__.__name__})"
        cache = "in-process" if shared is None else (shared.check() or "redis")
        status = 503 if problem else 200
        if problem:
            log.warning("readyz: not ready: %s (python cli.py setup migrates the schema)", problem)
        body = {"status": "unavailable" if problem else "ready", "reason": problem, "cache": cache}
        response = jsonify(body)
        response.headers.update(NO_STORE)
        return response, status

    for prefix in dict.fromkeys(("/", services.settings.url_prefix)):
        server.add_url_rule(prefix + "healthz", f"healthz{prefix}", healthz)
        server.add_url_rule(prefix + "readyz", f"readyz{prefix}", readyz)
