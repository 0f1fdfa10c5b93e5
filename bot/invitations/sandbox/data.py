"""Deterministic demo invitations, computed on demand: invitation i of an account is a pure function of i.

An account is 90 days of invitations, newest first (index 0 is the newest).
Only small per-day tables are built up front (how many invitations a day and
how many of each status), so even a 250,000-invitation account starts in
milliseconds; an invitation's fields are derived from a seeded hash of its
index, and its status from the day's counts through a permutation, so the
counts and the rows always agree.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from bot.invitations.sandbox.accounts import AccountSpec, DemoRow, demo_accounts
from bot.invitations.sandbox.people import email_address, person_name
from bot.invitations.sandbox.seeded import largest_remainder, seeded_hash, seeded_unit
from bot.invitations.sandbox.statuses import BASE_WEIGHTS, DETAILS, SENT_STATUSES, STATUS_CODES

DAY = 86_400
DAYS = 90
SEED = "invitation-sandbox-1"


def iso(seconds: float) -> str:
    return datetime.fromtimestamp(int(seconds), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Account:
    """One demo business unit and its invitations."""

    def __init__(self, spec: AccountSpec, anchor: int) -> None:
        self.spec = spec
        self.id = spec.id
        self.size = spec.size
        # Invitations are spread over the DAYS days that end at the anchor (a whole hour, UTC).
        self.anchor = anchor
        self._tag = seeded_hash(SEED, "tag", spec.domain) & 0xFFFFFF
        self._mask = seeded_hash(SEED, "mask", spec.domain) & 0xFFFFFFFF
        self._demo: dict[int, DemoRow] = {row.index: row for row in spec.demo_rows if row.index < spec.size}
        self._day_sizes = largest_remainder(spec.size, [self._day_weight(age) for age in range(DAYS)])
        self._starts = [0]
        for n in self._day_sizes:
            self._starts.append(self._starts[-1] + n)
        self._ends: list[list[int]] = []  # per day: cumulative count ends over STATUS_CODES
        self._perm: list[tuple[int, int]] = []
        self.day_counts: list[dict[str, int]] = []
        for age, n in enumerate(self._day_sizes):
            counts = self._status_counts(age, n)
            ends, running = [], 0
            for count in counts:
                running += count
                ends.append(running)
            self._ends.append(ends)
            self._perm.append(self._permutation(age, n))
            self.day_counts.append({s: c for s, c in zip(STATUS_CODES, counts, strict=True) if c})
        # The hand-written rows replace whatever the tables gave their positions; keep the counts true.
        for index, row in self._demo.items():
            counts_of_day = self.day_counts[self.day_of(index)]
            base = self._base_status(index)
            counts_of_day[base] -= 1
            if not counts_of_day[base]:
                del counts_of_day[base]
            counts_of_day[row.status] = counts_of_day.get(row.status, 0) + 1
        self._demo_by_email: dict[str, list[int]] = {}
        self._demo_by_reference: dict[str, list[int]] = {}
        for index, row in sorted(self._demo.items()):
            self._demo_by_email.setdefault(row.email.lower(), []).append(index)
            if row.reference:
                self._demo_by_reference.setdefault(row.reference, []).append(index)

    # -- the per-day tables -----------------------------------------------------------------------

    def _day_weight(self, age: int) -> float:
        weekday = datetime.fromtimestamp(self.anchor - (age + 1) * DAY, UTC).weekday()
        weekend = 0.7 if weekday >= 5 else 1.0
        growth = 1.0 + 0.2 * (1 - age / DAYS)
        return weekend * growth * (0.85 + 0.3 * seeded_unit(SEED, self.spec.domain, "day", age))

    def _status_counts(self, age: int, n: int) -> list[int]:
        weights = dict(BASE_WEIGHTS)
        # Only recent invitations can still be waiting to go out.
        weights["queued"] = {0: 250.0, 1: 120.0, 2: 40.0}.get(age, 0.0)
        weights["sending"] = 15.0 if age == 0 else 0.0
        for surge in self.spec.surges:
            if surge.newest_age <= age <= surge.oldest_age:
                weights[surge.status] = surge.weight
        whole = sum(weights.values())
        counts = []
        for status in STATUS_CODES:
            if status == "delivered":
                counts.append(0)
                continue
            noise = 0.6 + 0.8 * seeded_unit(SEED, self.spec.domain, age, status, "noise")
            exact = n * weights[status] * noise / whole
            floor = math.floor(exact)
            # Random rounding, so rare statuses still turn up now and then in small accounts.
            round_up = seeded_unit(SEED, self.spec.domain, age, status, "round") < exact - floor
            counts.append(floor + (1 if round_up else 0))
        while sum(counts) > n:
            counts[counts.index(max(counts))] -= 1
        counts[STATUS_CODES.index("delivered")] = n - sum(counts)
        return counts

    def _permutation(self, age: int, n: int) -> tuple[int, int]:
        if n <= 1:
            return 1, 0
        a = seeded_hash(SEED, self.spec.domain, age, "perm") % n or 1
        while math.gcd(a, n) != 1:
            a = a % (n - 1) + 1
        return a, seeded_hash(SEED, self.spec.domain, age, "shift") % n

    # -- one invitation ---------------------------------------------------------------------------

    def day_of(self, index: int) -> int:
        return bisect_right(self._starts, index) - 1

    def day_range(self, age: int) -> tuple[int, int]:
        return self._starts[age], self._starts[age + 1]

    def _base_status(self, index: int) -> str:
        age = self.day_of(index)
        a, b = self._perm[age]
        position = (a * (index - self._starts[age]) + b) % self._day_sizes[age]
        return STATUS_CODES[bisect_right(self._ends[age], position)]

    def status(self, index: int) -> str:
        row = self._demo.get(index)
        return row.status if row else self._base_status(index)

    def created(self, index: int) -> int:
        """Creation time (Unix seconds); never increases with the index."""
        age = self.day_of(index)
        slot = DAY / self._day_sizes[age]
        jitter = 0.1 + 0.8 * seeded_unit(SEED, self._tag, index, "t")
        return math.floor(self.anchor - age * DAY - (index - self._starts[age] + jitter) * slot)

    def invitation_id(self, index: int) -> str:
        mac = seeded_hash(SEED, "mac", self._tag, index) & 0xFF_FFFF_FFFF
        return f"{(self._tag << 72) | (((index ^ self._mask) & 0xFFFFFFFF) << 40) | mac:024x}"

    def index_of_id(self, invitation_id: str) -> int | None:
        """The index an id stands for, or None when the id is not one of this account's."""
        value = int(invitation_id, 16)
        if value >> 72 != self._tag:
            return None
        index = ((value >> 40) & 0xFFFFFFFF) ^ self._mask
        if index >= self.size or self.invitation_id(index) != invitation_id:
            return None
        return index

    def reference(self, index: int) -> str:
        row = self._demo.get(index)
        if row and row.reference:
            return row.reference
        return f"{self.spec.reference_prefix}{self.spec.reference_base + index}"

    def _person(self, index: int) -> tuple[str, str, int]:
        h = seeded_hash(SEED, self._tag, index, "person")
        first, last = person_name(h, english=self.spec.locale.startswith("en"))
        return first, last, h

    def email(self, index: int) -> str:
        row = self._demo.get(index)
        if row:
            return row.email
        first, last, h = self._person(index)
        return email_address(first, last, index, h, english=self.spec.locale.startswith("en"),
                             disposable=self.status(index) == "temporary_email")

    def invitation(self, index: int) -> dict[str, Any]:
        """The contract's Invitation object of position `index`."""
        spec, row = self.spec, self._demo.get(index)
        status = self.status(index)
        first, last, h = self._person(index)
        email = self.email(index)
        name: str | None = row.name if row else f"{first} {last}"
        if not row and (h >> 56) % 10 == 0:
            name = None  # not every shop passes the customer's name
        created = self.created(index)
        kind = ("service", "product", "reminder")[0 if (h >> 24) % 100 < 75 else 1 if (h >> 24) % 100 < 88 else 2]
        if status in ("sku_error", "no_product_reviews"):
            kind = "product"
        elif status == "reminders_disabled":
            kind = "reminder"
        scheduled = created + 600
        if status == "queued":
            scheduled = self.anchor + 3600 * (1 + (h >> 40) % 48)
        elif status == "scheduled_for_later":
            scheduled = created + 30 * DAY
        sent = min(scheduled + 60 + (h >> 32) % 240, self.anchor) if status in SENT_STATUSES else None
        if sent is not None:
            updated = min(sent + 5 + (h >> 44) % 120, self.anchor)
        else:
            updated = created if status in ("queued", "scheduled_for_later") else min(scheduled, self.anchor)
        detail = row.detail if row else None
        if detail is None and status in DETAILS:
            texts = DETAILS[status]
            detail = texts[(h >> 48) % len(texts)].format(email=email, domain=spec.domain)
        return {
            "id": self.invitation_id(index),
            "businessUnitId": spec.id,
            "referenceNumber": self.reference(index),
            "recipient": {"email": email, "name": name},
            "status": status,
            "statusUpdatedAt": iso(updated),
            "statusDetail": detail,
            "createdAt": iso(created),
            "scheduledAt": iso(scheduled),
            "sentAt": iso(sent) if sent is not None else None,
            "type": kind,
            "method": spec.methods[(h >> 36) % len(spec.methods)],
            "locale": spec.locale,
            "templateId": f"{seeded_hash(SEED, spec.domain, kind, 'template'):016x}{self._tag:06x}{len(kind):02x}",
            "senderName": spec.display_name,
            "replyTo": f"support@{spec.domain}",
        }

    # -- lookups that never scan ------------------------------------------------------------------

    def by_reference(self, reference: str) -> list[int]:
        found = list(self._demo_by_reference.get(reference, []))
        prefix = self.spec.reference_prefix
        digits = reference[len(prefix):] if reference.startswith(prefix) else ""
        if digits.isdigit() and digits == str(int(digits)):
            index = int(digits) - self.spec.reference_base
            if 0 <= index < self.size and self.reference(index) == reference and index not in found:
                found.append(index)
        return sorted(found)

    def by_email(self, email: str) -> list[int]:
        wanted = email.strip().lower()
        found = list(self._demo_by_email.get(wanted, []))
        local = wanted.split("@", 1)[0]
        digits = local[len(local.rstrip("0123456789")):]
        if digits and digits == str(int(digits)):
            index = int(digits)
            if index < self.size and self.email(index).lower() == wanted and index not in found:
                found.append(index)
        return sorted(found)

    def first_created_before(self, moment: float) -> int:
        """The first index created strictly before `moment` (self.size when none)."""
        return bisect_right(range(self.size), -moment, key=lambda index: -self.created(index))

    def iter_days(self, low: int, high: int) -> Iterator[tuple[int, int, int]]:
        """(age, first, end) of each day's share of the index range [low, high)."""
        if low >= high:
            return
        for age in range(self.day_of(low), DAYS):
            first, end = self.day_range(age)
            if first >= high:
                return
            if end > first:
                yield age, max(first, low), min(end, high)


class DemoData:
    """Every demo account, with lookups by id, domain and invitation id."""

    def __init__(self, now: datetime | None = None, *, large_account_size: int | None = None) -> None:
        moment = now or datetime.now(UTC)
        # A whole hour: the same data for everyone who starts a sandbox within that hour.
        anchor = int(moment.timestamp()) // 3600 * 3600
        specs = demo_accounts() if large_account_size is None else demo_accounts(large_account_size)
        self.accounts = tuple(Account(spec, anchor) for spec in specs)
        self.anchor = anchor
        self._by_id = {account.id: account for account in self.accounts}
        self._by_domain = {account.spec.domain: account for account in self.accounts}

    def account(self, business_unit_id: str) -> Account | None:
        return self._by_id.get(business_unit_id)

    def account_for_domain(self, domain: str) -> Account | None:
        name = domain.strip().lower()
        return self._by_domain.get(name.removeprefix("www."))

    def locate(self, invitation_id: str) -> tuple[Account, int] | None:
        for account in self.accounts:
            index = account.index_of_id(invitation_id)
            if index is not None:
                return account, index
        return None
