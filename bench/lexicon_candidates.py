#!/usr/bin/env python3
"""The English words a tier of ``seeds/lexicon.json`` is chosen from: frequent, concrete, and
missing from FreeDict.

    python bench/lexicon_candidates.py > candidates.tsv
    python bench/lexicon_candidates.py --top 60000 --wordnet /usr/share/wordnet

A word is a candidate when

1. it is among the ``--top`` most frequent English words of ``wordfreq`` (general English: web,
   news, subtitles, books; not procurement texts, so not chosen by what our sets ask);
2. FreeDict, read both ways as the service reads it (with the lexicon as it is now), gives it no
   Dutch translation; and
3. its most frequent noun sense in WordNet is an artifact, a substance or an act (the
   lexicographer files ``noun.artifact``, ``noun.substance``, ``noun.act``): what a buyer buys
   or a supplier does, rather than a person, place, feeling or idea.

Printed as TSV, most frequent first: rank, word, WordNet class, the gloss of that sense. People
then translate the words a public buyer could buy or a supplier offer, and leave out names,
slang and words whose procurement sense is unclear (the lexicon's ``about`` says how).

``--translated`` turns condition 2 round: the words FreeDict *does* translate, with the
translations the service reads for them (a fifth column), so that people can give the everyday
Dutch word of the thing where FreeDict has only other senses ("blade": *kling*, *lemmer*, not
*blad*; "bag": *colli*, not *tas*).

``--dutch`` lists Dutch words instead, for the other side of the pair: of wordfreq's most
frequent Dutch words, lemmatised (simplemma) and known to the Dutch word list (hunspell-nl),
those FreeDict does not translate, and those with a translation whose first WordNet noun sense
is of the three classes above (a word about things, whatever else FreeDict says of it:
*restauratie* is given only "restaurant"). No Dutch wordnet is at hand, so the class is read
through the English side; people then give the everyday English word where it is missing.

``--living`` reads the classes every tier above left out but tenders and profiles still write
(``noun.animal``, ``noun.location``, ``noun.person``: "cattle", "pasture", "tenant",
"volunteer") in place of the three, with condition 2 as it is.

``--broad`` widens the net for a last tier: the other noun classes a tender's words fall in
(attribute, cognition, communication, event, food, group, object, phenomenon, plant, possession,
process, quantity, shape, state: "data", "sign", "batch", "surplus") and the verbs that are no
nouns ("calibrate", "suspend", from the words' lemmas), translated or not, with the translations
the service reads; people, places, times, feelings, motives, bodies, animals and relations are
left out.

Needs ``wordfreq`` (``pip install wordfreq``; Apache-2.0, its data CC BY-SA 4.0) and WordNet's
database (Debian ``wordnet-base``: ``/usr/share/wordnet``; Princeton's WordNet licence). Neither is
a dependency of the service: they choose which words to translate, and nothing of them is
shipped.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# WordNet's lexicographer file numbers (lexnames) of the senses kept.
CLASSES = {4: "act", 6: "artifact", 27: "substance"}
# ``--living``: the classes every tier before left out that tenders and profiles still write:
# the animals of grazing and pest control, the places of nature management, the people a
# service is for or done by.
LIVING_CLASSES = {5: "animal", 15: "location", 18: "person"}


def first_noun_senses(wordnet: Path) -> dict[str, tuple[int, str]]:
    """Each noun lemma's most frequent sense: (lexicographer file number, gloss)."""
    senses: dict[str, tuple[int, str]] = {}
    with open(wordnet / "data.noun", encoding="latin-1") as data:
        for line in data:
            if line.startswith("  "):  # the licence at the top of the file
                continue
            offset, lexname, _ = line.split(" ", 2)
            senses[offset] = (int(lexname), line.partition(" | ")[2].split(";")[0].strip())
    first: dict[str, tuple[int, str]] = {}
    with open(wordnet / "index.noun", encoding="latin-1") as index:
        for line in index:
            if line.startswith("  "):
                continue
            fields = line.split()
            offsets = fields[-int(fields[2]):]  # synset_cnt offsets close the line, by frequency
            first[fields[0]] = senses[offsets[0]]
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--top", type=int, default=60_000, help="wordfreq's most frequent words")
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    parser.add_argument("--translated", action="store_true",
                        help="the words FreeDict translates, with their translations")
    # one list at a time: each of these reads other words than the others
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--broad", action="store_true",
                       help="the other noun classes and the verbs, translated or not")
    which.add_argument("--dutch", action="store_true",
                       help="Dutch words FreeDict lacks or gives a thing's translation for")
    which.add_argument("--living", action="store_true",
                       help="animals, places and people instead of artifacts, substances, acts")
    args = parser.parse_args(argv)
    try:
        import wordfreq
    except ImportError:
        raise SystemExit("needs wordfreq: pip install wordfreq")
    if not (args.wordnet / "index.noun").exists():
        raise SystemExit(f"no WordNet database in {args.wordnet} (Debian: apt install wordnet-base)")

    from bench.relevance import bilingual_dictionary
    from scoring.stopwords import STOP_WORDS

    dictionary = bilingual_dictionary(True)
    if dictionary is None:
        raise SystemExit("FreeDict is not installed (README, set-up)")
    senses = first_noun_senses(args.wordnet)
    if args.dutch:
        return dutch_candidates(wordfreq, dictionary, senses, args.top, STOP_WORDS)
    if args.broad:
        return broad_candidates(wordfreq, dictionary, senses, args.wordnet, args.top, STOP_WORDS)
    classes = LIVING_CLASSES if args.living else CLASSES
    print("rank\tword\twordnet_class\tfirst_sense_gloss" + ("\ttranslations" * args.translated))
    for rank, word in enumerate(wordfreq.top_n_list("en", args.top), start=1):
        if not word.isalpha() or len(word) < 3 or word in STOP_WORDS:
            continue
        sense = senses.get(word)
        if sense is None or sense[0] not in classes:
            continue
        translations = dictionary.translations(word, "en")
        if bool(translations) != args.translated:
            continue
        listed = ", ".join(t.text for t in translations)
        print(f"{rank}\t{word}\t{classes[sense[0]]}\t{sense[1][:120]}" + f"\t{listed}" * args.translated)
    return 0


def _simplemma():
    """The lemmatiser ``--broad`` and ``--dutch`` read words by (the service's own)."""
    try:
        import simplemma
    except ImportError:
        raise SystemExit("needs simplemma: pip install simplemma")
    return simplemma


# ``--broad``: the noun classes beside CLASSES that name what a tender may ask for.
BROAD_CLASSES = {7: "attribute", 9: "cognition", 10: "communication", 11: "event", 13: "food",
                 14: "group", 17: "object", 19: "phenomenon", 20: "plant", 21: "possession",
                 22: "process", 23: "quantity", 25: "shape", 26: "state"}


def broad_candidates(wordfreq, dictionary, senses: dict[str, tuple[int, str]], wordnet: Path,
                     top: int, stop_words: frozenset[str]) -> int:
    """``--broad``: rank, word, its class (or "verb"), the gloss of a noun's first sense and the
    translations the service reads, most frequent first, each word once."""
    simplemma = _simplemma()
    with open(wordnet / "index.verb", encoding="latin-1") as index:
        verbs = {line.split()[0] for line in index if not line.startswith("  ")}
    seen: set[str] = set()
    print("rank\tword\tclass\tfirst_sense_gloss\ttranslations")
    for rank, word in enumerate(wordfreq.top_n_list("en", top), start=1):
        if not word.isalpha() or len(word) < 3 or word in stop_words:
            continue
        sense = senses.get(word)
        if sense is not None:
            if sense[0] not in BROAD_CLASSES or word in seen:
                continue
            kind, gloss = BROAD_CLASSES[sense[0]], sense[1][:120]
        else:
            word = simplemma.lemmatize(word, lang="en")
            if word in seen or word not in verbs or word in senses or word in stop_words:
                continue
            kind, gloss = "verb", ""
        seen.add(word)
        listed = ", ".join(t.text for t in dictionary.translations(word, "en"))
        print(f"{rank}\t{word}\t{kind}\t{gloss}\t{listed}")
    return 0


def dutch_candidates(wordfreq, dictionary, senses: dict[str, tuple[int, str]], top: int,
                     stop_words: frozenset[str]) -> int:
    """``--dutch``: rank, lemma, why (untranslated, or the class of a translation) and the
    translations the service reads, most frequent first, each lemma once."""
    simplemma = _simplemma()
    seen: set[str] = set()
    print("rank\tword\twhy\ttranslations")
    for rank, word in enumerate(wordfreq.top_n_list("nl", top), start=1):
        if not word.isalpha() or len(word) < 4 or word in stop_words:
            continue
        lemma = simplemma.lemmatize(word, lang="nl")
        if lemma in seen or not dictionary.is_dutch_word(lemma):
            continue
        seen.add(lemma)
        translations = [t.text for t in dictionary.translations(lemma, "nl")]
        classes = [senses.get(t.replace(" ", "_"), (0, ""))[0] for t in translations]
        kept = [CLASSES[c] for c in classes if c in CLASSES]
        if translations and not kept:
            continue
        why = kept[0] if kept else "untranslated"
        print(f"{rank}\t{lemma}\t{why}\t{', '.join(translations)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
