"""Catalog API v1: the category tree, the seller's products, imports, their errors, the template.

Thin views: they parse the request, call a service or selector of `catalog`, and render. Every
object reached by a sku or an id goes through a selector scoped to the user's seller (404).
"""

from collections.abc import Iterable
from typing import Any, cast

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser, FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import selectors, services
from catalog.downloads import (
    DEFAULT_TEMPLATE_FORMAT,
    TEMPLATE_FORMATS,
    error_report_response,
    template_response,
)
from catalog.import_schema import ImportUploadSerializer
from catalog.importing.messages import file_too_large_message
from catalog.importing.template import category_template_response
from catalog.models import Category, ImportJob, Product, RowError, Severity
from catalog.product_schema import (
    PRODUCT_FILTERS,
    READINESS_STATES,
    ProductSerializer,
    ProductWriteSerializer,
    product_data,
)
from catalog.readiness import CODES
from portal.api import choice_filter
from portal.downloads import XLSX_CONTENT_TYPE
from portal.uploads import UploadLimitMixin, upload_too_large
from sellers.models import Seller, User
from sellers.selectors import seller_for_user

# ---------------------------------------------------------------------------------------------
# Shared pieces


def _user(request: Request) -> User:
    """The authenticated user (every view here requires authentication)."""
    return cast(User, request.user)


def _seller(request: Request) -> Seller:
    """The user's seller; 404 before the seller application exists."""
    seller = seller_for_user(user=_user(request))
    if seller is None:
        raise NotFound(_("Create your seller application first."))
    return seller


class FileDownloadNegotiation(BaseContentNegotiation):
    """Downloads are files whatever `Accept` or `?format=` says (DRF would read `format` as a
    renderer override and answer 404); errors on these routes are still JSON."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


class SellerScopedMixin(APIView):
    """The object named in the URL is looked up for the user's seller whatever the method, so
    another seller's id is a 404 on every method (never a 405 that would confirm it exists)."""

    def scoped_object(self, request: Request, **kwargs: Any) -> Any:
        raise NotImplementedError

    # DRF passes its Request where Django's View declares HttpRequest (as APIView itself does).
    def http_method_not_allowed(self, request: Request, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        self.scoped_object(request, **kwargs)
        return super().http_method_not_allowed(request, *args, **kwargs)

    def options(self, request: Request, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        self.scoped_object(request, **kwargs)
        return super().options(request, *args, **kwargs)


class JobScopedMixin(SellerScopedMixin):
    def scoped_object(self, request: Request, **kwargs: Any) -> ImportJob:
        return selectors.import_job_get(seller=_seller(request), id=kwargs["id"])


DetailSerializer = inline_serializer(name="ErrorDetail", fields={"detail": serializers.CharField()})
NOT_FOUND = OpenApiResponse(
    DetailSerializer, description="Not found, or it belongs to another seller."
)
UNAUTHORIZED = OpenApiResponse(DetailSerializer, description="Not logged in, or a bad token.")
VALIDATION = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Validation failed: `{field: [messages]}` in the request's language.",
    examples=[
        OpenApiExample(
            "invalid price", value={"price_uzs": ["Enter a whole number of so'm above zero."]}
        )
    ],
)
NOT_APPROVED = OpenApiResponse(
    DetailSerializer, description="The seller is not approved, so its catalog cannot change."
)
CSV_MEDIA_TYPE = "text/csv"


# ---------------------------------------------------------------------------------------------
# Categories


class CategorySerializer(serializers.ModelSerializer):
    # A declared field named like Field.parent: fine for DRF, confusing for the type stubs.
    parent = serializers.SlugRelatedField(  # type: ignore[assignment,var-annotated]
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="The parent's code; null at the top.",
    )

    class Meta:
        model = Category
        fields = ["code", "parent", "name_en", "name_ru", "name_uz", "name_zh", "is_leaf"]
        read_only_fields = fields


@extend_schema_view(
    get=extend_schema(
        summary="The category tree",
        description="Every category with its parent's code; products take a leaf's code.",
        responses={
            200: CategorySerializer(many=True),
            401: UNAUTHORIZED,
            404: OpenApiResponse(DetailSerializer, description="No such page."),
        },
        tags=["catalog"],
    )
)
class CategoryListView(generics.ListAPIView):
    serializer_class = CategorySerializer

    def get_queryset(self) -> Any:
        return Category.objects.select_related("parent").order_by("code")


# ---------------------------------------------------------------------------------------------
# Products


@extend_schema_view(
    get=extend_schema(
        summary="Your products",
        parameters=PRODUCT_FILTERS,
        responses={
            200: ProductSerializer(many=True),
            400: VALIDATION,
            401: UNAUTHORIZED,
            404: NOT_FOUND,
        },
        tags=["catalog"],
    ),
    post=extend_schema(
        summary="Create a product",
        request=ProductWriteSerializer,
        responses={
            201: ProductSerializer,
            400: VALIDATION,
            401: UNAUTHORIZED,
            404: NOT_FOUND,
            409: NOT_APPROVED,
        },
        tags=["catalog"],
    ),
)
class ProductListView(generics.ListAPIView):
    serializer_class = ProductSerializer

    def get_queryset(self) -> Any:
        params = self.request.query_params
        return selectors.product_list(
            seller=_seller(self.request),
            category=params.get("category") or None,
            q=params.get("q") or None,
            brand=params.get("brand") or None,
            readiness=choice_filter(params, "readiness", READINESS_STATES),
            issue=choice_filter(params, "issue", list(CODES)),
        )

    def post(self, request: Request) -> Response:
        product = services.product_create(seller=_seller(request), data=product_data(request))
        return Response(ProductSerializer(product).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        summary="One of your products, by SKU",
        responses={200: ProductSerializer, 401: UNAUTHORIZED, 404: NOT_FOUND},
        tags=["catalog"],
    ),
    patch=extend_schema(
        summary="Change some fields of a product",
        request=ProductWriteSerializer(partial=True),
        responses={
            200: ProductSerializer,
            400: VALIDATION,
            401: UNAUTHORIZED,
            404: NOT_FOUND,
            409: NOT_APPROVED,
        },
        tags=["catalog"],
    ),
    delete=extend_schema(
        summary="Delete a product",
        responses={204: None, 401: UNAUTHORIZED, 404: NOT_FOUND},
        tags=["catalog"],
    ),
)
class ProductDetailView(SellerScopedMixin, APIView):
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def scoped_object(self, request: Request, **kwargs: Any) -> Product:
        return self._product(request, kwargs["sku"])[1]

    def _product(self, request: Request, sku: str) -> tuple[Seller, Product]:
        seller = _seller(request)
        return seller, selectors.product_get(seller=seller, sku=sku)

    def get(self, request: Request, sku: str) -> Response:
        _seller_, product = self._product(request, sku)
        return Response(ProductSerializer(product).data)

    def patch(self, request: Request, sku: str) -> Response:
        seller, product = self._product(request, sku)
        product = services.product_update(
            seller=seller, product=product, data=product_data(request)
        )
        return Response(ProductSerializer(product).data)

    def delete(self, request: Request, sku: str) -> Response:
        seller, product = self._product(request, sku)
        services.product_delete(seller=seller, product=product)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------------------------------------
# Imports


class DetectedSerializer(serializers.Serializer):
    format = serializers.CharField(allow_null=True, help_text="`csv` or `xlsx`.")
    encoding = serializers.CharField(allow_null=True)
    delimiter = serializers.CharField(allow_null=True)


class CountsSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    invalid = serializers.IntegerField()


class MessageSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class ImportJobSerializer(serializers.ModelSerializer):
    detected = serializers.SerializerMethodField()
    counts = CountsSerializer(read_only=True)
    progress_percent = serializers.IntegerField(read_only=True)
    warnings = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()
    errors_url = serializers.SerializerMethodField()
    error_report_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "status",
            "mode",
            "filename",
            "detected",
            "total_rows",
            "processed_rows",
            "counts",
            "created_at",
            "finished_at",
            "started_at",
            "progress_percent",
            "total_lines",
            "warning_count",
            "warnings",
            "phase",
            "mapping_applied",
            "transliterate",
            "error",
            "errors_url",
            "error_report_url",
        ]
        read_only_fields = fields

    @extend_schema_field(DetectedSerializer)
    def get_detected(self, job: ImportJob) -> dict[str, Any]:
        detected = job.detected or {}
        return {key: detected.get(key) for key in ("format", "encoding", "delimiter")}

    @extend_schema_field(MessageSerializer(many=True))
    def get_warnings(self, job: ImportJob) -> list[dict[str, str]]:
        messages = job.warning_messages
        return [
            {"code": w["code"], "message": m} for w, m in zip(job.warnings, messages, strict=True)
        ]

    @extend_schema_field(MessageSerializer(allow_null=True))
    def get_error(self, job: ImportJob) -> dict[str, str] | None:
        if not job.error_code:
            return None
        return {"code": job.error_code, "message": job.error_message}

    def get_errors_url(self, job: ImportJob) -> str:
        return reverse("catalog-api:import-errors", args=[job.pk])

    def get_error_report_url(self, job: ImportJob) -> str:
        return reverse("catalog-api:import-errors-csv", args=[job.pk])


class RowErrorSerializer(serializers.ModelSerializer):
    message = serializers.CharField(read_only=True, help_text="In the request's language.")

    class Meta:
        model = RowError
        fields = ["row", "column", "code", "message", "severity"]
        read_only_fields = fields


@extend_schema_view(
    get=extend_schema(
        summary="Your imports, newest first",
        responses={200: ImportJobSerializer(many=True), 401: UNAUTHORIZED, 404: NOT_FOUND},
        tags=["imports"],
    ),
    post=extend_schema(
        summary="Upload a catalog file",
        description=(
            "Creates an import job and queues it: 202 with the job. `mode` is `validate` (a "
            "preview that writes nothing; commit it later) or `commit`. The same file uploaded "
            "again while its job is still queued or running answers **200 with that job** "
            "(same id) instead of creating a second one. The upload is cut off while it streams "
            "once it passes the size limit (413, no job, nothing stored)."
        ),
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            202: OpenApiResponse(ImportJobSerializer, description="A new job, queued."),
            200: OpenApiResponse(
                ImportJobSerializer, description="The same file is already queued or running."
            ),
            400: VALIDATION,
            401: UNAUTHORIZED,
            404: NOT_FOUND,
            409: OpenApiResponse(
                DetailSerializer, description="The seller is not approved for imports yet."
            ),
            413: OpenApiResponse(DetailSerializer, description="The file is above the limit."),
        },
        tags=["imports"],
    ),
)
class ImportListView(UploadLimitMixin, generics.ListAPIView):
    serializer_class = ImportJobSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_max_upload_bytes(self) -> int:
        return settings.CATALOG_UPLOAD_MAX_BYTES

    def get_queryset(self) -> Any:
        return selectors.import_job_list(seller=_seller(self.request))

    def post(self, request: Request) -> Response:
        seller = _seller(request)
        data = request.data  # parses the body; the upload handler may cut it off
        if upload_too_large(request):
            return Response(
                {"detail": file_too_large_message()},
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        upload = ImportUploadSerializer(data=data)
        upload.is_valid(raise_exception=True)
        job, created = services.import_job_create(
            seller=seller,
            user=_user(request),
            file=upload.validated_data["file"],
            mode=upload.validated_data["mode"],
            mapping=upload.validated_data.get("mapping"),
            transliterate=upload.validated_data["transliterate"],
        )
        return Response(
            ImportJobSerializer(job).data,
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
        )


@extend_schema_view(
    get=extend_schema(
        summary="One import: status, progress, detected format and counts",
        responses={200: ImportJobSerializer, 401: UNAUTHORIZED, 404: NOT_FOUND},
        tags=["imports"],
    )
)
class ImportDetailView(JobScopedMixin, APIView):
    def get(self, request: Request, id: int) -> Response:
        return Response(ImportJobSerializer(self.scoped_object(request, id=id)).data)


@extend_schema_view(
    post=extend_schema(
        summary="Commit a validated import",
        request=None,
        responses={
            202: OpenApiResponse(ImportJobSerializer, description="Queued for commit."),
            401: UNAUTHORIZED,
            404: NOT_FOUND,
            409: OpenApiResponse(DetailSerializer, description="The job is not `validated`."),
        },
        tags=["imports"],
    )
)
class ImportCommitView(JobScopedMixin, APIView):
    def post(self, request: Request, id: int) -> Response:
        job = services.import_job_commit(
            job=self.scoped_object(request, id=id), user=_user(request)
        )
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    get=extend_schema(
        summary="The row errors and warnings of an import, by row",
        parameters=[
            OpenApiParameter(
                "severity",
                str,
                enum=["error", "warning"],
                description="Only errors (rejected rows) or only warnings.",
            )
        ],
        responses={200: RowErrorSerializer(many=True), 401: UNAUTHORIZED, 404: NOT_FOUND},
        tags=["imports"],
    )
)
class ImportErrorListView(JobScopedMixin, generics.ListAPIView):
    serializer_class = RowErrorSerializer

    def get_queryset(self) -> Any:
        job = self.scoped_object(self.request, **self.kwargs)
        severity = self.request.query_params.get("severity")
        return selectors.import_job_errors(
            job=job, severity=severity if severity in Severity.values else None
        )


@extend_schema_view(
    get=extend_schema(
        summary="The error report: the rejected rows as sent, plus an `errors` column",
        responses={
            (200, CSV_MEDIA_TYPE): OpenApiResponse(OpenApiTypes.STR, description="UTF-8 CSV."),
            401: UNAUTHORIZED,
            404: NOT_FOUND,
        },
        tags=["imports"],
    )
)
class ImportErrorReportView(JobScopedMixin, APIView):
    content_negotiation_class = FileDownloadNegotiation
    renderer_classes = [JSONRenderer]

    def get(self, request: Request, id: int) -> Any:
        return error_report_response(self.scoped_object(request, id=id))


@extend_schema_view(
    get=extend_schema(
        summary="The import template with the canonical header, or a category's template",
        parameters=[
            OpenApiParameter(
                "format",
                str,
                enum=list(TEMPLATE_FORMATS),
                default=DEFAULT_TEMPLATE_FORMAT,
                description="File format.",
            ),
            OpenApiParameter(
                "category",
                str,
                required=False,
                description=(
                    "A leaf category's code: its characteristics' columns (headed in the "
                    "request's language), drop-downs, a definitions sheet and an example card "
                    "with two variants. 400 for an unknown code or a parent category."
                ),
            ),
        ],
        responses={
            (200, CSV_MEDIA_TYPE): OpenApiResponse(OpenApiTypes.STR),
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
            400: VALIDATION,
            401: UNAUTHORIZED,
        },
        tags=["imports"],
    )
)
class ImportTemplateView(APIView):
    content_negotiation_class = FileDownloadNegotiation
    renderer_classes = [JSONRenderer]

    def get(self, request: Request) -> Any:
        file_format = request.query_params.get("format", DEFAULT_TEMPLATE_FORMAT)
        seller = seller_for_user(user=_user(request))
        code = request.query_params.get("category", "").strip()
        if code:
            return category_template_response(file_format, code=code, seller=seller)
        return template_response(file_format, seller=seller)
