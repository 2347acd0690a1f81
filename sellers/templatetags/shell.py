"""Template helpers of the page frame: which navigation entry is the current page."""

from django import template
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def nav_current(request: HttpRequest | None, url: str, exact: bool = False) -> SafeString:
    """` aria-current="page"` on the link to the page being shown (or a page under it)."""
    if request is None or not url:
        return SafeString("")
    path = request.path
    if path == url or (not exact and url != "/" and path.startswith(url)):
        return format_html(' aria-current="{}"', "page")
    return SafeString("")
