"""Shared DRF pieces: pagination, text fields with the importer's rule, and the one exception
handler for domain errors and hostile bodies."""

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.errors import ConflictError
from portal.middleware import body_too_large_message, current_request_id
from portal.tabular.validators import validate_visible_text

logger = logging.getLogger("portal.api")


class VisibleCharField(serializers.CharField):
    """Text typed through the API, held to what a file's cell may hold: no zero-width, bidi or
    other invisible characters, with the importer's message (DRF refuses NUL and surrogates)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(validate_visible_text)


def choice_filter(params: Any, name: str, choices: list[str]) -> str | None:
    """A list's optional query filter that must be one of `choices`: the value, None when not
    given, a 400 on `name` naming the choices otherwise."""
    value = params.get(name) or None
    if value and value not in choices:
        raise serializers.ValidationError(
            {name: [_("Choose one of: %(statuses)s.") % {"statuses": ", ".join(choices)}]}
        )
    return value


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def _validation_detail(exc: DjangoValidationError) -> Any:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in errors] for field, errors in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Django's ValidationError is a 400, ConflictError a 409, a body over the limit a 413;
    anything unexpected is a generic 500 with a reference id, the detail going to the log only."""
    if isinstance(exc, DjangoValidationError):
        exc = DRFValidationError(detail=_validation_detail(exc))
    if isinstance(exc, ConflictError):
        body = {"detail": exc.message, **({"code": exc.code} if exc.code else {}), **exc.data}
        return Response(body, status=status.HTTP_409_CONFLICT)
    # Django's refusals of a hostile body (too large, too many fields), met while parsing.
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": body_too_large_message()},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, SuspiciousOperation):
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is None:
        reference = current_request_id()
        logger.exception("Unhandled API error (reference %s)", reference, exc_info=exc)
        return Response(
            {"detail": "Something went wrong on our side.", "reference": reference},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    return response
