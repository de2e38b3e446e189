"""Supplier endpoints: the supplier audience manages its own profile; anyone reads the directory."""
from __future__ import annotations

from flask import Response, jsonify, request, url_for
from flask.views import MethodView
from matchmaker.api.parsing import Blueprint

from matchmaker import advice, permissions
from matchmaker.api.docs import BEARER, IF_MATCH
from matchmaker.auth import Principal, current_principal
from matchmaker.schemas import (
    GapReportSchema,
    OpportunityArgsSchema,
    OpportunitySchema,
    PageArgsSchema,
    SupplierCreatedSchema,
    SupplierInputSchema,
    SupplierPageSchema,
    SupplierPatchSchema,
    SupplierSchema,
)
from matchmaker.services import opportunities
from matchmaker.services import suppliers as service

blp = Blueprint("suppliers", __name__, url_prefix="/api/suppliers",
                description="Supplier profiles: registration, the directory, self-service edits.")

def _profiles_for(principal: Principal) -> SupplierSchema:
    """The projection of profiles this caller gets: with the contact e-mail only where
    :func:`matchmaker.permissions.may_see_contact_email` allows it."""
    return SupplierSchema(shows_contact=lambda supplier: permissions.may_see_contact_email(
        principal, supplier.id))


@blp.route("")
class SupplierCollection(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, SupplierPageSchema)
    def get(self, args):
        """List supplier profiles (paginated, by id); contact e-mails only for buyers and staff."""
        principal = current_principal()
        page = service.list_page(args["page"], args["per_page"], principal)
        body = SupplierPageSchema(exclude=("items",)).dump(page)
        response: Response = jsonify(
            {**body, "items": _profiles_for(principal).dump(page.items, many=True)})
        response.vary.add("Authorization")  # a cache must not hand a buyer's list to anyone
        return response

    @blp.arguments(SupplierInputSchema)
    @blp.response(201, SupplierCreatedSchema)
    @blp.alt_response(409, description="KvK number already registered")
    @blp.alt_response(403, description="A staff-only field was sent")
    def post(self, data):
        """Register a supplier profile. The response carries the edit token, shown only once."""
        supplier, secret = service.register(data, current_principal())
        supplier.edit_token = secret  # not a column: dumped once in this response, never stored
        return supplier, 201, {"ETag": service.supplier_etag(supplier),
                           "Location": url_for("suppliers.SupplierItem", supplier_id=supplier.id)}


@blp.route("/<int:supplier_id>")
class SupplierItem(MethodView):
    @blp.response(200, SupplierSchema)
    @blp.alt_response(404, description="No such (visible) supplier")
    def get(self, supplier_id):
        """Read a supplier profile. The ETag header is what an edit must send as If-Match.

        The contact e-mail is there for signed-in buyers, staff and the supplier itself.
        """
        principal = current_principal()
        supplier = service.get_visible(supplier_id, principal)
        response: Response = jsonify(_profiles_for(principal).dump(supplier))
        response.headers["ETag"] = service.supplier_etag(supplier)
        response.vary.add("Authorization")
        return response

    @blp.arguments(SupplierPatchSchema(partial=True))
    @blp.response(200, SupplierSchema)
    @blp.doc(security=BEARER, parameters=[IF_MATCH])
    @blp.alt_response(412, description="Stale If-Match: nothing changed")
    @blp.alt_response(428, description="If-Match missing")
    def patch(self, changes, supplier_id):
        """Edit a profile (the supplier's own token, or staff). Lists are replaced as a whole."""
        supplier = service.update(supplier_id, changes, current_principal(),
                                  request.headers.get("If-Match"))
        return supplier, 200, {"ETag": service.supplier_etag(supplier)}

    @blp.response(204)
    @blp.doc(security=BEARER, parameters=[IF_MATCH])
    @blp.alt_response(412, description="Stale If-Match: nothing changed")
    def delete(self, supplier_id):
        """Delete a profile (the supplier's own token, or staff)."""
        service.delete(supplier_id, current_principal(), request.headers.get("If-Match"))


@blp.route("/<int:supplier_id>/opportunities")
class SupplierOpportunities(MethodView):
    @blp.arguments(OpportunityArgsSchema, location="query")
    @blp.response(200, OpportunitySchema(many=True))
    @blp.doc(security=BEARER)
    def get(self, args, supplier_id):
        """Open published tenders ranked for this profile (its own token, or staff)."""
        return opportunities.opportunities(supplier_id, current_principal(), args["limit"])


@blp.route("/<int:supplier_id>/opportunities/<int:tender_id>")
class SupplierGapReport(MethodView):
    @blp.response(200, GapReportSchema)
    @blp.doc(security=BEARER)
    @blp.alt_response(409, description="The tender was stored with criteria that cannot be ranked")
    def get(self, supplier_id, tender_id):
        """The gap report: what this profile misses for the tender and what would move it up.

        Each gap's advice is a code with parameters, and its text in the language asked for
        (``Accept-Language``: ``nl``, or ``en``, the default)."""
        report = opportunities.gap_report_for(supplier_id, tender_id, current_principal())
        return advice.with_advice_text(report, advice.requested_language())
