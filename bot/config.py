"""Settings from the environment: read in this one place, validated at once, every problem reported."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


class ConfigError(Exception):
    """The environment is wrong; `problems` lists every problem found, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


# The Agents SDK reads its connections from variables with these prefixes (nested by "__").
TEAMS_PREFIX = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
_SDK_PREFIXES = ("CONNECTIONS__", "CONNECTIONSMAP__")
# Auth types that sign in with a client secret (the SDK's default when AUTHTYPE is unset).
_SECRET_AUTH_TYPES = ("clientsecret",)
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")


@dataclass(frozen=True)
class TeamsSettings:
    # The bot's Microsoft Entra app (client) id; None: anonymous development mode.
    client_id: str | None = None
    # Our own Microsoft 365 tenant: its members (not guests) are staff.
    tenant_id: str | None = None
    # HTTP port for `teams`: PORT when set, else 3978 (the Bot Framework's customary port).
    port: int = 3978
    # Threads that run the brain for Teams turns (live lookups block for seconds).
    answer_threads: int = 16
    # Files sent to the bot come from Microsoft's SharePoint/OneDrive hosts only; TEAMS_FILES_URL names one more
    # (a stand-in in tests, a proxy), allowed by its own scheme, host and port.
    files_url: str | None = None
    # Every CONNECTIONS__* / CONNECTIONSMAP__* variable, passed to the SDK as it reads them.
    sdk_environment: tuple[tuple[str, str], ...] = ()

    @property
    def anonymous(self) -> bool:
        """No client id: requests are taken without a token and replies are sent without one."""
        return self.client_id is None

    def sdk_configuration(self) -> dict[str, str]:
        """The variables for the SDK's load_configuration_from_env; anonymous mode stated explicitly."""
        env = dict(self.sdk_environment)
        env[TEAMS_PREFIX + "ANONYMOUS_ALLOWED"] = "true" if self.anonymous else "false"
        return env


@dataclass(frozen=True)
class Settings:
    # None: the bundled sandbox is started in-process with demo data.
    invitations_api_url: str | None = None
    invitations_api_key: str | None = None
    invitations_api_secret: str | None = None
    # Total time one API call may take, retries and waits included (seconds).
    api_budget_seconds: float = 10.0
    # Client-side rate limiter; the defaults keep under the API's published windows.
    api_rate_per_5min: int = 833
    api_rate_per_hour: int = 10_000
    api_concurrency: int = 4
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str | None = None
    port: int = 3000
    access_file: Path | None = None
    language: str = "sv"
    redis_url: str | None = None
    # Threads that run Slack listeners; acks never wait for them.
    slack_listener_threads: int = 16
    # The event store (feedback, knowledge gaps): None means the SQLite file of default_database_url().
    database_url: str | None = None
    gaps_retention_days: int = 90
    # Internal places where hand-offs to a person are posted; None: the asker is told whom to contact.
    slack_escalation_channel: str | None = None
    teams_escalation_conversation: str | None = None
    # Named in the hand-off answer when no escalation place is configured ("support@example.com").
    support_contact: str | None = None
    # "json": one JSON object a line; "text": plain lines.
    log_format: str = "text"
    # With Redis: seconds after which work claimed by an instance that stopped renewing its claim
    # (it died) is taken over by another.
    work_takeover_seconds: float = 15.0
    # Where the console chat writes its warnings, so that the terminal shows answers only.
    chat_log_file: Path | None = None
    # Microsoft Teams, in the Agents SDK's own variable names (CONNECTIONS__SERVICE_CONNECTION__SETTINGS__*).
    teams: TeamsSettings = TeamsSettings()

    @property
    def event_store_url(self) -> str:
        return self.database_url or default_database_url()

    @property
    def uses_sandbox(self) -> bool:
        return self.invitations_api_url is None


def default_database_url() -> str:
    """A SQLite file in the user's data folder (XDG_DATA_HOME on Linux, the platform's own elsewhere)."""
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir('invitation-bot', appauthor=False)) / 'events.db'}"


def log_format_from_env(env: Mapping[str, str] | None = None) -> str:
    """LOG_FORMAT alone, for logging set up before the rest of the settings are read."""
    env = os.environ if env is None else env
    return "json" if env.get("LOG_FORMAT", "").strip().lower() == "json" else "text"


def _url(problems: list[str], name: str, value: str | None) -> str | None:
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        problems.append(f"{name} must be an http(s) URL, got {value!r}")
        return None
    return value.rstrip("/")


def _number(problems: list[str], env: Mapping[str, str], name: str, default: float, *, integer: bool,
            low: float, high: float) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        problems.append(f"{name} must be a {'whole ' if integer else ''}number, got {raw!r}")
        return default
    if not low <= value <= high:
        problems.append(f"{name} must be between {low:g} and {high:g}, got {raw!r}")
        return default
    return value


def _chat_log_file(text: Callable[[str], str | None]) -> Path | None:
    """BOT_LOG_FILE, else chat.log in the user's state folder (XDG_STATE_HOME, else ~/.local/state)."""
    if given := text("BOT_LOG_FILE"):
        return Path(given).expanduser()
    state = text("XDG_STATE_HOME")
    if state is None:
        home = text("HOME")
        if home is None:
            return None
        state = str(Path(home) / ".local" / "state")
    return Path(state) / "invitation-bot" / "chat.log"


def _teams_settings(problems: list[str], env: Mapping[str, str]) -> TeamsSettings:
    def setting(name: str) -> str | None:
        value = env.get(TEAMS_PREFIX + name, "").strip()
        return value or None

    short = TEAMS_PREFIX
    client_id, tenant_id = setting("CLIENTID"), setting("TENANTID")
    secret, auth_type = setting("CLIENTSECRET"), (setting("AUTHTYPE") or "ClientSecret")
    anonymous = (setting("ANONYMOUS_ALLOWED") or "").lower()
    if anonymous and anonymous not in _TRUE + _FALSE:
        problems.append(f"{short}ANONYMOUS_ALLOWED must be true or false, got {anonymous!r}")
    if client_id and not _GUID.match(client_id):
        problems.append(f"{short}CLIENTID must be the bot's app (client) id, a GUID, got {client_id!r}")
    if tenant_id and not _GUID.match(tenant_id):
        problems.append(f"{short}TENANTID must be a tenant id (a GUID), got {tenant_id!r}")
    if client_id:
        if auth_type.lower() in _SECRET_AUTH_TYPES and not secret:
            problems.append(f"{short}CLIENTID is set, so {short}CLIENTSECRET is needed (or another AUTHTYPE)")
        if anonymous in _TRUE:
            problems.append(f"{short}ANONYMOUS_ALLOWED must not be true when a CLIENTID is set: "
                            "requests without a token would be accepted")
    elif secret:
        problems.append(f"{short}CLIENTSECRET is set without {short}CLIENTID")
    raw_port = env.get("PORT", "").strip()
    port = int(_number([], env, "PORT", 3978, integer=True, low=1, high=65535)) if raw_port else 3978
    return TeamsSettings(
        client_id=client_id,
        tenant_id=tenant_id.lower() if tenant_id else None,
        port=port,
        answer_threads=int(_number(problems, env, "TEAMS_ANSWER_THREADS", 16, integer=True, low=1, high=256)),
        files_url=_url(problems, "TEAMS_FILES_URL", env.get("TEAMS_FILES_URL", "").strip() or None),
        sdk_environment=tuple(sorted((name, value) for name, value in env.items()
                                     if name.startswith(_SDK_PREFIXES))),
    )


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from `env` (default: os.environ); raise ConfigError listing every problem."""
    env = os.environ if env is None else env
    problems: list[str] = []

    def text(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    api_url = _url(problems, "INVITATIONS_API_URL", text("INVITATIONS_API_URL"))
    key, secret = text("INVITATIONS_API_KEY"), text("INVITATIONS_API_SECRET")
    if api_url and not (key and secret):
        problems.append("INVITATIONS_API_URL is set, so INVITATIONS_API_KEY and INVITATIONS_API_SECRET are needed")

    bot_token, app_token = text("SLACK_BOT_TOKEN"), text("SLACK_APP_TOKEN")
    if bot_token and not bot_token.startswith("xoxb-"):
        problems.append("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
    if app_token and not app_token.startswith("xapp-"):
        problems.append("SLACK_APP_TOKEN must be an app-level token starting with xapp-")

    language = (text("BOT_LANGUAGE") or "sv").lower()
    if language not in ("sv", "en"):
        problems.append(f"BOT_LANGUAGE must be sv or en, got {language!r}")
        language = "sv"

    access_file = None
    if raw_access := text("BOT_ACCESS_FILE"):
        access_file = Path(raw_access)
        if not access_file.is_file():
            problems.append(f"BOT_ACCESS_FILE {raw_access!r} is not a readable file")

    redis_url = text("REDIS_URL")
    if redis_url and urlsplit(redis_url).scheme not in ("redis", "rediss", "unix"):
        problems.append(f"REDIS_URL must be a redis:// URL, got {redis_url!r}")

    database_url = text("DATABASE_URL")
    if database_url and urlsplit(database_url).scheme.split("+")[0] not in ("postgresql", "postgres", "sqlite"):
        problems.append(f"DATABASE_URL must be a postgresql:// or sqlite:/// URL, got {database_url.split('@')[-1]!r}")
    log_format = (text("LOG_FORMAT") or "text").lower()
    if log_format not in ("text", "json"):
        problems.append(f"LOG_FORMAT must be text or json, got {log_format!r}")
        log_format = "text"

    settings = Settings(
        chat_log_file=_chat_log_file(text),
        invitations_api_url=api_url,
        invitations_api_key=key,
        invitations_api_secret=secret,
        api_budget_seconds=_number(problems, env, "INVITATIONS_API_BUDGET", 10.0, integer=False,
                                   low=0.1, high=300),
        api_rate_per_5min=int(_number(problems, env, "INVITATIONS_API_RATE_PER_5MIN", 833, integer=True,
                                      low=1, high=1_000_000)),
        api_rate_per_hour=int(_number(problems, env, "INVITATIONS_API_RATE_PER_HOUR", 10_000, integer=True,
                                      low=1, high=10_000_000)),
        api_concurrency=int(_number(problems, env, "INVITATIONS_API_CONCURRENCY", 4, integer=True,
                                    low=1, high=64)),
        slack_bot_token=bot_token,
        slack_signing_secret=text("SLACK_SIGNING_SECRET"),
        slack_app_token=app_token,
        slack_api_url=_url(problems, "SLACK_API_URL", text("SLACK_API_URL")),
        port=int(_number(problems, env, "PORT", 3000, integer=True, low=1, high=65535)),
        access_file=access_file,
        language=language,
        redis_url=redis_url,
        slack_listener_threads=int(_number(problems, env, "SLACK_LISTENER_THREADS", 16, integer=True,
                                           low=1, high=256)),
        database_url=database_url,
        gaps_retention_days=int(_number(problems, env, "GAPS_RETENTION_DAYS", 90, integer=True, low=1,
                                        high=36_500)),
        slack_escalation_channel=text("SLACK_ESCALATION_CHANNEL"),
        teams_escalation_conversation=text("TEAMS_ESCALATION_CONVERSATION"),
        support_contact=text("SUPPORT_CONTACT"),
        log_format=log_format,
        work_takeover_seconds=_number(problems, env, "WORK_TAKEOVER_SECONDS", 15.0, integer=False, low=1, high=300),
        teams=_teams_settings(problems, env),
    )
    if problems:
        raise ConfigError(problems)
    return settings
