"""Password sign-in is limited per account and per client address, with growing delays, and a
locked account or address costs no password hash (issue 16, item 3).

Small limits in the test config: 3 failures per account, 5 per address, a 1 s first delay.
"""
from __future__ import annotations

import time

import pytest

from matchmaker.config import DEFAULT_RATE_LIMITS
from matchmaker.services import accounts
from tests.builders import make_app
from tests.hardening.silent_server import finishes_within, require_redis, silent_server
from tests.builders import Browser

PASSWORD = "correct horse battery staple"
POLICY = {"account_failures": 3, "address_failures": 5, "window": 60, "delay": 1, "max_delay": 8}
OFF = {group: {"address": "", "token": ""} for group in DEFAULT_RATE_LIMITS}


def throttled_app(tmp_path, storage_uri="memory://", prefix="matchmaker", **overrides):
    policy = {name: overrides.pop(name) for name in list(overrides) if name in POLICY}
    return make_app(f"sqlite:///{tmp_path / 'sign-in.db'}", RATE_LIMITS_ENABLED=True, RATE_LIMITS=OFF,
                    RATE_LIMITS_STORAGE_URI=storage_uri, RATE_LIMITS_KEY_PREFIX=prefix,
                    SIGN_IN_LIMITS={**POLICY, **policy}, **overrides)


def add_account(app, email: str) -> str:
    from matchmaker.models import Role

    with app.app_context():
        accounts.create_account(email, PASSWORD, Role.STAFF)
    return email


@pytest.fixture
def hashes(monkeypatch):
    """Every password hash computed by sign-in, counted (the real function still runs)."""
    calls = []
    real = accounts.check_password_hash

    def counting(stored, password):
        calls.append(password)
        return real(stored, password)

    monkeypatch.setattr(accounts, "check_password_hash", counting)
    return calls


@pytest.fixture
def app(tmp_path):
    return throttled_app(tmp_path)


@pytest.fixture
def account(app):
    return add_account(app, "inkoop@grachtenbank.example")


def sign_in(browser: Browser, email: str, password: str, address: str = "127.0.0.1"):
    return browser.post("/sign-in", {"email": email, "password": password},
                        environ_base={"REMOTE_ADDR": address})


def test_the_guess_after_the_limit_is_refused_without_hashing(app, account, hashes):
    browser = Browser(app.test_client())
    assert [sign_in(browser, account, f"guess {n}").status_code for n in range(3)] == [401] * 3
    assert len(hashes) == 3

    refused = sign_in(browser, account, "guess 4")

    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 1
    assert "Te veel mislukte aanmeldpogingen" in refused.get_data(as_text=True)
    assert len(hashes) == 3  # no scrypt for a refused guess


def test_the_correct_password_is_refused_too_until_the_delay_has_passed(app, account, hashes):
    browser = Browser(app.test_client())
    for n in range(3):
        sign_in(browser, account, f"guess {n}")

    assert sign_in(browser, account, PASSWORD).status_code == 429
    assert len(hashes) == 3
    time.sleep(1.5)
    assert sign_in(browser, account, PASSWORD).status_code == 302


def test_each_further_lock_out_doubles_the_delay(tmp_path):
    app = throttled_app(tmp_path, address_failures=100)  # only the account's lock-outs here
    account = add_account(app, "inkoop@grachtenbank.example")
    browser = Browser(app.test_client())
    retry_after = []
    for _round in range(3):
        for n in range(3):
            sign_in(browser, account, f"guess {n}")
        refused = sign_in(browser, account, "one more")
        assert refused.status_code == 429
        retry_after.append(int(refused.headers["Retry-After"]))
        time.sleep(retry_after[-1] + 0.2)

    assert retry_after == [1, 2, 4]


def test_a_success_resets_the_accounts_count(app, account, hashes):
    browser = Browser(app.test_client())
    for n in range(2):
        sign_in(browser, account, f"guess {n}")
    assert sign_in(browser, account, PASSWORD).status_code == 302
    browser = Browser(app.test_client())

    statuses = [sign_in(browser, account, f"again {n}").status_code for n in range(3)]

    assert statuses == [401, 401, 401]  # three more failures allowed, not one
    assert sign_in(browser, account, "after the limit").status_code == 429


def test_an_address_guessing_over_many_accounts_is_refused_and_others_are_not(app, hashes):
    emails = [add_account(app, f"persoon{n}@example.org") for n in range(6)]
    browser = Browser(app.test_client())

    statuses = [sign_in(browser, email, "wrong", "203.0.113.9").status_code for email in emails]

    assert statuses == [401] * 5 + [429]
    assert len(hashes) == 5
    # Another address may still sign in to that last account.
    assert sign_in(browser, emails[-1], PASSWORD, "198.51.100.4").status_code == 302


def test_an_unknown_e_mail_address_counts_like_a_known_one(app, hashes):
    browser = Browser(app.test_client())

    statuses = [sign_in(browser, "niemand@example.org", f"guess {n}").status_code for n in range(4)]

    assert statuses == [401, 401, 401, 429]


def test_two_processes_share_the_lock_out_through_redis(tmp_path):
    import uuid

    url = require_redis()
    prefix = f"sign-in-test-{uuid.uuid4().hex[:8]}"
    first = throttled_app(tmp_path, url, prefix)
    second = make_app(f"sqlite:///{tmp_path / 'sign-in.db'}", RATE_LIMITS_ENABLED=True, RATE_LIMITS=OFF,
                      RATE_LIMITS_STORAGE_URI=url, RATE_LIMITS_KEY_PREFIX=prefix,
                      SIGN_IN_LIMITS=POLICY)
    account = add_account(first, "gedeeld@example.org")
    for n in range(3):
        sign_in(Browser(first.test_client()), account, f"guess {n}")

    assert sign_in(Browser(second.test_client()), account, PASSWORD).status_code == 429


def test_without_rate_limits_sign_in_is_not_throttled(tmp_path, hashes):
    app = make_app(f"sqlite:///{tmp_path / 'free.db'}")
    account = add_account(app, "vrij@example.org")
    browser = Browser(app.test_client())

    assert [sign_in(browser, account, f"guess {n}").status_code for n in range(5)] == [401] * 5


def test_with_a_silent_redis_sign_in_answers_and_still_counts_in_memory(tmp_path, hashes):
    with silent_server() as port:
        app = throttled_app(tmp_path, f"redis://127.0.0.1:{port}/0", RATE_LIMITS_STORAGE_TIMEOUT=0.5)
        account = add_account(app, "stil@example.org")
        browser = Browser(app.test_client())

        started = time.monotonic()
        statuses = [finishes_within(15, lambda: sign_in(browser, account, "wrong")).status_code
                    for _ in range(4)]
        took = time.monotonic() - started

    assert statuses == [401, 401, 401, 429]
    assert took < 10, f"four sign-ins took {took:.1f} s"
