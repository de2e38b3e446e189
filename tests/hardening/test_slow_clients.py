"""The documented production set-up (gunicorn behind deploy/nginx.conf, started as the README
says) keeps answering while a few dozen slow clients each send one header line every few
seconds (issue 16, item 6). Without the proxy, the same slow clients stop gunicorn's sync workers:
the control case shows that this test can fail.

Needs nginx (``NGINX``, else ``nginx`` on PATH or /usr/sbin/nginx): skipped without it, unless
``MATCHMAKER_REQUIRE_NGINX=1`` (CI), where that is a failure. Loopback only; every loop is bounded.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
import urllib.request

import pytest

from tests.hardening.production import gunicorn, nginx, production_env
from tests.hardening.server import free_port

SLOW_CLIENTS = 40
LINE_EVERY_SECONDS = 2.0
SLOW_FOR_SECONDS = 12.0
# Generous on a loaded 2-core machine; an answered request takes milliseconds.
ANSWER_WITHIN_SECONDS = 5.0


def nginx_binary() -> str:
    found = os.environ.get("NGINX") or shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if found is None:
        message = "nginx is not installed"
        if os.environ.get("MATCHMAKER_REQUIRE_NGINX") == "1":
            pytest.fail(message + " (MATCHMAKER_REQUIRE_NGINX=1)")
        pytest.skip(message + "; apt-get install nginx-light to run this test")
    return found


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """gunicorn with the repository's gunicorn.conf.py and 2 workers, nginx in front with
    deploy/nginx-run: the README's production commands, on loopback ports and SQLite."""
    binary = nginx_binary()
    tmp_path = tmp_path_factory.mktemp("production")
    app_port, proxy_port = free_port(), free_port()
    env = production_env(f"sqlite:///{tmp_path / 'prod.db'}", app_port, NGINX=binary,
                         MATCHMAKER_LISTEN=f"127.0.0.1:{proxy_port}",
                         MATCHMAKER_NGINX_DIR=str(tmp_path / "nginx"))
    with gunicorn(env, tmp_path / "gunicorn.log"), nginx(env, tmp_path / "nginx.log"):
        yield {"app": app_port, "proxy": proxy_port}


@contextlib.contextmanager
def slow_clients(port: int, count: int = SLOW_CLIENTS):
    """``count`` connections that each send a request header line every LINE_EVERY_SECONDS,
    for at most SLOW_FOR_SECONDS, never finishing the header; all closed on exit."""
    stopping = threading.Event()
    sockets: list[socket.socket] = []

    def dribble(sock: socket.socket) -> None:
        ends = time.monotonic() + SLOW_FOR_SECONDS
        with contextlib.suppress(OSError):
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            line = 0
            while not stopping.wait(LINE_EVERY_SECONDS) and time.monotonic() < ends:
                line += 1
                sock.sendall(f"X-Slow-{line}: {'a' * 20}\r\n".encode())

    threads = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=SLOW_FOR_SECONDS + 5)
        sockets.append(sock)
        threads.append(threading.Thread(target=dribble, args=(sock,), daemon=True))
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.0)  # let every slow client reach a worker (or the proxy)
        yield
    finally:
        stopping.set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.close()
        for thread in threads:
            thread.join(timeout=5)


def answer_time(port: int, path: str = "/api/suppliers?per_page=1") -> float | None:
    """Seconds a normal request took, or None if it got no answer within ANSWER_WITHIN_SECONDS."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}",
                                    timeout=ANSWER_WITHIN_SECONDS) as response:
            response.read()
            assert response.status == 200
    except OSError:
        return None
    return time.monotonic() - started


def test_behind_the_documented_proxy_slow_clients_do_not_stop_the_service(production):
    with slow_clients(production["proxy"]):
        times = []
        for _ in range(5):
            times.append(answer_time(production["proxy"]))
            time.sleep(1.5)

    print(f"\n{SLOW_CLIENTS} slow clients through nginx: normal requests took "
          + ", ".join("no answer" if t is None else f"{t * 1000:.0f} ms" for t in times))
    assert None not in times
    assert max(times) < ANSWER_WITHIN_SECONDS


def test_control_the_same_slow_clients_straight_at_gunicorn_stop_it(production):
    with slow_clients(production["app"]):
        took = answer_time(production["app"])

    print(f"\n{SLOW_CLIENTS} slow clients straight at gunicorn: a normal request "
          + ("got no answer" if took is None else f"took {took * 1000:.0f} ms"))
    assert took is None, "gunicorn alone answered: the slow-client test would not show the proxy's effect"
