"""The action list offered through Teams' file consent flow: the consent card, and the `fileConsent/invoke` that
answers it. On accept the list is PUT to the upload session Teams opened in the uploader's OneDrive and a file
card shows it in the chat; on decline the bot says so briefly. Only the uploader, in the chat the file was sent
in, may take the list, and only while it waits (bot/teams/pending.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from microsoft_agents.activity import Activity, Attachment
from microsoft_agents.hosting.core import TurnContext

from bot.i18n.catalog import gettext_for
from bot.teams.activities import base_conversation
from bot.teams.askers import fallback_language
from bot.teams.filetransfer import TeamsFiles, TransferError, host
from bot.teams.pending import CONSENT_TTL_SECONDS, ConsentStore, PendingList
from bot.teams.replies import send, text_activity

if TYPE_CHECKING:
    from bot.teams.agent import TeamsAgent

log = logging.getLogger(__name__)

FILE_CONSENT_INVOKE = "fileConsent/invoke"
FILE_CONSENT_CARD = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO_CARD = "application/vnd.microsoft.teams.card.file.info"
# The key of the list's id in the card's accept and decline contexts.
LIST_KEY = "actionList"


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def consent_card(pending: PendingList, list_id: str, description: str) -> Activity:
    """The card that asks the uploader to accept the file; its contexts carry only the list's opaque id."""
    context = {LIST_KEY: list_id}
    attachment = {"contentType": FILE_CONSENT_CARD, "name": pending.filename,
                  "content": {"description": description, "sizeInBytes": pending.size,
                              "acceptContext": context, "declineContext": context}}
    return Activity(type="message", summary=description, attachments=[Attachment.model_validate(attachment)])


def file_info_card(upload_info: Mapping[str, Any], fallback_name: str) -> Activity:
    """The uploaded file shown in the chat (Teams renders it from OneDrive)."""
    attachment = {"contentType": FILE_INFO_CARD, "name": str(upload_info.get("name") or fallback_name),
                  "contentUrl": str(upload_info.get("contentUrl") or ""),
                  "content": {"uniqueId": str(upload_info.get("uniqueId") or ""),
                              "fileType": str(upload_info.get("fileType") or "csv")}}
    return Activity(type="message", attachments=[Attachment.model_validate(attachment)])


class ConsentDesk:
    def __init__(self, files: TeamsFiles, pending: ConsentStore) -> None:
        self.files = files
        self.pending = pending

    async def on_invoke(self, agent: TeamsAgent, context: TurnContext) -> None:
        """`fileConsent/invoke` (acknowledged already, see BACKGROUND_INVOKES): upload or let go, then say so."""
        activity = context.activity
        value = _mapping(activity.value)
        action = value.get("action")
        raw_id = _mapping(value.get("context")).get(LIST_KEY)
        list_id = raw_id[:100] if isinstance(raw_id, str) else ""
        user = activity.from_property.id if activity.from_property else None
        conversation = base_conversation(activity.conversation.id if activity.conversation else "")
        _ = gettext_for(fallback_language(activity, agent.default_language))
        pending = await agent.in_thread(lambda: self.pending.get(list_id)) if list_id else None
        if pending is None:
            log.info("file consent %s for an action list that is gone", activity.id)
            await send(context, text_activity(self._gone(_)), "consent for a gone list")
            return
        if not user or user != pending.uploader or conversation != pending.conversation:
            # Teams sends the card to the uploader alone; anything else is refused and the list keeps waiting.
            log.warning("file consent %s from someone other than the uploader refused", activity.id)
            await send(context, text_activity(_("Only the person who sent the file can accept its action list.")),
                       "consent refused")
            return
        _ = gettext_for(pending.language)
        if action == "decline":
            await agent.in_thread(lambda: self.pending.take(list_id))
            await send(context, text_activity(_("All right, I will not send you the action list.")), "declined")
            log.info("file consent %s: action list declined", activity.id)
            return
        if action != "accept":
            log.info("file consent %s with action %r ignored", activity.id, str(action)[:20])
            return
        await self._upload(agent, context, list_id, pending, _mapping(value.get("uploadInfo")))

    async def _upload(self, agent: TeamsAgent, context: TurnContext, list_id: str, pending: PendingList,
                      upload_info: Mapping[str, Any]) -> None:
        _ = gettext_for(pending.language)
        # Taken before the upload: a second acceptance (a double click, a redelivery elsewhere) finds it gone.
        if not await agent.in_thread(lambda: self.pending.take(list_id)):
            await send(context, text_activity(self._gone(_)), "consent for a gone list")
            return
        upload_url = str(upload_info.get("uploadUrl") or "")
        try:
            await agent.in_thread(lambda: self.files.upload(upload_url, pending.chunks(), pending.size))
        except TransferError as exc:
            log.warning("action list not uploaded to %s: %s", host(upload_url), exc)
            await send(context, text_activity(_("I could not put the action list in your OneDrive. Send the export "
                                                "again to get a new one.")), "upload failed")
            return
        await send(context, file_info_card(upload_info, pending.filename), "file info card")
        log.info("action list of %s bytes uploaded for %s", pending.size, context.activity.id)

    @staticmethod
    def _gone(_: Callable[[str], str]) -> str:
        return (_("This action list is no longer available: I keep one for %(minutes)s minutes. Send the "
                     "export again to get a new one.") % {"minutes": CONSENT_TTL_SECONDS // 60})
