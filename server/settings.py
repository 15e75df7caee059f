"""Every setting of Fältstöd, declared once with its default and what it is for.

Settings are read from `FALTSTOD_*` environment variables. `tests/server/test_settings.py`
fails when one of them is missing from the README's settings table, so an operator can
always find what a knob does.
"""

import ipaddress
import os
from dataclasses import dataclass
from datetime import time
from pathlib import Path

import contract

# The reminder defaults the phone also starts from (before the server has answered).
_REMINDERS = contract.reminders()["preferences"]


def _boolean(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"not a yes/no value: {text!r}")


def _clock_time(text: str) -> time:
    return time.fromisoformat(text.strip())


def _networks(text: str) -> tuple:
    """Comma-separated addresses or networks (`127.0.0.1`, `10.0.0.0/8`); empty: none."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False)
                 for part in text.split(",") if part.strip())


def _log_format(text: str) -> str:
    value = text.strip().lower()
    if value not in LOG_FORMATS:
        raise ValueError(f"not a log format ({' or '.join(LOG_FORMATS)}): {text!r}")
    return value


LOG_FORMATS = ("text", "json")


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    type: type = str
    # (lowest, highest) a number may be, both allowed; outside them the server does not start.
    bounds: tuple | None = None


SETTINGS = [
    Setting("DATA", "./data", "Directory holding the SQLite file and the instance secrets."),
    Setting("HISTORY_DAYS", "90", "Days of visit history a phone keeps; older records are purged.", int),
    Setting(
        "WRITE_GRACE_DAYS",
        "30",
        "A mutation about a client is accepted this many days after it occurred; later ones "
        "are parked for a supervisor.",
        int,
    ),
    Setting("TOKEN_IDLE_DAYS", "60", "A device token unused this many days expires.", int),
    Setting("TOKEN_MAX_DAYS", "90", "A login lasts at most this many days, however much its "
            "token is used (rotation included): then the password is asked for again.", int),
    Setting("TRUSTED_PROXIES", "", "Addresses or networks of the reverse proxies in front of "
            "the server (comma-separated); only a request from one of them is believed about "
            "the client's address (`X-Forwarded-For`), which login throttling counts by.",
            _networks),
    Setting("OIDC_ISSUER", "", "Login through the city's identity provider (OpenID Connect, "
            "for BankID, SITHS or MFA): its issuer URL, whose discovery document is "
            "`<issuer>/.well-known/openid-configuration`. Empty: off."),
    Setting("OIDC_CLIENT_ID", "", "Fältstöd's client id at the identity provider."),
    Setting("OIDC_CLIENT_SECRET", "", "Its client secret; unset: the file `oidc_client_secret` "
            "in the data directory (0600), else none (a public client, PKCE only)."),
    Setting("OIDC_REDIRECT_URI", "", "This server's callback as registered at the identity "
            "provider: `https://<host>/api/auth/oidc/callback`."),
    Setting("OIDC_USERNAME_CLAIM", "preferred_username", "The ID token's claim that holds a "
            "worker's Fältstöd username (exactly)."),
    Setting("OIDC_SCOPES", "openid profile", "The scopes asked for (the username claim must "
            "come with them)."),
    Setting("OIDC_LABEL", "", "The login button's text (empty: \"Logga in med e-legitimation\")."),
    Setting("OIDC_PASSWORD_LOGIN", "true", "With the identity provider on: whether the "
            "username and password login is offered too (`false`: refused, 403).", _boolean),
    Setting("PASSWORD_CHECKS", "2", "Password checks (argon2) one web worker process runs at "
            "once; a login beyond that is answered 503 at once instead of queueing.", int),
    Setting("DB_BUSY_TIMEOUT_MS", "5000", "How long a web request's write waits for another "
            "writer's lock before it is answered 503 `busy` with Retry-After (the phone retries); "
            "reads never wait.", int),
    Setting("HSTS", "false", "Send Strict-Transport-Security with every answer (the instance is "
            "reached over HTTPS only); otherwise only with answers to requests that came over "
            "TLS, directly or through a trusted proxy's `X-Forwarded-Proto: https`.", _boolean),
    Setting("WEB_WORKERS", "2", "Web worker processes started by `faltstod serve`.", int),
    Setting("WEB_THREADS", "4", "Threads per web worker process.", int),
    Setting("LOG_FORMAT", "text", "The processes' logs on stderr: `text` (a line for a person) or "
            "`json` (one object a line, for a log collector); each request's line and id either "
            "way, never a query string or anything personal.", _log_format),
    Setting("DEVICE_MAX_RECORDS", "20000", "A phone's data budget: the most records it should "
            "hold (a full caseload with 90 days of history is some thousands); above it the "
            "phone says so and the sync dashboard shows `over_budget`.", int),
    Setting("DEVICE_MAX_MB", "100", "A phone's data budget in megabytes of browser storage, "
            "as the phone reports it.", int),
    Setting("CM_CASELOAD_CAP", "10", "Most clients a case manager keeps.", int),
    Setting("SUPPORT_CASELOAD_CAP", "15", "Most clients a boendestödjare keeps.", int),
    Setting("PWA_DIST", "", "Folder of the built phone app served at / (default: pwa/dist)."),
    Setting("TIMEZONE", _REMINDERS["working_hours"]["timezone"],
            "The zone the users live in (UI, reports, windows)."),
    Setting("PUSH_ENABLED", "true", "Send reminders by web push (through Google's, Apple's and "
            "Mozilla's push services); `false` turns push off for the instance.", _boolean),
    Setting("PUSH_CONTACT", "", "The VAPID `sub` contact push services may reach the operator "
            "at: `mailto:` address or `https:` URL (localhost, .local and .invalid are refused). "
            "Unset: the one `seed-demo` wrote to the data directory, else push is off."),
    Setting("PUSH_HOSTS", "fcm.googleapis.com,*.push.apple.com,updates.push.services.mozilla.com,"
            "*.notify.windows.com", "Push services the server will post to (comma-separated host "
            "names, `*.` matches subdomains); subscriptions elsewhere are refused."),
    Setting("PUSH_IDLE_DAYS", "60", "A push subscription whose device has not called in this "
            "many days is disabled (iOS answers 200 for expired subscriptions).", int),
    Setting("REMINDER_MINUTES", str(_REMINDERS["defaults"]["minutes_before"]), "Default minutes "
            "before a visit its reminder goes out (a worker may choose another).", int),
    Setting("REMINDER_RETENTION_DAYS", "30", "Personal reminders marked done are deleted this "
            "many days later (their text is the worker's own memo, not documentation), as are "
            "the scheduler's records of what it sent.", int),
    Setting("PARKED_RETENTION_DAYS", "90", "A resolved parked mutation is deleted this many "
            "days after its resolution (what was applied lives in its record); one about a "
            "personal reminder after REMINDER_RETENTION_DAYS; an open one is kept.", int),
    Setting("CLIENT_RETENTION_YEARS", "5", "A client no one serves, with no open order, whose "
            "last trace (visit, note, contact, appointment, consent, order, assignment) is this "
            "many years old is deleted with their whole case by the scheduler (gallring).", int),
    Setting("WORKDAY_START", _REMINDERS["working_hours"]["start"],
            "No reminder is pushed before this local time ...", _clock_time),
    Setting("WORKDAY_END", _REMINDERS["working_hours"]["end"],
            "... nor after this one: it moves into working hours.", _clock_time),
    Setting("ACCESS_LOG_RETENTION_DAYS", "1825", "Days the access log keeps an entry (who read, "
            "wrote or was refused a client's records); the scheduler deletes older ones once "
            "a day and logs that it did. Default 5 years, the usual keeping of the records "
            "themselves.", int),
    Setting("CONSENT_STALE_MONTHS", str(contract.catalogue()["consents"]["stale_months"]),
            "A consent signed more than this many months before a contact or appointment is "
            "stale: the contact is saved with a warning, and the workload dashboard flags it.",
            int),
    Setting("FOLLOWUP_MONTHS", str(contract.catalogue()["followups"]["months"]),
            "A goal of an order is due for follow-up this many months after the order's start "
            "or its last follow-up (overdue 30 days after that): the workload dashboard counts "
            "and flags it.", int, (1, 36)),
    # The phone's lock, set by the city's data-protection officer and served to the phones
    # (`GET /api/phone/settings`, docs/phone-security.md).
    Setting("PHONE_LOCK_MINUTES", "5", "The phone locks after this many minutes without a "
            "touch; unlocking takes the PIN or the passkey.", int, (1, 60)),
    Setting("PHONE_MAX_OFFLINE_DAYS", "7", "After this many days without reaching the server "
            "the phone's PIN or passkey opens only the online login.", int, (1, 30)),
    Setting("PHONE_PIN_MIN", "6", "Fewest digits of the phone's PIN (at most 12); raised, each "
            "phone asks for a new PIN at its next unlock.", int, (6, 12)),
]

_BY_NAME = {s.name: s for s in SETTINGS}


def env_name(name: str) -> str:
    return f"FALTSTOD_{name}"


def _checked(setting: Setting, value):
    """The value, or a ValueError naming the variable when it is outside the setting's bounds
    (the command line turns it into one `Error: invalid setting: ...` line)."""
    if setting.bounds is not None:
        lowest, highest = setting.bounds
        if not lowest <= value <= highest:
            raise ValueError(f"{env_name(setting.name)} must be between {lowest} and {highest}, not {value}")
    return value


def load(environ=None, **overrides) -> dict:
    """Read every setting from the environment; `overrides` (for tests) win."""
    environ = os.environ if environ is None else environ
    values = {}
    for setting in SETTINGS:
        raw = environ.get(env_name(setting.name), setting.default)
        if setting.name in overrides:
            raw = overrides.pop(setting.name)
        values[setting.name] = _checked(setting, setting.type(raw) if isinstance(raw, str) else raw)
    if overrides:
        raise KeyError(f"unknown settings: {sorted(overrides)}")
    values["DATA"] = Path(values["DATA"])
    return values
