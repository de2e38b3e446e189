"""A TCP server on a loopback port that accepts connections and never answers: what a hung
Redis or PostgreSQL looks like to a client without a read timeout."""
from __future__ import annotations

import contextlib
import socket
import threading


@contextlib.contextmanager
def silent_server():
    """Yield the port of a server that accepts every connection and never sends a byte."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    listener.settimeout(0.1)  # accept() wakes up to notice the end of the test
    held: list[socket.socket] = []
    stopping = threading.Event()

    def accept_forever() -> None:
        while not stopping.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(connection)  # kept open, never read from, never written to

    thread = threading.Thread(target=accept_forever, name="silent-server", daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stopping.set()
        thread.join(timeout=5)
        listener.close()
        for connection in held:
            connection.close()


def finishes_within(seconds: float, call):
    """``call()``'s result if it returns within ``seconds``; else fail (never hang the suite)."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread below
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still waiting after {seconds} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def require_redis() -> str:
    """The local Redis URL (``TEST_REDIS_URL``); skip without one, fail if MATCHMAKER_REQUIRE_REDIS=1."""
    import os

    import pytest
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        message = f"Redis not reachable at {url}: {exc.__class__.__name__}"
        if os.environ.get("MATCHMAKER_REQUIRE_REDIS") == "1":
            pytest.fail(message + " (MATCHMAKER_REQUIRE_REDIS=1)")
        pytest.skip(message + "; set TEST_REDIS_URL to run these tests")
    return url
