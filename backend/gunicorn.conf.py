"""Production server: gunicorn managing uvicorn workers.

    gunicorn -c gunicorn.conf.py src.main:app

Reads HOST, PORT, WEB_CONCURRENCY, WORKER_TIMEOUT, FORWARDED_ALLOW_IPS and LOG_LEVEL
from the application settings.  SIGTERM stops accepting connections and lets in-flight
requests finish for up to ``graceful_timeout`` seconds.
"""

from src.config import get_settings

_settings = get_settings()

bind = f"{_settings.HOST}:{_settings.PORT}"
workers = _settings.WEB_CONCURRENCY
worker_class = "uvicorn.workers.UvicornWorker"
timeout = _settings.WORKER_TIMEOUT
graceful_timeout = 30
keepalive = 5
max_requests = 10000
max_requests_jitter = 1000
loglevel = _settings.LOG_LEVEL.lower()
accesslog = None  # the application logs every request itself, without query strings
errorlog = "-"
forwarded_allow_ips = _settings.FORWARDED_ALLOW_IPS
