"""matchmaker's ranking engine: pure Python on numpy/scipy/scikit-learn/rapidfuzz.

Index supplier profiles, rank them for a tender with a weight profile, and explain the result::

    from datetime import date
    from scoring import SupplierIndex, load_weights, rank

    index = SupplierIndex().fit(documents)            # SupplierDocument values
    shortlist = rank(index, query, load_weights(), k=10, today=date.today())

The engine never imports the web layer (Flask, SQLAlchemy, marshmallow, ``matchmaker``): it
takes frozen inputs (:class:`SupplierDocument`, :class:`TenderQuery`) and returns frozen results
(:class:`Shortlist`). The modules behind these names are private in spirit; import from here.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .criteria import (
    CRITERIA,
    CriterionContext,
    CriterionKind,
    FINDINGS,
    REGION_SCOPES,
    NewcomerDefinition,
    criterion_from_dict,
    evaluate_criterion,
    is_newcomer,
    must_passes,
    register_criterion,
    validate_criterion,
)
from .documents import (
    R_LADDER,
    SIZE_CLASSES,
    Certificate,
    Criterion,
    Mode,
    SupplierDocument,
    TenderQuery,
    rung_of,
)
from .cpv import cpv_check_digit, cpv_fit, is_valid_cpv, significant_code, strip_check_digit
from .errors import (
    CriterionError,
    DuplicateSupplierError,
    NotFittedError,
    PersistedIndexError,
    ScoringError,
    UnknownSupplierError,
    VocabularyError,
    WeightsError,
)
from .explanations import STATUSES, ComponentScore, CriterionOutcome, Explanation
from .index import MatchedTerm, SupplierIndex, TextScores
from .persistence import LoadedIndex, load_index, read_position, save_index
from .metrics import (
    catalogue_coverage,
    evaluate,
    long_tail_share,
    mean_reciprocal_rank,
    ndcg_at_k,
    recall_at_k,
    short_head,
)
from .gaps import ADVICE_CODES, Gap, gap_report
from .language import detect_language
from .translators import GlossaryTranslator, LexiconTranslator, Translate, in_turn
from .salience import TenderWord, is_number, telling_words, tender_words
from .ranking import (
    NOTICES, Assessment, NearMiss, Notice, RankedSupplier, Shortlist, assess, criteria_problems,
    rank,
)
from .expansion import MatchKind
from .dictionary import BilingualDictionary, DictdSource, Translation
from .vocabulary import (
    LexiconEntry,
    Vocabulary,
    load_certifications,
    load_cpv,
    load_glossary,
    load_lexicon,
    load_municipalities,
    load_vocabulary,
)
from .weights import COMPONENTS, Weights, load_weights

# What else the web layer uses: matchmaker imports the engine through this module only
# (tests/test_architecture.py). The learner's names load on first use (see ``__getattr__``).
from .directory import (
    FACETS,
    SORTS,
    DirectoryFilters,
    SupplierDirectory,
    VocabularyCompleter,
    load_directory,
    name_key,
    save_directory,
)
from .cpv import split_cpv
from .vocabulary import CpvVocabulary

if TYPE_CHECKING:
    from .learning import NotEnoughJudgmentsError, WeightLearner, component_values, training_set

__all__ = [
    # inputs
    "SupplierDocument",
    "TenderQuery",
    "Criterion",
    "Certificate",
    "Mode",
    "R_LADDER",
    "SIZE_CLASSES",
    "rung_of",
    # vocabularies and codes
    "Vocabulary",
    "load_vocabulary",
    "load_cpv",
    "load_glossary",
    "load_lexicon",
    "LexiconEntry",
    "load_certifications",
    "load_municipalities",
    "cpv_check_digit",
    "is_valid_cpv",
    "significant_code",
    "strip_check_digit",
    # the index
    "SupplierIndex",
    "TextScores",
    "MatchedTerm",
    "MatchKind",
    "cpv_fit",
    "save_index",
    "load_index",
    "read_position",
    "LoadedIndex",
    # the Dutch-English bridge
    "BilingualDictionary",
    "DictdSource",
    "Translation",
    # criteria
    "CRITERIA",
    "CriterionKind",
    "CriterionContext",
    "NewcomerDefinition",
    "criterion_from_dict",
    "validate_criterion",
    "evaluate_criterion",
    "must_passes",
    "register_criterion",
    "is_newcomer",
    # weights
    "Weights",
    "COMPONENTS",
    "load_weights",
    # ranking and explanations
    "rank",
    "assess",
    "criteria_problems",
    "Gap",
    "gap_report",
    "ADVICE_CODES",
    "TenderWord",
    "tender_words",
    "telling_words",
    "is_number",
    # languages: which one a text is in, and word-for-word translation
    "detect_language",
    "GlossaryTranslator",
    "LexiconTranslator",
    "in_turn",
    "Translate",
    "Assessment",
    "Shortlist",
    "Notice",
    "NOTICES",
    "RankedSupplier",
    "NearMiss",
    "Explanation",
    "ComponentScore",
    "CriterionOutcome",
    "STATUSES",
    "FINDINGS",
    "REGION_SCOPES",
    # metrics
    "mean_reciprocal_rank",
    "recall_at_k",
    "ndcg_at_k",
    "catalogue_coverage",
    "long_tail_share",
    "short_head",
    "evaluate",
    # errors
    "ScoringError",
    "NotFittedError",
    "WeightsError",
    "CriterionError",
    "VocabularyError",
    "UnknownSupplierError",
    "DuplicateSupplierError",
    "PersistedIndexError",
    # the web layer's other needs: directory, CPV lists, learning weights from judgments
    "SupplierDirectory",
    "load_directory",
    "save_directory",
    "DirectoryFilters",
    "VocabularyCompleter",
    "FACETS",
    "SORTS",
    "name_key",
    "CpvVocabulary",
    "split_cpv",
    "WeightLearner",
    "NotEnoughJudgmentsError",
    "component_values",
    "training_set",
]

# scikit-learn takes about three seconds to import; only the learner needs it, so importing
# ``scoring`` (the bench, a worker, a test subprocess) does not pay for it until it is used.
_LAZY = {"NotEnoughJudgmentsError", "WeightLearner", "component_values", "training_set"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from . import learning

        return getattr(learning, name)
    raise AttributeError(f"module 'scoring' has no attribute {name!r}")
