"""Password sign-in: failures counted per account and per client address, with growing delays.

After ``account_failures`` wrong passwords for one account (or ``address_failures`` from one
client address) within ``window`` seconds, that account (or address) is refused for ``delay``
seconds; each further lock-out within a day doubles the delay, up to ``max_delay``. A success
clears the account's count (never the address's). The check runs before the password is hashed,
so a locked account or address costs no scrypt at all.

The counters live where the rate limits live (``REDIS_URL``: shared by every process), under the
same key prefix, and in this process's memory while that storage does not answer (its calls have
the same short timeouts; it is tried again after ``RETRY_SECONDS``).
"""
from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass
from typing import cast

from flask import Flask, current_app
from limits.storage import MemoryStorage, Storage, storage_from_string

from matchmaker.config import rate_limit_storage_options

log = logging.getLogger(__name__)
_EXTENSION = "matchmaker_sign_in_limits"
# Lock-outs are remembered this long for the doubling.
STRIKE_MEMORY_SECONDS = 24 * 3600
RETRY_SECONDS = 30


class SignInRefused(Exception):
    """Too many failed sign-ins for this account or address: come back in ``retry_after`` s."""

    def __init__(self, retry_after: int):
        super().__init__(f"too many failed sign-ins; retry after {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class SignInPolicy:
    account_failures: int
    address_failures: int
    window: int
    delay: int
    max_delay: int


class _Counters:
    """The limiter's storage, or this process's memory while it does not answer."""

    def __init__(self, uri: str, options: dict):
        # A synchronous storage (memory://, redis://): limits types the call for async ones too.
        self.shared = cast(Storage, storage_from_string(uri, **options))
        self.local = MemoryStorage()
        self.shared_down_until = 0.0

    def incr(self, key: str, expiry: int) -> int:
        return self._call("incr", key, expiry)

    def get(self, key: str) -> int:
        return self._call("get", key)

    def get_expiry(self, key: str) -> float:
        return self._call("get_expiry", key)

    def clear(self, key: str) -> None:
        self._call("clear", key)

    def _call(self, operation: str, *args):
        if time.monotonic() >= self.shared_down_until:
            try:
                return getattr(self.shared, operation)(*args)
            except Exception:  # noqa: BLE001 - any storage failure: count locally meanwhile
                log.warning("sign-in counters unreachable; counting in this process for %s s",
                            RETRY_SECONDS)
                self.shared_down_until = time.monotonic() + RETRY_SECONDS
        return getattr(self.local, operation)(*args)


class SignInLimits:
    def __init__(self, policy: SignInPolicy, counters: _Counters, prefix: str, enabled: bool):
        self.policy, self.counters, self.prefix, self.enabled = policy, counters, prefix, enabled

    def check(self, email: str, address: str) -> None:
        """Raise SignInRefused while the account or the address is locked out."""
        if not self.enabled:
            return
        waits = [self._remaining(self._key(subject, "lock")) for subject in self._subjects(email, address)]
        if max(waits) > 0:
            raise SignInRefused(max(waits))

    def failed(self, email: str, address: str) -> None:
        if not self.enabled:
            return
        for subject, allowed in zip(self._subjects(email, address),
                                    (self.policy.account_failures, self.policy.address_failures)):
            failures = self.counters.incr(self._key(subject, "failures"), self.policy.window)
            if failures >= allowed:
                strikes = self.counters.incr(self._key(subject, "strikes"), STRIKE_MEMORY_SECONDS)
                delay = min(self.policy.max_delay, self.policy.delay * 2 ** (strikes - 1))
                self.counters.incr(self._key(subject, "lock"), delay)
                self.counters.clear(self._key(subject, "failures"))

    def succeeded(self, email: str) -> None:
        if not self.enabled:
            return
        account = self._subjects(email, "")[0]
        for part in ("failures", "strikes"):
            self.counters.clear(self._key(account, part))

    def _remaining(self, key: str) -> int:
        if self.counters.get(key) <= 0:
            return 0
        return max(1, math.ceil(self.counters.get_expiry(key) - time.time()))

    @staticmethod
    def _subjects(email: str, address: str) -> tuple[str, str]:
        # Hashed: the storage never holds an e-mail address.
        account = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
        return f"account:{account}", f"address:{address}"

    def _key(self, subject: str, part: str) -> str:
        return f"{self.prefix}:sign-in:{subject}:{part}"


def init_sign_in_limits(app: Flask) -> SignInLimits:
    config = app.config
    limits = SignInLimits(
        SignInPolicy(**config["SIGN_IN_LIMITS"]),
        _Counters(config["RATE_LIMITS_STORAGE_URI"], rate_limit_storage_options(config)),
        config["RATE_LIMITS_KEY_PREFIX"], enabled=config["RATE_LIMITS_ENABLED"])
    app.extensions[_EXTENSION] = limits
    return limits


def sign_in_limits() -> SignInLimits:
    """The current app's sign-in limits (made on first use)."""
    limits = current_app.extensions.get(_EXTENSION)
    return limits if limits is not None else init_sign_in_limits(current_app)
