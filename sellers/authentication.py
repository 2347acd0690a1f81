"""API token authentication: django-rest-knox's, with one query per request."""

from typing import Any

from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication


class TokenAuthentication(KnoxTokenAuthentication):
    """`Authorization: Token <key>`, checked against the stored hash.

    Knox also sweeps the user's other expired tokens on every request, one more query each
    time; accounts.user_token() sweeps them when it makes a new token instead.
    """

    def _cleanup_token(self, auth_token: Any) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI security scheme of this class (drf-spectacular knows only knox's own)."""

    target_class = "sellers.authentication.TokenAuthentication"
    name = "tokenAuth"
