"""Seasons, market brands, sales facts and the rollups that insights read."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Season(models.Model):
    """A named selling season of one year (11.11, Navruz, ...): an inclusive date window."""

    code = models.SlugField(_("code"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ru = models.CharField(_("name (Russian)"), max_length=100)
    name_uz = models.CharField(_("name (Uzbek)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("season")
        verbose_name_plural = _("seasons")
        ordering = ["year", "start", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "year"], name="season_code_year_unique"),
            models.CheckConstraint(condition=Q(start__lte=F("end")), name="season_start_lte_end"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"

    @property
    def name(self) -> str:
        """The name in the active language, English when there is none."""
        language = (get_language() or "en").split("-")[0]
        return getattr(self, f"name_{language}", "") or self.name_en


class MarketBrand(models.Model):
    """A brand seen in marketplace sales, with its origin; maybe one of our sellers' brands."""

    name = models.CharField(_("name"), max_length=100)
    origin_country = models.CharField(_("origin country"), max_length=2)
    brand = models.ForeignKey(
        "sellers.Brand",
        verbose_name=_("registered brand"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="market_brands",
    )

    class Meta:
        verbose_name = _("market brand")
        verbose_name_plural = _("market brands")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="market_brand_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.origin_country})"


class SalesLoad(models.Model):
    """One loaded sales file, identified by the SHA-256 of its content.

    Loading the same content again is recognised and adds nothing; deleting a load removes its
    facts and their rollup contributions, so a corrected file can take its place.
    """

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    filename = models.CharField(_("file name"), max_length=255)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("loaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    brands_created = models.PositiveIntegerField(_("new brands"), default=0)
    units = models.BigIntegerField(_("units"), default=0)
    revenue_uzs = models.BigIntegerField(_("revenue (so'm)"), default=0)
    first_date = models.DateField(_("first date"), null=True, blank=True)
    last_date = models.DateField(_("last date"), null=True, blank=True)
    detected = models.JSONField(_("detected format"), default=dict, blank=True)

    class Meta:
        verbose_name = _("sales load")
        verbose_name_plural = _("sales loads")
        ordering = ["-loaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.sha256[:12]})"


class Sale(models.Model):
    """A sales fact: units and revenue of one market brand in one leaf category on one day."""

    # No database foreign-key constraints on facts and rollups: a per-row check would halve the
    # load speed, every id is resolved by `sales_load` in the same transaction, and the ORM
    # still protects categories, brands and loads that facts refer to (on_delete=PROTECT).
    load = models.ForeignKey(
        SalesLoad, on_delete=models.PROTECT, related_name="sales", db_constraint=False
    )
    date = models.DateField(_("date"))
    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    market_brand = models.ForeignKey(
        MarketBrand,
        on_delete=models.PROTECT,
        related_name="sales",
        db_index=False,
        db_constraint=False,
    )
    units = models.IntegerField(_("units"))
    revenue_uzs = models.BigIntegerField(_("revenue (so'm)"))

    class Meta:
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        constraints = [
            models.CheckConstraint(condition=Q(units__gte=0), name="sale_units_not_negative"),
            models.CheckConstraint(
                condition=Q(revenue_uzs__gte=0), name="sale_revenue_not_negative"
            ),
        ]
        # Queries read the rollups, never the facts: the only index serves deleting a load.

    def __str__(self) -> str:
        return f"{self.date} {self.category_id} {self.market_brand_id}"


class RollupSums(models.Model):
    """Sums of the facts behind one rollup row; `facts` counts them, so a row can be dropped
    exactly when its last fact goes. `date` is the day, or the first day of the month in the
    monthly rollups."""

    MONTHLY: ClassVar[bool] = False  # `date` is the first day of the month

    date = models.DateField()
    units = models.BigIntegerField(default=0)
    revenue_uzs = models.BigIntegerField(default=0)
    facts = models.BigIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.date}: {self.units} / {self.revenue_uzs}"


class RollupFields(RollupSums):
    """A rollup keyed by a leaf category (and a day or month)."""

    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )

    class Meta:
        abstract = True


class BrandRollup(RollupFields):
    """A rollup per market brand (besides category and day or month)."""

    market_brand = models.ForeignKey(
        MarketBrand, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )

    class Meta:
        abstract = True


class OriginRollup(RollupFields):
    """A rollup per brand origin, an ISO 3166 alpha-2 country (besides category and day or
    month)."""

    origin_country = models.CharField(max_length=2)

    class Meta:
        abstract = True


class RollupBrandDay(BrandRollup):
    """Daily totals of one market brand in one leaf category."""

    pk = models.CompositePrimaryKey("category", "date", "market_brand")

    class Meta:
        verbose_name = _("daily brand rollup")


class RollupOriginDay(OriginRollup):
    """Daily totals of one brand origin (country) in one leaf category."""

    pk = models.CompositePrimaryKey("category", "date", "origin_country")

    class Meta:
        verbose_name = _("daily origin rollup")
        indexes = [
            models.Index(fields=["origin_country", "date"], name="rollup_origin_day_origin"),
        ]


class RollupBrandMonth(BrandRollup):
    """Monthly totals of one market brand in one leaf category, `date` the month's first day.

    A long window reads one row per whole month instead of one per day (the whole market by
    brand over a quarter: about 9,000 rows instead of 270,000)."""

    MONTHLY = True
    pk = models.CompositePrimaryKey("category", "date", "market_brand")

    class Meta:
        verbose_name = _("monthly brand rollup")


class RollupOriginMonth(OriginRollup):
    """Monthly totals of one brand origin in one leaf category, `date` the month's first day."""

    MONTHLY = True
    pk = models.CompositePrimaryKey("category", "date", "origin_country")

    class Meta:
        verbose_name = _("monthly origin rollup")


class RollupMarketBrandDay(RollupSums):
    """Daily totals of one market brand over the whole market (every category), keyed by day
    first: the whole market's days outside whole months, without a row per leaf category."""

    pk = models.CompositePrimaryKey("date", "market_brand")
    market_brand = models.ForeignKey(
        MarketBrand, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )

    class Meta:
        verbose_name = _("daily market-wide brand rollup")


class RollupCategoryDay(RollupFields):
    """Daily totals of one leaf category."""

    pk = models.CompositePrimaryKey("category", "date")

    class Meta:
        verbose_name = _("daily category rollup")


# Every rollup, each kept in step with the facts by the same SQL (insights.rollups): its key
# columns are its primary key.
ROLLUP_MODELS: tuple[type[RollupSums], ...] = (
    RollupBrandDay,
    RollupOriginDay,
    RollupCategoryDay,
    RollupBrandMonth,
    RollupOriginMonth,
    RollupMarketBrandDay,
)
