"""Demo data for insights (called by manage.py seed_demo): seasons and two years of sales.

The sales are generated deterministically (a seeded random) as one CSV and loaded through
`sales_load`, so a second run is recognised as the same file and adds nothing. They carry
real patterns: Chinese brands pass 30% of revenue in a handful of categories during 11.11
(and stay below it there in other seasons); Women's Day, back to school and New Year lift
their own categories.
"""

import csv
import datetime
import io
import random
from typing import Any

from catalog.models import Category
from insights.seasons import default_windows
from insights.services import sales_load, seasons_seed

DEMO_YEARS = (2024, 2025)
SEED = 20251111

# name -> origin; Lanyue, Jinma and Tianxin are the demo seller's brands.
BRANDS = {
    "Lanyue": "CN",
    "Jinma": "CN",
    "Tianxin": "CN",
    "Redline": "CN",
    "Hongfa": "CN",
    "Artel": "UZ",
    "Samarqand Tekstil": "UZ",
    "Imzo": "UZ",
    "Bahor": "UZ",
    "Polaris": "RU",
    "Sever": "RU",
    "Hanil": "KR",
    "Seoulbeam": "KR",
    "Vestel": "TR",
    "Anadolu": "TR",
    "Northwind": "US",
    "Kraftwerk": "DE",
    "Hikari": "JP",
}
CN_BRANDS = [name for name, origin in BRANDS.items() if origin == "CN"]
OTHER_BRANDS = [name for name, origin in BRANDS.items() if origin != "CN"]

# Where Chinese brands surge during 11.11 (and a little on Black Friday).
CN_HOT = {
    "electronics.phones.smartphones",
    "electronics.phones.powerbanks",
    "electronics.phones.chargers",
    "electronics.audio.headphones",
    "electronics.wearables",
    "appliances.kitchen.airfryers",
    "appliances.home.robot_vacuums",
    "home.cookware",
    "kids.toys.rc",
}
SEASON_LIFT = {
    "womens_day": ("clothing.women", "beauty", "home.decor"),
    "navruz": ("home.tableware", "clothing", "appliances.kitchen"),
    "back_to_school": ("clothing.kids", "kids.school", "shoes.kids", "electronics.computers"),
    "new_year": ("kids.toys", "home.decor", "electronics", "beauty.perfume"),
    "black_friday": ("electronics", "appliances"),
    "singles_day": ("electronics", "appliances", "home", "kids.toys"),
}


def _price(rng: random.Random, code: str) -> int:
    base = 2_000_000 if code.startswith(("electronics", "appliances.large")) else 300_000
    return rng.randrange(base * 8 // 10, base * 12 // 10, 1000)


def demo_sales_csv() -> bytes:
    """The demo sales report: about 110,000 facts a year, the same bytes on every call."""
    rng = random.Random(SEED)
    leaves = list(
        Category.objects.filter(is_leaf=True).order_by("code").values_list("code", flat=True)
    )
    roster = {}
    for code in leaves:
        roster[code] = rng.sample(CN_BRANDS, 3) + rng.sample(OTHER_BRANDS, 7)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "category", "brand", "brand_origin", "units", "revenue_uzs"])
    for year in DEMO_YEARS:
        windows = default_windows(year)
        day = datetime.date(year, 1, 1)
        while day.year == year:
            active = {code for code, (start, end) in windows.items() if start <= day <= end}
            singles = "singles_day" in active
            for code in leaves:
                lift = 1.0
                for season in active:
                    if code.startswith(SEASON_LIFT.get(season, ())):
                        lift *= 1.8
                hot = code in CN_HOT
                for brand in roster[code]:
                    if rng.random() > 0.56:
                        continue
                    cn = BRANDS[brand] == "CN"
                    weight = 0.4 if cn and hot else 0.25 if cn else 1.0
                    if cn and hot and singles:
                        weight *= 6
                    units = max(1, round(rng.uniform(5, 15) * weight * lift))
                    writer.writerow(
                        [
                            day.isoformat(),
                            code,
                            brand,
                            BRANDS[brand],
                            units,
                            units * _price(rng, code),
                        ]
                    )
            day += datetime.timedelta(days=1)
    return out.getvalue().encode("utf-8")


def seed(*, stdout: Any, options: dict[str, Any]) -> None:
    created = sum(seasons_seed(year=year) for year in (*DEMO_YEARS, DEMO_YEARS[-1] + 1))
    stdout.write(f"seasons: {created} added")
    if options.get("skip_sales"):
        stdout.write("sales: skipped (--skip-sales)")
        return
    result = sales_load(file=io.BytesIO(demo_sales_csv()), filename="demo_sales_2024_2025.csv")
    if result.status == "rejected":
        stdout.write(f"sales: demo file rejected: {result.as_dict()['errors'][:3]}")
    elif result.status == "already_loaded":
        stdout.write("sales: already loaded")
    else:
        stdout.write(f"sales: {result.rows} facts, {result.brands_created} brands")
