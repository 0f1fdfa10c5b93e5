from pathlib import Path

import pytest

from bot.core.access import AccessPolicyError, load_access_policy, mask_email, mask_name
from bot.core.models import Asker

BU = "64a0c1d2e3f4a5b6c7d8e9f0"
OTHER = "64a0c1d2e3f4a5b6c7d8e9f1"


@pytest.fixture
def policy(tmp_path: Path):
    path = tmp_path / "access.yaml"
    path.write_text(f'internal_teams: [T01SUPPORT]\nchannels:\n  C05SHARED1:\n    business_units: ["{BU}"]\n')
    return load_access_policy(path)


def test_staff_see_everything_merchants_only_their_channel(policy):
    staff = Asker(user_id="U1", team_id="T01SUPPORT", internal=True, channel_id="C99")
    merchant = Asker(user_id="U2", team_id="TSHOP", internal=False, channel_id="C05SHARED1", shared_channel=True)
    assert policy.is_internal_team("T01SUPPORT") and not policy.is_internal_team("TSHOP")
    assert policy.may_view(staff, OTHER)
    assert policy.may_view(merchant, BU)
    assert not policy.may_view(merchant, OTHER)


def test_outside_asker_sees_nothing_in_a_dm_or_unbound_channel(policy):
    dm = Asker(user_id="U2", internal=False, channel_id="D1", is_direct_message=True)
    unbound = Asker(user_id="U2", internal=False, channel_id="C77")
    assert not policy.may_view(dm, BU)
    assert not policy.may_view(unbound, BU)


def test_masking_applies_in_shared_channels_for_everyone(policy):
    assert policy.must_mask(Asker(internal=True, channel_id="C05SHARED1", shared_channel=True))
    assert not policy.must_mask(Asker(internal=True, channel_id="C1"))
    assert mask_email("anna@example.se") == "a***@example.se"
    assert mask_email("not-an-email") == "***"
    assert mask_name("Anna Svensson") == "A*** S***"


def test_no_file_means_no_outside_access():
    policy = load_access_policy(None)
    assert not policy.may_view(Asker(internal=False, channel_id="C05SHARED1"), BU)


def test_broken_policy_lists_every_problem(tmp_path: Path):
    path = tmp_path / "access.yaml"
    path.write_text("internal_teams: T1\nchannels:\n  C1:\n    business_units: [nope]\nextra: 1\n")
    with pytest.raises(AccessPolicyError) as caught:
        load_access_policy(path)
    assert len(caught.value.problems) == 3
    path.write_text("channels: [unclosed\n")
    with pytest.raises(AccessPolicyError, match="not valid YAML"):
        load_access_policy(path)


TENANT = "9b1c0d2e-3f4a-4b5c-8d6e-7f8091a2b3c4"


def test_teams_tenants_and_conversation_ids_in_the_policy(tmp_path: Path):
    path = tmp_path / "access.yaml"
    path.write_text(
        f'internal_tenants: ["{TENANT.upper()}"]\n'
        'channels:\n'
        f'  "19:shared0channel@thread.tacv2":\n    business_units: ["{BU}"]\n'
        f'  "19:meeting_group@thread.v2":\n    business_units: ["{OTHER}"]\n'
    )
    policy = load_access_policy(path)
    assert policy.is_internal_tenant(TENANT) and policy.is_internal_tenant(TENANT.upper())
    assert not policy.is_internal_tenant("00000000-0000-0000-0000-000000000000")
    assert not policy.is_internal_tenant(None)
    assert policy.is_bound("19:shared0channel@thread.tacv2") and not policy.is_bound("19:other@thread.tacv2")
    guest = Asker(user_id="29:guest", team_id="other-tenant", internal=False,
                  channel_id="19:shared0channel@thread.tacv2", shared_channel=True)
    assert policy.may_view(guest, BU) and not policy.may_view(guest, OTHER)
    in_chat = Asker(user_id="29:guest", internal=False, channel_id="19:meeting_group@thread.v2", shared_channel=True)
    assert policy.may_view(in_chat, OTHER) and not policy.may_view(in_chat, BU)


def test_internal_tenants_must_be_tenant_ids(tmp_path: Path):
    path = tmp_path / "access.yaml"
    path.write_text("internal_tenants: [contoso.onmicrosoft.com]\n")
    with pytest.raises(AccessPolicyError, match="internal_tenants"):
        load_access_policy(path)
    path.write_text(f"internal_tenants: {TENANT}\n")
    with pytest.raises(AccessPolicyError, match="internal_tenants"):
        load_access_policy(path)
