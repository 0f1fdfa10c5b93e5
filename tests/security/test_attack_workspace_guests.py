"""Attack: a merchant's people invited into OUR workspace as guests (multi- or single-channel guests, not Slack
Connect) are members of our team as far as the event says (`user_team` is ours), yet they are not our staff.
Slack says so in users.info (`is_restricted`, `is_ultra_restricted`); a guest must be treated like any other
outsider: only the accounts bound to the channel, and personal data masked wherever a guest reads along."""

from __future__ import annotations

import time

import pytest
from secure_slack import BOUND, JSON, everything, mention, staff
from slackstub import HOME_TEAM, event_body, post

from bot.invitations.sandbox import BRIGHT_LAMPS_ID

GUEST_CHANNEL = BOUND  # bound to Nordic Shoes; here it lives in our workspace with the merchant's people as guests
NORDIC_GUEST = "U0NGUEST"
REFUSALS = ("I cannot show live invitation data", "Jag kan inte visa aktuella inbjudningsuppgifter")


@pytest.fixture(scope="module")
def bright_lamps_invitation(components):
    (found,) = components.source.client().find_invitations(BRIGHT_LAMPS_ID, reference_number="BL-700009")
    return found


@pytest.fixture(params=["is_restricted", "is_ultra_restricted"], ids=["multi-channel guest", "single-channel guest"])
def guest_app(request, app, stub):
    stub.users[NORDIC_GUEST] = {"id": NORDIC_GUEST, "team_id": HOME_TEAM, "locale": "en-GB", request.param: True}
    stub.channels[GUEST_CHANNEL] = {"id": GUEST_CHANNEL, "is_ext_shared": False, "is_im": False}
    return app


def test_a_guest_in_our_workspace_cannot_look_up_another_merchants_invitation(guest_app, bright_lamps_invitation):
    reply = mention(guest_app, f"status {bright_lamps_invitation.id}", "Atk-guest-1", channel=GUEST_CHANNEL,
                    user=NORDIC_GUEST, user_team=HOME_TEAM)
    shown = everything(reply)
    assert any(refusal in reply.args["text"] for refusal in REFUSALS), shown[:400]
    for revealing in ("BL-700009", "Emily", "example.co.uk", BRIGHT_LAMPS_ID):
        assert revealing not in shown


def test_a_guest_asking_about_the_bound_account_sees_personal_data_masked(guest_app):
    reply = mention(guest_app, "ORDER-10023", "Atk-guest-2", channel=GUEST_CHANNEL, user=NORDIC_GUEST,
                    user_team=HOME_TEAM)
    shown = everything(reply)
    assert "01188f639aae8f1da0f15423" in shown
    assert "anna@example.se" not in shown and "a***@example.se" in shown


def test_staff_answers_in_a_channel_bound_to_a_merchant_are_masked_though_slack_calls_it_unshared(guest_app):
    # The merchant's people read this channel as guests: conversations.info says nothing of them.
    reply = mention(guest_app, "ORDER-10023 at nordic-shoes.example", "Atk-guest-3", channel=GUEST_CHANNEL,
                    **staff())
    shown = everything(reply)
    assert "anna@example.se" not in shown and "a***@example.se" in shown


def test_a_guest_joining_one_of_our_channels_masks_the_next_answer(guest_app, stub):
    channel = "C0OURS"
    stub.channels[channel] = {"id": channel, "is_ext_shared": False, "is_im": False}
    before = mention(guest_app, "ORDER-10023 at nordic-shoes.example", "Atk-guest-4", channel=channel, **staff())
    assert "anna@example.se" in everything(before)
    joined = {"type": "member_joined_channel", "user": NORDIC_GUEST, "channel": channel, "channel_type": "C",
              "team": HOME_TEAM, "event_ts": f"{time.time():.6f}"}
    assert post(guest_app.events_url, event_body(joined, "Atk-guest-5"), JSON, secret=guest_app.secret).status == 200
    assert guest_app.bot.wait_idle()
    after = mention(guest_app, "ORDER-10023 at nordic-shoes.example", "Atk-guest-6", channel=channel, **staff())
    assert "anna@example.se" not in everything(after)


def test_someone_slack_cannot_tell_us_about_is_not_taken_for_staff(app, stub, bright_lamps_invitation):
    # users.info fails (rate limited, a missing scope): the event's user_team alone does not make staff.
    stub.errors["users.info"] = "ratelimited"
    reply = mention(app, f"status {bright_lamps_invitation.id}", "Atk-guest-7", channel=BOUND, user="U0UNKNOWN",
                    user_team=HOME_TEAM)
    assert any(refusal in reply.args["text"] for refusal in REFUSALS)
    assert "BL-700009" not in everything(reply)
