"""Without SECRET_KEY, every worker of one instance signs sessions with the same key: one made
once and kept in ``instance/secret_key``, readable by the service only (issue 16, item 11)."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from matchmaker.config import SECRET_KEY_FILE, instance_secret_key
from tests.builders import make_app

REPO = Path(__file__).resolve().parents[2]


def test_two_apps_without_a_secret_key_share_the_instance_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = make_app(f"sqlite:///{tmp_path / 'a.db'}", SECRET_KEY=None)
    second = make_app(f"sqlite:///{tmp_path / 'b.db'}", SECRET_KEY=None)

    key_file = Path(first.instance_path) / SECRET_KEY_FILE
    assert first.instance_path == second.instance_path
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text().strip()
    assert len(first.config["SECRET_KEY"]) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_session_signed_by_one_app_is_read_by_the_other(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = make_app(f"sqlite:///{tmp_path / 'a.db'}", SECRET_KEY=None)
    second = make_app(f"sqlite:///{tmp_path / 'a.db'}", SECRET_KEY=None)
    serializer = first.session_interface.get_signing_serializer(first)

    cookie = serializer.dumps({"lang": "en"})

    assert second.session_interface.get_signing_serializer(second).loads(cookie) == {"lang": "en"}


def test_a_set_secret_key_wins_over_the_instance_key(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    from matchmaker import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'c.db'}",
                      "SEEDS_PATH": "", "SEED_ON_EMPTY": False})

    assert app.config["SECRET_KEY"] == "from-the-environment"


def test_workers_starting_at_once_agree_on_one_key(tmp_path):
    script = ("import sys; from matchmaker.config import instance_secret_key; "
              "print(instance_secret_key(sys.argv[1]))")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    workers = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], env=env,
                                stdout=subprocess.PIPE, text=True) for _ in range(6)]
    keys = {worker.communicate(timeout=60)[0].strip() for worker in workers}

    assert len(keys) == 1 and len(keys.pop()) == 64
    assert [path.name for path in tmp_path.iterdir()] == [SECRET_KEY_FILE]  # no scratch file left
    assert stat.S_IMODE((tmp_path / SECRET_KEY_FILE).stat().st_mode) == 0o600


def test_an_existing_key_is_kept(tmp_path):
    (tmp_path / SECRET_KEY_FILE).write_text("kept\n")

    assert instance_secret_key(str(tmp_path)) == "kept"


def test_sign_ins_hold_across_two_gunicorn_workers_without_a_secret_key(tmp_path):
    """The attack: with two workers and no SECRET_KEY, 11 of 20 sign-ins failed (each worker
    had its own key). Ten people sign in to the pages and open a page; every step may land on
    either worker."""
    import http.client
    import re

    from tests.builders import issue_header
    from tests.hardening.production import gunicorn, production_env
    from tests.hardening.server import free_port

    database = f"sqlite:///{tmp_path / 'keys.db'}"
    side = make_app(database)
    staff_secret = issue_header(side, "staff")["Authorization"].split()[1]
    port = free_port()
    env = production_env(database, port)
    env.pop("SECRET_KEY")

    def call(method: str, path: str, cookie: str = "", form: str = "") -> tuple[int, str, str]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            headers = {"Cookie": cookie} if cookie else {}
            if form:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=form or None, headers=headers)
            response = connection.getresponse()
            set_cookie = response.getheader("Set-Cookie", "").split(";")[0]
            return response.status, set_cookie or cookie, response.read().decode(errors="replace")
        finally:
            connection.close()

    outcomes = []
    with gunicorn(env, tmp_path / "gunicorn.log"):
        for _person in range(10):
            _status, cookie, page = call("GET", "/sign-in")
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
            signed_in, cookie, _ = call("POST", "/sign-in", cookie,
                                        f"csrf_token={csrf}&token={staff_secret}&next=")
            opened, _cookie, _ = call("GET", "/staff/weight-profiles", cookie)
            outcomes.append((signed_in, opened))

    assert outcomes == [(302, 200)] * 10
