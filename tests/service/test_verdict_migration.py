"""Migration 0004: verdicts move from their shortlist to its tender; shortlists get their size."""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from matchmaker.extensions import db

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


def _result(*supplier_ids) -> dict:
    return {"items": [{"rank": r, "supplier": {"id": s, "name": f"S{s}"}}
                      for r, s in enumerate(supplier_ids, start=1)], "near_misses": []}


def test_existing_verdicts_move_to_their_shortlists_tender(app):
    meta = sa.MetaData()
    with app.app_context():
        directory = app.extensions["migrate"].directory
        downgrade(directory=directory, revision="0003")
        try:
            tables = {name: sa.Table(name, meta, autoload_with=db.engine)
                      for name in ("buyer_organisations", "tenders", "shortlists", "feedback")}
            assert "tender_id" not in tables["feedback"].c
            with db.engine.begin() as conn:
                conn.execute(tables["buyer_organisations"].insert(),
                             [{"id": 1, "name": "Waternet", "created_at": NOW}])
                conn.execute(tables["tenders"].insert(), [
                    {"id": t, "buyer_organisation_id": 1, "title": f"T{t}", "description": "",
                     "cpv_codes": [], "status": "published", "source": "self", "created_at": NOW,
                     "updated_at": NOW, "version": 1} for t in (10, 20)])
                conn.execute(tables["shortlists"].insert(), [
                    {"id": 1, "tender_id": 10, "buyer_organisation_id": 1, "index_version": 0,
                     "k": 10, "result": _result(5, 6, 7), "created_at": NOW},
                    {"id": 2, "tender_id": 20, "buyer_organisation_id": 1, "index_version": 0,
                     "k": 10, "result": _result(5), "created_at": NOW},
                    {"id": 3, "tender_id": None, "buyer_organisation_id": 1, "index_version": 0,
                     "k": 10, "result": _result(), "created_at": NOW}])
                conn.execute(tables["feedback"].insert(), [
                    {"id": 1, "shortlist_id": 1, "supplier_id": 5, "verdict": "relevant", "created_at": NOW},
                    {"id": 2, "shortlist_id": 1, "supplier_id": 6, "verdict": "awarded", "created_at": NOW},
                    {"id": 3, "shortlist_id": 2, "supplier_id": 5, "verdict": "not_relevant", "created_at": NOW},
                    {"id": 4, "shortlist_id": 3, "supplier_id": 9, "verdict": "relevant", "created_at": NOW}])
        finally:
            upgrade(directory=directory)
        with db.engine.connect() as conn:
            moved = conn.execute(sa.text(
                "SELECT id, tender_id, shortlist_id, supplier_id, verdict FROM feedback ORDER BY id")).all()
            sizes = conn.execute(sa.text("SELECT id, item_count FROM shortlists ORDER BY id")).all()
    assert [tuple(row) for row in moved] == [(1, 10, 1, 5, "relevant"), (2, 10, 1, 6, "awarded"),
                                             (3, 20, 2, 5, "not_relevant")]
    assert [tuple(row) for row in sizes] == [(1, 3), (2, 1), (3, 0)]


def test_evaluation_reads_the_moved_verdicts_by_tender(app):
    from matchmaker.services import evaluation

    test_existing_verdicts_move_to_their_shortlists_tender(app)
    with app.app_context():
        assert evaluation.feedback_judgments() == {10: {5: True, 6: True}, 20: {5: False}}
