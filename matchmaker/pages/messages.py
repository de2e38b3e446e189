"""Validation messages in the reader's language, and the fields they are about by their labels.

The schemas speak English (marshmallow's and our own messages); pages show them through gettext
in the page's language, and the API's problem+json in Dutch when the request asks for it
(``Accept-Language: nl``; English otherwise, see :mod:`matchmaker.errors`). Fixed messages are
listed here so that ``pybabel extract -k N_`` puts them in the catalogues; messages that carry a
value (a length, a code, a year) are matched by pattern and translated with the value kept. A
message not known here is shown as the API gives it.
"""
from __future__ import annotations

import re

from flask_babel import gettext, lazy_gettext

from matchmaker.pages.i18n import code_label, rung_label, scope_label, size_label


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


SCHEMA_MESSAGES = (
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Invalid value."),
    N_("Not a valid string."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Not a valid email address."),
    N_("Not a valid URL."),
    N_("Not a valid date."),
    N_("Not a valid boolean."),
    N_("Unknown field."),
    N_("A KvK number is exactly 8 digits."),
    N_("A Dutch postcode looks like 1011 AB."),
    N_("A CPV code has the form 12345678-9 (8 digits, a dash, a check digit)."),
    N_("Each value may appear only once."),
    N_("Already registered."),
    N_("Staff only."),
    # matchmaker.services.tenders: a tender the engine could not rank
    N_("The tender cannot be ranked as it stands; see errors."),
    N_("This tender was stored with criteria that can no longer be ranked; edit its criteria "
       "(see errors)."),
    N_("Text may not contain NUL characters."),
    # marshmallow's other fixed messages
    N_("Invalid type."),
    N_("Not a valid list."),
    N_("Not a valid mapping type."),
    N_("Not a valid datetime."),
    N_("Not a valid time."),
    N_("Number too large."),
    N_("Special numeric values (nan or infinity) are not permitted."),
    N_("String does not match expected pattern."),
    N_("Invalid input type."),
    N_("Not a valid tuple."),
    N_("Not a valid utf-8 string."),
    # matchmaker.schemas
    N_("A CPV code is 8 digits, optionally with its check digit: 39130000-2."),
    N_("CPV codes are strings."),
    N_("Give either name or kvk."),
    N_("Say what is verified: verified, kvk_verified or certifications."),
    N_("Preview at least one tender: recent > 0 or tender_ids."),
    N_("The request has invalid fields; see errors."),
    # service refusals a page shows
    N_("Not on this shortlist."),
    # the engine's criterion checks (scoring.criteria), as the seam passes them on
    N_("'codes' must be a non-empty list of codes"),
    N_("'name' must be a certificate name"),
    N_("give exactly one of 'at_least' (a strategy) or 'prefer_higher': true"),
    N_("'municipality' must be a municipality name"),
    N_("a parameter is given twice"),
    # matchmaker.services.tenders and verdicts: the tender lifecycle (issue 15)
    N_("A published tender's deadline lies in the future."),
    N_("The tender cannot be published with this deadline; see errors."),
    N_("This step is not possible in the tender's current status."),
    N_("Only a draft can be changed or deleted here."),
    N_("The tender changed meanwhile; fetch it again."),
    N_("Feedback is for suppliers on this shortlist (or its near misses)."),
    N_("A draft is not awarded; publish the tender first."),
    N_("Choose a supplier from the tender's shortlists."),
    # matchmaker.schemas.accounts.password_problem and the account services
    N_("A password cannot be only white space."),
    N_("A password cannot be one character repeated."),
    N_("A password needs at least one letter."),
    N_("That password is among the most common ones; choose another."),
    N_("This supplier has an account already."),
    N_("Unknown buyer."),
)

# (pattern of the English message, its translation with the captured values as named fields)
PATTERNS = (
    (re.compile(r"^Shorter than minimum length (?P<n>\d+)\.$"),
     lazy_gettext("Shorter than the minimum length of %(n)s.")),
    (re.compile(r"^Longer than maximum length (?P<n>\d+)\.$"),
     lazy_gettext("Longer than the maximum length of %(n)s.")),
    (re.compile(r"^(?P<code>\S+) is not a valid CPV code: the check digit does not match\.$"),
     lazy_gettext("%(code)s is not a valid CPV code: the check digit does not match.")),
    (re.compile(r"^The founding year must lie between (?P<low>\d+) and (?P<high>\d+)\.$"),
     lazy_gettext("The founding year must lie between %(low)s and %(high)s.")),
    (re.compile(r"^Text may not contain control characters \((?P<code>U\+[0-9A-F]+)\)\.$"),
     lazy_gettext("Text may not contain control characters (%(code)s).")),
    (re.compile(r"^Text may not contain bidirectional control characters "
                r"\((?P<code>U\+[0-9A-F]+)\)\.$"),
     lazy_gettext("Text may not contain bidirectional control characters (%(code)s).")),
    (re.compile(r"^A password needs at least (?P<n>\d+) characters\.$"),
     lazy_gettext("A password needs at least %(n)s characters.")),
    (re.compile(r"^A password has at most (?P<n>\d+) characters\.$"),
     lazy_gettext("A password has at most %(n)s characters.")),
    (re.compile(r"^Looks like (?P<name>.+)\.$"), lazy_gettext("Looks like %(name)s.")),
    (re.compile(r"^Must be greater than or equal to (?P<low>[\d.]+) and less than or equal to "
                r"(?P<high>[\d.]+)\.$"),
     lazy_gettext("Must be between %(low)s and %(high)s.")),
    # marshmallow's messages that carry values
    (re.compile(r"^Length must be between (?P<low>\d+) and (?P<high>\d+)\.$"),
     lazy_gettext("The length must be between %(low)s and %(high)s.")),
    (re.compile(r"^Length must be (?P<n>\d+)\.$"), lazy_gettext("The length must be %(n)s.")),
    (re.compile(r"^Must be greater than or equal to (?P<low>[-\d.]+)\.$"),
     lazy_gettext("Must be at least %(low)s.")),
    (re.compile(r"^Must be less than or equal to (?P<high>[-\d.]+)\.$"),
     lazy_gettext("Must be at most %(high)s.")),
    (re.compile(r"^Must be greater than (?P<low>[-\d.]+)\.$"),
     lazy_gettext("Must be more than %(low)s.")),
    (re.compile(r"^Must be less than (?P<high>[-\d.]+)\.$"),
     lazy_gettext("Must be less than %(high)s.")),
    (re.compile(r"^Must be one of: (?P<choices>.+)\.$"),
     lazy_gettext("Must be one of: %(choices)s.")),
    (re.compile(r"^\"(?P<value>.*)\" cannot be formatted as a date\.$"),
     lazy_gettext("%(value)s is not a date.")),
    (re.compile(r"^At most (?P<n>\d+) items per page\.$"),
     lazy_gettext("At most %(n)s items per page.")),
    # service refusals a page shows (matchmaker.services.weight_profiles)
    (re.compile(r"^Nothing changed: these are the weights of (?P<name>.+) version "
                r"(?P<version>\d+)\.$"),
     lazy_gettext("Nothing changed: these are the weights of %(name)s version %(version)s.")),
    (re.compile(r"^(?P<name>.+) version (?P<version>\d+) is already active\.$"),
     lazy_gettext("%(name)s version %(version)s is already active.")),
    # The engine's criterion checks (scoring.criteria), as the seam passes them on.
    (re.compile(r"^weight must be between (?P<low>[\d.]+) and (?P<high>[\d.]+), got (?P<value>.+)$"),
     lazy_gettext("The weight must be between %(low)s and %(high)s (not %(value)s).")),
    (re.compile(r"^weight must be a finite number, got (?P<value>.+)$"),
     lazy_gettext("The weight must be a number (not %(value)s).")),
    (re.compile(r"^mode must be 'must' or 'should', got (?P<value>.+)$"),
     lazy_gettext("Choose requirement or wish (not %(value)s).")),
    (re.compile(r"^'at_least' must be one of (?P<rungs>.+), got (?P<value>.+)$"),
     lazy_gettext("The lowest rung must be one of %(rungs)s (not %(value)s).")),
    (re.compile(r"^'scope' must be one of (?P<scopes>.+), got (?P<value>.+)$"),
     lazy_gettext("The region scope must be one of %(scopes)s (not %(value)s).")),
    (re.compile(r"^unknown size class\(es\) \[(?P<value>.+)\]; known: (?P<sizes>.+)$"),
     lazy_gettext("Unknown company size %(value)s; choose from %(sizes)s.")),
    (re.compile(r"^'allowed' must be a non-empty list of (?P<sizes>.+)$"),
     lazy_gettext("Choose one or more company sizes: %(sizes)s.")),
    (re.compile(r"^not a classification code: (?P<value>.+)$"),
     lazy_gettext("Not a classification code: %(value)s.")),
    (re.compile(r"^'(?P<name>\w+)' must be a whole number >= 0, got (?P<value>.+)$"),
     lazy_gettext("Must be a whole number of 0 or more (not %(value)s).")),
    (re.compile(r"^'prefer_higher' must be true or false, got (?P<value>.+)$"),
     lazy_gettext("Must be true or false (not %(value)s).")),
    (re.compile(r"^unknown parameter\(s\) (?P<names>.+) \(allowed: (?P<allowed>.+)\)$"),
     lazy_gettext("Unknown setting %(names)s (allowed: %(allowed)s).")),
    (re.compile(r"^unknown criterion kind '(?P<kind>.+)'; known kinds: (?P<choices>.+)$"),
     lazy_gettext("Unknown kind of criterion %(kind)s; choose from %(choices)s.")),
    (re.compile(r"^unknown municipality '(?P<name>.+)'$"),
     lazy_gettext("Unknown municipality: %(name)s.")),
    (re.compile(r"^needs a 'municipality' \(the tender names none\)$"),
     lazy_gettext("Name a municipality here or for the whole tender.")),
)


# The engine's criterion problems come as "<kind> criterion: <problem>; <problem>" (the form
# shows them beside the criterion already); "; known:" belongs to the size-class problem.
CRITERION_PREFIX = re.compile(r"^[a-z_]+ criterion: ")
PROBLEM_SEPARATOR = re.compile(r"; (?!known: )")

# Captured lists of the engine's codes, shown by their labels.
LABELLED = {"rungs": rung_label, "sizes": size_label, "scopes": scope_label, "choices": code_label}


def _shown(name: str, value: str) -> str:
    label = LABELLED.get(name)
    if label is None:
        return value
    return ", ".join(label(code.strip().strip("'\"")) for code in value.split(","))


def _translate_one(message: str) -> str:
    for pattern, translation in PATTERNS:
        match = pattern.match(message)
        if match:
            return str(translation) % {name: _shown(name, value)
                                       for name, value in match.groupdict().items()}
    return gettext(message)


def translate(message: str) -> str:
    """The message in the current language, if the catalogue knows it."""
    if CRITERION_PREFIX.match(message):
        problems = PROBLEM_SEPARATOR.split(CRITERION_PREFIX.sub("", message, count=1))
        return " ".join(_translate_one(problem) for problem in problems)
    return _translate_one(message)


# Form fields by their labels on the pages (the same msgids the forms use), so an error summary
# never shows an internal key such as ``cpv_codes.0``.
FIELD_LABELS = {
    "name": lazy_gettext("Name"),
    "title": lazy_gettext("Title"),
    "description": lazy_gettext("Description"),
    "offerings": lazy_gettext("Offerings"),
    "materials": lazy_gettext("Materials"),
    "cpv_codes": lazy_gettext("CPV codes"),
    "kvk_number": lazy_gettext("KvK number"),
    "website": lazy_gettext("Website"),
    "contact_email": lazy_gettext("Contact e-mail"),
    "municipality": lazy_gettext("Municipality"),
    "postcode": lazy_gettext("Postcode"),
    "founded_year": lazy_gettext("Founded in"),
    "size_class": lazy_gettext("Size"),
    "circular_strategies": lazy_gettext("Circular strategies (R-ladder)"),
    "business_models": lazy_gettext("Business models"),
    "certifications": lazy_gettext("Certifications"),
    "references": lazy_gettext("References"),
    "deadline": lazy_gettext("Deadline"),
    "status": lazy_gettext("Status"),
    "criteria": lazy_gettext("Criteria"),
    "email": lazy_gettext("E-mail address"),
    "password": lazy_gettext("Password"),
    "token": lazy_gettext("Token"),
    "reason": lazy_gettext("Reason"),
    "weights": lazy_gettext("Component weights"),
    "components": lazy_gettext("Component weights"),
    "q": lazy_gettext("Search"),
    "sort": lazy_gettext("Sort"),
}

# One item of a repeated field: "CPV code 1", "Certificate 2", "Criterion 3".
ITEM_LABELS = {
    "cpv_codes": lazy_gettext("CPV code %(n)s"),
    "certifications": lazy_gettext("Certificate %(n)s"),
    "references": lazy_gettext("Reference %(n)s"),
    "criteria": lazy_gettext("Criterion %(n)s"),
    "offerings": lazy_gettext("Offering %(n)s"),
    "materials": lazy_gettext("Material %(n)s"),
}

# The parts of a repeated item (certificate, reference, criterion rows).
PART_LABELS = {
    "name": lazy_gettext("name"),
    "issuer": lazy_gettext("issuer"),
    "valid_until": lazy_gettext("valid until"),
    "client": lazy_gettext("client"),
    "title": lazy_gettext("title"),
    "description": lazy_gettext("description"),
    "year": lazy_gettext("year"),
    "kind": lazy_gettext("kind"),
    "mode": lazy_gettext("must/should"),
    "weight": lazy_gettext("weight"),
    "value": lazy_gettext("value"),
    "params": lazy_gettext("value"),
    "scope": lazy_gettext("region scope"),
    # the criteria builder's settings, one input per kind (matchmaker.pages.forms.PARAM_INPUTS)
    "codes": lazy_gettext("CPV codes"),
    "certification": lazy_gettext("certificate"),
    "at_least": lazy_gettext("lowest rung"),
    "municipality": lazy_gettext("municipality"),
    "sizes": lazy_gettext("company sizes"),
    "max_age_years": lazy_gettext("maximum age in years"),
}


def field_label(path: str) -> str:
    """A dotted field path as people read it ('' for the form as a whole or an unknown field):
    ``cpv_codes.0`` is "CPV code 1", ``criteria.2.weight`` "Criterion 3: weight"."""
    parts = path.split(".")
    head = parts[0]
    if head in ("_schema", "") or (head not in FIELD_LABELS and head not in ITEM_LABELS):
        return ""
    if len(parts) >= 2 and parts[1].isdigit() and head in ITEM_LABELS:
        item = str(ITEM_LABELS[head]) % {"n": int(parts[1]) + 1}
        if len(parts) >= 3 and parts[2] in PART_LABELS:
            return f"{item}: {PART_LABELS[parts[2]]}"
        return item
    return str(FIELD_LABELS.get(head, ""))
