"""One error shape for the whole API: RFC 9457 problem details (application/problem+json).

Every error response — validation, authentication, a stale ETag, a body too large, or an
unexpected failure — goes through :func:`problem`. Validation errors carry a flat per-field list
so a client can show each message beside its field.

Messages are for the client's developer: English, unless the request asks for Dutch
(``Accept-Language: nl``), which translates them as far as the catalogues know them (service
refusals mostly exist in English only). ``title`` is the HTTP reason phrase and stays English.
"""
from __future__ import annotations

import logging
from typing import Any, NoReturn

import marshmallow as ma
from flask import Response, json, request
from flask_smorest import Api
from flask_smorest import abort as _smorest_abort
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"


class ProblemFieldSchema(ma.Schema):
    field = ma.fields.String(metadata={"description": "Dotted path of the offending field"})
    message = ma.fields.String()


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details, as every error of this API is returned."""

    type = ma.fields.String(metadata={"description": "A URI naming the kind of problem"})
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    instance = ma.fields.String()
    errors = ma.fields.List(ma.fields.Nested(ProblemFieldSchema))


def flatten_messages(messages, prefix: str = "") -> list[dict]:
    """Turn marshmallow's nested error messages into ``[{"field", "message"}]``."""
    out: list[dict] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            # webargs nests body errors under the location ("json"); the field path is enough.
            if not prefix and key in {"json", "query", "querystring", "headers", "form", "view_args"}:
                out.extend(flatten_messages(value, ""))
                continue
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "_schema":
                name = prefix or "_schema"
            out.extend(flatten_messages(value, name))
    elif isinstance(messages, (list, tuple)):
        for item in messages:
            if isinstance(item, (dict, list)):
                out.extend(flatten_messages(item, prefix))
            else:
                out.append({"field": prefix or "_schema", "message": str(item)})
    else:
        out.append({"field": prefix or "_schema", "message": str(messages)})
    return out


def abort(status: int, **kwargs: Any) -> NoReturn:
    """flask-smorest's ``abort`` (problem+json through :class:`ProblemApi`), typed as what it
    is: it always raises (flask-smorest ships no types, so a type checker cannot know)."""
    _smorest_abort(status, **kwargs)
    raise AssertionError("flask_smorest.abort returned")


def problem(status: int, title: str, detail: str | None = None, *,
            errors: list[dict] | None = None, headers: dict | None = None,
            type_: str = "about:blank") -> Response:
    language = _language()
    body: dict = {"type": type_, "title": title, "status": status}
    if detail:
        body["detail"] = _in(language, detail)
    body["instance"] = request.path if request else None
    if errors:
        body["errors"] = [{**e, "message": _in(language, e["message"])} if "message" in e else e
                          for e in errors]
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MEDIA_TYPE)
    response.headers["Content-Language"] = language
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _language() -> str:
    from matchmaker.pages.i18n import asked_language

    return asked_language() or "en"


def _in(language: str, message: str) -> str:
    """``message`` in ``language``: the messages are written in English, so English keeps them
    exactly as they are."""
    if language == "en" or not isinstance(message, str):
        return message
    from matchmaker.pages.messages import translate

    return translate(message)


class ProblemApi(Api):
    """flask-smorest's Api, answering every error as problem+json."""

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_RESPONSE_CONTENT_TYPE: str  # flask-smorest's (untyped) class attribute

    def _register_responses(self):
        # The document must say what the wire carries: errors are application/problem+json,
        # not flask-smorest's default application/json (found by the schemathesis fuzzing).
        default_content_type = self.DEFAULT_RESPONSE_CONTENT_TYPE
        self.DEFAULT_RESPONSE_CONTENT_TYPE = PROBLEM_MEDIA_TYPE
        try:
            super()._register_responses()
        finally:
            self.DEFAULT_RESPONSE_CONTENT_TYPE = default_content_type

    def handle_http_exception(self, error: HTTPException):
        data = getattr(error, "data", None) or {}
        errors = data.get("errors")
        if errors is None and "messages" in data:
            errors = flatten_messages(data["messages"])
        elif isinstance(errors, dict):
            errors = flatten_messages(errors)
        detail = data.get("message") or error.description
        if error.code == 422 and errors:
            detail = data.get("message") or "The request has invalid fields; see errors."
        headers = dict(data.get("headers") or {})
        allowed = getattr(error, "valid_methods", None)  # a MethodNotAllowed's
        if error.code == 405 and allowed:
            headers["Allow"] = ", ".join(allowed)
        return problem(error.code or 500, error.name, detail, errors=errors, headers=headers)


def handle_unexpected(error: Exception):
    """Never show a stack trace: log it, answer 500 as a problem."""
    if isinstance(error, HTTPException):
        return error
    log.exception("unhandled error on %s %s", request.method, request.path)
    return problem(500, "Internal Server Error",
                   "An unexpected error occurred; it has been logged.")


class ServiceError(Exception):
    """A refusal from a service function, rendered as problem+json by the API."""

    status = 400
    title = "Bad Request"

    def __init__(self, detail: str, *, errors: list[dict] | None = None,
                 headers: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers


class Unauthorized(ServiceError):
    status, title = 401, "Unauthorized"

    def __init__(self, detail: str, **kwargs):
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, **kwargs)


class NotFound(ServiceError):
    status, title = 404, "Not Found"


class Forbidden(ServiceError):
    status, title = 403, "Forbidden"


class Conflict(ServiceError):
    status, title = 409, "Conflict"


class Unprocessable(ServiceError):
    status, title = 422, "Unprocessable Entity"


class PreconditionFailed(ServiceError):
    status, title = 412, "Precondition Failed"


class PreconditionRequired(ServiceError):
    status, title = 428, "Precondition Required"


class InsufficientStorage(ServiceError):
    """A quota is full and nothing in it may be dropped (e.g. stored shortlists with feedback)."""

    status, title = 507, "Insufficient Storage"


def handle_service_error(error: ServiceError):
    return problem(error.status, error.title, error.detail, errors=error.errors,
                   headers=error.headers)
