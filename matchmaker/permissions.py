"""Who may do what: every access rule of the API, the pages and the services, in one place.

:mod:`matchmaker.auth` says *who* is calling (a :class:`~matchmaker.auth.Principal`); this module
says what that caller may do. Three kinds of rule live here:

- **gates** on the caller alone (:func:`works_with_tenders`, :func:`is_staff`, ...), enforced
  with :func:`require` (401 for a caller without a token, 403 for a token of the wrong kind) or,
  for a whole API blueprint or route, with the :func:`require_role` decorator;
- **row rules** on one row (:data:`may_read_tender`, :data:`may_see_shortlist`, ...): plain
  predicates ``rule(principal, row)`` that also name the columns they read, so that
  :func:`matchmaker.services.visibility.load_visible` decides on a narrow query and a hidden
  row costs what a missing one does;
- **list filters** (:func:`listed_tenders`, :func:`listed_suppliers`): the same rules as SQL
  conditions for listing many rows.

Another organisation's things answer 404, never 403: a row rule that says no makes the row
*missing* for that caller (see :mod:`matchmaker.services.visibility`); only gates refuse with
403, and they look at the caller's token, never at a row.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import true
from sqlalchemy.sql.elements import ColumnElement

from matchmaker.auth import Principal, current_principal
from matchmaker.errors import Forbidden, Unauthorized
from matchmaker.models import Role, ShortlistSnapshot, Supplier, Tender, TenderStatus

__all__ = [
    "RowRule",
    "is_signed_in", "is_staff", "is_supplier", "is_the_supplier", "works_with_tenders",
    "may_create_tender_for", "may_move_tender", "may_read_tender", "may_change_tender",
    "may_compare_with_tender", "listed_tenders",
    "may_see_supplier", "may_change_supplier", "may_set_staff_only_fields", "listed_suppliers",
    "PUBLIC_CONTACT_FIELDS", "may_see_contact_email",
    "may_see_shortlist", "may_give_feedback",
    "require", "require_role",
]


# --------------------------------------------------------------------------- gates: the caller


def is_signed_in(principal: Principal) -> bool:
    """The caller sent a valid token (anonymous callers read only public things)."""
    return principal.role is not None


def is_staff(principal: Principal) -> bool:
    """Programme staff: may read and change everything, and use the staff-only routes."""
    return principal.role is Role.STAFF


def is_supplier(principal: Principal) -> bool:
    """A supplier signed in with its edit token (the supplier pages are for it alone)."""
    return principal.role is Role.SUPPLIER and principal.supplier_id is not None


def is_the_supplier(principal: Principal, supplier_id: int) -> bool:
    """The caller is the supplier ``supplier_id`` itself (its edit token)."""
    return principal.role is Role.SUPPLIER and principal.supplier_id == supplier_id


def works_with_tenders(principal: Principal) -> bool:
    """Buyers and staff write tenders, rank shortlists and match descriptions; suppliers don't."""
    return principal.role in (Role.BUYER, Role.STAFF)


def require(principal: Principal, allowed: bool, *, anonymous: str, refused: str) -> None:
    """Enforce a gate: 401 (``anonymous``) without a token, 403 (``refused``) if not ``allowed``.

    The messages differ by audience (the API's English, the pages' translated sentences), the
    rule does not: pass one of this module's predicates as ``allowed``.

    Raises
    ------
    Unauthorized
        For an anonymous caller, whatever ``allowed`` says.
    Forbidden
        For a signed-in caller the gate does not let through.
    """
    if not is_signed_in(principal):
        raise Unauthorized(anonymous)
    if not allowed:
        raise Forbidden(refused)


def require_role(*roles: Role):
    """Let a view run only for callers with one of ``roles`` (401 anonymous, 403 otherwise)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            principal = current_principal()
            require(principal, principal.role in roles, anonymous="This needs a token.",
                    refused="Your token's role may not do this.")
            return view(*args, **kwargs)

        return wrapped

    return decorator


# --------------------------------------------------------------------------- row rules


@dataclass(frozen=True)
class RowRule:
    """A rule about one row: ``rule(principal, row)`` says whether the caller may have it.

    ``reads`` are the only columns ``allows`` looks at: a row of just these (a narrow query) is
    enough to decide, which :func:`matchmaker.services.visibility.load_visible` relies on. A
    full ORM row works too, as it has every column.
    """

    reads: tuple[Any, ...]
    allows: Callable[[Principal, Any], bool]

    def __call__(self, principal: Principal, row: Any) -> bool:
        return self.allows(principal, row)


def _of_callers_organisation(principal: Principal, organisation_id: int | None) -> bool:
    # A buyer token without an organisation (none is issued so) owns nothing, not every row
    # whose organisation is unset.
    return (principal.role is Role.BUYER and principal.buyer_organisation_id is not None
            and organisation_id == principal.buyer_organisation_id)


# --- tenders


def _reads_tender(principal: Principal, tender: Any) -> bool:
    # A draft is confidential to its organisation until published.
    return (is_staff(principal) or tender.status is not TenderStatus.DRAFT
            or _of_callers_organisation(principal, tender.buyer_organisation_id))


def _changes_tender(principal: Principal, tender: Any) -> bool:
    return is_staff(principal) or _of_callers_organisation(principal, tender.buyer_organisation_id)


def _compares_with_tender(principal: Principal, tender: Any) -> bool:
    return is_staff(principal) or tender.status is TenderStatus.PUBLISHED


#: Staff read every tender; a buyer its own organisation's; everyone (anonymous too) the rest
#: once published or closed.
may_read_tender = RowRule((Tender.status, Tender.buyer_organisation_id), _reads_tender)
#: Change, delete, rank and see the shortlists of a tender: its organisation's buyers and staff.
may_change_tender = RowRule((Tender.status, Tender.buyer_organisation_id), _changes_tender)
#: A supplier's gap report against a tender: published tenders only (staff: any).
may_compare_with_tender = RowRule((Tender.status,), _compares_with_tender)


def may_create_tender_for(principal: Principal, organisation_id: int | None) -> bool:
    """A buyer creates tenders for its own organisation (None: the caller's); staff for any."""
    return is_staff(principal) or (principal.role is Role.BUYER and organisation_id in (
        None, principal.buyer_organisation_id))


def may_move_tender(principal: Principal) -> bool:
    """Only staff may give a tender to another buyer organisation."""
    return is_staff(principal)


def listed_tenders(principal: Principal) -> ColumnElement[bool]:
    """The tenders a caller's list shows: staff all, a buyer its organisation's."""
    if is_staff(principal):
        return true()
    return Tender.buyer_organisation_id == principal.buyer_organisation_id


# --- suppliers


def _sees_supplier(principal: Principal, supplier: Any) -> bool:
    # A deactivated profile is hidden from everyone but staff and the supplier itself.
    return supplier.active or is_staff(principal) or is_the_supplier(principal, supplier.id)


#: A supplier profile: listed ones to everyone, deactivated ones to staff and the supplier.
may_see_supplier = RowRule((Supplier.id, Supplier.active), _sees_supplier)


def may_change_supplier(principal: Principal, supplier_id: int) -> bool:
    """Edit, delete, replace the edit token of, see the opportunities of: the supplier, or staff."""
    return is_staff(principal) or is_the_supplier(principal, supplier_id)


def may_set_staff_only_fields(principal: Principal) -> bool:
    """Verification flags and ``active`` (``STAFF_ONLY_SUPPLIER_FIELDS``) are staff's to set."""
    return is_staff(principal)


# A supplier's contact details, field by field (README, "Who sees what"). The website and the KvK
# number are public: a supplier publishes its website to be found, and the KvK number is public
# in the Chamber of Commerce's register (and the directory's lookup already answers it). The
# contact e-mail address is not: listed to anyone, the supplier list is a harvest of addresses
# for spam and phishing, so only those who may contact a supplier about a tender get it.
PUBLIC_CONTACT_FIELDS = ("website", "kvk_number")


def may_see_contact_email(principal: Principal, supplier_id: int) -> bool:
    """A supplier's contact e-mail: signed-in buyers and staff, and the supplier itself.

    Anonymous callers and other suppliers (who could harvest their competitors' addresses with
    a token of their own) do not see it; on the API's profile and list it is left out, on the
    pages it is not shown.
    """
    return works_with_tenders(principal) or is_the_supplier(principal, supplier_id)


def listed_suppliers(principal: Principal) -> ColumnElement[bool]:
    """The profiles a list shows: staff see deactivated ones too."""
    if is_staff(principal):
        return true()
    return Supplier.active.is_(True)


# --- shortlists and feedback


def _sees_shortlist(principal: Principal, shortlist: Any) -> bool:
    return is_staff(principal) or _of_callers_organisation(principal,
                                                           shortlist.buyer_organisation_id)


#: A stored shortlist (and its exports): the buyer organisation it was served to, and staff.
may_see_shortlist = RowRule((ShortlistSnapshot.buyer_organisation_id,), _sees_shortlist)
#: Feedback on a shortlist is read and given by whoever may see the shortlist.
may_give_feedback = may_see_shortlist
