"""Template context every page needs: the user's seller, if any."""

from typing import Any

from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    seller = None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from sellers.selectors import seller_for_user

        seller = seller_for_user(user=user)
    return {"current_seller": seller}
