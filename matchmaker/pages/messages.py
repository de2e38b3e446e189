"""The API's validation messages in the page's language.

The schemas speak English: they are the API's contract, and API clients get their messages as
they are. The pages show the same messages through gettext. Fixed messages are listed here so
that ``pybabel extract -k N_`` puts them in the catalogues; messages that carry a value (a
length, a code, a year) are matched by pattern and translated with the value kept. A message
not known here is shown as the API gives it.
"""
from __future__ import annotations

import re

from flask_babel import gettext, lazy_gettext


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
    # The engine's region check (scoring.criteria), as the seam passes it on.
    (re.compile(r"^unknown municipality '(?P<name>.+)'$"),
     lazy_gettext("Unknown municipality: %(name)s.")),
    (re.compile(r"^needs a 'municipality' \(the tender names none\)$"),
     lazy_gettext("Name a municipality here or for the whole tender.")),
)


def translate(message: str) -> str:
    """The message in the page's language, if the catalogue knows it."""
    for pattern, translation in PATTERNS:
        match = pattern.match(message)
        if match:
            return str(translation) % match.groupdict()
    return gettext(message)
