"""The database tables, one module per domain; imported here so Alembic sees them all."""
from matchmaker.models.accounts import (
    Account,
    AccountLink,
    AccountLinkPurpose,
    ApiToken,
    BuyerOrganisation,
    PageSession,
    Role,
)
from matchmaker.models.audit import AuditEntry
from matchmaker.models.changes import SupplierChange
from matchmaker.models.interop import ExternalIdentifier
from matchmaker.models.shortlists import Feedback, FeedbackVerdict, ShortlistSnapshot
from matchmaker.models.suppliers import (
    Supplier,
    SupplierCertification,
    SupplierCpvCode,
    SupplierReference,
)
from matchmaker.models.tenders import Tender, TenderCriterion, TenderStatus
from matchmaker.models.weights import WeightProfile, WeightProfileStatus

__all__ = [
    "Account",
    "AccountLink",
    "AccountLinkPurpose",
    "ApiToken",
    "AuditEntry",
    "BuyerOrganisation",
    "ExternalIdentifier",
    "Feedback",
    "FeedbackVerdict",
    "PageSession",
    "Role",
    "ShortlistSnapshot",
    "Supplier",
    "SupplierChange",
    "SupplierCertification",
    "SupplierCpvCode",
    "SupplierReference",
    "Tender",
    "TenderCriterion",
    "TenderStatus",
    "WeightProfile",
    "WeightProfileStatus",
]
