"""How a listening refresher waits on PostgreSQL: asleep until a notification, a request's
wake-up or its poll interval, and awake at once for either of the first two."""
from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.index_cache import NOTIFY_CHANNEL
from matchmaker.refresher import ensure_refresher
from tests.builders import eventually, make_app

pytestmark = pytest.mark.postgres


@pytest.fixture
def refresher(postgres_url):
    # Polls 30 s apart: whatever wakes it within the test is a notification or a wake-up.
    app = make_app(postgres_url, INDEX_REFRESH=True, INDEX_POLL_SECONDS=30)
    refresher = ensure_refresher(app)
    assert eventually(lambda: refresher.listening and refresher.refreshes >= 1, within=30)[0]
    yield refresher
    refresher.stop()
    with app.app_context():
        db.engine.dispose()


def reads_of_the_listener(refresher) -> list[float]:
    """Every time the thread reads its listener connection from now on."""
    listener = refresher._listener
    reads: list[float] = []
    notifies = listener.notifies

    def counted(**kwargs):
        reads.append(time.monotonic())
        return notifies(**kwargs)

    listener.notifies = counted
    return reads


def test_an_idle_refresher_does_not_read_its_listener_until_something_arrives(refresher):
    reads = reads_of_the_listener(refresher)
    refreshes = refresher.refreshes

    time.sleep(1.0)

    assert reads == []  # it did not wake to look
    assert refresher.refreshes == refreshes


def test_a_wake_up_refreshes_at_once(refresher):
    refreshes = refresher.refreshes

    refresher.wake()

    assert eventually(lambda: refresher.refreshes > refreshes, within=2.0)[0]


def test_a_notification_refreshes_at_once(refresher):
    refreshes = refresher.refreshes
    with refresher.app.app_context():
        db.session.execute(sa.text("SELECT pg_notify(:channel, '0')"), {"channel": NOTIFY_CHANNEL})
        db.session.commit()

    assert eventually(lambda: refresher.refreshes > refreshes, within=2.0)[0]
