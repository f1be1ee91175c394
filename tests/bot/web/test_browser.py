"""The widget and the staff console in Debian's Chromium: journey, reload, live staff, axe."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.content.models import InboxItem
from tests.bot.web.conftest import PASSWORDS

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
axe_api = pytest.importorskip("axe_playwright_python.sync_playwright")


def staff_page(browser, site: str, username: str = "agent"):  # type: ignore[no-untyped-def]
    page = browser.new_context().new_page()
    page.goto(f"{site}/staff/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORDS[username])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site}/staff")
    return page


def open_widget(browser, site: str):  # type: ignore[no-untyped-def]
    page = browser.new_context().new_page()
    page.goto(site)
    page.get_by_role("button", name="Chat with us").click()
    return page


def send(page, text: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Your message").fill(text)
    page.keyboard.press("Enter")


def log_items(page):  # type: ignore[no-untyped-def]
    return page.locator(".cb-log li")


def assert_no_axe_violations(page) -> None:  # type: ignore[no-untyped-def]
    results = axe_api.Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_resident_journey_with_reload_and_a_staff_member_answering_live(browser, site, app):
    agent = staff_page(browser, site)
    resident = open_widget(browser, site)
    expect = playwright_api.expect
    expect(resident.get_by_label("Your message")).to_be_focused()
    expect(resident.get_by_text("automated assistant", exact=False).first).to_be_visible()
    send(resident, "hello")
    expect(resident.locator(".cb-bot").last).to_contain_text("You said: hello")
    resident.get_by_role("button", name="This answer was not helpful").last.press("Enter")
    thanks = resident.get_by_role("status").filter(has_text="use this to improve")
    # The first press loads spaCy for the inbox's redaction: several seconds on a busy machine.
    expect(thanks).to_be_focused(timeout=30_000)
    expect(resident.get_by_role("button", name="This answer was not helpful")).to_have_count(0)
    with app.state.runtime.transaction() as session:
        assert session.scalars(select(InboxItem.text)).all() == ["hello"]
    resident.get_by_role("button", name="Bin day").last.click()
    expect(resident.locator(".cb-bot").last).to_contain_text("You said: /bin_day")

    resident.get_by_role("button", name="Talk to a person").click()
    send(resident, "person please")
    expect(resident.locator(".cb-system").last).to_contain_text("number 1 in the queue")
    expect(agent.locator("#queue-alert")).to_contain_text("1 new resident waiting")

    count = log_items(resident).count()
    resident.reload()
    expect(resident.get_by_label("Your message")).to_be_visible()
    expect(log_items(resident)).to_have_count(count)

    agent.get_by_role("link", name="Case 1").click()
    agent.get_by_role("button", name="Claim this case").click()
    expect(resident.locator(".cb-system").last).to_contain_text("Priya from the council")
    agent.get_by_label("Saved replies").select_option(label="Greeting")
    agent.get_by_role("button", name="Send reply").click()
    expect(resident.locator(".cb-staff").last).to_contain_text("thanks for waiting")
    send(resident, "my card is 4111 1111 1111 1111")
    expect(agent.locator("#transcript li").last).to_contain_text(
        "my card is [card number removed]")  # removed before it was stored

    agent.get_by_role("button", name="Hand back to the assistant").click()
    expect(resident.locator(".cb-system").last).to_contain_text("back with the automated")
    send(resident, "thanks")
    expect(resident.locator(".cb-bot").last).to_contain_text("You said: thanks")
    ids = resident.locator(".cb-log li").evaluate_all("els => els.map(e => e.dataset.id)")
    assert len(ids) == len(set(ids)), "a message was shown twice"

    resident.get_by_role("button", name="Close chat").click()
    expect(resident.get_by_role("button", name="Chat with us")).to_be_focused()


def test_message_text_is_never_rendered_as_html_and_links_open_safely(browser, site):
    resident = open_widget(browser, site)
    send(resident, '<img src=x onerror="window.hacked=1"> see https://www.gov.uk/')
    expect = playwright_api.expect
    expect(resident.locator(".cb-bot").last).to_contain_text("<img src=x")
    assert resident.locator(".cb-log img").count() == 0
    link = resident.locator(".cb-bot a").last
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert link.get_attribute("target") == "_blank"
    assert resident.evaluate("window.hacked") is None
    send(resident, "[click me](javascript:window.hacked=2) and [ok](https://www.gov.uk/x)")
    expect(resident.locator(".cb-bot").last).to_contain_text("[click me](javascript:")
    hrefs = resident.locator(".cb-log a").evaluate_all("els => els.map(a => a.href)")
    assert all(h.startswith("https://") for h in hrefs) and "https://www.gov.uk/x" in hrefs


def test_widget_fits_at_400_percent_zoom(browser, site):
    context = browser.new_context(viewport={"width": 320, "height": 256},
                                  reduced_motion="reduce")
    page = context.new_page()
    page.goto(site)
    page.get_by_role("button", name="Chat with us").click()
    send(page, "hello")
    playwright_api.expect(page.locator(".cb-bot").last).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 320
    transition = page.locator(".cb-panel").evaluate("e => getComputedStyle(e).transitionDuration")
    assert transition in ("0s", "")


def test_widget_and_console_have_no_axe_violations(browser, site):
    resident = open_widget(browser, site)
    send(resident, "person please")
    playwright_api.expect(resident.locator(".cb-system").last).to_be_visible()
    assert_no_axe_violations(resident)
    login = browser.new_context().new_page()
    login.goto(f"{site}/staff/login")
    assert_no_axe_violations(login)
    agent = staff_page(browser, site, "admin")
    assert_no_axe_violations(agent)
    agent.get_by_role("link", name="Case 1").click()
    agent.get_by_role("button", name="Claim this case").click()
    playwright_api.expect(agent.get_by_role("button", name="Send reply")).to_be_visible()
    assert_no_axe_violations(agent)
    agent.goto(f"{site}/staff/audit")
    assert_no_axe_violations(agent)
