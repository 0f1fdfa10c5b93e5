"""The made-up recipients of demo invitations: Swedish or English names, and addresses that are unique and
findable without a scan. Everything is chosen by bits of a seeded hash the caller passes in."""

from __future__ import annotations

_FIRST_SV = ("Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Anders", "Sara", "Per", "Emma", "Nils",
             "Lena", "Oskar", "Ingrid", "Mikael", "Elin", "Gustav", "Sofia", "Henrik", "Åsa", "Björn")
_LAST_SV = ("Svensson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
            "Lindqvist", "Berg", "Lindberg", "Ek", "Holm", "Sandberg", "Strand", "Åberg", "Forsberg",
            "Lundgren", "Björk", "Nyström", "Öberg")
_FIRST_EN = ("Oliver", "Amelia", "George", "Olivia", "Harry", "Isla", "Jack", "Ava", "Charlie", "Emily",
             "Thomas", "Sophie", "James", "Grace", "William", "Lily", "Daniel", "Chloe", "Samuel", "Ella")
_LAST_EN = ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
            "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Clarke")
_MAIL_SV = ("example.se", "post.example.se", "example.com", "mejl.example.net")
_MAIL_EN = ("example.co.uk", "example.com", "mail.example.org")
_MAIL_DISPOSABLE = ("tempinbox.example", "throwaway.example")
_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "a", "Ä": "a", "Ö": "o", "é": "e"})


def person_name(h: int, *, english: bool) -> tuple[str, str]:
    """First and last name picked by the low bits of `h`."""
    firsts, lasts = (_FIRST_EN, _LAST_EN) if english else (_FIRST_SV, _LAST_SV)
    return firsts[h % len(firsts)], lasts[(h >> 8) % len(lasts)]


def email_address(first: str, last: str, index: int, h: int, *, english: bool, disposable: bool) -> str:
    domains = _MAIL_DISPOSABLE if disposable else _MAIL_EN if english else _MAIL_SV
    # The index in the address makes every address unique and lets a search find it without a scan.
    local = f"{first.translate(_ASCII)}.{last.translate(_ASCII)}{index}".lower()
    return f"{local}@{domains[(h >> 16) % len(domains)]}"
