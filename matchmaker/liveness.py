"""Pooled PostgreSQL connections are checked before use without a round trip to the server.

SQLAlchemy's ``pool_pre_ping`` sends ``SELECT 1`` on every checkout, that is once per request:
under load a round trip, two context switches and a server backend's statement per request, for
connections that were in use a few milliseconds earlier. What it guards against is a connection
the server ended while it sat in the pool (a restart, ``pg_terminate_backend``, an idle timeout).
The server says so on the socket when it does: a terminated backend sends its error and closes,
a restarted server closes. An idle connection's socket therefore has nothing to read unless
something happened to it, and the kernel answers that without the server (``poll`` with no
wait, microseconds). Only then is the connection pinged, as ``pool_pre_ping`` would have; a
failed ping replaces it and every connection pooled before it (:class:`InvalidatePoolError`,
what ``pool_pre_ping`` does), so the request that checks it out never sees the dead one.

A server that vanished without a word (a cable pulled) is not seen by either check in time:
``pool_pre_ping`` would wait on its ping just as the request's first statement waits; the TCP
keepalives set in :func:`matchmaker.config.engine_options` end such a connection.
"""
from __future__ import annotations

import select
import weakref

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

_CHECKED: weakref.WeakSet[Engine] = weakref.WeakSet()


def check_pooled_connections(engine: Engine) -> None:
    """Check every connection ``engine``'s pool hands out (its pools after a dispose too: they
    keep the engine's listeners). Once per engine."""
    if engine in _CHECKED:
        return
    dialect = engine.dialect

    def on_checkout(dbapi_connection, _connection_record, _connection_proxy) -> None:
        if not has_news(dbapi_connection, dialect.loaded_dbapi.Error):
            return
        try:
            alive = dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if not dialect.is_disconnect(error, dbapi_connection, None):
                raise
            alive = False
        if not alive:
            # Caught by the pool, which replaces this connection and those pooled before it.
            raise exc.InvalidatePoolError("the server ended this pooled connection")

    event.listen(engine, "checkout", on_checkout)
    _CHECKED.add(engine)


def has_news(dbapi_connection, driver_error: type[Exception] = OSError) -> bool:
    """Whether the server has sent something to an idle connection, or it is closed (a
    connection whose socket the driver cannot give counts as closed: ``driver_error``)."""
    if dbapi_connection.closed:
        return True
    try:
        fd = dbapi_connection.fileno()
    except (OSError, ValueError, driver_error):
        return True
    poller = select.poll()  # not select(): no limit on the descriptor's number
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))
