"""What the blueprints share: the bearer scheme and common headers. (Page bodies: a service
returns a :class:`~matchmaker.services.pagination.Page`, dumped by a ``page_schema``.)"""
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

