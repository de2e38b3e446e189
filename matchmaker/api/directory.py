"""The directory, open to anyone: search with facets, name/KvK lookup, autocomplete.

Two blueprints: search and lookup sit beside the profiles under ``/api/suppliers`` (profile ids
are ``<int:>``, so ``search`` and ``lookup`` cannot clash with them); autocomplete lives under
``/api/directory``.
"""
from __future__ import annotations

from flask.views import MethodView
from matchmaker.api.parsing import Blueprint

from matchmaker.schemas import (
    AutocompleteArgsSchema,
    CompletionSchema,
    LookupArgsSchema,
    LookupResultSchema,
    SearchArgsSchema,
    SearchResultSchema,
)
from matchmaker.services import directory as service

search_blp = Blueprint("supplier_search", __name__, url_prefix="/api/suppliers",
                       description="Search the supplier directory; look a supplier up by name or KvK.")
blp = Blueprint("directory", __name__, url_prefix="/api/directory",
                description="Autocomplete for CPV codes, certifications and supplier names.")


@search_blp.route("/search")
class SupplierSearch(MethodView):
    @search_blp.arguments(SearchArgsSchema, location="query")
    @search_blp.response(200, SearchResultSchema)
    def get(self, args):
        """Free text (Dutch or English, typos forgiven) and filters, with facets and snippets."""
        return service.search(args)


@search_blp.route("/lookup")
class SupplierLookup(MethodView):
    @search_blp.arguments(LookupArgsSchema, location="query")
    @search_blp.response(200, LookupResultSchema)
    def get(self, args):
        """A supplier by a name as remembered (``werk circulair``) or an exact KvK number."""
        return service.lookup(args)


@blp.route("/autocomplete/cpv")
class CpvAutocomplete(MethodView):
    @blp.arguments(AutocompleteArgsSchema, location="query")
    @blp.response(200, CompletionSchema(many=True))
    def get(self, args):
        """CPV codes by code prefix or by words of the Dutch or English label."""
        return service.complete_cpv(args["q"], args["limit"])


@blp.route("/autocomplete/certifications")
class CertificationAutocomplete(MethodView):
    @blp.arguments(AutocompleteArgsSchema, location="query")
    @blp.response(200, CompletionSchema(many=True))
    def get(self, args):
        """Certifications by name, key or alias; the value is the key the search filter takes."""
        return service.complete_certifications(args["q"], args["limit"])


@blp.route("/autocomplete/suppliers")
class SupplierAutocomplete(MethodView):
    @blp.arguments(AutocompleteArgsSchema, location="query")
    @blp.response(200, CompletionSchema(many=True))
    def get(self, args):
        """Supplier names by the first letters of their words, in any order."""
        return service.complete_suppliers(args["q"], args["limit"])
