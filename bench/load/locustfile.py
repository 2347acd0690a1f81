"""Load test: a brand manager's reading pages and the market-share API (see README.md).

Each simulated user logs in once through the real login form (CSRF and all), then reads the
dashboard, the product list, the insights page and the market-share API with no think time
beyond a short pause. Accounts and the category/season of the API call come from the
environment that `run.sh` sets.
"""

import itertools
import os
import re

from locust import HttpUser, between, task

USERS = int(os.environ.get("BENCH_USERS", "50"))
PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-password-1234")
CATEGORY = os.environ.get("BENCH_CATEGORY", "electronics")
SEASON = os.environ.get("BENCH_SEASON", "singles_day")
YEAR = os.environ.get("BENCH_YEAR", "2025")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Every simulated user is its own brand manager (bench001@example.com, ...): API throttling
# counts per account, as it would for real users.
_numbers = itertools.count()


class BrandManager(HttpUser):
    wait_time = between(0.1, 0.5)

    def on_start(self) -> None:
        email = f"bench{next(_numbers) % USERS + 1:03d}@example.com"
        page = self.client.get("/accounts/login/", name="login form")
        match = CSRF_INPUT.search(page.text)
        token = match.group(1) if match else ""
        with self.client.post(
            "/accounts/login/",
            data={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login failed: {response.status_code}")

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="dashboard")

    @task(3)
    def product_list(self) -> None:
        self.client.get("/catalog/products/", name="product list")

    @task(2)
    def insights_page(self) -> None:
        self.client.get(
            f"/insights/?category={CATEGORY}&season={SEASON}&year={YEAR}", name="insights"
        )

    @task(4)
    def market_share_api(self) -> None:
        self.client.get(
            "/api/v1/insights/market-share/",
            params={"category": CATEGORY, "season": SEASON, "year": YEAR, "by": "origin"},
            name="market-share API",
        )
