"""Which column holds what: the header row found by a vocabulary of both languages that tolerates other wordings
and typos, and, where a header does not tell (or there is none), the columns found by their values."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process

from bot.matching.normalize import ascii_fold, fold_key
from bot.triage.dates import parse_date


class Role(StrEnum):
    STATUS = "status"
    EMAIL = "email"
    NAME = "name"
    REFERENCE = "reference"
    CREATED = "created"
    SENT = "sent"
    TYPE = "type"
    # A column we know and do not use (last update, scheduled time, sender, method, id).
    OTHER = "other"


# Patterns over a heading folded to plain lower-case words without accents ("Skickad datum" -> "skickad datum",
# "E-postadress" -> "e postadress"), tried in this order: the first role whose pattern matches wins, so
# "Status updated" is a time of no use, "Email status" a status and "Sender name" not the customer's name.
_PATTERNS: tuple[tuple[Role, re.Pattern[str]], ...] = tuple(
    (role, re.compile(pattern))
    for role, pattern in (
        (Role.OTHER, r"updat|uppdater|andrad|changed|modified|schedul|schemala|planerad|avsandar|\bsender|"
                     r"\bmetod|\bmethod|\bsource\b|\bkalla\b|template|\bmall\b"),
        (Role.SENT, r"\bsent\b|\bsend (date|time)|skickad|skickat|utskick|\bsand\b|sanddatum|delivered at"),
        (Role.CREATED, r"creat|skapad|skapat|skapel|registrer|trigger"),
        (Role.STATUS, r"status|\bstate\b|tillstand|leverans|delivery"),
        (Role.REFERENCE, r"referen|\bref\b|\bref ?(no|nr|number)\b|order|bestallning|purchase|\bkop\b"),
        (Role.OTHER, r"\bid\b"),
        (Role.TYPE, r"\btype\b|typ\b|\bkind\b|\bsort\b"),
        (Role.EMAIL, r"e ?post|e ?mail|\bmail|mejl|mottagare|recipient"),
        (Role.NAME, r"\bname\b|namn"),
        (Role.CREATED, r"\bdate\b|datum|\btime\b|tidpunkt"),
    )
)
# Words of the vocabulary, for headings with a typo ("Staus", "Refrence number", "E-mial").
_WORDS: dict[str, Role] = {
    "status": Role.STATUS, "state": Role.STATUS, "leveransstatus": Role.STATUS,
    "email": Role.EMAIL, "epost": Role.EMAIL, "epostadress": Role.EMAIL, "mejl": Role.EMAIL,
    "mejladress": Role.EMAIL, "recipient": Role.EMAIL, "mottagare": Role.EMAIL,
    "reference": Role.REFERENCE, "referens": Role.REFERENCE, "referensnummer": Role.REFERENCE,
    "ordernummer": Role.REFERENCE, "created": Role.CREATED, "skapad": Role.CREATED, "skapat": Role.CREATED,
    "sent": Role.SENT, "skickad": Role.SENT, "skickat": Role.SENT, "type": Role.TYPE, "typ": Role.TYPE,
    "name": Role.NAME, "namn": Role.NAME, "customer": Role.EMAIL, "kund": Role.EMAIL,
}
_FUZZY_CUTOFF = 80.0
_LONGEST_HEADING = 60

MAX_EMAIL = 254
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
# The invitation types of the status page in both languages.
_TYPES = frozenset(
    fold_key(text) for text in (
        "service", "product", "reminder", "service review", "product review", "service review reminder",
        "review reminder", "service reminder", "tjänst", "produkt", "påminnelse", "tjänsteomdöme", "produktomdöme",
        "omdömespåminnelse", "påminnelse om tjänsteomdöme", "service invitation", "product invitation",
        "tjänsteinbjudan", "produktinbjudan",
    )
)
# A column is taken for a role from its values when at least this share of its filled cells fit.
_FITS = 0.5
_DATES_FIT = 0.8


def heading_role(text: str) -> Role | None:
    """The role a column heading names, or None when it names none."""
    if len(text) > _LONGEST_HEADING:
        return None
    folded = ascii_fold(fold_key(text))
    if not folded or folded.replace(" ", "").isdigit():
        return None
    for role, pattern in _PATTERNS:
        if pattern.search(folded):
            return role
    words = [word for word in (*folded.split(), folded.replace(" ", "")) if len(word) >= 4]
    for word in words:
        found = process.extractOne(word, _WORDS.keys(), scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
        if found is not None:
            return _WORDS[found[0]]
    return None


@dataclass(frozen=True)
class Columns:
    """Column positions by role (None: the file has no such column) and the heading row, if there was one."""

    status: int
    email: int | None = None
    name: int | None = None
    reference: int | None = None
    created: int | None = None
    sent: int | None = None
    type: int | None = None
    header: tuple[str, ...] | None = None

    def used(self) -> dict[str, int]:
        return {role: index for role in ("status", "email", "name", "reference", "created", "sent", "type")
                if (index := getattr(self, role)) is not None}


IsStatus = Callable[[str], bool]


def _is_email(text: str) -> bool:
    # An address is at most 254 characters; the pattern backtracks over a long cell of dots quadratically.
    text = text.strip()
    return "@" in text and len(text) <= MAX_EMAIL and _EMAIL.match(text) is not None


def header_roles(row: Sequence[str], is_status: IsStatus) -> dict[int, Role] | None:
    """The role of each column a row names, when the row reads as a heading row; None when it reads as data (or
    as a title line)."""
    roles: dict[int, Role] = {}
    filled = 0
    for index, cell in enumerate(row):
        cell = cell.strip()
        if not cell:
            continue
        filled += 1
        if is_status(cell) or _is_email(cell) or parse_date(cell) is not None:
            return None  # a value: this row is data
        role = heading_role(cell)
        if role is not None:
            roles[index] = role
    named = set(roles.values()) - {Role.OTHER}
    if filled >= 2 and (len(named) >= 2 or Role.STATUS in named):
        return roles
    return None


def _share(rows: Sequence[Sequence[str]], index: int, fits: Callable[[str], bool]) -> tuple[float, int]:
    filled = [row[index].strip() for row in rows if index < len(row) and row[index].strip()]
    if not filled:
        return 0.0, 0
    return sum(1 for cell in filled if fits(cell)) / len(filled), len(filled)


def _best_column(rows: Sequence[Sequence[str]], free: list[int], fits: Callable[[str], bool],
                 needed: float) -> int | None:
    best: tuple[float, int] | None = None
    for index in free:
        share, filled = _share(rows, index, fits)
        if share >= needed and filled and (best is None or share > best[0]):
            best = (share, index)
    return best[1] if best else None


def find_columns(header: Sequence[str] | None, roles: dict[int, Role], rows: Sequence[Sequence[str]],
                 is_status: IsStatus) -> Columns | None:
    """Every role's column: from the heading where it tells, else from the values of the sample `rows`.

    None when no column holds statuses.
    """
    width = max([len(row) for row in rows] + [len(header or ())])
    found: dict[Role, int] = {}
    for index, role in sorted(roles.items()):
        if role is not Role.OTHER:
            found.setdefault(role, index)
    free = [index for index in range(width) if index not in roles]

    def take(role: Role, fits: Callable[[str], bool], needed: float = _FITS) -> None:
        if role in found:
            return
        index = _best_column(rows, free, fits, needed)
        if index is not None:
            found[role] = index
            free.remove(index)

    # A heading that says "status" over a column of something else is wrong when another column holds the
    # statuses (the values decide, in any column, and a heading that claimed that column is wrong too). A status
    # column of labels mostly unknown to the knowledge base stays where its heading says.
    heading_statuses = found.get(Role.STATUS)
    if heading_statuses is None or (rows and _share(rows, heading_statuses, is_status)[0] < _FITS):
        statuses = _best_column(rows, list(range(width)), is_status, _FITS)
        if statuses is not None and statuses != heading_statuses:
            if heading_statuses is not None:
                free.append(found.pop(Role.STATUS))
            for role, claimed in list(found.items()):
                if claimed == statuses:
                    del found[role]
            if statuses in free:
                free.remove(statuses)
            found[Role.STATUS] = statuses
    if Role.STATUS not in found:
        return None
    take(Role.EMAIL, _is_email)
    take(Role.TYPE, lambda cell: fold_key(cell) in _TYPES)
    if Role.CREATED not in found or Role.SENT not in found:
        dated = [index for index in sorted(free) if _share(rows, index, lambda c: parse_date(c) is not None)[0]
                 >= _DATES_FIT]
        for role in (Role.CREATED, Role.SENT):
            if role not in found and dated:
                found[role] = dated.pop(0)
                free.remove(found[role])
    if header is None and Role.REFERENCE not in found:
        # Without headings, a reference number is the one column left that is filled and not something else.
        filled = [index for index in free if _share(rows, index, lambda cell: True)[1] > 0]
        if len(filled) == 1:
            found[Role.REFERENCE] = filled[0]
    return Columns(
        status=found[Role.STATUS],
        email=found.get(Role.EMAIL),
        name=found.get(Role.NAME),
        reference=found.get(Role.REFERENCE),
        created=found.get(Role.CREATED),
        sent=found.get(Role.SENT),
        type=found.get(Role.TYPE),
        header=tuple(header) if header is not None else None,
    )
