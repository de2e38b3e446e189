"""What the blueprints share: the bearer scheme, common headers, the pagination envelope."""
from __future__ import annotations

BEARER: list[dict[str, list[str]]] = [{"bearerAuth": []}]

IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "schema": {"type": "string"},
    "description": "The ETag from your last read of this resource.",
}


def register_security_scheme(api) -> None:
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer",
                       "description": "A token issued at registration or by staff."})


def page_of(items, total: int, args: dict) -> dict:
    """The body of a paginated list: the items with page, per_page, total and pages."""
    per_page = args["per_page"]
    return {"items": items, "page": args["page"], "per_page": per_page, "total": total,
            "pages": (total + per_page - 1) // per_page}
