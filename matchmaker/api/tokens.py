"""API tokens: staff list, revoke and rotate any token; a supplier replaces its own edit token."""
from __future__ import annotations

from flask.views import MethodView

from matchmaker.api.docs import BEARER
from matchmaker.api.parsing import Blueprint
from matchmaker.auth import current_principal
from matchmaker.models import Role
from matchmaker.permissions import require_role
from matchmaker.schemas.staff import ReasonSchema
from matchmaker.schemas.tokens import (
    ReplacementTokenSchema,
    TokenListArgsSchema,
    TokenPageSchema,
    TokenSchema,
)
from matchmaker.services import tokens as service

blp = Blueprint("tokens", __name__, url_prefix="/api",
                description="API tokens: revocation and rotation. A revoked token gets 401 on "
                            "its next request, in every process.")


@blp.route("/staff/tokens")
class TokenCollection(MethodView):
    @require_role(Role.STAFF)
    @blp.arguments(TokenListArgsSchema, location="query")
    @blp.response(200, TokenPageSchema)
    @blp.doc(security=BEARER)
    def get(self, args):
        """Tokens by id (live ones unless include_revoked); never their secrets."""
        return service.list_page(args["page"], args["per_page"], role=args.get("role"),
                                 supplier_id=args.get("supplier_id"),
                                 include_revoked=args["include_revoked"])


@blp.route("/staff/tokens/<int:token_id>/revoke")
class TokenRevocation(MethodView):
    @require_role(Role.STAFF)
    @blp.arguments(ReasonSchema)
    @blp.response(200, TokenSchema)
    @blp.doc(security=BEARER)
    @blp.alt_response(409, description="Already revoked")
    def post(self, data, token_id):
        """Revoke a token now."""
        return service.revoke(token_id, data["reason"], current_principal())


@blp.route("/staff/tokens/<int:token_id>/rotate")
class TokenRotation(MethodView):
    @require_role(Role.STAFF)
    @blp.arguments(ReasonSchema)
    @blp.response(201, ReplacementTokenSchema)
    @blp.doc(security=BEARER)
    @blp.alt_response(409, description="Already revoked")
    def post(self, data, token_id):
        """Revoke a token and issue its replacement; the new secret is shown once."""
        token, secret = service.rotate(token_id, data["reason"], current_principal())
        token.token = secret  # not a column: dumped once in this response, never stored
        return token


@blp.route("/suppliers/<int:supplier_id>/edit-token")
class SupplierEditTokenRotation(MethodView):
    @blp.response(201, ReplacementTokenSchema)
    @blp.doc(security=BEARER)
    def post(self, supplier_id):
        """Replace this supplier's edit token (its own token, or staff): the old one stops
        working at once; the new secret is shown once."""
        token, secret = service.rotate_edit_token(supplier_id, current_principal())
        token.token = secret  # not a column: dumped once in this response, never stored
        return token
