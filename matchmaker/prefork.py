"""Serving from forked workers: the app made once in a parent, its read-only parts shared.

gunicorn with ``preload_app`` makes the app in its master and forks the workers from it, so the
pages of what every worker only reads (Flask, SQLAlchemy, the schemas, the vocabularies, the
bilingual dictionary, simplemma's language data) stay shared, copy-on-write, instead of being
made again in each worker. That is safe only because the master, after :func:`before_fork`,
holds nothing a child must not share:

- database connections: the master's pool (set-up and seeding used it) is closed here, and each
  child also drops what it inherited without closing it (:func:`after_fork`, SQLAlchemy's
  documented pattern for forking), so no two processes ever talk over one connection;
- threads and locks: ``create_app`` starts none; the index refresher (its thread, its LISTEN
  connection) is started in each worker after the fork (:func:`matchmaker.refresher.ensure_refresher`),
  and the index cache's locks are made anew in the child;
- the supplier index and the directory: with an index directory (``INDEX_DIR``, the default)
  the master loads the persisted index (mapped; or builds and saves it, under the file lock, as
  the first worker would have) and the supplier directory saved beside it (or fits it from the
  index and saves it there, when none can be trusted:
  :func:`matchmaker.services.directory.warm`), so every worker starts with both, in step, and
  only catches up from the change log. The directory's lists, dicts and posting arrays were
  about 100 MB per worker when each fitted its own; made here and frozen (below), their pages
  stay shared until a worker writes to them. The index cache's and the directory's locks are
  made anew in the child. Without an index directory the master builds nothing;
- Redis (rate limits): redis-py's connection pool notices a new pid and reconnects, and the
  master never connects;
- Prometheus: prometheus_client notices a new pid and writes a child's values to files named by
  its own pid; the files the master made at import (the unlabelled gauges') are removed by
  gunicorn.conf.py's ``on_starting``, which runs after the app is preloaded.
"""
from __future__ import annotations

import gc

from flask import Flask

from matchmaker.extensions import db
from matchmaker.services import directory

# Words whose lemmas load simplemma's Dutch and English data (loaded on the first look-up).
_WARM_WORDS = (("gereinigde", "nl"), ("cleaned", "en"))


def before_fork(app: Flask) -> None:
    """In the parent, once, before the first worker is forked: load what is worth sharing (with
    an index directory, the persisted index and the directory fitted from it), close the
    parent's database connections, and freeze the objects made so far.

    Freezing moves them out of the garbage collector's reach, so a collection in a worker does
    not write to (and so copy) every shared page it visits (Python's documented use of
    ``gc.freeze`` before ``fork``).
    """
    dictionary = app.extensions["matchmaker"].vocabulary.dictionary
    if dictionary is not None:
        for word, lang in _WARM_WORDS:
            dictionary.inflections(word, lang)
    with app.app_context():
        if app.extensions["matchmaker"].index.index_dir is not None:
            directory.warm()
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    gc.freeze()


def after_fork(app: Flask) -> None:
    """In a forked child, before it serves: its own connection pools (the parent's connections,
    if any, are left to the parent: ``close=False``) and the index cache's and the directory's
    locks anew."""
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
        directory.after_fork()
    app.extensions["matchmaker"].index.after_fork()
