"""Template context every page needs: the signed-in user's seller, if any."""

from typing import Any

from django.http import HttpRequest

from sellers.selectors import seller_for_user


def current_seller(request: HttpRequest) -> dict[str, Any]:
    seller = None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        seller = seller_for_user(user=user)
    return {"current_seller": seller}
