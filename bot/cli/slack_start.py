"""What `serve` and `socket` share: Slack settings checked, the app built, shutdown on SIGTERM."""

from __future__ import annotations

import signal
from types import FrameType
from typing import TYPE_CHECKING

from bot.cli.common import EXIT_USAGE, components_or_none, fail, settings_or_none
from bot.cli.wiring import Components, gaps_reader

if TYPE_CHECKING:
    from bot.metrics import Metrics
    from bot.slack.app import SlackBot

# On SIGTERM, answers already taken get this long to reach Slack (platforms allow about 30 s).
DRAIN_SECONDS = 20.0


def stop_on_sigterm() -> None:
    """SIGTERM (a deploy, a scale-down) stops like Ctrl-C, so answers in progress can finish."""

    def handle(_signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, handle)


def start(command: str, needed: tuple[str, ...], *, http: bool,
          metrics: Metrics | None = None) -> tuple[Components, SlackBot] | int:
    """The wired components and the Slack app, or the exit code after one clear line per problem."""
    settings = settings_or_none()
    if settings is None:
        return EXIT_USAGE
    missing = [name for name in needed if not getattr(settings, name.lower())]
    if missing:
        return fail([f"{command} needs {' and '.join(missing)}"], EXIT_USAGE)
    components = components_or_none(settings, record_events=True, observer=metrics,
                                    on_drop=metrics.event_dropped if metrics is not None else None)
    if components is None:
        return 1

    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackClientError

    from bot.slack.app import build_slack_bot

    try:
        bot = build_slack_bot(
            settings, components.assistant, components.access, http=http, conversation=components.conversation,
            gaps=gaps_reader(settings),
            dropped=(lambda: metrics.redelivery_dropped("slack")) if metrics is not None else None,
            feedback_counter=metrics.feedback_given if metrics is not None else None,
            triage=components.triage,
        )
    except BoltError as exc:
        components.close()
        return fail([f"Slack did not accept SLACK_BOT_TOKEN: {exc}"], 1)
    except (SlackClientError, OSError) as exc:
        # auth.test could not reach Slack at all (network, proxy, a wrong SLACK_API_URL).
        components.close()
        where = settings.slack_api_url or "Slack's Web API"
        return fail([f"could not reach {where}: {getattr(exc, 'reason', None) or exc}"], 1)
    return components, bot
