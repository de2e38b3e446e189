"""A pooled PostgreSQL connection the server ended is replaced before a request uses it, and a
live one is handed out without a round trip to the server (matchmaker/liveness.py)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.liveness import has_news

pytestmark = pytest.mark.postgres


@pytest.fixture
def pings(postgresql_app, monkeypatch):
    """The pings sent on checkout, counted (the dialect's own ping still runs)."""
    with postgresql_app.app_context():
        db.engine.dispose()  # one pooled connection from here on (the tests use one at a time)
        dialect = db.engine.dialect
    sent = []
    ping = dialect.do_ping

    def counted(dbapi_connection):
        sent.append(dbapi_connection)
        return ping(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counted)
    return sent


def backend_pid(app) -> int:
    with app.app_context():
        pid = db.session.execute(sa.text("SELECT pg_backend_pid()")).scalar()
        db.session.remove()
        return pid


def terminate(app, pid: int) -> None:
    """End a backend as a restart or an administrator does, from outside the app's pool, and
    wait until it has ended (the timeout argument)."""
    import psycopg

    url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,)).fetchone()[0]


def test_a_live_pooled_connection_is_handed_out_without_a_ping(postgresql_app, pings):
    first = backend_pid(postgresql_app)

    again = [backend_pid(postgresql_app) for _ in range(3)]

    assert again == [first] * 3  # the same pooled connection, every time
    assert pings == []


def test_a_connection_the_server_ended_in_the_pool_is_replaced_before_use(postgresql_app, pings):
    ended = backend_pid(postgresql_app)
    terminate(postgresql_app, ended)

    replaced = backend_pid(postgresql_app)  # no error: the request never sees the dead one

    assert replaced != ended
    assert len(pings) == 1  # the one connection with news was pinged (and failed)


def test_requests_after_a_terminated_connection_answer(postgresql_app, pings):
    terminate(postgresql_app, backend_pid(postgresql_app))

    response = postgresql_app.test_client().get("/readyz")

    assert response.status_code == 200
    assert response.get_json()["database"] == "ok"


def test_an_idle_connection_has_no_news_until_the_server_ends_it(postgres_url):
    import psycopg

    url = sa.make_url(postgres_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url) as connection, psycopg.connect(url, autocommit=True) as admin:
        connection.execute("SELECT 1")
        connection.rollback()
        assert not has_news(connection)

        admin.execute("SELECT pg_terminate_backend(%s)", (connection.info.backend_pid,))

        assert _eventually(lambda: has_news(connection))


def _eventually(check, tries: int = 100) -> bool:
    import time

    for _ in range(tries):
        if check():
            return True
        time.sleep(0.01)
    return False
