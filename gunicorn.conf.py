"""gunicorn configuration for production: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Every setting can be overridden from the environment (``GUNICORN_CMD_ARGS``, or the variables
read below). The master makes the app and forks the workers from it (``preload_app``). Each
worker is one process with its own in-memory supplier index, kept converged
with PostgreSQL by its own background refresher (matchmaker/refresher.py); the first to build it
saves it to MATCHMAKER_INDEX_DIR and the others map that file instead of building
(matchmaker/index_cache.py).
"""
import glob
import multiprocessing
import os
import tempfile

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Ranking is CPU-bound Python: one process per core is what scales (threads share one GIL).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
# The workers are the parallelism: one BLAS/OpenMP thread each, so N workers do not fight over
# the cores with N × cores numpy threads. Set before the app (and numpy) loads (in the master).
for _threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")
# Sync workers: one request at a time per process, so the index is never read by one request
# while another applies changes to it. A sync worker also reads its request itself, so a slow
# client would hold it: production runs behind deploy/nginx.conf, which hands over only complete
# requests (README "Production"; tests/hardening/test_slow_clients.py).
worker_class = "sync"
# The first build of the index at 10,000 suppliers takes seconds; a request waiting on it (or a
# large shortlist) must not get the worker killed.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (with jitter, so they do not all rebuild at once).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20000))
max_requests_jitter = max_requests // 10
# The app is made once, in the master, and the workers are forked from it: what every worker
# only reads (Flask, the schemas, the vocabularies, the bilingual dictionary and simplemma's
# data, warmed in when_ready) stays shared copy-on-write instead of being made again per worker
# (bench/worker_memory.py measures it). Fork-safe because the master then holds
# no database connection, thread or lock a worker could share (matchmaker/prefork.py): its pool
# is closed before the first fork, each worker drops what it inherited (post_fork) and starts
# its own refresher (post_worker_init). GUNICORN_PRELOAD=0 makes the app in each worker instead
# (then a HUP reloads the code too; preloaded, only a restart of the master does).
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
# The app logs JSON lines itself; gunicorn's access log would be a second, unstructured copy.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Behind one reverse proxy: trust its X-Forwarded-* (the app applies ProxyFix with
# MATCHMAKER_TRUSTED_PROXIES; gunicorn's own check only needs to let the header through).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Prometheus: every worker writes its metrics to files in this folder and /metrics sums them, so
# a scrape counts all workers, not only the one that answers it. Set before any worker starts.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="matchmaker-metrics-"))


def on_starting(server):
    """A fresh start begins with fresh counters (the folder may be a reused one)."""
    for path in glob.glob(os.path.join(os.environ["PROMETHEUS_MULTIPROC_DIR"], "*.db")):
        os.remove(path)


def when_ready(server):
    """Preloaded: warm what the workers will share and leave the master nothing to share."""
    if server.cfg.preload_app:
        from matchmaker.prefork import before_fork

        before_fork(server.app.wsgi())


def post_fork(server, worker):
    """Preloaded: the worker's own database connections and locks, before it serves."""
    if server.cfg.preload_app:
        from matchmaker.prefork import after_fork

        after_fork(worker.app.wsgi())


def child_exit(server, worker):
    """A worker's gauges leave /metrics with it (its counters stay counted)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    """Start building this worker's index before its first request arrives."""
    from flask import Flask

    from matchmaker.refresher import ensure_refresher

    app = worker.wsgi
    if isinstance(app, Flask):
        ensure_refresher(app)
