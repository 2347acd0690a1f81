"""The insights page's pickers: year, season, category, origin and threshold."""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from catalog.models import Category
from insights import selectors
from insights.countries import country_name
from insights.models import Season

THRESHOLDS = [("0.1", "10%"), ("0.2", "20%"), ("0.25", "25%"), ("0.3", "30%"), ("0.4", "40%")]
THRESHOLDS += [("0.5", "50%")]
COMMON_ORIGINS = ("CN", "UZ", "RU", "KR", "TR", "US", "DE", "JP", "KZ", "IN")
DEFAULT_SEASON = "singles_day"


class InsightsFilterForm(forms.Form):
    """A GET form whose choices depend on the data: years with seasons, that year's seasons.

    An unknown or missing value falls back to a sensible default (the latest season with sales,
    or in a year without sales 11.11 or the year's first season; the whole market; the origin
    of the seller's brands or CN; 30%), so every link renders a page; a season whose window
    cannot be computed is dropped and said so in `window_error`.
    """

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    season = forms.ChoiceField(label=_("Season"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    origin = forms.ChoiceField(label=_("Brand origin"), required=False)
    threshold = forms.TypedChoiceField(
        label=_("Hotspot threshold"), choices=THRESHOLDS, coerce=float, required=False
    )

    def __init__(
        self,
        data: Any,
        *,
        origins: list[str] | None = None,
        with_sales: list[Season] | None = None,
        default_origin: str = "CN",
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.window_error = ""
        self.with_sales = with_sales or []  # the seasons with sales, latest first
        self.default_origin = default_origin
        years = list(Season.objects.values_list("year", flat=True).distinct().order_by("-year"))
        self.years = years or [datetime.date.today().year]
        self._choice("year").choices = [(y, str(y)) for y in self.years]
        year = self._chosen_year(data)
        self.seasons = list(Season.objects.filter(year=year).order_by("start", "code"))
        self._choice("season").choices = [
            (s.code, f"{s.name} ({_month_day(s.start)}–{_month_day(s.end)})") for s in self.seasons
        ]
        self.categories = {c.code: c for c in Category.objects.all()}
        self._choice("category").choices = [("", _("All categories"))] + [
            (code, "\u2003" * code.count(".") + c.name) for code, c in self.categories.items()
        ]
        for bound in self.fields.values():
            bound.widget.attrs["data-autosubmit"] = ""
        codes = list(dict.fromkeys([*COMMON_ORIGINS, *(origins or []), default_origin]))
        self.origin_codes = set(codes)
        self._choice("origin").choices = [(c, f"{c} · {country_name(c)}") for c in codes]

    def _choice(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def _chosen_year(self, data: Any) -> int:
        try:
            year = int((data or {}).get("year", ""))
        except (TypeError, ValueError):
            year = None
        if year in self.years:
            return year
        return self.with_sales[0].year if self.with_sales else self.years[0]

    def values(self) -> dict[str, Any]:
        """The chosen values, each valid: a bad value is replaced by its default."""
        data = self.data or {}
        year = self._chosen_year(data)
        by_code = {s.code: s for s in self.seasons}
        season = by_code.get(data.get("season") or "")
        if season is None:  # the year's latest season with sales, else 11.11 or the first
            sold = [s for s in self.with_sales if s.year == year]
            season = sold[0] if sold else by_code.get(DEFAULT_SEASON)
        if season is None and self.seasons:
            season = self.seasons[0]
        self.window_error = ""
        if season is not None:
            try:
                selectors.window_dates_check(season.start, season.end)
            except ValidationError as error:  # a season whose dates staff mistyped
                self.window_error = f"{season}: {' '.join(error.messages)}"
                season = None
        category = self.categories.get((data.get("category") or "").strip())
        origin = (data.get("origin") or self.default_origin).strip().upper()
        if origin not in self.origin_codes:
            origin = self.default_origin
        try:
            threshold = float(data.get("threshold") or 0.3)
        except ValueError:
            threshold = 0.3
        if str(threshold) not in dict(THRESHOLDS):
            threshold = 0.3
        return {
            "year": year,
            "season": season,
            "category": category,
            "origin": origin,
            "threshold": threshold,
        }

    def initial_from(self, values: dict[str, Any]) -> None:
        """Show the values actually used (after fallbacks) as the selected options."""
        self.initial = {
            "year": values["year"],
            "season": values["season"].code if values["season"] else "",
            "category": values["category"].code if values["category"] else "",
            "origin": values["origin"],
            "threshold": str(values["threshold"]),
        }
        self.is_bound = False


def _month_day(day: datetime.date) -> str:
    """5 ноября, 11月5日, November 5: the language's own day and month."""
    return date_format(day, "MONTH_DAY_FORMAT")
