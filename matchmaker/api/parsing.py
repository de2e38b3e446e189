"""The API's blueprint class: flask-smorest's, with a request-body parser that refuses JSON
nested too deeply to decode as a 400 instead of a RecursionError (a 500)."""
from __future__ import annotations

import flask_smorest
from flask_smorest import abort
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request


class BoundedJsonParser(FlaskParser):
    """Python's JSON decoder recurses per nesting level; a body of ``[[[[…`` a few thousand deep
    (well under MAX_CONTENT_LENGTH) exhausts the interpreter's stack."""

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return core.missing
        try:
            return core.parse_json(req.get_data(cache=True))
        except RecursionError:
            abort(400, message="The JSON body is nested too deeply.",
                  messages={"json": ["The JSON body is nested too deeply."]})


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = BoundedJsonParser()
