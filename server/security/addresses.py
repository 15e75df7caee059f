"""Which address a request comes from, for throttling logins per address.

Behind a reverse proxy (Caddy in `deploy/`) every request's peer is the proxy; the client's
address is what the proxy appended to `X-Forwarded-For`. That header is believed only when
the peer is one of the trusted proxies (`FALTSTOD_TRUSTED_PROXIES`, none by default):
anyone else could write any address into it and get fresh guesses with each. Read from the
right, the first address that is not a trusted proxy is the client's (the addresses to its
left are whatever the client claimed).
"""

import ipaddress

# Longest address text kept (an IPv6 address with a zone fits well inside).
MAX_LENGTH = 64


def _is_trusted(address: str, trusted) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(peer: str | None, forwarded_for: str | None, trusted) -> str:
    """The client's address: the peer's, or behind a trusted proxy the rightmost address of
    `X-Forwarded-For` that is not a trusted proxy. Pure."""
    address = peer or "unknown"
    if forwarded_for and _is_trusted(address, trusted):
        for hop in reversed([part.strip() for part in forwarded_for.split(",")]):
            if not hop:
                continue
            address = hop
            if not _is_trusted(hop, trusted):
                break
    return address[:MAX_LENGTH]
