"""The background refresher: keeps this process's supplier index converged off the request path.

One daemon thread per process. It wakes on a PostgreSQL notification (``LISTEN`` on its own
psycopg connection, never one from the pool) and, whatever happens to that connection, every
``poll_seconds`` anyway; each wake-up runs :meth:`IndexCache.refresh`, which reads the change
counter and builds or fetches what is new. A missed notification or a killed listener connection
therefore costs at most one poll interval; the listener reconnects on the next wake-up. On
SQLite it only polls.

Between two wake-ups the thread sleeps in one ``poll()`` on the listener's socket and a pipe
that requests write to (:meth:`IndexRefresher.wake`): it runs only when there is something to
do. (Waiting in 0.1 s slices of ``notifies()`` cost about 0.4 ms of CPU per slice, 4 ms per
second per worker, taken from the requests' core under load.)

Fork safety: nothing is started at import or in ``create_app``. :func:`ensure_refresher` starts
the thread in the process that calls it (gunicorn's ``post_worker_init`` hook, or the first
request) and starts a fresh one when it finds itself in a forked child, so no thread or
connection is ever shared across a fork.
"""
from __future__ import annotations

import logging
import os
import select
import socket
import threading
import time
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import Flask

from matchmaker.extensions import db
from matchmaker.index_cache import NOTIFY_CHANNEL, IndexCache
from matchmaker.observability import record_index_state
from matchmaker.services.weights import active_weights

if TYPE_CHECKING:
    import psycopg  # imported when listening: SQLite deployments run without it

log = logging.getLogger(__name__)

_EXTENSION = "matchmaker_refresher"
LISTENER_APPLICATION_NAME = "matchmaker-index-listener"
_START_LOCK = threading.Lock()
# After this many failed refreshes in a row the process reports itself not ready (/readyz 503):
# one failure is a blip (a restarting database); several mean the index is frozen.
FAILURES_BEFORE_UNREADY = 3


class IndexRefresher:
    """Refreshes ``cache`` in a daemon thread of the current process.

    Parameters
    ----------
    app : Flask
        The application whose database and config are used.
    cache : IndexCache
        The index cache to refresh; its requests stop reading the database once started.
    poll_seconds : float
        Longest wait between two refreshes when no notification comes.
    """

    def __init__(self, app: Flask, cache: IndexCache, poll_seconds: float = 0.5):
        self.app = app
        self.cache = cache
        self.poll_seconds = poll_seconds
        self.pid = os.getpid()
        self.refreshes = 0
        self.errors = 0
        self.consecutive_errors = 0             # reset by the next refresh that succeeds
        self.last_error: str | None = None
        self.last_error_kind: str | None = None  # the exception's class: safe to show anyone
        self._stop = threading.Event()
        self._wake = threading.Event()
        # The wake-up the thread's poll() sees: a byte sent by wake() (made by start()).
        self._wake_pipe: tuple[socket.socket, socket.socket] | None = None
        self._listener: psycopg.Connection | None = None
        self._thread: threading.Thread | None = None
        url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
        self._listen_url = (url.set(drivername="postgresql").render_as_string(hide_password=False)
                            if url.get_backend_name() == "postgresql" else None)

    @property
    def failing(self) -> bool:
        """Whether refreshing keeps failing (the index is frozen until it succeeds again)."""
        return self.consecutive_errors >= FAILURES_BEFORE_UNREADY

    @property
    def listening(self) -> bool:
        return self._listener is not None and not self._listener.closed

    def start(self) -> "IndexRefresher":
        if self._listen_url is not None:
            self._wake_pipe = socket.socketpair()
            for end in self._wake_pipe:
                end.setblocking(False)
        self.cache.background = True
        self.cache.wake = self.wake
        self._thread = threading.Thread(target=self._run, name="matchmaker-index-refresher", daemon=True)
        self._thread.start()
        return self

    def wake(self) -> None:
        """Refresh now (from any thread): the index parameters a request wants have changed."""
        self._wake.set()
        if self._wake_pipe is not None:
            try:
                self._wake_pipe[1].send(b"!")
            except OSError:
                pass  # a full pipe already wakes the thread; a closed one means it has stopped

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self.wake()
        if self._thread is not None:
            self._thread.join(timeout)
        self._close_listener()
        if self.cache.wake == self.wake:  # not if another refresher has taken over
            self.cache.background = False
            self.cache.wake = None
        if self._wake_pipe is not None and (self._thread is None or not self._thread.is_alive()):
            for end in self._wake_pipe:  # a wake() after this fails on the closed socket
                end.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._refresh()
            self._wait()

    def _refresh(self) -> None:
        try:
            with self.app.app_context():
                try:
                    # The active profile's text parameters: a profile activated in any process
                    # rebuilds the index here too, and the first build already uses them.
                    _, weights = active_weights()
                    self.cache.refresh(dict(weights.text_params))
                finally:
                    db.session.remove()
            self.refreshes += 1
            self.consecutive_errors = 0
            record_index_state(self.cache)
        except Exception as exc:  # noqa: BLE001 - the thread must outlive a database outage
            self.errors += 1
            self.consecutive_errors += 1
            self.last_error = f"{exc.__class__.__name__}: {exc}"
            self.last_error_kind = exc.__class__.__name__
            log.warning("index refresh failed: %s", self.last_error)
            self._stop.wait(self.poll_seconds)

    def _wait(self) -> None:
        """Until a notification, a wake-up from a request, or ``poll_seconds``."""
        if self._listen_url is None or self._wake_pipe is None:
            self._wake.wait(self.poll_seconds)
            self._wake.clear()
            return
        deadline = time.monotonic() + self.poll_seconds
        wake_end = self._wake_pipe[0].fileno()
        try:
            listener = self._ensure_listener(self._listen_url)
            poller = select.poll()  # not select(): no limit on the descriptors' numbers
            poller.register(listener.fileno(), select.POLLIN)
            poller.register(wake_end, select.POLLIN)
            while not self._stop.is_set() and not self._wake.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                ready = [fd for fd, _event in poller.poll(left * 1000)]
                if wake_end in ready:
                    break
                # Readable: notifications (a burst arrives together: one refresh for all), or
                # a message that is none (the loop waits on), or the connection's end (raises).
                if ready and any(True for _ in listener.notifies(timeout=0)):
                    break
        except Exception as exc:  # noqa: BLE001 - a lost listener only costs latency: poll on
            log.warning("index listener lost (%s); polling until it reconnects", exc.__class__.__name__)
            self._close_listener()
            self._stop.wait(max(0.0, deadline - time.monotonic()))
        self._wake.clear()
        self._drain_wake_pipe()

    def _drain_wake_pipe(self) -> None:
        """Forget the wake-ups written so far (the refresh that follows serves them all)."""
        if self._wake_pipe is None:
            return
        try:
            while self._wake_pipe[0].recv(4096):
                pass
        except (BlockingIOError, OSError):
            pass  # nothing left to read

    def _ensure_listener(self, url: str) -> psycopg.Connection:
        listener = self._listener
        if listener is None or listener.closed:
            import psycopg

            self._close_listener()
            listener = self._listener = psycopg.connect(
                url, autocommit=True, connect_timeout=5, application_name=LISTENER_APPLICATION_NAME)
            listener.execute(f"LISTEN {NOTIFY_CHANNEL}")
        return listener

    def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.close()
            except Exception:  # noqa: BLE001 - closing a dead connection may fail; it is gone anyway
                pass


def ensure_refresher(app: Flask) -> IndexRefresher | None:
    """Start this process's refresher if the config asks for one and none runs here yet.

    Safe to call on every request (a dictionary look-up once started) and after a fork (the
    parent's refresher belongs to another pid and is replaced, never reused).
    """
    if not app.config.get("INDEX_REFRESH"):
        return None
    refresher = app.extensions.get(_EXTENSION)
    if refresher is not None and refresher.pid == os.getpid():
        return refresher
    with _START_LOCK:
        refresher = app.extensions.get(_EXTENSION)
        if refresher is None or refresher.pid != os.getpid():
            cache = app.extensions["matchmaker"].index
            if refresher is not None:
                # Forked from a process whose refresher thread may have held the cache's locks.
                cache.after_fork()
            refresher = IndexRefresher(app, cache, app.config["INDEX_POLL_SECONDS"]).start()
            app.extensions[_EXTENSION] = refresher
    return refresher


def refresher_of(app: Flask) -> IndexRefresher | None:
    refresher = app.extensions.get(_EXTENSION)
    return refresher if refresher is not None and refresher.pid == os.getpid() else None

