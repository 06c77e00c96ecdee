"""What free text would disclose: the fields of a case whose values a text written for a partner
(the question of a referral out) contains although they are not shared with it. Plain functions on
plain values, no database: `build_snapshot(case, SHAREABLE_FIELDS)` gives the values of every field,
and these look for them in the text.

What counts as a field's value in a text, after folding case, accents and whitespace:
- names (first name, last name, a family member's full name), the school's name, the street: the
  same words in the same order, whole words only ("Ali" is not found in "Alice");
- the birth date in the common Belgian ways of writing it: 3/1/2010, 03-01-2010, 3.1.10,
  2010-01-03, "3 januari 2010" (Dutch, French or English month names, also abbreviated);
- phone numbers by their digits, whatever the spacing, also with +32 or 0032 for the leading 0;
  e-mail addresses as written;
- the grade as "3de jaar", "3e leerjaar", "leerjaar 3", "grade 3" (not "3 jaar", a duration);
- help questions and goals: the whole text, or a run of `RUN` consecutive words of it.
Not looked for: the municipality, the form of education and the trajectory summary (place names,
categories and counts that do not single anyone out), and one-word help questions or goals."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from brugwerk.cases.models import SHAREABLE_FIELDS, ShareableField

RUN = 6  # this many consecutive words of a help question or goal count as its text

MONTHS = {
    1: ("januari", "jan", "janvier", "january"),
    2: ("februari", "feb", "febr", "fevrier", "fev", "february"),
    3: ("maart", "mrt", "mars", "march", "mar"),
    4: ("april", "apr", "avril", "avr"),
    5: ("mei", "mai", "may"),
    6: ("juni", "jun", "juin", "june"),
    7: ("juli", "jul", "juillet", "juil", "july"),
    8: ("augustus", "aug", "aout", "august"),
    9: ("september", "sep", "sept", "septembre"),
    10: ("oktober", "okt", "octobre", "oct", "october"),
    11: ("november", "nov", "novembre"),
    12: ("december", "dec", "decembre"),
}
_MONTH_OF = {name: number for number, names in MONTHS.items() for name in names}
_MONTH_NAMES = "|".join(sorted(_MONTH_OF, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})(?!\d)")
_YEAR_MONTH_DAY = re.compile(r"(?<!\d)(\d{4})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})(?!\d)")
_WRITTEN = re.compile(rf"(?<!\d)(\d{{1,2}})(?:e|de|ste|er)?\s+({_MONTH_NAMES})\.?\s+(\d{{4}})(?!\d)")
_PHONE_LIKE = re.compile(r"\+?\d[\d\s./()-]*\d")


def fold(text: Any) -> str:
    """Lower case, without accents, with single spaces: "Zoë  El-Amrani" -> "zoe el-amrani"."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


def words(text: Any) -> list[str]:
    return re.findall(r"[^\W_]+", fold(text))


def _has_run(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def contains_words(text_words: list[str], value: Any) -> bool:
    """The words of `value`, in order and whole, somewhere in the text."""
    return _has_run(text_words, words(value))


def contains_passage(text_words: list[str], passage: Any, run: int = RUN) -> bool:
    """The passage's text, or `run` consecutive words of it, in the text. A one-word passage is
    never found: one word is not a text."""
    passage_words = words(passage)
    if len(passage_words) < 2:
        return False
    size = min(run, len(passage_words))
    runs = {tuple(passage_words[i : i + size]) for i in range(len(passage_words) - size + 1)}
    return any(tuple(text_words[i : i + size]) in runs for i in range(len(text_words) - size + 1))


def _full_year(year: str) -> int:
    value = int(year)
    return value if len(year) == 4 else 2000 + value if value < 50 else 1900 + value


def dates_in(text: Any) -> set[datetime.date]:
    """Every date written in the text in one of the common Belgian ways (see the module's doc)."""
    folded = fold(text)
    found: set[tuple[int, int, int]] = set()
    for day, month, year in _DAY_MONTH_YEAR.findall(folded):
        found.add((_full_year(year), int(month), int(day)))
    for year, month, day in _YEAR_MONTH_DAY.findall(folded):
        found.add((int(year), int(month), int(day)))
    for day, month, year in _WRITTEN.findall(folded):
        found.add((int(year), _MONTH_OF[month], int(day)))
    dates = set()
    for year, month, day in found:
        try:
            dates.add(datetime.date(year, month, day))
        except ValueError:
            continue
    return dates


def _phone_digits(value: Any) -> str:
    digits = re.sub(r"\D", "", str(value or ""))
    if digits.startswith("0032"):
        digits = "0" + digits[4:]
    elif digits.startswith("32") and len(digits) in (10, 11):
        digits = "0" + digits[2:]
    return digits


def contains_phone(text: Any, phone: Any) -> bool:
    wanted = _phone_digits(phone)
    if len(wanted) < 6:
        return False
    return any(wanted in _phone_digits(match) for match in _PHONE_LIKE.findall(str(text or "")))


def contains_email(text: Any, email: Any) -> bool:
    """The address as a whole: "an@jac.be" is not found in "an@jac.bel" or "jan@jac.be"."""
    address = fold(email)
    if not address or "@" not in address:
        return False
    return re.search(rf"(?<![\w.+-]){re.escape(address)}(?![\w-]|\.\w)", fold(text)) is not None


def contains_grade(text_words: list[str], grade: Any) -> bool:
    if not grade:
        return False
    number = str(grade)
    # "3de jaar", "3e leerjaar", "3rd year", "leerjaar 3", "grade 3"; not a bare "3 jaar" (a duration).
    ordinals = {f"{number}{suffix}" for suffix in ("e", "de", "ste", "nd", "rd", "th")}
    pairs = zip(text_words, text_words[1:], strict=False)
    return any(
        (a in ordinals and b in {"jaar", "leerjaar", "year", "grade", "annee"})
        or (a in {"leerjaar", "grade"} and b == number)
        for a, b in pairs
    )


def _as_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _found(field: str, text: str, text_words: list[str], value: Any) -> bool:
    """Whether `text` holds the value of one field (as `build_snapshot` gives it)."""
    if field in (ShareableField.FIRST_NAME, ShareableField.LAST_NAME, ShareableField.SCHOOL):
        return contains_words(text_words, value)
    if field == ShareableField.BIRTH_DATE:
        birth_date = _as_date(value)
        return birth_date is not None and birth_date in dates_in(text)
    if field == ShareableField.GRADE:
        return contains_grade(text_words, (value or {}).get("grade"))
    if field == ShareableField.CONTACT_DETAILS:
        details = value or {}
        return (
            contains_phone(text, details.get("phone"))
            or contains_email(text, details.get("email"))
            or contains_words(text_words, details.get("street"))
        )
    if field == ShareableField.FAMILY:
        return any(
            contains_words(text_words, member.get("name"))
            or contains_phone(text, member.get("phone"))
            or contains_email(text, member.get("email"))
            for member in value or []
        )
    if field in (ShareableField.HELP_QUESTIONS, ShareableField.GOALS):
        return any(contains_passage(text_words, item.get("description")) for item in value or [])
    return False  # the summary: counts, dates and the lead, nothing of the young person to find


def fields_disclosed_by(text: Any, *, values: Mapping[str, Any], shared: Iterable[str]) -> list[str]:
    """The fields, in the vocabulary's order, whose values (`values`: field -> value, as
    `build_snapshot` gives them) appear in `text` although they are not among `shared`."""
    allowed = set(shared)
    text = str(text or "")
    text_words = words(text)
    return [
        field
        for field in SHAREABLE_FIELDS
        if field not in allowed and field in values and _found(field, text, text_words, values[field])
    ]
