"""Catalog API v1, the import preview: the row errors of an import grouped by cause."""

from typing import Any

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.api import NOT_FOUND, UNAUTHORIZED, JobScopedMixin
from catalog.import_schema import ErrorGroupSerializer
from catalog.importing.preview import import_job_error_summary


@extend_schema_view(
    get=extend_schema(
        summary="The row errors of an import, grouped by cause",
        description=(
            "One entry per cause (code and column): errors (rejected rows) before warnings, the "
            "largest first. `examples` are the most frequent offending values with their row "
            "counts, so `unknown_brand` reads as `蓝月 ×98, 金马 ×101`. The full list is "
            "`errors/`, paged."
        ),
        responses={
            200: ErrorGroupSerializer(many=True),
            401: UNAUTHORIZED,
            404: NOT_FOUND,
        },
        examples=[
            OpenApiExample(
                "unknown brands",
                value=[
                    {
                        "code": "unknown_brand",
                        "column": "brand",
                        "severity": "error",
                        "count": 199,
                        "distinct": 2,
                        "examples": [
                            {"value": "金马", "count": 101},
                            {"value": "蓝月", "count": 98},
                        ],
                        "message": "199 rows · Brand (brand): not one of your brands: request "
                        "the brand, or fix the name.",
                    }
                ],
                response_only=True,
            )
        ],
        tags=["imports"],
    )
)
class ImportErrorSummaryView(JobScopedMixin, APIView):
    def get(self, request: Request, id: int) -> Response:
        job = self.scoped_object(request, id=id)
        groups: list[dict[str, Any]] = import_job_error_summary(job=job)
        return Response(ErrorGroupSerializer(groups, many=True).data)
