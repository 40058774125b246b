"""Masks personal details in message texts before anyone at the clinic reads them.

People type their phone number, email, postcode or date of birth into a chat
("call me on 07700 900123"). The unanswered list is the only place message
texts are shown, and it is shown to clinic staff, so these are replaced by a
label first. Built to over-mask: any date is treated as a possible date of
birth and any five-digit number as a possible ZIP code, since a masked
harmless number costs less than a leaked identifier.
"""

from __future__ import annotations

import re

EMAIL = "[email]"
PHONE = "[phone]"
POSTCODE = "[postcode]"
DATE = "[date]"

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"

# Order matters: emails before anything that could eat their digits, dates before
# phones (12/03/1980 is a date, not a phone number), phones before ZIP codes.
_PATTERNS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE), EMAIL),
    # 12/03/1980, 12-3-80, 12.03.1980, 1980-03-12
    (re.compile(r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}[/.-]\d{1,2}[/.-]\d{1,2})\b"), DATE),
    # 12 March 1980, 12th of march, 1980
    (re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTHS}\b,?(?:\s+\d{{2,4}}\b)?", re.IGNORECASE), DATE),
    # March 12, 1980 / March 12th
    (re.compile(rf"\b{_MONTHS}\s+{_DAY}\b,?(?:\s+\d{{2,4}}\b)?", re.IGNORECASE), DATE),
    # born in March 1980 / dob: March 1980
    (re.compile(rf"\b{_MONTHS}\s+(?:19|20)\d{{2}}\b", re.IGNORECASE), DATE),
    # UK postcodes: SW1A 1AA, M1 1AE, b33 8th, EC1A1BB
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE), POSTCODE),
    # US ZIP+4 before phones, which would otherwise take its nine digits: 10001-1234
    (re.compile(r"\b\d{5}-\d{4}\b"), POSTCODE),
    # phone numbers: +44 7700 900123, (020) 7946 0958, 555-123-4567, 07700900123
    (re.compile(r"(?<![\w+])(?:\+|00)?\d(?:[\s().-]*\d){6,14}(?!\w)"), PHONE),
    # US ZIP: 90210
    (re.compile(r"\b\d{5}\b"), POSTCODE),
)


def mask(text: str) -> str:
    """`text` with every email, phone number, postcode, ZIP code and date replaced by a label."""
    for pattern, label in _PATTERNS:
        text = pattern.sub(label, text)
    return text
