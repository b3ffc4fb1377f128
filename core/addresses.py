"""The client's address, for the login lockout (django-axes), the audit trail and the reveal log; and the page of
this site a browser says it is on (`own_page`).

Behind the TLS reverse proxy, REMOTE_ADDR is the proxy's: five wrong passwords would lock a username out for the
whole township. X-Forwarded-For is believed only from a proxy listed in TRUSTED_PROXIES (addresses or networks;
none by default): anyone else could write any address into it. The list is read from the right, as each proxy
appends the address it saw; the first address that is not a trusted proxy is the client.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    try:
        return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc


def _ip(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_ip(request) -> str | None:
    meta = getattr(request, "META", {})
    remote = meta.get("REMOTE_ADDR")
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    address = _ip(remote or "")
    if address is None or not networks:
        return remote

    def trusted(ip) -> bool:
        return any(ip in network for network in networks)

    hops = meta.get("HTTP_X_FORWARDED_FOR", "").split(",")
    while trusted(address) and hops:
        previous = _ip(hops.pop())
        if previous is None:  # a hop we cannot read: keep the last address we can vouch for
            break
        address = previous
    return str(address)


def own_page(address: str, request) -> str | None:
    """The path and query of ``address`` (a Referer, htmx's HX-Current-URL) when it is a page of this site, else None.
    Only the host is compared: behind the TLS proxy the scheme the browser saw may not be the request's."""
    page = urlsplit(address or "")
    if page.netloc not in ("", request.get_host()) or not page.path.startswith("/") or page.path.startswith("//"):
        return None
    return page.path + (f"?{page.query}" if page.query else "")
