"""Whether this instance can push, and with what: VAPID keys, the `sub` contact, the hosts
it may post to.

The VAPID key pair is made once, when `migrate` sets up a new data directory (or by
`faltstod vapid`), and then only ever loaded: a new key would silently break every
subscription phones hold (they were made for the old public key), so a missing or unreadable
key on an existing instance is an error, never a reason to make a new one.

Push is off, with the reason said in the log and to supervisors, when the instance turns it
off, when no usable contact is configured, or when the key cannot be loaded; the server runs
either way (phones remind while the app is open).
"""

import ipaddress
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02, b64urlencode

from sync.errors import Problem

log = logging.getLogger(__name__)

VAPID_KEY_FILENAME = "vapid_private_key.pem"
CONTACT_FILENAME = "push_contact"
# Hosts Apple (and good manners) refuse as a VAPID contact: nobody can be reached there.
_UNREACHABLE_SUFFIXES = (".local", ".invalid", ".localhost", ".test")
_MAILTO = re.compile(r"^mailto:[^@\s/]+@([^@\s/]+)$", re.IGNORECASE)


class PushConfigError(Problem):
    """Push cannot work with this configuration (503 `push_disabled`; the CLI prints it)."""

    def __init__(self, message: str):
        super().__init__(503, "push_disabled", message)


def vapid_key_path(data_dir) -> Path:
    return Path(data_dir) / VAPID_KEY_FILENAME


def create_vapid_key(data_dir, *, replace=False) -> Vapid02:
    """Make the instance's key pair (private key file 0600). Refuses to overwrite one unless
    `replace` (every existing subscription then stops working)."""
    path = vapid_key_path(data_dir)
    if path.exists() and not replace:
        raise PushConfigError(f"{path} exists; replacing it breaks every push subscription")
    vapid = Vapid02()
    vapid.generate_keys()
    tmp = path.with_suffix(".tmp")
    tmp.touch(mode=0o600)
    tmp.chmod(0o600)
    tmp.write_bytes(vapid.private_pem())
    tmp.replace(path)
    return vapid


def load_vapid_key(data_dir) -> Vapid02:
    path = vapid_key_path(data_dir)
    try:
        return Vapid02.from_pem(path.read_bytes())
    except FileNotFoundError:
        raise PushConfigError(
            f"the VAPID key {path} is missing: restore it from the backup of the data directory "
            "(or make a new one with `faltstod vapid --replace`, which breaks every subscription)"
        ) from None
    except (OSError, ValueError, TypeError) as error:
        raise PushConfigError(f"the VAPID key {path} cannot be read: {error}") from None


def public_key_text(vapid: Vapid02) -> str:
    """The public key as browsers want it for `applicationServerKey` (base64url, raw point)."""
    raw = vapid.public_key.public_bytes(serialization.Encoding.X962,
                                        serialization.PublicFormat.UncompressedPoint)
    return b64urlencode(raw)


def check_contact(contact: str) -> str:
    """The contact, when push services can use it; else PushConfigError saying why."""
    contact = contact.strip()
    if not contact:
        raise PushConfigError("no push contact is configured (FALTSTOD_PUSH_CONTACT)")
    match = _MAILTO.match(contact)
    if match:
        host = match.group(1)
    elif contact.lower().startswith("https://"):
        host = urlsplit(contact).hostname or ""
    else:
        raise PushConfigError("the push contact must be a mailto: address or an https: URL")
    host = host.lower().rstrip(".")
    if not host or host == "localhost" or host.endswith(_UNREACHABLE_SUFFIXES) or "." not in host:
        raise PushConfigError(f"the push contact's host {host!r} cannot be reached by a push service")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return contact
    raise PushConfigError("the push contact must name a host, not an IP address")


def write_demo_contact(data_dir, contact: str) -> None:
    (Path(data_dir) / CONTACT_FILENAME).write_text(check_contact(contact) + "\n")


def configured_contact(settings: dict) -> str:
    if settings["PUSH_CONTACT"].strip():
        return settings["PUSH_CONTACT"]
    path = Path(settings["DATA"]) / CONTACT_FILENAME
    return path.read_text().strip() if path.exists() else ""


class HostAllowList:
    """Host names push may go to; `*.example.com` matches its subdomains. Only `https`,
    except for loopback addresses given literally (tests' fake push services)."""

    def __init__(self, text: str):
        self.patterns = tuple(p.strip().lower() for p in text.split(",") if p.strip())

    def allows(self, url: str) -> bool:
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
            parts.port  # noqa: B018 (raises on a malformed port)
        except ValueError:
            return False
        if parts.username or parts.password or not host:
            return False
        if parts.scheme != "https" and not (parts.scheme == "http" and _is_loopback(host)):
            return False
        return any(host == p or (p.startswith("*.") and host.endswith(p[1:])) for p in self.patterns)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class PushConfig:
    enabled: bool
    reason: str | None = None  # why push is off
    vapid: Vapid02 | None = None
    contact: str | None = None
    hosts: HostAllowList = field(default_factory=lambda: HostAllowList(""))

    @property
    def public_key(self) -> str | None:
        return public_key_text(self.vapid) if self.vapid else None


def load_push_config(settings: dict) -> PushConfig:
    """What push can do on this instance. Never raises: push is off, with the reason."""
    hosts = HostAllowList(settings["PUSH_HOSTS"])
    if not settings["PUSH_ENABLED"]:
        return PushConfig(False, "push is turned off (FALTSTOD_PUSH_ENABLED)", hosts=hosts)
    try:
        contact = check_contact(configured_contact(settings))
        vapid = load_vapid_key(settings["DATA"])
    except PushConfigError as error:
        log.warning("Web push is off: %s", error)
        return PushConfig(False, str(error), hosts=hosts)
    return PushConfig(True, None, vapid, contact, hosts)
