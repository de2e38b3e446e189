"""One-time links at the service level: a link is claimed once, even by two uses at once."""
from __future__ import annotations

import threading

import pytest

from matchmaker.extensions import db
from matchmaker.models import BuyerOrganisation, Role
from matchmaker.services.account_links import LinkProblem, LinkRefused, invite, set_password_with_link

PASSWORDS = ("eerste-wachtwoord-van-anne", "tweede-wachtwoord-van-anne")


@pytest.mark.parametrize("backend", ["sqlite_app", pytest.param("postgresql_app",
                                                                 marks=pytest.mark.postgres)])
def test_two_uses_of_one_link_at_the_same_moment_set_one_password(request, backend):
    app = request.getfixturevalue(backend)
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        organisation = BuyerOrganisation(name="Grachtenbank")
        db.session.add(organisation)
        db.session.commit()
        _account, secret = invite("anne@grachtenbank.example", Role.BUYER,
                                  buyer_organisation_id=organisation.id, display_name=None,
                                  actor="test")
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def use(password: str) -> None:
        with app.app_context():
            start.wait()
            try:
                set_password_with_link(secret, password)
                outcomes.append("set")
            except LinkRefused as refusal:
                outcomes.append(refusal.problem.value)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=use, args=(password,)) for password in PASSWORDS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(outcomes) == ["set", LinkProblem.USED.value]
