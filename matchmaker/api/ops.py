"""Operations endpoints: liveness and readiness."""
from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from matchmaker.api.parsing import Blueprint
from sqlalchemy import text

from matchmaker.errors import problem
from matchmaker.extensions import db
from matchmaker.ratelimit import storage_state
from matchmaker.refresher import refresher_of
from matchmaker.schemas import HealthSchema

blp = Blueprint("ops", __name__, description="Liveness and readiness probes.")


@blp.route("/healthz")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    def get(self):
        """The process is up."""
        return {"status": "ok"}


@blp.route("/readyz")
class Ready(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, description="The database is unreachable, or the supplier index "
                                       "keeps failing to refresh")
    def get(self):
        """The process can reach its database and keeps its supplier index up to date (and
        whether its rate-limit counters are shared)."""
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any failure to reach the database means "not ready"
            db.session.rollback()
            return problem(503, "Service Unavailable", "The database is unreachable.")
        refresher = refresher_of(current_app)
        if refresher is not None and refresher.failing:
            return problem(503, "Service Unavailable",
                           f"The supplier index is frozen: its last {refresher.consecutive_errors} "
                           f"refreshes failed ({refresher.last_error_kind}; see the log).")
        return {"status": "ok", "database": "ok", **_rate_limit_storage(), **_dictionary()}


def _dictionary() -> dict:
    """Without its dictionary files the process matches across languages through the glossary
    only: ``status`` becomes ``degraded`` and ``cross_language`` says ``reduced``."""
    state = current_app.extensions["matchmaker"].dictionary.status
    return {"cross_language": state, **({"status": "degraded"} if state == "reduced" else {})}


def _rate_limit_storage() -> dict:
    """A silent Redis does not make the process unready (the limiter counts in memory), but it
    shows: ``status`` becomes ``degraded`` and ``rate_limits`` says why."""
    state = storage_state(current_app)
    return {"rate_limits": state, **({"status": "degraded"} if state == "degraded" else {})}
