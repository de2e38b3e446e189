"""Buyer organisations and their members' API tokens, managed by programme staff."""
from __future__ import annotations

from sqlalchemy import func, select

from matchmaker.auth import Principal, issue_token
from matchmaker.errors import Conflict, NotFound
from matchmaker.extensions import db
from matchmaker.models import BuyerOrganisation, Role
from matchmaker.schemas.names import name_skeleton
from matchmaker.services.writes import writing


def list_organisations() -> list[BuyerOrganisation]:
    return list(db.session.scalars(select(BuyerOrganisation).order_by(BuyerOrganisation.name)))


def create_organisation(data: dict, principal: Principal) -> BuyerOrganisation:
    exists = db.session.scalar(select(BuyerOrganisation.id).where(
        func.lower(BuyerOrganisation.name) == data["name"].lower()))
    if exists is not None:
        raise Conflict(f"A buyer organisation named {data['name']!r} exists already.",
                       errors=[{"field": "name", "message": "Already exists."}])
    # Staff see every organisation, so the look-alike is named.
    skeleton = name_skeleton(data["name"])
    for other in db.session.scalars(select(BuyerOrganisation.name)):
        if name_skeleton(other) == skeleton:
            raise Conflict(f"The name looks like that of the buyer organisation {other!r}.",
                           errors=[{"field": "name", "message": f"Looks like {other!r}."}])
    organisation = BuyerOrganisation(name=data["name"], kind=data.get("kind"),
                                     municipality=data.get("municipality"))
    with writing(principal.actor, conflict=f"A buyer organisation named {data['name']!r} was "
                                           "created at the same moment.") as write:
        db.session.add(organisation)
        db.session.flush()
        write.audit("buyer.create", "buyer_organisation", organisation.id,
                    diff={"name": [None, organisation.name], "kind": [None, organisation.kind]})
    return organisation


def issue_member_token(organisation_id: int, data: dict, principal: Principal) -> dict:
    """A new token for a member of the organisation; the secret is returned once."""
    organisation = db.session.get(BuyerOrganisation, organisation_id)
    if organisation is None:
        raise NotFound(f"No buyer organisation {organisation_id}.")
    token, secret = issue_token(Role.BUYER, label=data["label"],
                                buyer_organisation_id=organisation.id)
    with writing(principal.actor) as write:
        db.session.flush()
        write.audit("token.create", "api_token", token.id,
                    diff={"role": "buyer", "label": data["label"],
                          "buyer_organisation_id": organisation.id})
    return {"id": token.id, "token": secret, "prefix": token.prefix, "role": "buyer",
            "label": token.label, "buyer": organisation, "created_at": token.created_at}
