"""Measured ranking quality: preview a profile, evaluate it offline, suggest weights from feedback.

Every number comes from ranking tenders exactly as buyers' shortlists are ranked
(:func:`matchmaker.services.shortlists.rank_shortlist`), then scoring the lists with
:mod:`scoring.metrics`:

- **nDCG@10, MRR, Recall@10** against what is known to be relevant: for stored feedback, the
  suppliers whose latest verdict on that tender is *relevant*, *invited* or *awarded*
  (*not_relevant* makes a supplier not relevant again; *contacted* says nothing either way and
  is skipped); for a judgment file, its qrels. Averaged over the tenders with at least one
  relevant supplier. MRR looks at the top 10 (MRR@10).
- **newcomer share@10**: the share of each tender's top 10 held by newcomers (the profile's
  definition), averaged over tenders with a non-empty list.
- **catalogue coverage@10**: the share of all indexed suppliers that appear in any top 10.
- **long-tail share@10**: the share of top-10 places taken by suppliers outside the short head
  (the most-awarded suppliers holding 20 % of all earlier contracts), as in the benchmark.

Coverage, newcomer and long-tail shares are over every tender ranked; relevance metrics over
the judged ones.
"""
from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select

from scoring import (
    NotEnoughJudgmentsError,
    ScoringError,
    Shortlist,
    SupplierDocument,
    SupplierIndex,
    TenderQuery,
    WeightLearner,
    Weights,
    WeightsError,
    catalogue_coverage,
    component_values,
    long_tail_share,
    mean_reciprocal_rank,
    ndcg_at_k,
    recall_at_k,
    short_head,
    training_set,
)

from matchmaker import seam
from matchmaker.auth import Principal
from matchmaker.errors import Conflict, NotFound, Unprocessable
from matchmaker.extensions import db
from matchmaker.interop.reading import DEFAULT_MAX_DEPTH, ImportFileError, check_depth, iter_lines
from matchmaker.models import (
    Feedback,
    FeedbackVerdict,
    ShortlistSnapshot,
    Tender,
    WeightProfile,
)
from matchmaker.services import weight_profiles
from matchmaker.services.shortlists import engine_in_use, rank_shortlist, supplier_index
from matchmaker.services.weights import active_profile

log = logging.getLogger(__name__)

# The cut-off of every quality figure: the shortlist a buyer sees by default.
METRIC_K = 10
RELEVANT_VERDICTS = frozenset({FeedbackVerdict.RELEVANT, FeedbackVerdict.INVITED,
                               FeedbackVerdict.AWARDED})
# Says nothing about relevance: a buyer contacts suppliers to find out.
NEUTRAL_VERDICTS = frozenset({FeedbackVerdict.CONTACTED})
JUDGMENT_FILES = ("tenders", "suppliers", "qrels")
# A judgment file with more problems than this is not worth listing line by line.
MAX_REPORTED_PROBLEMS = 20
# Most rows a judgment file may have (the app config's JUDGMENTS_MAX_ROWS overrides it): about
# three times the shared benchmark's largest files (6,333 suppliers, 355 tenders, 522 qrels).
# Ranking costs tenders x suppliers, so these bound an evaluation's time and memory.
JUDGMENTS_MAX_ROWS = {"suppliers": 20_000, "tenders": 500, "qrels": 20_000}
# Most bytes one judgment file may unpack to when it is gzipped (an upload's own size is
# limited by JUDGMENTS_MAX_CONTENT_LENGTH before it is read).
JUDGMENT_FILE_MAX_BYTES = 64_000_000


class NotEnoughFeedback(Conflict):
    """Suggesting weights needs more feedback than there is."""


class InvalidJudgments(Unprocessable):
    """A judgment file that cannot be read; ``errors`` name the file and line."""


# --------------------------------------------------------------------------- feedback


def feedback_judgments() -> dict[int, dict[int, bool]]:
    """Tender id -> supplier id -> relevant, from each pair's latest relevance verdict."""
    rows = db.session.execute(
        select(Feedback.tender_id, Feedback.supplier_id, Feedback.verdict)
        .order_by(Feedback.created_at, Feedback.id)).all()
    judged: dict[int, dict[int, bool]] = {}
    for tender_id, supplier_id, verdict in rows:
        if verdict not in NEUTRAL_VERDICTS:
            judged.setdefault(tender_id, {})[supplier_id] = verdict in RELEVANT_VERDICTS
    return judged


def training_labels() -> dict[int, dict[int, bool]]:
    """The judgments to learn from: the explicit ones, plus *skipped* suppliers as not relevant.

    A supplier a buyer was shown above one they judged relevant, and gave no feedback at all,
    counts as not relevant for that tender (Joachims' "skip above" rule): most feedback is a
    positive verdict, and without these pairs it would teach nothing.
    """
    labels = feedback_judgments()
    touched: dict[int, set[int]] = {}
    for tender_id, supplier_id in db.session.execute(
            select(Feedback.tender_id, Feedback.supplier_id)):
        touched.setdefault(tender_id, set()).add(supplier_id)
    snapshots = db.session.execute(
        select(ShortlistSnapshot.tender_id, ShortlistSnapshot.result)
        .where(ShortlistSnapshot.tender_id.in_(list(labels) or [-1]))).all()
    for tender_id, result in snapshots:
        listed = [item["supplier"]["id"] for item in sorted(result["items"], key=lambda i: i["rank"])]
        relevant_at = [i for i, sid in enumerate(listed) if labels[tender_id].get(sid) is True]
        for supplier_id in listed[:max(relevant_at, default=0)]:
            if supplier_id not in touched.get(tender_id, ()):
                labels[tender_id].setdefault(supplier_id, False)
    return labels


def _each_rankable(tenders: Iterable, work: Callable, purpose: str) -> Iterator[tuple]:
    """``(tender, work(tender))`` for every tender (or judgment query) the engine can rank; one
    it refuses (e.g. stored before tenders were checked at the door) is logged and left out,
    never fatal."""
    for tender in tenders:
        try:
            yield tender, work(tender)
        except ScoringError as error:
            log.warning("%s: tender %s left out, it cannot be ranked: %s",
                        purpose, tender.id, error)


# --------------------------------------------------------------------------- metrics


def quality(shortlists: Mapping[str, Shortlist], qrels: Mapping[str, set[str]],
            index: SupplierIndex) -> dict:
    """The quality figures of ranked shortlists (top ``METRIC_K``) against ``qrels``."""
    run = {tender: [item.supplier_id for item in shortlist.items[:METRIC_K]]
           for tender, shortlist in shortlists.items()}
    qrels = {tender: set(relevant) for tender, relevant in qrels.items() if tender in run}
    ids, counts = index.past_contract_counts()
    head = short_head(dict(zip(ids.tolist(), counts.tolist())))
    shares = [sum(1 for item in shortlist.items[:METRIC_K] if item.newcomer)
              / len(shortlist.items[:METRIC_K])
              for shortlist in shortlists.values() if shortlist.items]
    return {
        "tenders": len(run),
        "judged_tenders": sum(1 for relevant in qrels.values() if relevant),
        "ndcg_at_10": ndcg_at_k(run, qrels, METRIC_K),
        "mrr": mean_reciprocal_rank(run, qrels),
        "recall_at_10": recall_at_k(run, qrels, METRIC_K),
        "newcomer_share_at_10": sum(shares) / len(shares) if shares else 0.0,
        "catalogue_coverage_at_10": catalogue_coverage(run, len(index), METRIC_K),
        "long_tail_share_at_10": long_tail_share(run, head, METRIC_K),
    }


def profile_ref(profile: WeightProfile | None, weights: Weights) -> dict:
    """Which profile a figure is for; the shipped defaults when no version is stored."""
    if profile is None:
        return {"id": None, "name": weights.name, "version": weights.version, "status": "shipped"}
    return {"id": profile.id, "name": profile.name, "version": profile.version,
            "status": profile.status.value}


def _feedback_qrels(tender_ids: Iterable[int], index: SupplierIndex) -> dict[str, set[str]]:
    # A relevant supplier that has since left the index can be found by no profile: leave it out.
    judged = feedback_judgments()
    return {str(tender_id): {seam.supplier_key(sid) for sid, relevant in judged[tender_id].items()
                             if relevant and seam.supplier_key(sid) in index}
            for tender_id in tender_ids if tender_id in judged}


def evaluate_on_feedback(weights: Weights, *, today: date | None = None) -> dict:
    """Rank every tender with feedback using ``weights``; the quality figures against it."""
    today = today or date.today()
    tender_ids = sorted(feedback_judgments())
    tenders = db.session.scalars(select(Tender).where(Tender.id.in_(tender_ids or [-1]))
                                 .order_by(Tender.id)).all()
    with engine_in_use():
        index = supplier_index(weights)
        lists = {str(t.id): ranked for t, ranked in _each_rankable(
            tenders, lambda t: rank_shortlist(seam.tender_query(t), weights, k=METRIC_K,
                                              today=today, index=index), "evaluation")}
        return quality(lists, _feedback_qrels([int(t) for t in lists], index), index)


def evaluate_profile(profile_id: int) -> dict:
    """A stored version's quality against the buyers' feedback."""
    profile = weight_profiles.get(profile_id)
    weights = weight_profiles.engine_weights(profile)
    today = date.today()
    return {"profile": profile_ref(profile, weights), "source": "feedback",
            "computed_for": today, "metrics": evaluate_on_feedback(weights, today=today)}


# --------------------------------------------------------------------------- preview


def _preview_tenders(recent: int, tender_ids: list[int]) -> list[Tender]:
    chosen = {t.id: t for t in db.session.scalars(select(Tender).where(Tender.id.in_(tender_ids or [-1])))}
    missing = [tid for tid in tender_ids if tid not in chosen]
    if missing:
        raise NotFound("No such tender.", errors=[
            {"field": f"tender_ids.{tender_ids.index(tid)}", "message": f"No tender {tid}."}
            for tid in missing])
    latest = db.session.scalars(select(Tender).order_by(Tender.created_at.desc(), Tender.id.desc())
                                .limit(recent)).all() if recent else []
    ordered = {tid: chosen[tid] for tid in tender_ids}
    for tender in latest:
        ordered.setdefault(tender.id, tender)
    return list(ordered.values())


def _movements(active: Shortlist, candidate: Shortlist, names: Mapping[int, str]) -> dict:
    """Who enters, leaves and moves within the top k, best first in the previewed ranking."""
    before = {item.supplier_id: item.rank for item in active.items}
    after = {item.supplier_id: item.rank for item in candidate.items}
    rows = []
    for key in sorted(set(before) | set(after),
                      key=lambda k: (after.get(k, len(after) + before.get(k, 0)), k)):
        old, new = before.get(key), after.get(key)
        if old is None:
            movement, change = "entered", None
        elif new is None:
            movement, change = "left", None
        else:
            change = old - new
            movement = "up" if change > 0 else "down" if change < 0 else "unchanged"
        sid = seam.supplier_id_of(key)
        rows.append({"supplier": {"id": sid, "name": names.get(sid)}, "active_rank": old,
                     "profile_rank": new, "change": change, "movement": movement})
    counts = Counter(row["movement"] for row in rows)
    return {"entered": counts["entered"], "left": counts["left"],
            "moved": counts["up"] + counts["down"], "suppliers": rows}


def preview(profile_id: int, *, recent: int, tender_ids: list[int], k: int) -> dict:
    """Re-rank recent (and chosen) tenders with a version and with the active profile.

    Both rankings use the same suppliers and the same date. Per tender: who enters, leaves and
    moves in the top ``k``; overall: the quality figures of both side by side.
    """
    profile = weight_profiles.get(profile_id)
    candidate = weight_profiles.engine_weights(profile)
    # Read once: the engine's index is lent for the active profile's text parameters, and the
    # version ranks on that same index unless its own text parameters differ.
    active_row, active = active_profile()
    today = date.today()
    tenders = _preview_tenders(recent, tender_ids)
    with current_app.extensions["matchmaker"].index.reading(dict(active.text_params)) as index:
        candidate_index = (index if dict(candidate.text_params) == dict(active.text_params)
                           else supplier_index(candidate))
        return _preview(profile, candidate, active_row, active, tenders, k=k, today=today,
                        indexes=(index, candidate_index))


def _preview(profile, candidate, active_row, active, tenders, *, k, today, indexes) -> dict:
    active_index, candidate_index = indexes
    lists: dict[str, dict[str, dict[int, Shortlist]]] = {"active": {}, "profile": {}}

    def both_sides(tender: Tender) -> dict[str, dict[int, Shortlist]]:
        query = seam.tender_query(tender)
        return {side: {length: rank_shortlist(query, weights, k=length, today=today, index=index)
                       for length in {k, METRIC_K}}
                for side, weights, index in (("active", active, active_index),
                                             ("profile", candidate, candidate_index))}

    ranked_tenders = []
    for tender, sides in _each_rankable(tenders, both_sides, "preview"):
        ranked_tenders.append(tender)
        for side, ranked in sides.items():
            lists[side][str(tender.id)] = ranked
    tenders = ranked_tenders
    keys = {item.supplier_id for side in lists.values() for ranked in side.values()
            for item in ranked[k].items}
    # Named as the index that ranked them holds them (both indexes hold the same suppliers).
    names = {seam.supplier_id_of(key): active_index.document(key).name for key in keys}
    qrels = _feedback_qrels([t.id for t in tenders], active_index)
    per_tender = [
        {"tender": {"id": t.id, "title": t.title, "status": t.status.value},
         "relevant": len(qrels.get(str(t.id), ())),
         **_movements(lists["active"][str(t.id)][k], lists["profile"][str(t.id)][k], names)}
        for t in tenders]
    metrics = {side: quality({tid: ranked[METRIC_K] for tid, ranked in side_lists.items()}, qrels,
                             active_index if side == "active" else candidate_index)
               for side, side_lists in lists.items()}
    return {"profile": profile_ref(profile, candidate), "active": profile_ref(active_row, active),
            "k": k, "computed_for": today,
            "supplier_change": current_app.extensions["matchmaker"].index.applied_change,
            "metrics": metrics, "tenders": per_tender}


# --------------------------------------------------------------------------- judgment files


@dataclass(frozen=True)
class JudgmentSet:
    """An imported benchmark: suppliers, tenders and who is relevant to which tender."""

    documents: tuple[SupplierDocument, ...]
    queries: tuple[tuple[TenderQuery, date | None], ...]
    qrels: dict[str, set[str]]


def _numbered_lines(source: str | BinaryIO) -> Iterator[tuple[int, str]]:
    if isinstance(source, str):
        return enumerate(source.splitlines(), start=1)
    # Streamed: an upload's file is read line by line, never held whole as text.
    return iter_lines(source, max_bytes=JUDGMENT_FILE_MAX_BYTES,
                      limit_name="the judgment file limit")


def _lines(name: str, source: str | BinaryIO, problems: list[dict]) -> Iterator[tuple[str, dict]]:
    """Each line's object with where it is; unreadable lines become problems, in line order.
    A file past its row limit (``JUDGMENTS_MAX_ROWS``) or unreadable as UTF-8 stops there."""
    max_rows = {**JUDGMENTS_MAX_ROWS, **current_app.config.get("JUDGMENTS_MAX_ROWS", {})}[name]
    rows = 0
    try:
        for number, line in _numbered_lines(source):
            if not line.strip():
                continue
            where = f"{name}.jsonl:{number}"
            rows += 1
            if rows > max_rows:
                problems.append({"field": where, "message": f"More than {max_rows:,} rows, the "
                                 f"most a {name} file may have (JUDGMENTS_MAX_ROWS)."})
                return
            try:
                check_depth(line, DEFAULT_MAX_DEPTH, number)
                row = json.loads(line)
            except ImportFileError as error:
                problems.append({"field": where, "message": f"{error.message}."})
                continue
            except ValueError as error:
                problems.append({"field": where, "message": f"Not JSON: {error}."})
                continue
            if not isinstance(row, dict):
                problems.append({"field": where, "message": "Each line is one JSON object."})
                continue
            yield where, row
    except ImportFileError as error:
        problems.append({"field": f"{name}.jsonl:{error.line}", "message": f"{error.message}."})


def _id(where: str, row: dict, name: str, problems: list[dict]) -> str | None:
    value = row.get(name)
    if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
        return str(value)
    problems.append({"field": f"{where}.{name}", "message": "A non-empty id is required."})
    return None


def _tender_date(where: str, row: dict, problems: list[dict]) -> date | None:
    if row.get("date") in (None, ""):
        return None
    try:
        return date.fromisoformat(str(row["date"]))
    except ValueError:
        problems.append({"field": f"{where}.date", "message": "A date is YYYY-MM-DD."})
        return None


def read_judgments(files: Mapping[str, str | BinaryIO]) -> JudgmentSet:
    """Parse a judgment set in the shared benchmark's format (``tenders.jsonl``,
    ``suppliers.jsonl``, ``qrels.jsonl``: one JSON object per line), given the three texts or
    binary streams (read line by line, UTF-8; at most ``JUDGMENTS_MAX_ROWS`` rows each).

    Raises
    ------
    InvalidJudgments
        Listing the problems by file and line (at most ``MAX_REPORTED_PROBLEMS``).
    """
    problems: list[dict] = []
    documents: dict[str, SupplierDocument] = {}
    for where, row in _lines("suppliers", files["suppliers"], problems):
        supplier_id = _id(where, row, "id", problems)
        if supplier_id in documents:
            problems.append({"field": f"{where}.id", "message": f"Supplier {supplier_id} again."})
        elif supplier_id is not None:
            documents[supplier_id] = seam.judgment_document(row, supplier_id)
    queries: dict[str, tuple[TenderQuery, date | None]] = {}
    for where, row in _lines("tenders", files["tenders"], problems):
        tender_id = _id(where, row, "id", problems)
        if tender_id in queries:
            problems.append({"field": f"{where}.id", "message": f"Tender {tender_id} again."})
        elif tender_id is not None:
            queries[tender_id] = (seam.judgment_query(row, tender_id),
                                  _tender_date(where, row, problems))
    qrels: dict[str, set[str]] = {}
    for where, row in _lines("qrels", files["qrels"], problems):
        tender_id = _id(where, row, "tender_id", problems)
        supplier_id = _id(where, row, "supplier_id", problems)
        relevance = row.get("relevance", 1)
        if tender_id is not None and tender_id not in queries:
            problems.append({"field": f"{where}.tender_id", "message": f"No tender {tender_id}."})
        elif supplier_id is not None and supplier_id not in documents:
            problems.append({"field": f"{where}.supplier_id", "message": f"No supplier {supplier_id}."})
        elif not isinstance(relevance, (int, float)) or isinstance(relevance, bool):
            problems.append({"field": f"{where}.relevance", "message": "Relevance is a number."})
        elif tender_id is not None and supplier_id is not None and relevance > 0:
            qrels.setdefault(tender_id, set()).add(supplier_id)
    if not problems and not qrels:
        problems.append({"field": "qrels.jsonl", "message": "No relevant (tender, supplier) pair."})
    if problems:
        raise InvalidJudgments("The judgment files have problems; see errors.",
                               errors=problems[:MAX_REPORTED_PROBLEMS])
    # As in the benchmark: only tenders with a relevant supplier are ranked.
    return JudgmentSet(tuple(documents.values()),
                       tuple(queries[tender_id] for tender_id in queries if tender_id in qrels),
                       qrels)


def evaluate_on_judgments(weights: Weights, judgments: JudgmentSet, *,
                          today: date | None = None) -> dict:
    """Rank each judged tender with ``weights`` on a temporary index of the set's suppliers.

    The index is built for this evaluation and thrown away; nothing is written to the database.
    A tender is ranked as of its own date when it has one.
    """
    today = today or date.today()
    vocabulary = current_app.extensions["matchmaker"].vocabulary
    dates = dict(judgments.queries)
    with engine_in_use():  # its own index, but the engine's shared caches
        index = SupplierIndex(vocabulary).set_params(**dict(weights.text_params))
        index.fit(judgments.documents)
        lists = {query.id: ranked for query, ranked in _each_rankable(
            dates, lambda q: rank_shortlist(q, weights, k=METRIC_K, today=dates[q] or today,
                                            index=index), "judgment evaluation")}
        return quality(lists, judgments.qrels, index)


def evaluate_profile_on_judgments(profile_id: int, streams: Mapping[str, BinaryIO]) -> dict:
    """A stored version's quality on an uploaded judgment set (``tenders``, ``suppliers``,
    ``qrels`` as binary streams)."""
    profile = weight_profiles.get(profile_id)
    weights = weight_profiles.engine_weights(profile)
    judgments = read_judgments(streams)
    today = date.today()
    metrics = evaluate_on_judgments(weights, judgments, today=today)
    # Nothing of the upload outlives the answer: the parsed set and its index go now.
    del judgments
    return {"profile": profile_ref(profile, weights), "source": "judgments",
            "computed_for": today, "metrics": metrics}


# --------------------------------------------------------------------------- suggestions


def suggest(data: dict, principal: Principal) -> dict:
    """Fit weights to the feedback and store them as a new draft version (never activated).

    The base is ``based_on`` (a version id) or else the active profile; the suggestion becomes
    the next version of the base's name. The figures before and after are measured on the same
    feedback the weights were fitted to, so they flatter the suggestion: preview it on recent
    tenders before activating it.
    """
    base_row: WeightProfile | None
    if data.get("based_on") is not None:
        base_row = weight_profiles.get(data["based_on"])
        base = weight_profiles.engine_weights(base_row)
    else:
        base_row, base = active_profile()
    today = date.today()
    vocabulary = current_app.extensions["matchmaker"].vocabulary
    labels = training_labels()
    tenders = db.session.scalars(select(Tender).where(Tender.id.in_(list(labels) or [-1]))
                                 .order_by(Tender.id)).all()
    described = []
    with engine_in_use():
        index = supplier_index(base)

        def describe(tender: Tender):
            judged = {seam.supplier_key(sid): relevant
                      for sid, relevant in labels[tender.id].items()}
            return component_values(index, seam.tender_query(tender), list(judged), base,
                                    today=today, vocabulary=vocabulary), judged

        for tender, (values, judged) in _each_rankable(tenders, describe, "suggestion"):
            described.append((tender.id, values, judged))
    learner = WeightLearner()
    try:
        learner.fit(*training_set(described))
    except NotEnoughJudgmentsError as error:
        raise NotEnoughFeedback(
            f"Suggesting weights needs feedback on at least {error.needed['tenders']} tenders, "
            f"each with a supplier judged relevant and one judged not relevant (or skipped above "
            f"a relevant one), and at least {error.needed['pairs']} such pairs in all; there are "
            f"{error.found['tenders']} tenders and {error.found['pairs']} pairs.") from None
    note = (f"Fitted on {today.isoformat()} to buyers' feedback on {learner.n_tenders_} tenders "
            f"({learner.n_pairs_} relevant/not-relevant pairs): pairwise ridge regression with "
            "non-negative weights; only the components the feedback tells apart were changed.")
    try:
        suggested = learner.to_weights(base, note=note)
    except WeightsError as error:
        raise NotEnoughFeedback("The feedback favours no component: "
                                + "; ".join(error.problems)) from None
    before = evaluate_on_feedback(base, today=today)
    after = evaluate_on_feedback(suggested, today=today)
    profile = weight_profiles.add_version(base.name, suggested, parent=base_row,
                                          reason=data["reason"], principal=principal,
                                          action="weight_profile.suggest")
    return {"profile": profile, "based_on": profile_ref(base_row, base),
            "training": {"tenders": learner.n_tenders_, "pairs": learner.n_pairs_},
            "metrics": {"before": before, "after": after}}
