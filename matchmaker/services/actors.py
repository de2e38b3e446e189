"""Who made a change: the actor the write path records, resolved to what people recognise.

The audit log and a weight profile's ``created_by`` hold ``Principal.actor``:
``staff:<token label or id>``, ``buyer:<organisation id>:<token label or id>``,
``supplier:<id>``, ``account:<id>`` (a person acting on their own account without a session:
choosing a password from a mailed link), or a process (``cli``, ``seed``). The string is kept as written (it is the
record); reading it, a token signed in by an account names that account's person (its display
name, else its e-mail address), another token its label, a supplier and a buyer organisation
their names, as far as the database still knows them.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Account, ApiToken, BuyerOrganisation, Role, Supplier

# What an Author is.
PERSON = "person"        # an account's holder: name is the display name or the e-mail address
TOKEN = "token"          # a token nobody's account holds: name is its label (or #id)
SUPPLIER = "supplier"    # a supplier acting with its edit token: name is the company's name
PROCESS = "process"      # no person: name is the process (cli, seed, anonymous, ...)


@dataclass(frozen=True)
class Author:
    kind: str
    name: str
    role: str | None = None
    # The buyer organisation a buyer's token belongs to.
    organisation: str | None = None


@dataclass(frozen=True)
class _Parsed:
    role: Role
    reference: str              # the token's label, or its id when it has no label
    number: int | None = None   # the buyer organisation's or the supplier's id


def _parse(actor: str) -> _Parsed | None:
    role, colon, rest = actor.partition(":")
    if not colon:
        return None
    if role == Role.STAFF.value and rest:
        return _Parsed(Role.STAFF, rest)
    if role == Role.BUYER.value:
        organisation, colon, reference = rest.partition(":")
        if colon and organisation.isdigit() and reference:
            return _Parsed(Role.BUYER, reference, int(organisation))
    if role == Role.SUPPLIER.value and rest.isdigit():
        return _Parsed(Role.SUPPLIER, "", int(rest))
    return None


def _account_id(actor: str) -> int | None:
    kind, colon, number = actor.partition(":")
    return int(number) if kind == "account" and colon and number.isascii() and number.isdigit() \
        and len(number) < 10 else None


def authors(actors: Iterable[str | None]) -> dict[str, Author]:
    """Each distinct actor string resolved to an :class:`Author`, in a handful of queries."""
    actors = set(actors)
    account_ids = {number for actor in actors if actor and (number := _account_id(actor)) is not None}
    accounts = {account.id: account for account in db.session.scalars(
        select(Account).where(Account.id.in_(account_ids)))} if account_ids else {}
    parsed = {actor: _parse(actor) for actor in actors if actor}
    people = [p for p in parsed.values() if p is not None and p.role is not Role.SUPPLIER]
    labels = {p.reference for p in people}
    ids = {int(p.reference) for p in people if p.reference.isdigit()}
    by_label: dict[tuple, tuple[ApiToken, Account | None]] = {}
    by_id: dict[int, tuple[ApiToken, Account | None]] = {}
    if labels or ids:
        rows = db.session.execute(
            select(ApiToken, Account).outerjoin(Account, ApiToken.account_id == Account.id)
            .where(ApiToken.label.in_(labels) | ApiToken.id.in_(ids))
            .order_by(ApiToken.id)).all()
        for token, account in rows:
            by_id[token.id] = (token, account)
            key = (token.role, token.buyer_organisation_id, token.label)
            # Many tokens share a label (an account's every sign-in): one with a person wins.
            if account is not None or key not in by_label:
                by_label[key] = (token, account)
    supplier_ids = {p.number for p in parsed.values() if p and p.role is Role.SUPPLIER}
    organisation_ids = {p.number for p in people if p.number is not None}
    suppliers = dict(db.session.execute(select(Supplier.id, Supplier.name)
                                        .where(Supplier.id.in_(supplier_ids))).all()) \
        if supplier_ids else {}
    organisations = dict(db.session.execute(
        select(BuyerOrganisation.id, BuyerOrganisation.name)
        .where(BuyerOrganisation.id.in_(organisation_ids))).all()) \
        if organisation_ids else {}

    def resolve(actor: str, p: _Parsed | None) -> Author:
        number = _account_id(actor)
        if p is None and number is not None and number in accounts:
            person = accounts[number]
            return Author(PERSON, person.display_name or person.email, person.role.value)
        if p is None:
            return Author(PROCESS, actor)
        if p.role is Role.SUPPLIER:
            name = suppliers.get(p.number) if p.number is not None else None
            return Author(SUPPLIER, name or f"#{p.number}", p.role.value)
        organisation = organisations.get(p.number) if p.number is not None else None
        found = by_label.get((p.role, p.number, p.reference))
        if found is None and p.reference.isdigit():
            candidate = by_id.get(int(p.reference))
            if candidate is not None and candidate[0].label is None and candidate[0].role is p.role:
                found = candidate
        if found is None:
            return Author(TOKEN, p.reference, p.role.value, organisation)
        token, account = found
        if account is not None:
            return Author(PERSON, account.display_name or account.email, p.role.value, organisation)
        return Author(TOKEN, token.label or f"#{token.id}", p.role.value, organisation)

    return {actor: resolve(actor, p) for actor, p in parsed.items()}
