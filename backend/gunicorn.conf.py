"""Production server: gunicorn managing uvicorn workers.

    gunicorn -c gunicorn.conf.py src.main:app

Reads HOST, PORT, WEB_CONCURRENCY, WORKER_TIMEOUT, FORWARDED_ALLOW_IPS, LOG_LEVEL and
PROMETHEUS_MULTIPROC_DIR from the application settings.  SIGTERM stops accepting
connections and lets in-flight requests finish for up to ``graceful_timeout`` seconds.
"""

import os
import shutil
import tempfile
from typing import Any

from src.config import get_settings

_settings = get_settings()

# Metrics from every worker are aggregated through a shared directory (prometheus_client's
# multiprocess mode).  It must exist, empty, before the workers start.
_metrics_dir = _settings.PROMETHEUS_MULTIPROC_DIR or tempfile.mkdtemp(prefix="cv-metrics-")
shutil.rmtree(_metrics_dir, ignore_errors=True)
os.makedirs(_metrics_dir, exist_ok=True)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_dir

bind = f"{_settings.HOST}:{_settings.PORT}"
workers = _settings.WEB_CONCURRENCY
worker_class = "uvicorn.workers.UvicornWorker"
timeout = _settings.WORKER_TIMEOUT
graceful_timeout = 30
keepalive = 5
# A safety net against slow leaks, not a routine: the soak test shows the workers' memory
# levels off.  Recycling every 10 000 requests (the old value) restarted a worker every few
# seconds under load, and each restart put ~1.5 s of import time and dropped keep-alive
# connections into the latency tail (benchmark, cached profile reads at 50 connections:
# p95 424 -> 91 ms, p99 1394 -> 121 ms, 10 -> 0 connection errors).
max_requests = 200000
max_requests_jitter = 20000
loglevel = _settings.LOG_LEVEL.lower()
accesslog = None  # the application logs every request itself, without query strings
errorlog = "-"
forwarded_allow_ips = _settings.FORWARDED_ALLOW_IPS


def child_exit(_server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
