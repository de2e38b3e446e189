"""The bilingual dictionary of one process: FreeDict's Dutch-English and English-Dutch
dictionaries and the hunspell-nl word list, read from the configured paths once per process,
with the curated lexicon of the words FreeDict lacks (``seeds/lexicon.json``, the project's own).

The files come from Debian packages (``dict-freedict-nld-eng``, ``dict-freedict-eng-nld``,
``hunspell-nl``); FreeDict is GPL-2+, so it is read where the package installs it and nothing
derived from it is written. Without them the service still starts: the start-up log and
``/readyz`` say that cross-language matching is reduced (to the curated glossary).

The parsed dictionary is kept per process, keyed by the files' paths, sizes and modification
times: every app made in one process (the test suite makes several) shares one, and an updated
package is read again. Reading takes 0.6-0.8 s and keeps 34 MB (bench/dictionary_pairs.py);
a derived cache file (a pickle loads in 0.4 s) would save about half of that once per worker
life, at the price of a GPL-derived file and a pickle to trust in the instance folder.
"""
from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from typing import Mapping

from scoring import BilingualDictionary, DictdSource, LexiconEntry

log = logging.getLogger(__name__)

#: Where Debian's packages install the files (the defaults of the settings).
DEBIAN_NL_EN = "/usr/share/dictd/freedict-nld-eng"
DEBIAN_EN_NL = "/usr/share/dictd/freedict-eng-nld"
DEBIAN_DUTCH_WORDS = "/usr/share/hunspell/nl.dic"

_LOADED: dict[tuple, BilingualDictionary] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class DictionaryState:
    """The process's dictionary and what was missing when it was read.

    ``status`` is ``"ok"`` (everything configured was read), ``"reduced"`` (a file is missing
    or unreadable: cross-language matching falls back on what remains, at worst the glossary)
    or ``"off"`` (no dictionary configured).
    """

    dictionary: BilingualDictionary | None
    missing: tuple[str, ...] = ()
    configured: bool = True

    @property
    def status(self) -> str:
        if not self.configured:
            return "off"
        return "reduced" if self.missing or self.dictionary is None else "ok"


def _signature(path: str) -> tuple[str, int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return path, stat.st_size, stat.st_mtime_ns


def load_dictionary(config: Mapping[str, object],
                    lexicon: tuple[LexiconEntry, ...] = ()) -> DictionaryState:
    """Read the dictionary the config names (``DICTIONARY_NL_EN``, ``DICTIONARY_EN_NL``: dictd
    paths without ``.index``/``.dict.dz``; ``DICTIONARY_DUTCH_WORDS``: a hunspell ``.dic``;
    an empty setting leaves that file out), with the curated ``lexicon`` of words FreeDict
    lacks (``seeds/lexicon.json``), once per process, and log what is missing."""
    nl_en = str(config.get("DICTIONARY_NL_EN") or "")
    en_nl = str(config.get("DICTIONARY_EN_NL") or "")
    words = str(config.get("DICTIONARY_DUTCH_WORDS") or "")
    if not nl_en and not en_nl:
        log.info("bilingual dictionary off (DICTIONARY_NL_EN and DICTIONARY_EN_NL are empty): "
                 "Dutch-English matching uses the glossary only")
        return DictionaryState(None, configured=False)
    files = [f"{p}{ext}" for p in (nl_en, en_nl) if p for ext in (".index", ".dict.dz")]
    files += [words] if words else []
    signatures = {path: _signature(path) for path in files}
    missing = tuple(path for path, sig in signatures.items() if sig is None)
    sources = {p: DictdSource.at(p) for p in (nl_en, en_nl)
               if p and signatures[f"{p}.index"] and signatures[f"{p}.dict.dz"]}
    dictionary = None
    if sources:
        key = (tuple(sorted(sig for sig in signatures.values() if sig is not None)), lexicon)
        with _LOCK:
            dictionary = _LOADED.get(key)
            if dictionary is None:
                try:
                    dictionary = BilingualDictionary.from_sources(
                        sources.get(nl_en), sources.get(en_nl),
                        words if words and signatures[words] else None, lexicon=lexicon)
                except (OSError, ValueError) as exc:
                    log.warning("cross-language matching is reduced: the bilingual dictionary "
                                "could not be read (%s)", exc)
                    return DictionaryState(None, tuple(files))
                _LOADED[key] = dictionary
    if missing:
        log.warning("cross-language matching is reduced: missing %s (install the Debian "
                    "packages dict-freedict-nld-eng dict-freedict-eng-nld hunspell-nl, or set "
                    "MATCHMAKER_DICTIONARY_NL_EN / _EN_NL / _DUTCH_WORDS)", ", ".join(missing))
    else:
        log.info("bilingual dictionary read: %s", dictionary.size if dictionary else {})
    return DictionaryState(dictionary, missing)
