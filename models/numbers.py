"""Counts and percentages as people type them in the impact fields.

Accepted, and nothing else:

* ASCII digits, with ``,`` or ``_`` between groups of three: ``18400``,
  ``18,400``, ``18_400`` (``2,5`` is refused: a decimal is written ``2.5``);
* for counts, a ``k`` (thousand) or ``M`` (million) suffix, with an optional
  decimal part as long as the result is whole: ``18k``, ``18.4k``, ``2M``;
* for percentages, a decimal part and an optional ``%``: ``38.5``, ``140 %``.

``str.isdigit()`` and ``float()`` are deliberately not used: the first is true
for ``²`` and Arabic-Indic digits, which ``int()`` then refuses or reads as
something else; the second accepts ``1e9``, ``nan``, ``inf`` and ``-0``, none of
which anybody means in a field for users affected.
"""

from __future__ import annotations

import re
from decimal import Decimal

from models.errors import ValidationError
from models.rules import MAX_COUNT, MAX_PERCENT
from models.usertext import printable

# A separator only between groups of three, the same one throughout: "2,5" is a
# European decimal, not twenty-five, and "1,00,000" is a lakh grouping nobody
# can check at a glance. Both are refused with a word about why.
_GROUPED = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?:_[0-9]{3})+|[0-9]+)"
_BAD_GROUPS = re.compile(r"^[0-9]+(?:[,_][0-9]+)+(?:\.[0-9]+)?\s*[kKmM%]?$", re.ASCII)
_COUNT = re.compile(rf"^(?P<n>{_GROUPED})(?:\.(?P<frac>[0-9]+))?\s*(?P<unit>[kKmM])?$", re.ASCII)
_PERCENT = re.compile(rf"^(?P<n>{_GROUPED})(?:\.(?P<frac>[0-9]+))?\s*%?$", re.ASCII)
_UNITS = {"k": 1_000, "m": 1_000_000}

COUNT_FORMS = "a count like 18,400 or 18k"
PERCENT_FORMS = "a percentage like 38.5"


def parse_count(text: str, field: str) -> int | None:
    """The whole number typed in ``text``, or None if it is blank.

    Raises ValidationError naming ``field`` for anything else, for a fraction that
    isn't whole after its suffix (``1.5``, ``1.0001k``), and above MAX_COUNT."""
    from models.usertext import shown

    typed = text.strip()
    if not typed:
        return None
    m = _COUNT.match(typed)
    if m is None:
        raise ValidationError(field, f"{shown(typed)} is not {COUNT_FORMS}{_why(typed)}")
    digits = m["n"].replace(",", "").replace("_", "")
    if len(digits) > 12:
        raise ValidationError(field, f"{shown(typed)} is more than {MAX_COUNT:,}")
    value = Decimal(f"{digits}.{m['frac'] or '0'}") * _UNITS.get((m["unit"] or "").lower(), 1)
    if value != value.to_integral_value():
        raise ValidationError(field, f"{shown(typed)} is not a whole number")
    if value > MAX_COUNT:
        raise ValidationError(field, f"{shown(typed)} is more than {MAX_COUNT:,}")
    return int(value)


def parse_percent(text: str, field: str) -> float | None:
    """The percentage typed in ``text`` (a number, 0 to MAX_PERCENT), or None if blank.

    It may exceed 100: an error budget can be overspent. Raises ValidationError
    naming ``field`` for anything else."""
    from models.usertext import shown

    typed = text.strip()
    if not typed:
        return None
    m = _PERCENT.match(typed)
    if m is None:
        raise ValidationError(field, f"{shown(typed)} is not {PERCENT_FORMS}{_why(typed)}")
    digits = m["n"].replace(",", "").replace("_", "")
    if len(digits) > 12 or Decimal(f"{digits}.{m['frac'] or '0'}") > Decimal(str(MAX_PERCENT)):
        raise ValidationError(field, f"{shown(typed)} is more than {MAX_PERCENT:,g}%")
    return float(f"{digits}.{m['frac'] or '0'}")


def _why(typed: str) -> str:
    """The reason, when the digits are there but grouped wrongly."""
    if _BAD_GROUPS.match(typed):
        return ": group digits in threes; a decimal takes a point"
    return ""


def show_count(value: int | None) -> str:
    """A stored count as the field shows it: ``18,400``, or empty. A value that is no
    number (another program stored ``lots``) is shown as it is, for the user to fix."""
    if value is None:
        return ""
    return f"{value:,}" if _is_number(value) else printable(str(value))


def show_percent(value: float | None) -> str:
    """A stored percentage as the field shows it: ``38.5``, ``140``, or empty."""
    if value is None:
        return ""
    return f"{value:,.6g}".replace(",", "") if _is_number(value) else printable(str(value))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
