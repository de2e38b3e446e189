"""Staff endpoints for buyer organisations and their members' tokens."""
from __future__ import annotations

from flask.views import MethodView
from matchmaker.api.parsing import Blueprint

from matchmaker.api.docs import BEARER
from matchmaker.auth import current_principal
from matchmaker.models import Role
from matchmaker.permissions import require_role
from matchmaker.schemas import (
    BuyerOrganisationInputSchema,
    BuyerOrganisationSchema,
    IssuedTokenSchema,
    MemberTokenInputSchema,
)
from matchmaker.services import buyers

blp = Blueprint("staff_buyers", __name__, url_prefix="/api/staff/buyers",
                description="Programme staff: buyer organisations and their members' API tokens.")


@blp.before_request
@require_role(Role.STAFF)
def staff_only() -> None:
    """Anonymous callers get 401, suppliers and buyers 403, on every route of this blueprint."""


@blp.route("")
class BuyerOrganisations(MethodView):
    @blp.response(200, BuyerOrganisationSchema(many=True))
    @blp.doc(security=BEARER)
    def get(self):
        """Every buyer organisation, by name."""
        return buyers.list_organisations()

    @blp.arguments(BuyerOrganisationInputSchema)
    @blp.response(201, BuyerOrganisationSchema)
    @blp.doc(security=BEARER)
    def post(self, data):
        """Create a buyer organisation."""
        return buyers.create_organisation(data, current_principal())


@blp.route("/<int:organisation_id>/tokens")
class BuyerTokens(MethodView):
    @blp.arguments(MemberTokenInputSchema)
    @blp.response(201, IssuedTokenSchema)
    @blp.doc(security=BEARER)
    def post(self, data, organisation_id):
        """Issue an API token to a member of the organisation; the secret is shown once."""
        return buyers.issue_member_token(organisation_id, data, current_principal())
