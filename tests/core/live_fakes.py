"""An in-memory invitations API (a working InvitationsSource over real records) and a small knowledge base."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.invitations.errors import ApiError, InvalidId
from bot.invitations.models import BusinessUnit, Invitation, StatusStats, is_valid_id
from bot.knowledge.model import Action, Actor, Category, KnowledgeBase, Localized, LocalizedList, StatusEntry

NORDIC = "64a0c1d2e3f4a5b6c7d8e9f0"
OTHER = "5d3f2a1b0c9e8d7f6a5b4c3d"
NOW = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)

ANNA_SPF = "5f1e9c2a7b3d4e5f6a7b8c9d"
ANNA_OLD = "5f1e9c2a7b3d4e5f6a7b0001"
OTHER_INV = "0123456789abcdef01234567"
UNKNOWN_CODE_INV = "5f1e9c2a7b3d4e5f6a7b0042"
QUEUED_INV = "5f1e9c2a7b3d4e5f6a7b0003"
MISSING = "ffffffffffffffffffffffff"


def _entry(
    status_id: str, category: Category, actor: Actor, action: Action, sv: str, en: str, steps_en: tuple[str, ...],
    steps_sv: tuple[str, ...],
) -> StatusEntry:
    return StatusEntry(
        id=status_id,
        category=category,
        actor=actor,
        action=action,
        label=Localized(sv=sv, en=en),
        meaning=Localized(sv=f"Betydelse av {sv}.", en=f"Meaning of {en}."),
        cause=Localized(sv=f"Orsak till {sv}.", en=f"Cause of {en}."),
        steps=LocalizedList(sv=steps_sv, en=steps_en),
        phrases=LocalizedList(sv=(), en=()),
        keywords=LocalizedList(sv=(), en=()),
    )


def tiny_kb() -> KnowledgeBase:
    P, D, N = Category.PENDING, Category.DELIVERED, Category.NOT_DELIVERED
    FIX, NEW, NO, NONE = (Action.RESEND_AFTER_FIX, Action.NEW_INVITATION_OTHER_ADDRESS, Action.DO_NOT_SEND_AGAIN,
                          Action.NOTHING_TO_DO)
    entries = [
        _entry("queued", P, Actor.NOBODY, NONE, "I kö", "Queued", ("Wait.",), ("Vänta.",)),
        _entry("sending", P, Actor.NOBODY, NONE, "Skickar – på väg", "Sending - On its way", ("Wait.",),
               ("Vänta.",)),
        _entry("delivered", D, Actor.NOBODY, NONE, "Levererad", "Delivered", ("Nothing.",), ("Inget.",)),
        _entry("delivered_unsubscribed", D, Actor.RECIPIENT, NO, "Levererad – avregistrerad",
               "Delivered - Unsubscribed", ("Nothing.",), ("Inget.",)),
        _entry("spf_failure", N, Actor.MERCHANT, FIX, "Ej levererad – SPF-fel", "Not delivered - SPF failure",
               ("Add include:trustpilotservice.com to the SPF record.", "Wait 24 hours, then resend."),
               ("Lägg till include:trustpilotservice.com i SPF-posten.", "Vänta ett dygn och skicka igen.")),
        _entry("invalid_recipient", N, Actor.RECIPIENT, NEW, "Ej levererad – ogiltig mottagare",
               "Not delivered - Invalid recipient", ("Ask the customer for a new address.",),
               ("Be kunden om en ny adress.",)),
        _entry("placeholder_error", N, Actor.MERCHANT, FIX, "Ej levererad – fel på platshållare",
               "Not delivered - Placeholder error", ("Fix the template placeholders.",),
               ("Rätta platshållarna i mallen.",)),
        _entry("custom_sender_address", N, Actor.SUPPORT, FIX, "Ej levererad – anpassad avsändaradress",
               "Not delivered - Custom sender email", ("Ask support to allow the sender domain.",),
               ("Be support att godkänna avsändardomänen.",)),
        _entry("invitation_limit_reached", N, Actor.MERCHANT, FIX, "Ej levererad – inbjudningsgränsen nådd",
               "Not delivered - Invitation limit reached", ("Upgrade the plan.",), ("Uppgradera planen.",)),
        _entry("already_invited", N, Actor.NOBODY, NONE, "Ej levererad – redan inbjuden",
               "Not delivered - Already invited", ("Nothing.",), ("Inget.",)),
    ]
    return KnowledgeBase({entry.id: entry for entry in entries})


# October 2026 and September 2026 at Nordic Shoes, by status: the summary tests check against these.
OCTOBER = {
    "delivered": 60, "delivered_unsubscribed": 5, "queued": 2, "sending": 1, "spf_failure": 15,
    "invalid_recipient": 6, "custom_sender_address": 5, "placeholder_error": 4, "invitation_limit_reached": 2,
}  # fmt: skip
SEPTEMBER = {"delivered": 70, "spf_failure": 5, "invalid_recipient": 8, "placeholder_error": 1}


def _spread(counts: dict[str, int], start: datetime, days: int, first: int, bu: str) -> list[Invitation]:
    rows: list[Invitation] = []
    n = first
    for status, count in counts.items():
        for _ in range(count):
            created = start + timedelta(hours=(n * 7) % (days * 24), minutes=n % 60)
            rows.append(
                Invitation(
                    id=f"{0xB0000000 + n:024x}", business_unit_id=bu, status=status,
                    reference_number=f"ORDER-{20000 + n}", recipient_email=f"customer{n}@example.com",
                    recipient_name=f"Customer Number{n}", created_at=created, status_updated_at=created,
                    type="service", method="api",
                )
            )
            n += 1
    return rows


def demo_invitations() -> list[Invitation]:
    def at(text: str) -> datetime:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))

    rows = [
        Invitation(
            id=ANNA_SPF, business_unit_id=NORDIC, status="spf_failure", reference_number="ORDER-10023",
            recipient_email="anna@example.se", recipient_name="Anna Svensson",
            status_updated_at=at("2026-11-20T08:15:00Z"), status_detail="550 5.7.23 SPF validation failed",
            created_at=at("2026-11-20T08:00:00Z"), scheduled_at=at("2026-11-20T08:10:00Z"), sent_at=None,
            type="service", method="automatic_feedback_service", locale="sv-SE", sender_name="Nordic Shoes",
        ),
        Invitation(
            id=ANNA_OLD, business_unit_id=NORDIC, status="delivered", reference_number="ORDER-9001",
            recipient_email="anna@example.se", recipient_name="Anna Svensson",
            created_at=at("2026-06-02T10:00:00Z"), sent_at=at("2026-06-02T10:05:00Z"), type="service",
            method="api",
        ),
        Invitation(
            id=QUEUED_INV, business_unit_id=NORDIC, status="queued", reference_number="ORDER-10050",
            recipient_email="karin.holm@example.se", recipient_name="Karin Holm",
            created_at=at("2026-11-26T09:00:00Z"), scheduled_at=at("2026-12-03T09:00:00Z"), type="reminder",
            method="api",
        ),
        Invitation(
            id="5f1e9c2a7b3d4e5f6a7b0004", business_unit_id=NORDIC, status="invalid_recipient",
            reference_number="ORDER-10050", recipient_email="karin.holm@example.se",
            created_at=at("2026-11-19T09:00:00Z"), type="service", method="api",
            status_detail="550 5.1.1 User unknown",
        ),
        Invitation(
            id="5f1e9c2a7b3d4e5f6a7b0005", business_unit_id=NORDIC, status="invalid_recipient",
            reference_number="ORDER-10050", recipient_email="karin.holm@example.se",
            created_at=at("2026-11-19T09:01:00Z"), type="product", method="api",
        ),
        Invitation(
            id=UNKNOWN_CODE_INV, business_unit_id=NORDIC, status="delivery_deferred", reference_number="ORDER-10077",
            recipient_email="maria.berg@example.se", recipient_name="Maria Berg",
            status_detail="421 4.7.0 Temporary deferral", created_at=at("2026-11-21T12:00:00Z"), type="service",
            method="api",
        ),
        Invitation(
            id=OTHER_INV, business_unit_id=OTHER, status="spf_failure", reference_number="OS-1",
            recipient_email="olle@example.se", created_at=at("2026-11-22T12:00:00Z"), type="service", method="api",
        ),
    ]
    rows += _spread(OCTOBER, datetime(2026, 10, 1, tzinfo=UTC), 31, 1000, NORDIC)
    rows += _spread(SEPTEMBER, datetime(2026, 9, 1, tzinfo=UTC), 30, 2000, NORDIC)
    rows += _spread({"delivered": 10, "spf_failure": 3}, datetime(2026, 10, 1, tzinfo=UTC), 31, 3000, OTHER)
    return rows


@dataclass
class FakeInvitations:
    """Answers the InvitationsSource calls from its records, as the contract says; records every call.

    `failures` maps a method name to an ApiError it raises instead of answering (API trouble on demand).
    """

    invitations: list[Invitation] = field(default_factory=demo_invitations)
    units: dict[str, BusinessUnit] = field(
        default_factory=lambda: {
            "nordic-shoes.example": BusinessUnit(NORDIC, "Nordic Shoes", "nordic-shoes.example"),
            "other-shop.example": BusinessUnit(OTHER, "Other Shop", "other-shop.example"),
        }
    )
    failures: dict[str, ApiError] = field(default_factory=dict)
    calls: list[tuple[str, tuple[object, ...]]] = field(default_factory=list)

    def _call(self, name: str, *args: object) -> None:
        self.calls.append((name, args))
        if name in self.failures:
            raise self.failures[name]

    def called(self, name: str) -> list[tuple[object, ...]]:
        return [args for called, args in self.calls if called == name]

    def _require(self, value: str) -> None:
        if not is_valid_id(value):
            raise InvalidId(f"not a valid id: {value!r}")

    def _newest(self, rows: list[Invitation]) -> list[Invitation]:
        return sorted(rows, key=lambda inv: inv.created_at or NOW, reverse=True)

    def get_invitation(self, invitation_id: str, business_unit_id: str | None = None) -> Invitation | None:
        self._require(invitation_id)
        if business_unit_id is not None:
            self._require(business_unit_id)
        self._call("get_invitation", invitation_id, business_unit_id)
        for invitation in self.invitations:
            if invitation.id == invitation_id and business_unit_id in (None, invitation.business_unit_id):
                return invitation
        return None

    def find_invitations(
        self, business_unit_id: str, *, reference_number: str | None = None, email: str | None = None,
        limit: int = 20,
    ) -> list[Invitation]:
        self._require(business_unit_id)
        self._call("find_invitations", business_unit_id, reference_number, email)
        rows = [
            inv for inv in self.invitations
            if inv.business_unit_id == business_unit_id
            and (reference_number is None or inv.reference_number == reference_number)
            and (email is None or (inv.recipient_email or "").lower() == email.lower())
        ]
        return self._newest(rows)[:limit]

    def find_business_unit(self, domain: str) -> BusinessUnit | None:
        self._call("find_business_unit", domain)
        return self.units.get(domain.strip().lower())

    def _in(self, business_unit_id: str, start: datetime, end: datetime) -> list[Invitation]:
        return [
            inv for inv in self.invitations
            if inv.business_unit_id == business_unit_id and inv.created_at and start <= inv.created_at < end
        ]

    def status_stats(self, business_unit_id: str, created_from: datetime, created_to: datetime) -> StatusStats:
        self._require(business_unit_id)
        self._call("status_stats", business_unit_id, created_from, created_to)
        if business_unit_id not in {unit.id for unit in self.units.values()}:
            raise ApiError("business unit not found", status_code=404, correlation_id="corr-404")
        counts = Counter(inv.status for inv in self._in(business_unit_id, created_from, created_to))
        return StatusStats(business_unit_id, created_from, created_to, sum(counts.values()), dict(counts))

    def sample_invitations(
        self, business_unit_id: str, statuses: list[str], created_from: datetime, created_to: datetime,
        limit: int = 3,
    ) -> list[Invitation]:
        self._require(business_unit_id)
        self._call("sample_invitations", business_unit_id, tuple(statuses), created_from, created_to, limit)
        rows = [inv for inv in self._in(business_unit_id, created_from, created_to) if inv.status in statuses]
        return self._newest(rows)[:limit]


# -- askers and a desk wired to the fake ----------------------------------------------------------

SHARED = "C05SHARED1"  # a Slack Connect channel bound to Nordic Shoes
BOTH = "C06BOTH"  # bound to both accounts


def policy():
    from bot.core.access import AccessPolicy

    return AccessPolicy(
        internal_teams=frozenset({"T01SUPPORT"}),
        channels={SHARED: frozenset({NORDIC}), BOTH: frozenset({NORDIC, OTHER})},
    )


def staff(channel: str = "C01INTERNAL", shared: bool = False):
    from bot.core.models import Asker

    return Asker(user_id="U01STAFF", team_id="T01SUPPORT", internal=True, channel_id=channel, shared_channel=shared)


def merchant(channel: str | None = SHARED, dm: bool = False):
    from bot.core.models import Asker

    return Asker(user_id="U09SHOP", team_id="T09SHOP", internal=False, channel_id=channel,
                 shared_channel=not dm, is_direct_message=dm)


def make_desk(source: FakeInvitations | None = None, kb: KnowledgeBase | None = None):
    from bot.core.live import LiveDesk

    return LiveDesk(source or FakeInvitations(), kb or tiny_kb(), policy(), clock=lambda: NOW)


def ask(desk, text: str, asker=None, language: str = "en"):
    """The desk's reply to `text` as parsed from a chat message."""
    from bot.core.entities import parse_live_request
    from bot.core.models import Question

    request = parse_live_request(text, NOW)
    assert request is not None, f"not a live request: {text!r}"
    return desk.answer(request, Question(text=text, asker=asker or staff()), language)
