"""/staff/insights in Chromium: a manager signs in, changes the dates, downloads a CSV, axe."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.insights import demo
from bot.web.app import create_app
from bot.web.clock import Clock
from tests.bot.web.conftest import PASSWORDS, gateway_settings, serve

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
axe_api = pytest.importorskip("axe_playwright_python.sync_playwright")
NOW = datetime(2026, 12, 1, 10, 30)
SCREENSHOTS = Path(__file__).resolve().parents[3] / "reports" / "screenshots"


@pytest.fixture(scope="module")
def site(tmp_path_factory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("insights")
    # Nothing here talks to Rasa: any closed port will do.
    app = create_app(gateway_settings(tmp, "http://127.0.0.1:9"), Clock(NOW))
    with app.state.runtime.transaction() as session:
        demo.seed(session, app.state.runtime.settings, NOW, weeks=6, per_day=12)
    with serve(app) as url:
        yield url


def test_a_manager_reads_the_page_changes_dates_downloads_csv_and_axe_is_clean(browser, site):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{site}/staff/login")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill(PASSWORDS["manager"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site}/staff/insights")
    expect = playwright_api.expect
    expect(page.get_by_role("heading", name="Service insights")).to_be_visible()
    expect(page.get_by_role("img", name="Resolved without staff, by service")).to_be_visible()

    page.get_by_label("From date", exact=True).fill("2026-11-23")
    page.get_by_label("To date", exact=True).fill("2026-11-29")
    page.get_by_label("Service", exact=True).select_option(label="Waste and bins")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**start=2026-11-23**")
    expect(page.get_by_text("23 November 2026 to 29 November 2026")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV for Resolved without staff, by service").click()
    csv_text = Path(download_info.value.path()).read_text()
    assert csv_text.splitlines()[0] == "service,contained,journeys,rate"
    assert csv_text.splitlines()[1].startswith("waste,")

    results = axe_api.Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "insights-desktop.png"), full_page=False)
