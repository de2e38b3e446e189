"""Offset pagination, once: a query in, one :class:`Page` out (items, total, page, per_page, pages).

Every paginated list (tenders, suppliers, weight profiles, the audit log, tokens) goes through
:func:`paginate`, and every page body is dumped by a schema from
:func:`matchmaker.schemas.common.page_schema`, which reads a :class:`Page`'s attributes. The
directory search pages in the engine (it ranks in memory) and takes only :func:`page_count`.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from matchmaker.extensions import db

Item = TypeVar("Item")

__all__ = ["Page", "page_count", "paginate"]


def page_count(total: int, per_page: int) -> int:
    """How many pages of ``per_page`` hold ``total`` items (0 when there are none)."""
    return (total + per_page - 1) // per_page


@dataclass(frozen=True)
class Page(Generic[Item]):
    """One page of a list: its items, the list's total, this page's number and size."""

    items: Sequence[Item]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


def paginate(query: Select[Any], page: int, per_page: int) -> Page[Any]:
    """Page ``page`` (from 1) of ``query``'s rows, ``per_page`` at a time, with the total.

    ``query`` selects one entity and carries its order, which must be total (end on a unique
    column such as the id) so that pages neither repeat nor skip a row. Two statements: the
    count (over the same conditions, unordered) and the page.
    """
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.scalars(query.offset((page - 1) * per_page).limit(per_page)).all()
    return Page(items=list(items), total=total or 0, page=page, per_page=per_page)
