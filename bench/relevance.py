#!/usr/bin/env python3
"""Relevance benchmark: the engine with its shipped defaults next to reference baselines.

    python bench/relevance.py ../shared/bench/canada ../shared/bench/france-a
    python bench/relevance.py ../shared/bench/canada --exposure --run-out run.jsonl

For each dataset folder (``suppliers.jsonl``, ``tenders.jsonl``, ``qrels.jsonl``; see the shared
bench README) it maps every supplier to a :class:`~scoring.documents.SupplierDocument` (its
``" | "``-separated description becomes its past contracts, its codes its CPV codes as they are,
``n_train_awards`` its number of earlier contracts) and every tender to a
:class:`~scoring.documents.TenderQuery`, builds a :class:`~scoring.index.SupplierIndex` with
the shipped seeds, and ranks with :func:`scoring.ranking.rank` and the shipped
``seeds/weights.json``. The baselines are re-implemented here with the definitions of the shared
``baselines.py`` (same tokenisation, parameters and tie-breaks) and measured in the same run.
Metrics come from :mod:`scoring.metrics`.

Notes on comparability:

- The engine returns a shortlist of ``--depth`` suppliers (default 100); a winner ranked below it
  counts 0 for MRR, so the engine's MRR is MRR@100 (a lower bound of the full-ranking MRR the
  baselines get). Suppliers without any text or CPV relevance are not candidates at all.
- The top 10 is the engine's shortlist of 10 (newcomer exposure applies to it); ranks 11 to
  ``--depth`` continue with a second, longer ``rank`` call. Engine latency is the shortlist
  call alone: text + CPV scoring, ranking, and explanations of the 10 returned suppliers.
  Baseline latency is scoring all suppliers + a full sort.
- ``--exposure`` switches newcomer exposure on (the shipped guarantee: so many newcomers in a
  shortlist of 10). No benchmark supplier has a founding year and every one has at least one
  earlier contract, so the shipped definition (no earlier contract) finds no newcomer. Here a
  newcomer is what LTP@10 counts as one: a supplier outside the short head, i.e. with fewer
  earlier contracts than the least-awarded member of the head (computed from the data, not
  tuned; override with ``--newcomer-max-contracts``).
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import unicodedata
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.documents import SupplierDocument, TenderQuery  # noqa: E402
from scoring.index import SupplierIndex  # noqa: E402
from scoring.metrics import evaluate, short_head  # noqa: E402
from scoring.vocabulary import load_vocabulary  # noqa: E402

# --------------------------------------------------------------------------- data


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_dataset(folder: Path):
    suppliers = read_jsonl(folder / "suppliers.jsonl")
    tenders = read_jsonl(folder / "tenders.jsonl")
    qrels: dict[str, set[str]] = {}
    for row in read_jsonl(folder / "qrels.jsonl"):
        if row.get("relevance", 0) > 0:
            qrels.setdefault(row["tender_id"], set()).add(row["supplier_id"])
    lang = "en"
    sources = folder / "sources.json"
    if sources.exists():
        lang = json.loads(sources.read_text(encoding="utf-8")).get("language", "en")
    tenders = [t for t in tenders if t["id"] in qrels]
    return suppliers, tenders, qrels, lang


def to_document(row: dict) -> SupplierDocument:
    """A dataset supplier as the engine sees it: each earlier contract is a passage (the
    service's mapping of a judgment file, :func:`matchmaker.seam.judgment_document`)."""
    from matchmaker.seam import judgment_document

    return judgment_document(row, row["id"])


def to_query(row: dict) -> TenderQuery:
    from matchmaker.seam import judgment_query

    return judgment_query(row, row["id"])


def tender_date(row: dict) -> date:
    try:
        return date.fromisoformat(row.get("date") or "")
    except ValueError:
        return date(2020, 1, 1)


# --------------------------------------------------------------------------- baselines
# Re-implemented from the shared baselines.py (which also needs tantivy): same text, folding,
# stop words, parameters and tie-breaks, so the numbers match its README table.


def _fold(s):
    s = unicodedata.normalize("NFKD", s or "")
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def _supplier_text(s):
    return "%s . %s" % (s.get("name") or "", s.get("description") or "")


def _tender_text(t):
    return "%s . %s" % (t.get("title") or "", t.get("description") or "")


def _stopwords(lang):
    import bm25s.stopwords as sw

    return list(sw.STOPWORDS_FRENCH if lang == "fr" else sw.STOPWORDS_EN)


class TfidfWord:
    name = "(a) TF-IDF word cosine"

    def __init__(self, lang):
        self.lang = lang

    def build(self, sup):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vec = TfidfVectorizer(lowercase=True, strip_accents="unicode", sublinear_tf=True,
                                   token_pattern=r"(?u)\b\w\w+\b",
                                   stop_words=[_fold(w) for w in _stopwords(self.lang)])
        self.D = self.vec.fit_transform([_supplier_text(s) for s in sup]).tocsr()

    def score(self, t):
        q = self.vec.transform([_tender_text(t)])
        return np.asarray((self.D @ q.T).todense()).ravel()


class TfidfChar:
    name = "(b) TF-IDF char 3-5 cosine"

    def __init__(self, lang):
        pass

    def build(self, sup):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), lowercase=True,
                                   strip_accents="unicode", sublinear_tf=True, min_df=2,
                                   dtype=np.float32)
        self.D = self.vec.fit_transform([_supplier_text(s) for s in sup]).tocsr()

    def score(self, t):
        q = self.vec.transform([_tender_text(t)])
        return np.asarray((self.D @ q.T).todense()).ravel()


class BM25s:
    name = "(c) BM25 (bm25s)"

    def __init__(self, lang):
        self.sw = [_fold(w) for w in _stopwords(lang)]

    def build(self, sup):
        import bm25s

        self.bm25s = bm25s
        toks = bm25s.tokenize([_fold(_supplier_text(s)) for s in sup], stopwords=self.sw,
                              show_progress=False)
        self.r = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
        self.r.index(toks, show_progress=False)
        self.vocab = self.r.vocab_dict
        self.n = len(sup)

    def score(self, t):
        qt = self.bm25s.tokenize([_fold(_tender_text(t))], stopwords=self.sw, return_ids=False,
                                 show_progress=False)[0]
        qt = [w for w in qt if w in self.vocab]
        if not qt:
            return np.zeros(self.n, dtype=np.float32)
        return self.r.get_scores(qt)


def _sig_code(c):
    c = (c or "").strip().upper()
    if re.fullmatch(r"\d{8}", c):
        c = c.rstrip("0")
        if len(c) < 2:
            c = (c + "00")[:2]
    return c


class CpvPrefix:
    name = "(f) CPV/code prefix overlap"

    def __init__(self, lang):
        pass

    def build(self, sup):
        idx = {}
        for i, s in enumerate(sup):
            for c in set(_sig_code(x) for x in s.get("cpv_codes") or [] if x):
                for n in range(1, len(c) + 1):
                    d = idx.setdefault(c[:n], {})
                    d[i] = d.get(i, 0) + 1
        self.idx = {p: (np.fromiter(d.keys(), dtype=np.int64), np.fromiter(d.values(), dtype=np.float64))
                    for p, d in idx.items()}
        self.n = len(sup)
        self.pop = np.log1p(np.array([s.get("n_train_awards") or 0 for s in sup], dtype=np.float64))

    def raw(self, t):
        best = np.zeros(self.n)
        cnt = np.zeros(self.n)
        for c in set(_sig_code(x) for x in t.get("cpv_codes") or [] if x):
            for n in range(1, len(c) + 1):
                e = self.idx.get(c[:n])
                if e is None:
                    break
                ii, cc = e
                v = n / len(c)
                cur = best[ii]
                up = v > cur
                best[ii[up]] = v
                cnt[ii[up]] = cc[up]
                eq = v == cur
                cnt[ii[eq]] = np.maximum(cnt[ii[eq]], cc[eq])
        return best, cnt

    def score(self, t):
        best, cnt = self.raw(t)
        return best + 1e-3 * cnt / (1.0 + cnt) + 1e-6 * self.pop / (1.0 + self.pop)


class Fused:
    name = "(g) fused 0.5*TF-IDF word + 0.5*CPV"

    def __init__(self, lang):
        self.a = TfidfWord(lang)
        self.b = CpvPrefix(lang)

    def build(self, sup):
        self.a.build(sup)
        self.b.build(sup)

    def score(self, t):
        best, _ = self.b.raw(t)
        return 0.5 * self.a.score(t) + 0.5 * best


BASELINES = {"tfidf-word": TfidfWord, "tfidf-char": TfidfChar, "bm25s": BM25s, "cpv": CpvPrefix,
             "fused": Fused}


def run_baseline(method, suppliers, tenders):
    ids = np.array([s["id"] for s in suppliers], dtype=object)
    t0 = time.perf_counter()
    method.build(suppliers)
    build_s = time.perf_counter() - t0
    run, lat = {}, []
    for t in tenders:
        t1 = time.perf_counter()
        scores = np.asarray(method.score(t), dtype=np.float64)
        order = np.argsort(-scores, kind="stable")  # ties -> file order, as baselines.py
        lat.append((time.perf_counter() - t1) * 1000.0)
        run[t["id"]] = ids[order].tolist()
    return run, build_s, lat


# --------------------------------------------------------------------------- engine


def engine_weights(exposure: bool, newcomer_max_contracts: int, min_newcomers: int | None = None):
    """The shipped weight profile (None if the ranker is not there yet)."""
    try:
        from scoring.weights import load_weights
    except ImportError:
        return None
    weights = load_weights()
    if exposure:
        weights = weights.set_params(newcomer_exposure=True,
                                     newcomer_max_earlier_contracts=newcomer_max_contracts,
                                     newcomer_max_age_years=None)
        if min_newcomers is not None:
            weights = weights.set_params(min_newcomers=min_newcomers)
    return weights


# The shortlist a buyer reads; the metrics' k.
SHORTLIST = 10


# Where Debian installs the bilingual dictionary the service reads by default
# (matchmaker/dictionary.py); the engine runs with it when it is there, as the service does.
FREEDICT = ("/usr/share/dictd/freedict-nld-eng", "/usr/share/dictd/freedict-eng-nld")
HUNSPELL_NL = "/usr/share/hunspell/nl.dic"


def bilingual_dictionary(use: bool):
    """The service's default dictionary (FreeDict, hunspell-nl and the curated lexicon of
    ``seeds/lexicon.json``), or None (not wanted, or not installed)."""
    if not use:
        return None
    from scoring import BilingualDictionary, DictdSource, load_lexicon

    sources = [DictdSource.at(p) for p in FREEDICT]
    if not all(s.exists() for s in sources):
        print("(bilingual dictionary not installed: engine runs without it)", file=sys.stderr)
        return None
    return BilingualDictionary.from_sources(*sources, HUNSPELL_NL if Path(HUNSPELL_NL).is_file() else None,
                                            lexicon=load_lexicon())


DICTIONARY = None  # set in main from --no-dictionary


def run_engine(suppliers, tenders, weights, depth):
    vocabulary = load_vocabulary()
    if DICTIONARY is not None:
        from dataclasses import replace

        vocabulary = replace(vocabulary, dictionary=DICTIONARY)
    docs = [to_document(s) for s in suppliers]
    text_params = dict(weights.text_params) if weights is not None else {}
    t0 = time.perf_counter()
    index = SupplierIndex(vocabulary, **text_params).fit(docs)
    build_s = time.perf_counter() - t0
    run, lat = {}, []
    if weights is not None:
        from scoring.ranking import rank

        for t in tenders:
            query, today = to_query(t), tender_date(t)
            t1 = time.perf_counter()
            shortlist = rank(index, query, weights, k=SHORTLIST, today=today)
            lat.append((time.perf_counter() - t1) * 1000.0)
            # a "no good match" lists the closest apart, as weak candidates: the buyer's ranking
            top = [item.supplier_id for item in shortlist.items or shortlist.weak_candidates]
            # The buyer sees the shortlist of 10 (where newcomer exposure applies); deeper ranks,
            # for MRR and the run file, continue with the engine's longer list.
            deeper = rank(index, query, weights, k=depth, today=today)
            seen = set(top)
            run[t["id"]] = top + [i.supplier_id for i in deeper.items or deeper.weak_candidates
                                  if i.supplier_id not in seen][
                : max(0, depth - len(top))]
    else:  # before the ranker existed: text and CPV fit, equal weights
        for t in tenders:
            query = to_query(t)
            t1 = time.perf_counter()
            text, cpv = index.text_scores(query), index.cpv_scores(query)
            combined = np.zeros(index.n_slots)
            combined[text.slots] += text.scores
            combined[cpv.slots] += cpv.scores
            ids = index.ids_.view
            hit = np.flatnonzero(combined > 0)
            order = sorted(hit.tolist(), key=lambda s: (-combined[s], ids[s]))[:depth]
            lat.append((time.perf_counter() - t1) * 1000.0)
            run[t["id"]] = [ids[s] for s in order]
    return run, build_s, lat


# --------------------------------------------------------------------------- report


def _row(name, m, build_s, lat):
    return "| %s | %.4f | %.4f | %.4f | %.3f | %.3f | %.2f | %.2f | %.2f |" % (
        name, m["MRR"], m["Recall@10"], m["nDCG@10"], m["CC@10"], m["LTP@10"], build_s,
        statistics.median(lat), float(np.percentile(lat, 95)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("datasets", nargs="+", type=Path)
    ap.add_argument("--exposure", action="store_true", help="switch newcomer exposure on")
    ap.add_argument("--newcomer-max-contracts", type=int, default=None,
                    help="with --exposure: a newcomer has at most this many earlier contracts "
                         "(default: just below the dataset's short head, i.e. the long tail)")
    ap.add_argument("--min-newcomers", type=int, default=None,
                    help="with --exposure: override the shipped guarantee (newcomers per 10)")
    ap.add_argument("--run-out", type=Path, help="write the engine's top --depth per tender (JSON lines)")
    ap.add_argument("--depth", type=int, default=100, help="engine shortlist length (default 100)")
    ap.add_argument("--no-dictionary", action="store_true",
                    help="run the engine without the bilingual dictionary (default: with it when installed)")
    ap.add_argument("--baselines", default=",".join(BASELINES),
                    help="comma-separated baselines to run (default: all; '' for none)")
    args = ap.parse_args(argv)
    global DICTIONARY
    DICTIONARY = bilingual_dictionary(not args.no_dictionary)
    out = []
    run_file = open(args.run_out, "w", encoding="utf-8") if args.run_out else None
    try:
        for folder in args.datasets:
            suppliers, tenders, qrels, lang = load_dataset(folder)
            counts = {s["id"]: int(s.get("n_train_awards") or 0) for s in suppliers}
            head = short_head(counts)
            n = len(suppliers)
            max_contracts = args.newcomer_max_contracts
            if max_contracts is None:
                max_contracts = max(min((counts[i] for i in head), default=1) - 1, 0)
            weights = engine_weights(args.exposure, max_contracts, args.min_newcomers)
            title = "### %s — %d test tenders, %d suppliers, %d relevant pairs (lang=%s)%s" % (
                folder.name, len(tenders), n, sum(len(v) for v in qrels.values()), lang,
                ", newcomer exposure ON (newcomer: <= %d earlier contracts)" % max_contracts
                if args.exposure else "")
            print(title, file=sys.stderr)
            rows = []
            run, build_s, lat = run_engine(suppliers, tenders, weights, args.depth)
            m = evaluate(run, qrels, n_suppliers=n, head=head, k=10)
            engine_name = "**engine** (%s)" % (
                "weights %s v%s" % (weights.name, weights.version) if weights else "index only")
            rows.append(_row(engine_name, m, build_s, lat))
            print("  engine  MRR=%.4f nDCG@10=%.4f LTP@10=%.3f" % (m["MRR"], m["nDCG@10"], m["LTP@10"]),
                  file=sys.stderr)
            if run_file:
                for t in tenders:
                    run_file.write(json.dumps({"tender_id": t["id"], "supplier_ids": run[t["id"]]}) + "\n")
            for key in [b for b in args.baselines.split(",") if b]:
                method = BASELINES[key](lang)
                brun, bbuild, blat = run_baseline(method, suppliers, tenders)
                bm = evaluate(brun, qrels, n_suppliers=n, head=head, k=10)
                rows.append(_row(method.name, bm, bbuild, blat))
                print("  %-38s MRR=%.4f nDCG@10=%.4f" % (method.name, bm["MRR"], bm["nDCG@10"]),
                      file=sys.stderr)
            out += [title, "",
                    "| method | MRR | Recall@10 | nDCG@10 | CC@10 | LTP@10 | index build (s) "
                    "| latency p50 (ms) | latency p95 (ms) |",
                    "|---|---:|---:|---:|---:|---:|---:|---:|---:|", *rows, ""]
    finally:
        if run_file:
            run_file.close()
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
