"""API tokens as staff see them (never the secret, which exists only in the issuing response)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from matchmaker.schemas.common import PageArgsSchema, page_schema, row_id_field

TOKEN_ROLES = ("supplier", "buyer", "staff")


class TokenListArgsSchema(PageArgsSchema):
    role = fields.String(validate=validate.OneOf(TOKEN_ROLES))
    supplier_id = row_id_field()
    include_revoked = fields.Boolean(load_default=False)


class TokenSchema(ma.Schema):
    id = fields.Integer()
    prefix = fields.String(metadata={"description": "The first characters, to recognise it"})
    role = fields.String(attribute="role.value", metadata={"enum": list(TOKEN_ROLES)})
    label = fields.String(allow_none=True)
    supplier_id = fields.Integer(allow_none=True)
    buyer_organisation_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


TokenPageSchema = page_schema(TokenSchema)


class ReplacementTokenSchema(TokenSchema):
    """The new token of a rotation, with its secret (``token``, as when staff issue a member
    token): shown in this response only; only its hash is stored."""

    token = fields.String(metadata={"description": "The secret: 'Authorization: Bearer <token>'"})
