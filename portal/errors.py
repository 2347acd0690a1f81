"""Domain errors that services raise and every entry point turns into the same answer."""

from django.core.exceptions import ValidationError

__all__ = ["ConflictError", "ValidationError"]


class ConflictError(Exception):
    """The request is valid but the object's current state does not allow it (HTTP 409)."""

    def __init__(self, message: str, *, code: str = "", data: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        # A stable code and details a client acts on (the API adds both to `detail`).
        self.code = code
        self.data = data or {}
