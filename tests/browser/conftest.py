"""Browser fixtures: Playwright drives Debian's Chromium against pytest-django's live server.

Never a downloaded browser (`playwright install` needs the internet): the tests skip when
/usr/bin/chromium is absent, and fail instead when PROBONO_REQUIRE_BROWSER=1 (CI).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Headless as root in a sandboxed container, with every background connection off: on a closed
# network Chromium's own calls home are refused and only slow it down.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=fr-FR",
]


def _require_chromium():
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is absent: install Debian's chromium package to run the browser tests"
    if os.environ.get("PROBONO_REQUIRE_BROWSER") == "1":
        pytest.fail(f"PROBONO_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module, closed before the next module's tests run."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread while it is open, so
    # Django's async-safety check would refuse the ORM calls of the test and of the database
    # flush. Allowed for exactly as long as Playwright runs, and not for the other tests.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh French-speaking browser context (no cookies) on the live server."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(5_000)
    page = context.new_page()
    yield page
    context.close()
