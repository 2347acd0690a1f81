"""Load test: a brand manager's reading pages and the market-share API (see README.md).

Each simulated user is a different brand manager, already signed in: `run.sh` creates one
session per user (what a login stores) and passes the keys in BENCH_SESSIONS, so the run
measures the pages rather than password hashing. The users read the dashboard, the product
list, the insights page and the market-share API with a short pause between requests.
"""

import itertools
import os
from pathlib import Path

from locust import HttpUser, between, task

SESSIONS = Path(os.environ.get("BENCH_SESSIONS", "var/bench-load/sessions.txt"))
CATEGORY = os.environ.get("BENCH_CATEGORY", "electronics")
SEASON = os.environ.get("BENCH_SEASON", "singles_day")
YEAR = os.environ.get("BENCH_YEAR", "2025")
# One account per simulated user: API throttling counts per account, as for real users.
_keys = itertools.cycle(SESSIONS.read_text().split())


class BrandManager(HttpUser):
    wait_time = between(0.1, 0.5)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", next(_keys))

    def _get(self, path: str, name: str, **kwargs: object) -> None:
        """Anything but a 200 is an error (a redirect to the login page would hide one)."""
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True, **kwargs
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")

    @task(3)
    def dashboard(self) -> None:
        self._get("/dashboard/", "dashboard")

    @task(3)
    def product_list(self) -> None:
        self._get("/catalog/products/", "product list")

    @task(2)
    def insights_page(self) -> None:
        self._get(f"/insights/?category={CATEGORY}&season={SEASON}&year={YEAR}", "insights")

    @task(4)
    def market_share_api(self) -> None:
        self._get(
            "/api/v1/insights/market-share/",
            "market-share API",
            params={"category": CATEGORY, "season": SEASON, "year": YEAR, "by": "origin"},
        )
