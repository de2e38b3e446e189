"""Buyer organisations and member tokens, as staff manage them."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from matchmaker.schemas.common import StrictSchema, name_field, text_field


class BuyerOrganisationInputSchema(StrictSchema):
    name = name_field(200, required=True)
    kind = text_field(60, allow_none=True,
                      metadata={"description": "water utility, port authority, bank, energy company, ..."})
    municipality = text_field(100, allow_none=True)


class BuyerOrganisationSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String(allow_none=True)
    municipality = fields.String(allow_none=True)
    created_at = fields.DateTime()


class MemberTokenInputSchema(StrictSchema):
    label = text_field(200, required=True, min_length=1,
                       metadata={"description": "Who holds it, e.g. a name or e-mail address"})


class IssuedTokenSchema(ma.Schema):
    id = fields.Integer()
    token = fields.String(metadata={"description": "The secret, shown only in this response"})
    prefix = fields.String()
    role = fields.String()
    label = fields.String()
    buyer = fields.Nested(BuyerOrganisationSchema)
    created_at = fields.DateTime()
