"""What one process holds in memory beside the database: vocabularies and the supplier index."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from scoring import Vocabulary, load_vocabulary

from matchmaker.dictionary import DictionaryState, load_dictionary
from matchmaker.index_cache import IndexCache

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


@dataclass
class MatchmakerState:
    seeds_path: Path
    vocabulary: Vocabulary
    index: IndexCache
    # What the bilingual bridge read (its dictionary is in ``vocabulary.dictionary``).
    dictionary: DictionaryState = field(default_factory=lambda: DictionaryState(None, configured=False))

    @classmethod
    def load(cls, seeds_path: str | None = None,
             config: Mapping[str, object] | None = None) -> "MatchmakerState":
        path = Path(seeds_path) if seeds_path else SEEDS_DIR
        vocabulary = load_vocabulary(path)
        dictionary = load_dictionary(config or {}, vocabulary.lexicon)
        # every index of the process (the published one, evaluations, previews) is built with
        # this vocabulary, so every one bridges the languages alike
        vocabulary = replace(vocabulary, dictionary=dictionary.dictionary)
        index = IndexCache(vocabulary, index_dir=str((config or {}).get("INDEX_DIR") or "") or None)
        return cls(seeds_path=path, vocabulary=vocabulary, index=index,
                   dictionary=dictionary)
