"""Opening the invitations client the settings ask for: the configured API, or the bundled sandbox in-process."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.invitations.client import InvitationsClient

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.invitations.sandbox import SandboxOptions


def open_client(
    settings: Settings, *, sandbox_options: SandboxOptions | None = None, **overrides: Any
) -> InvitationsClient:
    """A client for INVITATIONS_API_URL; without one, a sandbox on loopback that stops when the client closes."""
    if not settings.uses_sandbox:
        return InvitationsClient.from_settings(settings, **overrides)
    # Imported here: only the sandbox path pays for the demo data's modules.
    from bot.invitations.sandbox import start_sandbox

    sandbox = start_sandbox(options=sandbox_options)
    try:
        client = InvitationsClient.from_settings(
            settings, base_url=sandbox.url, api_key=sandbox.api_key, api_secret=sandbox.api_secret, **overrides
        )
    except BaseException:
        sandbox.stop()
        raise
    client.call_on_close(sandbox.stop)
    return client
