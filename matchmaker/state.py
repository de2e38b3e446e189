"""What one process holds in memory beside the database: vocabularies and the supplier index."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scoring import Vocabulary, load_vocabulary

from matchmaker.index_cache import IndexCache

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


@dataclass
class MatchmakerState:
    seeds_path: Path
    vocabulary: Vocabulary
    index: IndexCache

    @classmethod
    def load(cls, seeds_path: str | None = None) -> "MatchmakerState":
        path = Path(seeds_path) if seeds_path else SEEDS_DIR
        vocabulary = load_vocabulary(path)
        return cls(seeds_path=path, vocabulary=vocabulary, index=IndexCache(vocabulary))
