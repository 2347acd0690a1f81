"""A live server, a real Celery worker process and Debian's Chromium driven by Playwright.

The worker reads the test database (its name comes from the live connection) and the same
Redis database as the test process, so jobs run exactly as in production: enqueued on
commit, picked up by another process, progress written by that process.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests.conftest import REQUIRE_SERVICES

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
CHROMIUM = os.environ.get("BOZOR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Collects Content-Security-Policy violations in the page; init scripts come from the
# browser itself, so the policy under test does not apply to this one.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""
TIMEOUT_MS = 20_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    # Chromium is the one optional prerequisite: outside CI its absence skips these tests; in
    # CI (services required) the fixture fails loudly instead.
    skip_browser = pytest.mark.skip(
        reason=f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests"
    )
    browser_missing = not REQUIRE_SERVICES and not Path(CHROMIUM).exists()
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(here):
            item.add_marker(pytest.mark.e2e)
            if browser_missing:
                item.add_marker(skip_browser)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread, which makes Django refuse the
    # plain synchronous ORM calls the test and its fixtures make between browser steps.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Browser:
    """A signed-out browser with a fresh profile, its CSP watch, and an axe-core runner."""

    def __init__(self, chromium: Any, base_url: str, name: str, locale: str = "zh-CN") -> None:
        self.chromium = chromium
        self.base_url = base_url
        self.name = name
        self.locale = locale
        self.profile = tempfile.mkdtemp(prefix="bozor-e2e-")
        self.context = chromium.new_context(
            base_url=base_url, locale=locale, viewport={"width": 1280, "height": 900}
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.add_init_script(CSP_LISTENER)
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.console_errors.append(f"pageerror: {error}"))
        self.step = 0
        self.axe_results: dict[str, list[dict[str, Any]]] = {}
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def shot(self, label: str) -> Path:
        self.step += 1
        path = ARTIFACTS / f"{self.name}-{self.step:02d}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def csp_violations(self) -> list[str]:
        found = self.page.evaluate("window.__cspViolations || []")
        found += [e for e in self.console_errors if "Content Security Policy" in e]
        return found

    def assert_clean(self) -> None:
        """No CSP violation and no script error on the current page."""
        violations = self.csp_violations()
        assert not violations, violations
        errors = [e for e in self.console_errors if "Content Security Policy" not in e]
        # A 4xx answered to an htmx request is logged by the browser; those are asserted
        # where they happen, everything else is a script error.
        errors = [e for e in errors if "Failed to load resource" not in e]
        assert not errors, errors

    def axe(self, label: str, path: str | None = None) -> list[dict[str, Any]]:
        """Run axe-core on a page (the current one by default) in a CSP-bypassing twin context
        with the same cookies; returns the serious and critical violations."""
        target = path or self.page.url
        twin = self.chromium.new_context(
            base_url=self.base_url,
            bypass_csp=True,
            locale=self.locale,
            storage_state=self.context.storage_state(),
            viewport={"width": 1280, "height": 900},
        )
        try:
            page = twin.new_page()
            page.goto(target, wait_until="networkidle")
            page.add_script_tag(path=str(AXE_JS))
            result = page.evaluate(
                "async () => await axe.run(document, {resultTypes: ['violations']})"
            )
        finally:
            twin.close()
        bad = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
                "html": [n["html"][:200] for n in v["nodes"]][:3],
            }
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        self.axe_results[f"{label} {target}"] = bad
        return bad

    def close(self) -> None:
        self.context.close()
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture
def browser_factory(chromium: Any, live_server: Any) -> Iterator[Any]:
    opened: list[Browser] = []

    def make(name: str, locale: str = "zh-CN") -> Browser:
        browser = Browser(chromium, live_server.url, name, locale)
        opened.append(browser)
        return browser

    yield make
    for browser in opened:
        browser.close()


@pytest.fixture
def shared_media(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One media folder for the live server and the worker process."""
    media = tmp_path_factory.mktemp("e2e-media")
    settings.MEDIA_ROOT = str(media)
    return media


@pytest.fixture
def celery_worker_process(
    transactional_db: None, shared_media: Path, tmp_path: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """A real `celery worker` process on the test database and the test Redis database."""
    from django.db import connection

    from portal.celery import app

    if not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("needs Redis (set CELERY_BROKER_URL)")
    app.control.purge()  # nothing left over from an earlier run
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if db.get("PASSWORD"):
        url = url.replace(f"{db['USER']}@", f"{db['USER']}:{db['PASSWORD']}@")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(shared_media),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_POOL": "0",
    }
    log = tmp_path / "worker.log"
    command = [
        str(Path(sys.executable).parent / "celery"),
        "-A",
        "portal",
        "worker",
        "-P",
        "solo",
        "-l",
        "INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-n",
        f"e2e-{os.getpid()}@%h",
    ]
    with log.open("wb") as out:
        worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while b" ready." not in log.read_bytes():
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            pytest.fail("the Celery worker did not start:\n" + log.read_text(errors="replace"))
        time.sleep(0.2)
    yield worker
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(log, ARTIFACTS / "worker.log")
