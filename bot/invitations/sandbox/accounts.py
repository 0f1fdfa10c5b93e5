"""The sandbox's demo business units, credentials and memorable demo invitations."""

from __future__ import annotations

from dataclasses import dataclass

# Fixed demo credentials, printed by `python -m bot sandbox`; not secrets.
API_KEY = "sandbox-key"
API_SECRET = "sandbox-secret"
# A merchant's credentials: no support scope, and only Nordic Shoes' data.
MERCHANT_API_KEY = "sandbox-merchant-key"
MERCHANT_API_SECRET = "sandbox-merchant-secret"

LARGE_ACCOUNT_SIZE = 250_000


@dataclass(frozen=True)
class Surge:
    """A stretch of days (ages in days, inclusive) when one status was far more common: a story to find."""

    status: str
    weight: float
    newest_age: int
    oldest_age: int


@dataclass(frozen=True)
class DemoRow:
    """A hand-written invitation at a fixed position of an account (0 is the newest)."""

    index: int
    status: str
    email: str
    name: str
    detail: str | None = None
    reference: str | None = None


@dataclass(frozen=True)
class AccountSpec:
    id: str
    domain: str
    display_name: str
    locale: str
    size: int
    reference_prefix: str
    reference_base: int
    methods: tuple[str, ...]
    surges: tuple[Surge, ...] = ()
    demo_rows: tuple[DemoRow, ...] = ()
    merchant_visible: bool = False


NORDIC_SHOES_ID = "64a0c1d2e3f4a5b6c7d8e9f0"
FJALLKAFFE_ID = "5d3f2a1b0c9e8d7f6a5b4c3d"
BRIGHT_LAMPS_ID = "6b1c2d3e4f5a6b7c8d9e0f1a"
HARBOUR_BOOKS_ID = "7c2d3e4f5a6b7c8d9e0f1a2b"
MEGAMART_ID = "60f7e6d5c4b3a29180706050"


def demo_accounts(large_account_size: int = LARGE_ACCOUNT_SIZE) -> tuple[AccountSpec, ...]:
    return (
        AccountSpec(
            id=NORDIC_SHOES_ID, domain="nordic-shoes.example", display_name="Nordic Shoes", locale="sv-SE",
            size=6_000, reference_prefix="ORDER-", reference_base=10_000,
            methods=("automatic_feedback_service", "automatic_feedback_service", "api"),
            # A custom sender domain without the SPF include, switched on twelve days ago and still failing.
            surges=(Surge("spf_failure", 260.0, 0, 11),),
            demo_rows=(
                DemoRow(23, "spf_failure", "anna@example.se", "Anna Svensson", "550 5.7.23 SPF validation failed"),
                DemoRow(7, "invalid_recipient", "erik.lindqvist@example.se", "Erik Lindqvist",
                        "550 5.1.1 <erik.lindqvist@example.se>: Recipient address rejected: User unknown"),
                DemoRow(12, "delivered", "johan.ek@example.se", "Johan Ek"),
                # A bounce that names the recipient twice: personal data in the API's free text.
                DemoRow(19, "invalid_recipient", "anna.svensson@kund.example", "Anna Svensson",
                        "550 5.1.1 <anna.svensson@kund.example>: Recipient address rejected: "
                        "no mailbox for Anna Svensson"),
                DemoRow(3, "queued", "karin.holm@example.se", "Karin Holm"),
                # A mail server's message with hidden characters: a right-to-left override, a zero-width space
                # and a terminal escape sequence, which the bot must never pass on.
                DemoRow(29, "message_rejected", "lars.berg@example.se", "Lars Berg",
                        "550 5.7.1 Message rejected \u202egnp.exe\u202c by po\u200blicy\x1b[2J\x1b]0;pwned\x07"),
                # A status code the bot's knowledge base does not have.
                DemoRow(41, "delivery_deferred", "maria.berg@example.se", "Maria Berg",
                        "421 4.7.0 Temporary deferral, try again later"),
                DemoRow(1_450, "delivered", "anna@example.se", "Anna Svensson"),
            ),
            merchant_visible=True,
        ),
        AccountSpec(
            id=FJALLKAFFE_ID, domain="fjallkaffe.example", display_name="Fjällkaffe", locale="sv-SE",
            size=2_400, reference_prefix="FK", reference_base=200_000,
            methods=("csv_upload", "automatic_feedback_service"),
            # A plan with a monthly invitation cap, reached again and again.
            surges=(Surge("invitation_limit_reached", 300.0, 0, 89),),
            demo_rows=(
                DemoRow(3, "invitation_limit_reached", "lars.nilsson@example.se", "Lars Nilsson"),
                DemoRow(15, "address_quarantined", "sofia.ek@example.se", "Sofia Ek",
                        "Recipient address quarantined by the receiving server"),
            ),
        ),
        AccountSpec(
            id=BRIGHT_LAMPS_ID, domain="bright-lamps.example", display_name="Bright Lamps", locale="en-GB",
            size=4_000, reference_prefix="BL-", reference_base=700_000,
            methods=("integration", "api"),
            # One CSV file full of mistyped addresses, five weeks ago.
            surges=(Surge("invalid_recipient", 400.0, 30, 36),),
            demo_rows=(
                DemoRow(5, "soft_bounce", "john.smith@example.co.uk", "John Smith", "452 4.2.2 Mailbox full"),
                DemoRow(9, "invalid_recipient", "emily.clarke@example.co.uk", "Emily Clarke",
                        "550 5.1.1 The email account that you tried to reach does not exist"),
            ),
        ),
        AccountSpec(
            id=HARBOUR_BOOKS_ID, domain="harbour-books.example", display_name="Harbour Books", locale="en-GB",
            size=1_800, reference_prefix="HB", reference_base=300_000,
            methods=("automatic_feedback_service", "csv_upload"),
            # A template edited by hand, broken for a few days two weeks ago.
            surges=(Surge("placeholder_error", 300.0, 14, 18), Surge("missing_placeholder", 100.0, 14, 18)),
            demo_rows=(
                DemoRow(2, "placeholder_error", "oliver.wood@example.co.uk", "Oliver Wood",
                        "The template contains an unknown placeholder"),
            ),
        ),
        AccountSpec(
            id=MEGAMART_ID, domain="megamart.example", display_name="MegaMart", locale="sv-SE",
            size=large_account_size, reference_prefix="MM-", reference_base=5_000_000,
            methods=("api", "integration", "api"),
            # A large mail provider had an outage two days ago.
            surges=(Surge("recipient_technical_error", 60.0, 2, 3),),
            demo_rows=(
                DemoRow(100, "throttled", "greta.nyberg@example.se", "Greta Nyberg",
                        "Sending paused by the recipient's provider"),
            ),
        ),
    )
