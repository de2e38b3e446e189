#!/usr/bin/env python3
"""The bilingual dictionary on its own: how long it takes to read, what it keeps, and whether
the everyday word pairs of issue 14 bridge, each way.

    python bench/dictionary_pairs.py

Reads Debian's FreeDict files and hunspell-nl where the packages install them (the service's
defaults; see matchmaker/dictionary.py). A pair bridges from Dutch when one of the Dutch word's
translations, analysed as the index analyses profiles, holds the English word's terms (or, for
a compound translation, the compounds the query side would also accept); the same from English.
Prints Markdown.
"""
from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matchmaker.dictionary import DEBIAN_DUTCH_WORDS, DEBIAN_EN_NL, DEBIAN_NL_EN  # noqa: E402
from scoring.analysis import Analyzer  # noqa: E402
from scoring.dictionary import BilingualDictionary, DictdSource  # noqa: E402
from scoring.vocabulary import load_lexicon  # noqa: E402

# The everyday words the issue lists, in the forms a text uses them (plural, inflected).
PAIRS = [
    ("glas", "glass"), ("verf", "paint"), ("lift", "elevator"), ("matras", "mattress"),
    ("fles", "bottle"), ("flessen", "bottles"), ("veerpont", "ferry"), ("frituurvet", "cooking oil"),
    ("frituurvet", "frying fat"), ("kozijn", "window frame"), ("kozijnen", "window frames"),
    ("OK-jas", "surgical gown"), ("bakstenen", "bricks"), ("tapijttegels", "carpet tiles"),
    ("stoelen", "chairs"), ("afgedankte", "discarded"), ("gereinigd", "cleaned"),
    ("ingezameld", "collected"), ("meubilair", "furniture"), ("afval", "waste"),
]


def bridges(dictionary: BilingualDictionary, analyzer: Analyzer, word: str, lang: str,
            target: str) -> str:
    """The translation that bridges (or "—")."""
    wanted = set(analyzer.terms(target))
    for source in analyzer.words(word)[0] or [word]:
        for t in dictionary.translations(source, lang):
            terms = set(analyzer.terms(t.text))
            if terms and (terms <= wanted or wanted <= terms or terms & wanted):
                return f"{t.text} ({t.weight:.2f})"
    return "—"


def main() -> int:
    sources = [DictdSource.at(DEBIAN_NL_EN), DictdSource.at(DEBIAN_EN_NL)]
    if not all(s.exists() for s in sources):
        print("FreeDict is not installed: apt-get install dict-freedict-nld-eng dict-freedict-eng-nld hunspell-nl")
        return 1
    started = time.perf_counter()
    dictionary = BilingualDictionary.from_sources(*sources, DEBIAN_DUTCH_WORDS, lexicon=load_lexicon())
    read_s = time.perf_counter() - started
    tracemalloc.start()  # a second read, traced (tracing slows it down tenfold)
    again = BilingualDictionary.from_sources(*sources, DEBIAN_DUTCH_WORDS, lexicon=load_lexicon())
    kept, peak = tracemalloc.get_traced_memory()
    del again
    tracemalloc.stop()
    started = time.perf_counter()
    dictionary.translations("afgedankte", "nl"), dictionary.translations("collected", "en")
    lemma_s = time.perf_counter() - started
    print(f"read in {read_s:.2f} s, {kept / 1e6:.0f} MB kept ({peak / 1e6:.0f} MB peak); "
          f"first lemmatised lookups (simplemma's data) {lemma_s:.2f} s; headwords {dictionary.size}")
    print()
    analyzer = Analyzer()
    print("| Dutch | English | nl → en | en → nl |")
    print("|---|---|---|---|")
    both = 0
    for nl, en in PAIRS:
        there = bridges(dictionary, analyzer, nl, "nl", en)
        back = bridges(dictionary, analyzer, en, "en", nl)
        both += there != "—" and back != "—"
        print(f"| {nl} | {en} | {there} | {back} |")
    there_n = sum(bridges(dictionary, analyzer, nl, "nl", en) != "—" for nl, en in PAIRS)
    back_n = sum(bridges(dictionary, analyzer, en, "en", nl) != "—" for nl, en in PAIRS)
    print(f"\n{len(PAIRS)} pairs: {there_n} bridge from Dutch, {back_n} from English, {both} both ways")
    return 0


if __name__ == "__main__":
    sys.exit(main())
