"""The widget on a phone, a tablet, a desktop and at 400% zoom: nothing covered, the newest
message in view, welcome and suggestions, readable lists, Rasa's start-up, keyboard and axe."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ops.stack import free_port
from bot.web.app import create_app
from bot.web.services.chat import STARTING
from tests.bot.web.conftest import gateway_settings, serve
from tests.bot.web.fake_rasa import FakeRasa
from tests.bot.web.test_browser import assert_no_axe_violations, axe_api, playwright_api, send

pytestmark = pytest.mark.browser
assert axe_api  # imported for its skip when axe is missing
expect = playwright_api.expect
SCREENSHOTS = Path(__file__).resolve().parents[3] / "reports" / "screenshots"
# 1280 x 900 at 400% zoom is 320 x 225 CSS pixels.
SIZES = {"phone": (390, 780), "tablet": (768, 1024), "desktop": (1280, 900),
         "zoom-400": (320, 225)}


def open_at(browser, site: str, size: str):  # type: ignore[no-untyped-def]
    width, height = SIZES[size]
    page = browser.new_context(viewport={"width": width, "height": height},
                               reduced_motion="reduce").new_page()
    page.goto(site)
    page.get_by_role("button", name="Chat with us").click()
    return page


def box(locator) -> dict:  # type: ignore[no-untyped-def]
    return locator.bounding_box()


def assert_in_view_above_composer(page, locator) -> None:  # type: ignore[no-untyped-def]
    """Fully inside the log's visible area: not under the composer, header or screen edge."""
    item, log = box(locator), box(page.locator(".cb-log"))
    composer = box(page.locator(".cb-form"))
    bottom = item["y"] + item["height"]
    assert item["y"] >= log["y"] - 1 and bottom <= log["y"] + log["height"] + 1, (item, log)
    assert bottom <= composer["y"] + 1, (item, composer)
    assert bottom <= page.viewport_size["height"]
    top_element = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('li')?.textContent || ''",
        [item["x"] + 5, bottom - 5])
    assert top_element, "something covers the newest message"


@pytest.mark.parametrize("size", list(SIZES))
def test_long_reply_stays_in_view_with_its_buttons_and_lists_read_as_lists(browser, site, size):
    page = open_at(browser, site, size)
    expect(page.get_by_role("button", name="Chat with us")).to_be_hidden()
    welcome = page.locator(".cb-welcome")
    expect(welcome).to_contain_text("automated assistant")
    expect(page.get_by_role("link", name="How we use your information")).to_have_attribute(
        "href", "https://www.anytown.gov.uk/privacy/chat")
    page.get_by_role("button", name="Bin collections").click()
    expect(page.get_by_label("Your message")).to_be_focused()
    question = page.locator(".cb-bot").last
    expect(question).to_contain_text("Was a bin missed?")
    page.wait_for_timeout(200)  # the log settles on the newest message
    assert_in_view_above_composer(page, question)
    for choice in ("Yes", "No"):
        assert_in_view_above_composer(page, question.get_by_role("button", name=choice))
    answer = page.locator(".cb-bot", has_text="Collections at 2 Acacia Avenue")
    assert answer.locator("ul > li").all_inner_texts() == [
        "Tuesday 8 December: food waste and recycling",
        "Tuesday 15 December: food waste and general waste",
        "Tuesday 22 December: food waste and recycling"]
    assert answer.locator(".cb-nowrap", has_text="£1,234.50").count() == 1
    assert answer.get_by_role("link").first.get_attribute("href") == (
        "https://www.anytown.gov.uk/bins")
    assert page.locator(".cb-bot ol > li").all_inner_texts() == ["Put bins out by 7am",
                                                                 "Lids closed"]
    # The reply is read out once, in order, from its own live region; the log is not live.
    announced = page.locator(".cb-panel [aria-live=polite]")
    expect(announced).to_contain_text("Let me look that up.")
    expect(announced).to_contain_text("Was a bin missed?")
    assert "You:" not in announced.text_content()
    assert page.locator(".cb-log").get_attribute("aria-live") is None
    # One quiet "Not helpful" for the reply, on its last answer; none on the question.
    expect(page.get_by_role("button", name="This answer was not helpful")).to_have_count(1)
    assert question.get_by_role("button", name="This answer was not helpful").count() == 0
    if size in ("phone", "zoom-400"):
        panel = box(page.locator(".cb-panel"))
        assert (panel["x"], panel["y"], panel["width"]) == (0, 0, SIZES[size][0])
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"widget-{size}.png"))
    assert_no_axe_violations(page)
    page.context.close()


def test_talking_to_a_person_on_a_phone_shows_what_happens_next(browser, site):
    page = open_at(browser, site, "phone")
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("button", name="Download transcript")).to_be_visible()
    send(page, "i need to talk to a person")
    expect(page.get_by_role("button", name="Download transcript")).to_be_hidden()
    expect(page.locator(".cb-state")).to_have_text("Waiting for a person")
    next_step = page.locator(".cb-system").last
    # Nobody is signed in to the staff console, so the next step is a call-back.
    expect(next_step).to_contain_text("we'll contact you by 5pm on Wednesday 2 December")
    page.wait_for_timeout(200)
    assert_in_view_above_composer(page, next_step)
    page.screenshot(path=str(SCREENSHOTS / "widget-phone-waiting.png"))
    page.context.close()


def test_message_sent_while_rasa_starts_gets_an_honest_state_then_its_answer(browser, tmp_path,
                                                                              clock):
    port = free_port()
    app = create_app(gateway_settings(tmp_path, f"http://127.0.0.1:{port}"), clock)
    app.state.runtime.held.poll_seconds = 0.2
    with serve(app) as site:
        page = open_at(browser, site, "phone")
        expect(page.locator(".cb-welcome")).to_contain_text("starting up")
        send(page, "hello")
        expect(page.locator(".cb-system").last).to_have_text(f"Council: {STARTING}")
        expect(page.locator(".cb-typing")).to_have_text("Waiting for the assistant to start\u2026")
        page.screenshot(path=str(SCREENSHOTS / "widget-phone-starting.png"))
        with serve(FakeRasa().app, port):
            expect(page.locator(".cb-bot").last).to_contain_text("You said: hello",
                                                                 timeout=15_000)
            expect(page.locator(".cb-typing")).to_be_empty()
            # The welcome is fetched again once Rasa is ready, with its suggestions.
            expect(page.locator(".cb-welcome").get_by_role("button", name="Bin collections")
                   ).to_be_visible(timeout=10_000)
        page.context.close()


def test_every_control_is_reached_with_the_keyboard_alone(browser, site):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(site)
    launcher = page.get_by_role("button", name="Chat with us")
    launcher.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Your message")).to_be_focused()
    page.keyboard.type("hello, due 2026-12-08")
    page.keyboard.press("Enter")
    expect(page.locator(".cb-bot").last).to_contain_text("You said: hello")
    # Dates as residents read them (and as the words a screen reader says).
    expect(page.locator(".cb-bot time[datetime='2026-12-08']")).to_have_text(
        "Tuesday 8 December 2026")

    def names() -> list[str]:
        reached = []
        for _ in range(30):
            page.keyboard.press("Tab")
            reached.append(page.evaluate(
                "() => { const e = document.activeElement;"
                " return e.getAttribute('aria-label') || e.textContent.trim(); }"))
        return reached

    reached = names()
    for control in ("Menu", "Close chat", "Conversation", "How we use your information",
                    "Bin collections", "Talk to a person", "This answer was not helpful",
                    "Bin day", "Send"):
        assert any(r.startswith(control) for r in reached), (control, reached)
    page.get_by_role("button", name="Menu").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#cb-menu").get_by_role("button", name="Talk to a person")
           ).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Download transcript")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="End chat")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Menu")).to_be_focused()
    page.keyboard.press("Escape")
    expect(launcher).to_be_focused()
    page.context.close()
