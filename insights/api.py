"""Insights API v1: seasons, market share, hotspots and opportunities (thin: parse, call a
selector, render)."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from insights import opportunities, selectors
from insights.models import Season
from sellers.selectors import seller_for_user


class SeasonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(  # type: ignore[assignment]
        read_only=True, help_text="The name in the active language."
    )

    class Meta:
        model = Season
        fields = ["code", "name", "year", "start", "end"]


class SeasonQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=selectors.FIRST_YEAR, max_value=selectors.LAST_YEAR
    )


class WindowQuerySerializer(serializers.Serializer):
    """A window: a season (code and year) or start and end dates, both inclusive."""

    season = serializers.SlugField(required=False, help_text="A season code, e.g. singles_day.")
    year = serializers.IntegerField(
        required=False, min_value=selectors.FIRST_YEAR, max_value=selectors.LAST_YEAR
    )
    start = serializers.DateField(required=False, help_text="First day (YYYY-MM-DD).")
    end = serializers.DateField(required=False, help_text="Last day (YYYY-MM-DD).")

    def window(self) -> selectors.Window:
        data = self.validated_data
        return selectors.window_resolve(
            season=data.get("season"),
            year=data.get("year"),
            start=data.get("start"),
            end=data.get("end"),
        )


class MarketShareQuerySerializer(WindowQuerySerializer):
    category = serializers.CharField(
        required=False,
        help_text="A category code; its descendants are included. Omitted: the whole market.",
    )
    by = serializers.ChoiceField(choices=selectors.BY_CHOICES, default="brand")


class HotspotsQuerySerializer(WindowQuerySerializer):
    origin = serializers.CharField(default="CN", help_text="ISO 3166 alpha-2 code of the origin.")
    threshold = serializers.FloatField(
        default=0.3,
        min_value=0,
        max_value=1,
        help_text="Shares strictly above it are hotspots.",
        error_messages={
            "min_value": _("The threshold is a share from 0 to 1."),
            "max_value": _("The threshold is a share from 0 to 1."),
        },
    )

    def validate_origin(self, value: str) -> str:
        try:
            return selectors.origin_validate(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict["origin"]) from error


class OpportunitiesQuerySerializer(WindowQuerySerializer):
    origin = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="ISO 3166 alpha-2 code of the origin. Omitted: the origin of most of the "
        "signed-in seller's brands (CN without brands).",
    )

    def validate_origin(self, value: str) -> str:
        if not value.strip():
            return ""
        try:
            return selectors.origin_validate(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict["origin"]) from error


class TotalSerializer(serializers.Serializer):
    revenue_uzs = serializers.IntegerField()
    units = serializers.IntegerField()


class ShareSerializer(serializers.Serializer):
    key = serializers.CharField(  # type: ignore[assignment]
        help_text="The brand's name or the origin's ISO code."
    )
    label = serializers.CharField()  # type: ignore[assignment]
    revenue_uzs = serializers.IntegerField()
    units = serializers.IntegerField()
    revenue_share = serializers.FloatField()
    units_share = serializers.FloatField()
    previous_revenue_uzs = serializers.IntegerField(allow_null=True)
    previous_revenue_share = serializers.FloatField(allow_null=True)
    revenue_share_change = serializers.FloatField(allow_null=True)
    revenue_change = serializers.IntegerField(allow_null=True)


class PreviousSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    total = TotalSerializer(allow_null=True, help_text="Null when nothing sold then.")


class MarketShareSerializer(serializers.Serializer):
    category = serializers.CharField(allow_null=True)
    start = serializers.DateField()
    end = serializers.DateField()
    season = serializers.CharField(allow_null=True)
    year = serializers.IntegerField(allow_null=True)
    total = TotalSerializer()
    shares = ShareSerializer(many=True)
    previous = PreviousSerializer(help_text="The same season (or dates) a year earlier.")


class HotspotSerializer(serializers.Serializer):
    category = serializers.CharField()
    name = serializers.CharField()
    revenue_share = serializers.FloatField()
    revenue_uzs = serializers.IntegerField()
    total_revenue_uzs = serializers.IntegerField()
    previous_revenue_share = serializers.FloatField(allow_null=True)
    revenue_share_change = serializers.FloatField(allow_null=True)


class OpportunitySerializer(serializers.Serializer):
    category = serializers.CharField(help_text="The leaf category's code.")
    name = serializers.CharField(help_text="The category's name in the active language.")
    score = serializers.FloatField(
        help_text="0 to 100: 40 x origin_share + 20 x momentum + 20 x growth + 20 x (1 - hhi), "
        "each term from 0 to 1 (see insights/README.md)."
    )
    origin_share = serializers.FloatField(help_text="The origin's revenue share, 0 to 1.")
    share_change = serializers.FloatField(
        allow_null=True,
        help_text="origin_share minus its value a year earlier; null when the category sold "
        "nothing then.",
    )
    revenue_growth = serializers.FloatField(
        allow_null=True,
        help_text="The category's revenue over a year earlier, minus 1; null when it sold "
        "nothing then.",
    )
    hhi = serializers.FloatField(
        help_text="Sum of the squared brand revenue shares in the window, 0 to 1."
    )
    total_revenue_uzs = serializers.IntegerField()


def _parsed(serializer_class: type[serializers.Serializer], request: Request) -> Any:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer


@extend_schema(parameters=[SeasonQuerySerializer], tags=["insights"])
class SeasonListView(generics.ListAPIView):
    """The selling seasons, oldest first; `year` narrows to one year."""

    serializer_class = SeasonSerializer

    def get_queryset(self) -> Any:
        query = _parsed(SeasonQuerySerializer, self.request)
        seasons = Season.objects.order_by("year", "start", "code")
        year = query.validated_data.get("year")
        return seasons.filter(year=year) if year is not None else seasons


class MarketShareView(APIView):
    @extend_schema(
        parameters=[MarketShareQuerySerializer],
        responses=MarketShareSerializer,
        tags=["insights"],
        summary="Market share by brand or by origin in a category and window",
    )
    def get(self, request: Request) -> Response:
        query = _parsed(MarketShareQuerySerializer, request)
        code = query.validated_data.get("category")
        category = selectors.category_get(code=code) if code else None
        answer = selectors.market_share(
            category=category, window=query.window(), by=query.validated_data["by"]
        )
        return Response(MarketShareSerializer(answer).data)


class HotspotsView(APIView):
    @extend_schema(
        parameters=[HotspotsQuerySerializer],
        responses=HotspotSerializer(many=True),
        tags=["insights"],
        summary="Leaf categories where an origin's revenue share is above a threshold",
    )
    def get(self, request: Request) -> Response:
        query = _parsed(HotspotsQuerySerializer, request)
        answer = selectors.hotspots(
            origin=query.validated_data["origin"],
            threshold=query.validated_data["threshold"],
            window=query.window(),
        )
        return Response(HotspotSerializer(answer, many=True).data)


class OpportunitiesView(APIView):
    @extend_schema(
        parameters=[OpportunitiesQuerySerializer],
        responses=OpportunitySerializer(many=True),
        tags=["insights"],
        summary="Where to bet: leaf categories ranked for a brand origin in a window",
    )
    def get(self, request: Request) -> Response:
        query = _parsed(OpportunitiesQuerySerializer, request)
        origin = query.validated_data.get("origin") or opportunities.origin_for_seller(
            seller=seller_for_user(user=request.user)  # type: ignore[arg-type]
        )
        answer = opportunities.opportunities(origin=origin, window=query.window())
        return Response(OpportunitySerializer(answer, many=True).data)
