"""In Chromium: an editor adds a question, publishes it, and the widget gives residents the answer.

Drives everything for real: the gateway, a Rasa server on a small project, training and
Rasa's `PUT /model`. Slow (several trainings), so it is marked `browser`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.web.app import create_app
from tests.bot.web.conftest import PASSWORDS, serve
from tests.browser import chromium

from .conftest import rasa_settings, running_rasa

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
PEST_EXAMPLES = [
    "i've got rats in my garden", "pest control", "there's a wasps nest in my roof",
    "how much is pest control", "we have mice in the kitchen", "can you get rid of bedbugs",
    "book the pest control service", "i think i have fleas in the house",
    "do you deal with cockroaches", "rats in the loft", "pest control please",
]


@pytest.fixture
def site(tmp_path: Path, project: Path, initial_model: Path) -> Iterator[str]:
    settings = rasa_settings(tmp_path, project, database_url=f"sqlite:///{tmp_path / 'gw.db'}",
                             secret_key="test-secret-key", content_validate_on_save=False)
    with running_rasa(settings, initial_model), serve(create_app(settings)) as url:
        yield url


@pytest.fixture
def browser() -> Iterator:
    with chromium() as instance:
        yield instance


def test_editor_adds_and_publishes_a_question_that_residents_then_get(browser, site):  # type: ignore[no-untyped-def]
    expect = playwright_api.expect
    editor = browser.new_context().new_page()
    editor.goto(f"{site}/staff/login")
    editor.get_by_label("Username").fill("editor")
    editor.get_by_label("Password").fill(PASSWORDS["editor"])
    editor.get_by_role("button", name="Sign in").click()
    editor.wait_for_url(f"{site}/content")  # editors land on their own area

    editor.goto(f"{site}/content/questions/new")
    editor.get_by_label("Short name").fill("pest_control")
    editor.get_by_label("The question, as a resident would ask it").fill("Can you help with pests?")
    editor.get_by_label("Answer", exact=True).fill(
        "Our pest team treats rats and mice. [Book pest control](https://www.anytown.gov.uk/pests)")
    expect(editor.locator("#preview a")).to_have_text("Book pest control")
    editor.get_by_label("Ways residents ask this").fill("\n".join(PEST_EXAMPLES))
    editor.get_by_role("button", name="Save").click()
    expect(editor.get_by_role("status").first).to_contain_text("Saved.")

    editor.goto(f"{site}/content/publish")
    editor.get_by_role("button", name="Publish now").click()
    expect(editor.locator("#job-status")).to_have_text("passed", timeout=1_800_000)

    resident = browser.new_context().new_page()
    resident.goto(site)
    resident.get_by_role("button", name="Chat with us").click()
    resident.get_by_label("Your message").fill("there are rats in my loft")
    resident.keyboard.press("Enter")
    expect(resident.locator(".cb-bot").last).to_contain_text("Our pest team treats rats",
                                                            timeout=60_000)
