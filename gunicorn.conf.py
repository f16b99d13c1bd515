"""gunicorn's configuration for `make serve` / `make run` (`gunicorn app:server` run from the
project folder reads it too). Everything comes from the environment:

WORKERS   worker processes (default: the number of CPU cores, at least 2)
THREADS   threads per worker, gthread workers (default 4)
TIMEOUT   seconds a request may take before its worker is restarted (default 60)
HOST, PORT, LOG_LEVEL, LOG_FORMAT as for the rest of the app (config.Settings).

The access log goes to stdout, everything else to stderr, in the app's log format
(logging_setup.py). With several workers, set REDIS_URL so that they share one cache.
"""

from __future__ import annotations

import os
from typing import Any

from config import Settings, positive_int
from logging_setup import checked, logging_config

_settings = Settings.from_env()
_level, _format, _ = checked(_settings.log_level, _settings.log_format)

bind = f"{_settings.host}:{_settings.port}"
worker_class = "gthread"
workers = positive_int(os.environ, "WORKERS", max(2, os.cpu_count() or 1))
threads = positive_int(os.environ, "THREADS", 4)
timeout = positive_int(os.environ, "TIMEOUT", 60)
graceful_timeout = 30
accesslog = "-"
errorlog = "-"
loglevel = _level.lower()
logconfig_dict = logging_config(_level, _format)
# No control socket (gunicornc): one path per user, which two instances on one host would share.
control_socket_disable = True
# client, request line, status, bytes, duration in ms, user agent (time and level: the formatter)
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


def when_ready(server: Any) -> None:
    server.log.info(
        "Bản đồ thể chế: http://%s:%s%s (%s workers × %s threads, cache: %s)",
        _settings.host,
        _settings.port,
        _settings.url_prefix,
        workers,
        threads,
        "Redis" if _settings.redis_url else "in-process",
    )
