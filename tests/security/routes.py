"""Every URL pattern of the portal, walked from the resolver, so the sweeps cover new routes."""

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, UUIDConverter
from django.urls.resolvers import RegexPattern, RoutePattern

# Paths an anonymous visitor may see: the landing page, accounts (sign-up, login, logout,
# password reset, the mailed link that confirms an address), language switching, the API
# schema and its documentation, API sign-up, token and address confirmation, and the admin's
# own login page.
PUBLIC_PATHS = re.compile(
    r"^/("
    r"|i18n/.*"
    r"|accounts/(login|logout|signup|register|password[-_]?reset|reset|verify/)[^?]*"
    r"|api/schema/.*"
    r"|api/docs/.*"
    r"|api/v1/auth/(register|token|verify)/"
    r"|admin/(login|logout)/"
    r"|static/.*"
    r"|favicon\.ico"
    r")$"
)


@dataclass(frozen=True)
class Route:
    """One URL pattern: its full route text, its name (namespaced) and its parameters."""

    route: str
    name: str | None
    callback: Callable[..., Any]
    params: tuple[str, ...]
    converters: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    @property
    def is_catch_all(self) -> bool:
        return "(?P<url>.*)" in self.route

    def build(self, values: Mapping[str, Any]) -> str:
        """The path with every parameter replaced by `values[name]`."""
        path = self.route
        for name in self.params:
            value = str(values[name])
            path = re.sub(r"<(?:\w+:)?" + name + ">", value, path)
            path = re.sub(r"\(\?P<" + name + r">[^)]*\)", value, path)
        # Regex leftovers of admin patterns: anchors and optional groups.
        path = path.replace("^", "").replace("$", "").replace("\\", "")
        return "/" + path

    def default_value(self, name: str) -> str:
        converter = self.converters.get(name)
        if isinstance(converter, IntConverter):
            return "1"
        if isinstance(converter, UUIDConverter):
            return "00000000-0000-4000-8000-000000000000"
        if name == "app_label":
            return "sellers"
        if name == "url":
            return "nothing-here/"
        return "x1"


def _pattern_text(pattern: Any) -> str:
    if isinstance(pattern, RoutePattern):
        return str(pattern)
    if isinstance(pattern, RegexPattern):
        text = pattern.regex.pattern
        # Admin's app_list uses an alternation of app labels: keep the group, name intact.
        return text
    return str(pattern)


def _params(text: str) -> tuple[str, ...]:
    names = re.findall(r"<(?:\w+:)?(\w+)>", text)
    names += re.findall(r"\(\?P<(\w+)>", text)
    return tuple(dict.fromkeys(names))


def _walk(
    patterns: list[Any], prefix: str, namespace: str, converters: dict[str, Any]
) -> Iterator[Route]:
    for entry in patterns:
        text = _pattern_text(entry.pattern)
        local = dict(converters)
        local.update(getattr(entry.pattern, "converters", {}))
        if isinstance(entry, URLResolver):
            child_ns = namespace
            if entry.namespace:
                child_ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + text, child_ns, local)
        elif isinstance(entry, URLPattern):
            full = prefix + text
            name = entry.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield Route(full, name, entry.callback, _params(full), local)


def all_routes(urlconf: str | None = None) -> list[Route]:
    """Every URL pattern reachable from the root URLconf, in order, without duplicates."""
    seen: set[str] = set()
    routes = []
    for route in _walk(get_resolver(urlconf).url_patterns, "", "", {}):
        if route.route in seen:
            continue
        seen.add(route.route)
        routes.append(route)
    return routes


def is_public(path: str) -> bool:
    return bool(PUBLIC_PATHS.match(path.split("?")[0]))


def read(response: Any) -> bytes:
    """The whole body of a response, streaming or not. Reading a streaming response to its end
    makes the test client close it (and return the database connection to the pool)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
