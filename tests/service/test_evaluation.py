"""Evaluation on the database: what feedback counts as relevant, the quality figures against a
hand-worked example, judgment files, the evaluate command, and one active version at a time."""
from __future__ import annotations

import json
import math

import pytest
from sqlalchemy import func, select

from scoring.documents import SupplierDocument
from scoring.explanations import Explanation
from scoring.index import SupplierIndex
from scoring.ranking import RankedSupplier, Shortlist
from scoring.vocabulary import Vocabulary

from matchmaker.auth import Principal
from matchmaker.extensions import db
from matchmaker.models import (
    BuyerOrganisation,
    Feedback,
    FeedbackVerdict,
    Role,
    ShortlistSnapshot,
    Tender,
    WeightProfile,
    WeightProfileStatus,
)
from matchmaker.services import evaluation, weight_profiles
from tests.builders import JUDGMENTS

STAFF = Principal(role=Role.STAFF, token_id=1, label="alice")


# --------------------------------------------------------------------------- builders


def make_tender(title="Kantoorstoelen") -> Tender:
    org = db.session.scalar(select(BuyerOrganisation)) or BuyerOrganisation(name="Gemeente Zaanstad")
    tender = Tender(buyer_organisation=org, title=title, description="", cpv_codes=[])
    db.session.add(tender)
    db.session.flush()
    return tender


def serve(tender: Tender, supplier_ids: list[int]) -> ShortlistSnapshot:
    """A stored shortlist listing ``supplier_ids`` in that order."""
    snapshot = ShortlistSnapshot(
        tender_id=tender.id, buyer_organisation_id=tender.buyer_organisation_id, k=10,
        result={"items": [{"rank": rank, "supplier": {"id": sid}}
                          for rank, sid in enumerate(supplier_ids, start=1)], "near_misses": []})
    db.session.add(snapshot)
    db.session.flush()
    return snapshot


def judge(snapshot: ShortlistSnapshot, supplier_id: int, verdict: str) -> None:
    db.session.add(Feedback(tender_id=snapshot.tender_id, shortlist_id=snapshot.id,
                            supplier_id=supplier_id,
                            verdict=FeedbackVerdict(verdict)))
    db.session.flush()


# --------------------------------------------------------------------------- what counts as relevant


def test_the_latest_relevance_verdict_counts_and_contacted_says_nothing(app):
    with app.app_context():
        tender = make_tender()
        first, second = serve(tender, [1, 2, 3, 4]), serve(tender, [1, 2, 3, 4])
        judge(first, 1, "relevant")
        judge(second, 1, "not_relevant")  # changed their mind, on a later shortlist
        judge(first, 2, "invited")
        judge(second, 2, "contacted")  # a step in the process, not a judgment
        judge(first, 3, "contacted")
        judge(first, 4, "awarded")
        db.session.commit()

        assert evaluation.feedback_judgments() == {tender.id: {1: False, 2: True, 4: True}}



def test_suppliers_skipped_above_a_relevant_one_are_not_relevant_for_learning(app):
    with app.app_context():
        tender = make_tender()
        snapshot = serve(tender, [7, 8, 9, 5, 6])
        judge(snapshot, 5, "relevant")
        judge(snapshot, 8, "contacted")  # seen and acted on: not skipped
        db.session.commit()

        tender_id = tender.id
        labels = evaluation.training_labels()

    assert labels == {tender_id: {5: True, 7: False, 9: False}}  # 6 is below: unknown


# --------------------------------------------------------------------------- the figures


def _shortlist(*items: tuple[str, bool]) -> Shortlist:
    ranked = tuple(RankedSupplier(sid, rank, 1.0 - rank / 10, newcomer, Explanation((), (), ()))
                   for rank, (sid, newcomer) in enumerate(items, start=1))
    return Shortlist(ranked, (), not ranked, None, "test", 1, 0, len(ranked), 0.0, 0.0)


def test_quality_figures_agree_with_a_hand_worked_example():
    documents = [SupplierDocument(id=sid, name=sid, description="stoelen", n_past_contracts=n)
                 for sid, n in (("a", 10), ("b", 1), ("c", 1), ("d", 1))]
    index = SupplierIndex(Vocabulary()).fit(documents)
    lists = {
        "T1": _shortlist(("a", False), ("b", True), ("c", True)),
        "T2": _shortlist(("b", True), ("a", False)),
        "T3": _shortlist(),
        "T4": _shortlist(("a", False)),
    }
    qrels = {"T1": {"c"}, "T2": {"a", "b"}, "T3": {"c"}, "T4": set(), "T9": {"a"}}

    figures = evaluation.quality(lists, qrels, index)

    # Worked by hand. Judged (ranked, with a relevant supplier): T1, T2, T3; T9 was not ranked.
    # T1: relevant c at rank 3 -> RR 1/3, nDCG (1/log2 4) / 1 = 0.5, recall 1.
    # T2: a and b at ranks 1-2 -> RR 1, nDCG 1, recall 1.   T3: nothing ranked -> 0, 0, 0.
    assert (figures["tenders"], figures["judged_tenders"]) == (4, 3)
    assert figures["mrr"] == pytest.approx((1 / 3 + 1 + 0) / 3)
    assert figures["ndcg_at_10"] == pytest.approx((0.5 + 1 + 0) / 3)
    assert figures["recall_at_10"] == pytest.approx(2 / 3)
    # a, b, c of the four suppliers appear in some top 10.
    assert figures["catalogue_coverage_at_10"] == pytest.approx(3 / 4)
    # Newcomer places over the non-empty lists: T1 2 of 3, T2 1 of 2, T4 0 of 1.
    assert figures["newcomer_share_at_10"] == pytest.approx((2 / 3 + 1 / 2 + 0) / 3)
    # Short head: a alone holds 10 of 13 contracts (>= 20 %). Places outside it, per 10:
    # T1 b, c -> 0.2; T2 b -> 0.1; T3 0; T4 0.
    assert figures["long_tail_share_at_10"] == pytest.approx((0.2 + 0.1 + 0 + 0) / 4)


def test_ndcg_with_two_relevant_suppliers_matches_the_formula():
    documents = [SupplierDocument(id=sid, name=sid) for sid in "abc"]
    index = SupplierIndex(Vocabulary()).fit(documents)
    figures = evaluation.quality({"T": _shortlist(("a", False), ("b", False), ("c", False))},
                                 {"T": {"a", "c"}}, index)
    # DCG = 1/log2(2) + 1/log2(4) = 1.5; ideal = 1/log2(2) + 1/log2(3).
    assert figures["ndcg_at_10"] == pytest.approx(1.5 / (1 + 1 / math.log2(3)))


# --------------------------------------------------------------------------- judgment files


def _texts(files=JUDGMENTS) -> dict[str, str]:
    return {name: "\n".join(json.dumps(row) for row in rows) for name, rows in files.items()}


def test_judgment_files_become_documents_queries_and_qrels(app):
    with app.app_context():
        judgments = evaluation.read_judgments(_texts())

    assert [d.id for d in judgments.documents] == ["S1", "S2", "S3"]
    assert judgments.documents[0].past_contracts == ("office chairs", "refurbished office chairs")
    assert judgments.documents[0].n_past_contracts == 2
    assert [q.id for q, _ in judgments.queries] == ["T1", "T2"]  # T3 has no relevant supplier
    assert judgments.qrels == {"T1": {"S2"}, "T2": {"S3"}}


def test_judgment_file_problems_are_reported_by_file_and_line(app):
    texts = _texts()
    texts["suppliers"] += '\n{"name": "no id"}\nnot json'
    texts["qrels"] += '\n{"tender_id": "T7", "supplier_id": "S1"}'
    with app.app_context(), pytest.raises(evaluation.InvalidJudgments) as caught:
        evaluation.read_judgments(texts)

    assert [e["field"] for e in caught.value.errors] == [
        "suppliers.jsonl:4.id", "suppliers.jsonl:5", "qrels.jsonl:3.tender_id"]


def test_the_evaluate_command_prints_a_table_for_a_judgment_folder(app, runner, tmp_path):
    for name, text in _texts().items():
        (tmp_path / f"{name}.jsonl").write_text(text, encoding="utf-8")
    with app.app_context():
        weight_profiles.create({"name": "default", "weights": {}, "reason": "test"}, STAFF)

    result = runner.invoke(args=["evaluate", "--profile", "default:1", "--judgments", str(tmp_path)])

    assert result.exit_code == 0, result.output
    assert "default v1 (draft) against judgments" in result.output
    assert "| MRR | 0.7500 |" in result.output
    assert f"| nDCG@10 | {(1 / math.log2(3) + 1) / 2:.4f} |" in result.output


def test_the_evaluate_command_uses_feedback_by_default_and_refuses_unknown_profiles(app, runner):
    with app.app_context():
        weight_profiles.create({"name": "default", "weights": {}, "reason": "test"}, STAFF)

    feedback = runner.invoke(args=["evaluate", "--profile", "default"])
    unknown = runner.invoke(args=["evaluate", "--profile", "default:9"])
    malformed = runner.invoke(args=["evaluate", "--profile", "default:latest"])

    assert feedback.exit_code == 0 and "against buyers' feedback" in feedback.output
    assert "| tenders ranked | 0 |" in feedback.output
    assert unknown.exit_code == 1 and "No weight profile default version 9" in unknown.output
    assert malformed.exit_code == 2


# --------------------------------------------------------------------------- activation


def test_exactly_one_version_is_active_across_profile_names(app):
    with app.app_context():
        a = weight_profiles.create({"name": "default", "weights": {}, "reason": "a"}, STAFF)
        b = weight_profiles.create({"name": "circular-first", "weights": {
            "components": {"circular_strategy": 0.5}}, "reason": "b"}, STAFF)
        weight_profiles.activate(a.id, "first", STAFF)
        weight_profiles.activate(b.id, "second", STAFF)

        active = db.session.scalars(select(WeightProfile.id).where(
            WeightProfile.status == WeightProfileStatus.ACTIVE)).all()
        archived = db.session.get(WeightProfile, a.id).status
        b_id = b.id

    assert active == [b_id]
    assert archived is WeightProfileStatus.ARCHIVED


def test_a_version_stored_before_the_engine_changed_is_refused_as_invalid_not_a_crash(app):
    with app.app_context():
        profile = WeightProfile(name="old", version=1, weights={"components": {"text": 1}},
                                status=WeightProfileStatus.DRAFT)
        db.session.add(profile)
        db.session.commit()
        with pytest.raises(weight_profiles.InvalidWeights) as caught:
            weight_profiles.activate(profile.id, "try", STAFF)
        db.session.rollback()
        count = db.session.scalar(select(func.count()).select_from(WeightProfile).where(
            WeightProfile.status == WeightProfileStatus.ACTIVE))

    assert caught.value.errors
    assert count == 0


def test_an_active_version_the_engine_no_longer_accepts_can_still_be_replaced(app):
    with app.app_context():
        broken = WeightProfile(name="old", version=1, weights={"components": {"text": 1}},
                               status=WeightProfileStatus.ACTIVE)
        db.session.add(broken)
        db.session.commit()
        fresh = weight_profiles.create({"name": "default", "weights": {}, "reason": "a"}, STAFF)
        weight_profiles.activate(fresh.id, "replace the broken one", STAFF)

        statuses = dict(db.session.execute(select(WeightProfile.name, WeightProfile.status)).all())

    assert statuses == {"old": WeightProfileStatus.ARCHIVED, "default": WeightProfileStatus.ACTIVE}


def test_a_version_the_engine_no_longer_accepts_can_be_fixed_by_a_new_version(app):
    with app.app_context():
        db.session.add(WeightProfile(name="old", version=1, status=WeightProfileStatus.DRAFT,
                                     weights={"components": {"text": 1}}))
        db.session.commit()
        fixed = weight_profiles.create({"name": "old", "reason": "fill in the rest", "weights": {
            "components": {"cpv": 1, "track_record": 0, "certification": 0, "circular_strategy": 0,
                           "region": 0, "size_class": 0, "newcomer": 0, "verified": 0}}}, STAFF)

        assert fixed.version == 2
        assert weight_profiles.engine_weights(fixed).cpv == 1.0


# --------------------------------------------------------------------------- preview


def test_a_preview_reads_the_active_profile_once(app):
    """The active profile is read once per preview, whatever the draft: its index and the
    draft's are the same one when the draft keeps the active text parameters."""
    import sqlalchemy as sa

    with app.app_context():
        live = weight_profiles.create({"name": "default", "weights": {}, "reason": "a"}, STAFF)
        weight_profiles.activate(live.id, "go live", STAFF)
        draft = weight_profiles.create({"name": "default", "weights": {
            "components": {"circular_strategy": 0.5}}, "reason": "b"}, STAFF)
        make_tender("Gerecyclede kantoorstoelen")
        reads = []

        def count(conn, cursor, statement, *args):
            if "WHERE weight_profiles.status" in statement:  # the active one, not one by id
                reads.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            result = evaluation.preview(draft.id, recent=5, tender_ids=[], k=10)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)

    assert result["active"]["id"] == live.id and result["tenders"]
    assert len(reads) == 1, reads
