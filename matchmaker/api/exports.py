"""Exports in other systems' formats: a stored shortlist as OCDS-shaped JSON."""
from __future__ import annotations

from flask import Response, current_app, json, request
from flask.views import MethodView
from matchmaker.api.parsing import Blueprint

from matchmaker.api.docs import BEARER
from matchmaker.auth import current_principal
from matchmaker.interop.ocds_export import DEFAULT_OCID_PREFIX, shortlist_release_package
from matchmaker.public_urls import public_uri
from matchmaker.services import shortlists

blp = Blueprint("exports", __name__, url_prefix="/api",
                description="Exports: shortlists in the Open Contracting Data Standard (OCDS).")


@blp.route("/shortlists/<int:shortlist_id>/export.ocds.json")
class ShortlistOcds(MethodView):
    @blp.response(200, content_type="application/json",
                  description="An OCDS 1.1 release package: the tender, the buyer and each "
                              "shortlisted supplier as parties with their roles")
    @blp.doc(security=BEARER)
    def get(self, shortlist_id):
        """A stored shortlist as OCDS-shaped JSON (same access as the shortlist)."""
        snapshot = shortlists.get_snapshot(shortlist_id, current_principal())
        package = shortlist_release_package(
            snapshot, uri=public_uri(current_app.config["PUBLIC_BASE_URL"], request.path,
                                     fallback=f"urn:matchmaker:shortlist:{snapshot.id}:ocds"),
            cpv=current_app.extensions["matchmaker"].vocabulary.cpv,
            ocid_prefix=current_app.config.get("OCDS_OCID_PREFIX") or DEFAULT_OCID_PREFIX)
        return Response(json.dumps(package, ensure_ascii=False), mimetype="application/json",
                        headers={"Content-Disposition":
                                 f'attachment; filename="shortlist-{snapshot.id}.ocds.json"'})
