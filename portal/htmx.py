"""HTMX requests: whether a view answers with one partial of its page or with the whole page."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


def is_partial(request: HttpRequest) -> bool:
    """True for an HTMX request that swaps a region of the page already shown.

    A history restore (Back after htmx's history cache missed) is sent by htmx too, but it
    replaces the whole body, so it gets the whole page.
    """
    # Absent when a request did not pass through HtmxMiddleware (a view called in a test).
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def partial_or_page(request: HttpRequest, page: str, partial: str) -> str:
    """The template to render: `"<page>#<partial>"` for a partial request, else the page."""
    return f"{page}#{partial}" if is_partial(request) else page
