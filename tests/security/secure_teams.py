"""Steps the security promises share for Microsoft Teams: activities posted into the real Teams app, and everything
that reached the stand-in Bot Connector or a person's own view (an invoke's answer)."""

from __future__ import annotations

import json
from typing import Any

from cardcheck import card_texts, check_attachment
from connectorstub import Call, Response, StubConnector, card_submit, execute_invoke

# A group chat hosted by the merchant's tenant, bound to nothing (a cross-tenant conversation).
MERCHANT_CHAT = "19:maja-and-alice@thread.v2"
REFUSALS = ("I cannot show live invitation data", "Jag kan inte visa aktuella inbjudningsuppgifter")


def ask(teams: Any, connector: StubConnector, activity: dict[str, Any]) -> Call:
    """Post a question (202 at once) and return the one card posted as its answer."""
    before = len(connector.messages())
    assert teams.post(activity).status == 202
    assert teams.idle()
    posted = connector.messages()
    assert len(posted) == before + 1, posted
    check_attachment(posted[-1].body["attachments"][0])
    return posted[-1]


def card_of(call: Call) -> dict[str, Any]:
    return check_attachment(call.body["attachments"][0])


def texts(call: Call) -> str:
    """The card's visible text runs, one a line."""
    return "\n".join(card_texts(card_of(call)))


def everything(*sent: Any) -> str:
    """All a person can see or a client can read of what was sent: activities (card, summary, fallback text,
    the buttons' data) and invoke answers."""
    return "\n".join(json.dumps(item.body if isinstance(item, Call | Response) else item, ensure_ascii=False)
                     for item in sent)


def all_sent(connector: StubConnector) -> str:
    """Everything the bot posted or updated in Teams so far."""
    return everything(*connector.matching(lambda call: call.method in ("POST", "PUT")))


def button(call: Call, verb: str) -> dict[str, Any]:
    (found,) = [action for action in card_of(call).get("actions", []) if action.get("verb", action["data"]["verb"])
                == verb]
    return found


def click(teams: Any, question: dict[str, Any], card: Call, verb: str, *, user: str) -> Response:
    """Action.Execute on the card posted for `question`, by `user`; returns the invoke's answer."""
    response = teams.post(execute_invoke(question, card.posted_id or "", button(card, verb), user=user))
    assert response.status == 200
    assert teams.idle()
    return response


def submit(teams: Any, question: dict[str, Any], card: Call, verb: str, *, user: str) -> None:
    """Action.Submit (a message with the button's data, replying to the card) by `user`; waits for its turn."""
    activity = card_submit({**question, "replyToId": card.posted_id}, button(card, verb)["data"], user=user)
    assert teams.post(activity).status == 202
    assert teams.idle()


def refused(text: str) -> bool:
    return any(refusal in text for refusal in REFUSALS)
