"""The sandbox's status codes: how common each one is, and what a mail server says when it fails."""

from __future__ import annotations

# Relative weight of each status in a normal day of a healthy account (per mille,
# roughly). Delivery dominates; address problems and the invitation rules the
# merchant set up (frequency, duplicates) are the usual non-deliveries; setup
# mistakes (templates, sender) are rare. The pending ones are weighted by age in
# data.py, because only recent invitations can still be waiting.
BASE_WEIGHTS: dict[str, float] = {
    "queued": 0.0,
    "sending": 0.0,
    "delivered": 800.0,
    "delivered_unsubscribed": 8.0,
    "delivered_marked_as_spam": 4.0,
    "internal_error": 2.0,
    "no_custom_template": 1.5,
    "missing_placeholder": 1.5,
    "placeholder_error": 1.5,
    "no_template": 1.0,
    "custom_sender_address": 2.5,
    "spf_failure": 8.0,
    "invalid_sender_address": 2.0,
    "invalid_sender_name": 1.0,
    "invalid_reply_to": 2.0,
    "reminders_disabled": 6.0,
    "invitation_frequency": 25.0,
    "invitation_limit_reached": 4.0,
    "kickstart_expired": 1.0,
    "kickstart_used_up": 1.0,
    "sku_error": 4.0,
    "manually_cancelled": 5.0,
    "already_invited": 20.0,
    "wrong_reference_number": 3.0,
    "reviewed_today": 6.0,
    "scheduled_for_later": 3.0,
    "already_unsubscribed": 8.0,
    "no_product_reviews": 3.0,
    "blocked": 3.0,
    "double_opt_in": 1.0,
    "reference_number_too_long": 1.0,
    "invalid_recipient": 30.0,
    "blocked_email": 6.0,
    "temporary_email": 4.0,
    "spam_risk": 5.0,
    "recipient_technical_error": 10.0,
    "message_rejected": 6.0,
}

STATUS_CODES: tuple[str, ...] = tuple(BASE_WEIGHTS)

# Statuses that mean the mail was handed to the recipient's server (so it has a sentAt).
SENT_STATUSES = frozenset({
    "delivered", "delivered_unsubscribed", "delivered_marked_as_spam", "spf_failure", "invalid_recipient",
    "spam_risk", "recipient_technical_error", "message_rejected",
})

# Plausible statusDetail texts; "{email}" and "{domain}" are filled in per invitation.
DETAILS: dict[str, tuple[str, ...]] = {
    "spf_failure": (
        "550 5.7.23 SPF validation failed",
        "550 5.7.1 Sender Policy Framework check failed for {domain}",
        "550-5.7.26 Unauthenticated email from {domain} is not accepted due to domain's SPF policy",
    ),
    "invalid_recipient": (
        "550 5.1.1 <{email}>: Recipient address rejected: User unknown in virtual mailbox table",
        "550 5.1.1 The email account that you tried to reach does not exist",
        "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
    ),
    "recipient_technical_error": (
        "452 4.2.2 The email account that you tried to reach is over quota",
        "421 4.4.2 Connection timed out while talking to the recipient's mail server",
        "554 5.4.4 Unable to route: no mail server found for the recipient's domain",
    ),
    "message_rejected": (
        "550 5.7.1 Message rejected due to content restrictions",
        "554 5.7.1 Service unavailable; client host blocked using a DNS block list",
    ),
    "spam_risk": (
        "550 5.7.350 Remote server returned message detected as spam",
        "Recipient previously reported our messages as spam; sending suppressed",
    ),
    "delivered_marked_as_spam": ("Complaint received through the recipient provider's feedback loop",),
    "blocked_email": ("The recipient address is on the suppression list",),
    "temporary_email": ("The recipient address belongs to a disposable email service",),
    "invalid_sender_address": ("The sender address is not a valid email address",),
    "custom_sender_address": ("The sender address on {domain} has not been approved",),
    "invalid_reply_to": ("The reply-to address is not a valid email address",),
    "placeholder_error": ("The template contains an unknown placeholder",),
    "missing_placeholder": ("The template lacks the review link placeholder",),
    "internal_error": ("Internal error while rendering the invitation",),
}
