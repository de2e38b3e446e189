"""Buyer endpoints: tenders, their shortlists, ad-hoc matching and feedback."""
from __future__ import annotations

from flask import Response, request, url_for
from flask.views import MethodView
from matchmaker.api.parsing import Blueprint

from matchmaker.api.docs import BEARER, IF_MATCH
from matchmaker.auth import current_principal
from matchmaker.notices import spoken
from matchmaker.schemas import (
    FeedbackInputSchema,
    FeedbackSchema,
    MatchInputSchema,
    ShortlistArgsSchema,
    ShortlistSchema,
    TenderInputSchema,
    TenderListArgsSchema,
    TenderPageSchema,
    TenderPatchSchema,
    TenderSchema,
)
from matchmaker.interop.spreadsheet import XLSX_MEDIA_TYPE
from matchmaker.schemas.shortlists import shortlist_response
from matchmaker.services import shortlist_exports, shortlists
from matchmaker.services import tenders as service

blp = Blueprint("buyers", __name__, url_prefix="/api",
                description="Buyers: tenders with must/should criteria, shortlists, feedback.")


@blp.route("/tenders")
class TenderCollection(MethodView):
    @blp.arguments(TenderListArgsSchema, location="query")
    @blp.response(200, TenderPageSchema)
    @blp.doc(security=BEARER)
    def get(self, args):
        """The caller's organisation's tenders, newest first (staff: all tenders)."""
        return service.list_page(current_principal(), args["page"], args["per_page"],
                                 args.get("status"))

    @blp.arguments(TenderInputSchema)
    @blp.response(201, TenderSchema)
    @blp.doc(security=BEARER)
    def post(self, data):
        """Create a tender (a draft unless status says published)."""
        tender = service.create(data, current_principal())
        return tender, 201, {"ETag": service.tender_etag(tender),
                             "Location": url_for("buyers.TenderItem", tender_id=tender.id)}


@blp.route("/tenders/<int:tender_id>")
class TenderItem(MethodView):
    @blp.response(200, TenderSchema)
    @blp.doc(security=BEARER)
    def get(self, tender_id):
        """A tender: its own organisation and staff see drafts; others only published ones."""
        tender = service.get_readable(tender_id, current_principal())
        return tender, 200, {"ETag": service.tender_etag(tender)}

    @blp.arguments(TenderPatchSchema(partial=True))
    @blp.response(200, TenderSchema)
    @blp.doc(security=BEARER, parameters=[IF_MATCH])
    @blp.alt_response(412, description="Stale If-Match: nothing changed")
    def patch(self, changes, tender_id):
        """Edit a tender, publish it (status: published) or close it."""
        tender = service.update(tender_id, changes, current_principal(),
                                request.headers.get("If-Match"))
        return tender, 200, {"ETag": service.tender_etag(tender)}

    @blp.response(204)
    @blp.doc(security=BEARER, parameters=[IF_MATCH])
    def delete(self, tender_id):
        """Delete a tender with its shortlists and feedback."""
        service.delete(tender_id, current_principal(), request.headers.get("If-Match"))


@blp.route("/tenders/<int:tender_id>/shortlist")
class TenderShortlist(MethodView):
    @blp.arguments(ShortlistArgsSchema, location="query")
    @blp.response(200, ShortlistSchema)
    @blp.doc(security=BEARER)
    @blp.alt_response(409, description="The tender was stored with criteria that cannot be ranked")
    @blp.alt_response(507, description="The organisation's stored shortlists are all kept for "
                                       "their feedback and at SHORTLISTS_MAX_PER_ORGANISATION")
    def get(self, args, tender_id):
        """Rank suppliers for the tender with the active weight profile, explained.

        Every shortlist served is stored; its id shows it again exactly as it was. Asked again
        when nothing changed (the same shortlist, weight profile and caller as the tender's
        latest stored one), the answer is that stored shortlist, with its id and time.
        """
        return shortlist_response(spoken(shortlists.serve_for_tender(
            tender_id, current_principal(), args["k"]).shortlist))


@blp.route("/match")
class Match(MethodView):
    @blp.arguments(MatchInputSchema)
    @blp.response(200, ShortlistSchema)
    @blp.doc(security=BEARER)
    def post(self, data):
        """Explore the market: a shortlist for an ad-hoc description; nothing is stored."""
        return shortlist_response(spoken(shortlists.match(data, current_principal())))


@blp.route("/shortlists/<int:shortlist_id>")
class StoredShortlist(MethodView):
    @blp.response(200, ShortlistSchema)
    @blp.doc(security=BEARER)
    def get(self, shortlist_id):
        """A stored shortlist, exactly as it was served (also its JSON export)."""
        return shortlist_response(spoken(shortlists.view(shortlists.get_snapshot(
            shortlist_id, current_principal()))))




@blp.route("/shortlists/<int:shortlist_id>/export.csv")
class ShortlistCsv(MethodView):
    @blp.response(200, content_type="text/csv",
                  description="One row per shortlisted supplier: rank, supplier_id, "
                              "supplier_name, municipality, score, newcomer, components, "
                              "criteria, matched_terms, then verdict, verdict_note, verdict_at "
                              "(ISO 8601, Europe/Amsterdam), contact_email, website, kvk_number. "
                              "Comma-separated with decimal points, for programs; people take "
                              "export.xlsx (or the shortlist page's CSV for Dutch Excel)")
    @blp.doc(security=BEARER)
    def get(self, shortlist_id):
        """A stored shortlist as CSV for programs, with the verdicts and contact details."""
        principal = current_principal()
        snapshot = shortlists.get_snapshot(shortlist_id, principal)
        return Response(shortlist_exports.data_csv(snapshot, principal), mimetype="text/csv",
                        headers={"Content-Disposition":
                                 f'attachment; filename="shortlist-{snapshot.id}.csv"'})


@blp.route("/shortlists/<int:shortlist_id>/export.xlsx")
class ShortlistXlsx(MethodView):
    @blp.response(200, content_type=XLSX_MEDIA_TYPE,
                  description="An Excel workbook: one row per shortlisted supplier with its "
                              "score, the buyer's verdict and the contact details, headed in "
                              "the language asked for; a second sheet about the shortlist")
    @blp.doc(security=BEARER)
    def get(self, shortlist_id):
        """A stored shortlist as an Excel workbook (XLSX)."""
        principal = current_principal()
        snapshot = shortlists.get_snapshot(shortlist_id, principal)
        return Response(shortlist_exports.xlsx(snapshot, principal), mimetype=XLSX_MEDIA_TYPE, headers={
            "Content-Disposition": f'attachment; filename="shortlist-{snapshot.id}.xlsx"'})


@blp.route("/shortlists/<int:shortlist_id>/feedback")
class ShortlistFeedback(MethodView):
    @blp.response(200, FeedbackSchema(many=True))
    @blp.doc(security=BEARER)
    def get(self, shortlist_id):
        """The feedback given on a shortlist."""
        return shortlists.list_feedback(shortlist_id, current_principal())

    @blp.arguments(FeedbackInputSchema)
    @blp.response(201, FeedbackSchema)
    @blp.doc(security=BEARER)
    def post(self, data, shortlist_id):
        """Mark a shortlisted supplier relevant, not relevant, contacted, invited or awarded."""
        return shortlists.add_feedback(shortlist_id, data, current_principal())
