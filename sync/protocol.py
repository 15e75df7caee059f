"""The push envelope, the per-mutation error vocabulary, and the canonical mutation hash
(`docs/sync-protocol.md`, "Push").
"""

import hashlib
import json
from dataclasses import dataclass, field

import contract
from sync.errors import Problem
from sync.times import parse_instant, utc_text

PROTOCOL_VERSION = contract.catalogue()["protocol_version"]

# A larger batch is refused whole (413): a phone with more sends it in several pushes (the
# phone's batch is the same limit, read from the same contract).
MAX_MUTATIONS_PER_PUSH = contract.limit("mutations_per_push")

# Pull page size: default and ceiling. Bigger pages mean fewer round trips on a first sync but
# a longer transaction and a bigger response to lose on a flaky connection.
DEFAULT_PULL_LIMIT = contract.limit("pull_limit_default")
MAX_PULL_LIMIT = contract.limit("pull_limit_max")

# Result statuses.
APPLIED = "applied"
REJECTED = "rejected"
CONFLICT = "conflict"
# Not final: nothing of the mutation is kept, the phone keeps it and sends it again after
# `retry_after` seconds (`parked_quota`: its author's parked items are at the quota).
DEFERRED = "deferred"

# Per-mutation error codes (stable strings a client may act on).
VALIDATION = "validation"
FORBIDDEN = "forbidden"
NOT_FOUND = "not_found"
UNKNOWN_MUTATION = "unknown_mutation"
DEPENDS_ON_PARKED = "depends_on_parked"
ID_REUSED = "id_reused"
ALREADY_RESOLVED = "already_resolved"
DELETED = "deleted"
ALREADY_EXISTS = "already_exists"
INVALID_STATE = "invalid_state"


class EnvelopeError(Problem):
    """The push request as a whole is unusable (400) or too big (413)."""

    def __init__(self, status: int, message: str, fields: dict | None = None):
        super().__init__(status, "bad_envelope", message, fields=fields)


@dataclass
class Envelope:
    mutations: list
    outbox_size: int | None = None
    # When the oldest mutation still in the device's outbox was queued (device time, UTC
    # text), for the sync dashboard's `unsent_over_24h`.
    outbox_oldest_at: str | None = None
    app_version: str | None = None
    device_time: str | None = None
    extra: dict = field(default_factory=dict)


def parse_envelope(body) -> Envelope:
    """Check only what makes the whole request unusable; everything inside one mutation is
    judged per mutation, later. The device's report (`outbox_size`, `outbox_oldest_at`,
    `app_version`, `device_time`) is optional, and a field of the wrong type is ignored."""
    if not isinstance(body, dict):
        raise EnvelopeError(400, "The request body must be a JSON object.")
    mutations = body.get("mutations")
    if not isinstance(mutations, list):
        raise EnvelopeError(400, "`mutations` must be a list.", {"mutations": ["Not a list."]})
    if len(mutations) > MAX_MUTATIONS_PER_PUSH:
        raise EnvelopeError(
            413,
            f"At most {MAX_MUTATIONS_PER_PUSH} mutations per push; send the rest in another.",
            {"mutations": [f"Longer than {MAX_MUTATIONS_PER_PUSH}."]},
        )
    outbox_size = body.get("outbox_size")
    if not is_count(outbox_size):
        outbox_size = None
    oldest = parse_instant(body.get("outbox_oldest_at"))
    app_version = body.get("app_version")
    device_time = body.get("device_time")
    return Envelope(
        mutations=mutations,
        outbox_size=outbox_size,
        outbox_oldest_at=utc_text(oldest) if oldest else None,
        app_version=app_version if _is_short_text(app_version, MAX_APP_VERSION_LENGTH) else None,
        device_time=device_time if isinstance(device_time, str) else None,
    )


# Longest `app_version` kept ("1.4.2", a build suffix at most); a longer one is ignored, as
# is one that is not text a database can hold.
MAX_APP_VERSION_LENGTH = 64


def _is_short_text(value, longest: int) -> bool:
    return isinstance(value, str) and len(value) <= longest and is_valid_text(value)


def storable_text(value, longest: int) -> str:
    """`value` as text any database can hold, cut to `longest` characters: what a client
    sent, for a log column, even when it is broken (a lone surrogate becomes `\\ud800`)."""
    return str(value)[:longest].encode("utf-8", "backslashreplace").decode("utf-8")


# SQLite's INTEGER is 64-bit: a larger count from a client is treated as absent.
MAX_COUNT = 2**63 - 1


def is_count(value) -> bool:
    """A non-negative integer SQLite can store (JSON `true` is not a number)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT


def canonical_json(value) -> str:
    """Sorted keys, no spaces, UTF-8 as is: the same text for the same content anywhere."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(mutation: dict) -> str:
    """SHA-256 over {name, args, base_version, base_mutation_id}: what makes two deliveries
    of one id "the same mutation"."""
    content = {
        "name": mutation.get("name"),
        "args": mutation.get("args"),
        "base_version": mutation.get("base_version"),
        "base_mutation_id": mutation.get("base_mutation_id"),
    }
    # "surrogatepass": a lone surrogate (broken text) still hashes; `judge` rejects it.
    return hashlib.sha256(canonical_json(content).encode("utf-8", "surrogatepass")).hexdigest()


def is_valid_text(value) -> bool:
    """Whether every string in a JSON value is valid Unicode (no lone surrogates)."""
    try:
        canonical_json(value).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
