"""The client address that login throttling counts, safe against forged X-Forwarded-For."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR when the portal is reached directly (AXES_IPWARE_PROXY_COUNT = 0): then
    X-Forwarded-For is whatever the client typed. Behind N trusted reverse proxies, the
    address the outermost one saw: the N-th X-Forwarded-For entry from the right (each proxy
    appends the address it received the request from, so anything further left is the
    client's own text)."""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.AXES_IPWARE_PROXY_COUNT or 0
    if hops <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if len(forwarded) < hops:
        return remote
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
