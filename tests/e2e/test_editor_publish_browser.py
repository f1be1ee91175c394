"""In Chromium, on the real project: an editor changes an answer, publishes, residents get it.

The project's real data is copied to a temporary folder and served by Rasa with the model
`make model` trained for it. Rasa's training cache is shared, so the publish retrains only
what an answer feeds. Slow (a real publish: train, test, load), so it is marked `browser`.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.ops.stack import free_port
from bot.rasa.model_files import model_path
from bot.settings import PROJECT_DIR, Settings, get_settings
from bot.web.app import create_app
from tests.bot.content.conftest import RASA_TOKEN, running_rasa
from tests.bot.web.conftest import PASSWORDS, serve

# Not in `make test` (it retrains the whole NLU pipeline: Rasa fingerprints answers with the
# examples); `make content-check` publishes the real project dry and tests/bot/content the
# whole path on a small one. `make test-publish` runs it.
pytestmark = [pytest.mark.browser, pytest.mark.real_publish]
playwright_api = pytest.importorskip("playwright.sync_api")
# What Rasa trains and tests from, and the channel the gateway talks to.
PROJECT_FILES = ("config.yml", "domain.yml", "credentials.yml", "data", "tests/stories")
NEW_ANSWER = ("Put your bins out by 6am on your collection day, not the night before. "
              "[Read the rules for putting bins out](https://www.anytown.gov.uk/bins/putting-bins-out)")


@pytest.fixture
def real_project(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the project's own content, and the model trained from exactly that content."""
    model = model_path(get_settings())
    if not model.is_file():
        pytest.fail("No model for the current data in models/: run `make model` first.")
    root = tmp_path / "project"
    for name in PROJECT_FILES:
        source, target = PROJECT_DIR / name, root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)
    # A council's deployment is a checkout: the shipped content is what git has committed.
    git = ["git", "-C", str(root), "-c", "user.name=Anytown", "-c", "user.email=web@anytown.test"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "Shipped content"], check=True)
    return root, model


@pytest.fixture
def site(tmp_path: Path, real_project: tuple[Path, Path]) -> Iterator[str]:
    root, model = real_project
    port = free_port()
    settings = Settings(
        var_dir=tmp_path / "var", content_project_dir=root, models_dir=root / "models",
        rasa_url=f"http://127.0.0.1:{port}", rasa_port=port, rasa_token=RASA_TOKEN,
        database_url=f"sqlite:///{tmp_path / 'gateway.db'}", secret_key="test-secret-key",
        content_rasa_wrapper="flock /tmp/rasa.lock", content_validate_on_save=False,
    )
    with running_rasa(settings, model), serve(create_app(settings)) as url:
        yield url


def ask(browser, site: str, text: str):  # type: ignore[no-untyped-def]
    resident = browser.new_context().new_page()
    resident.goto(site)
    resident.get_by_role("button", name="Chat with us").click()
    resident.get_by_label("Your message").fill(text)
    resident.keyboard.press("Enter")
    return resident.locator(".cb-bot").last


def test_editor_changes_a_shipped_answer_and_residents_get_it(browser, site):  # type: ignore[no-untyped-def]
    expect = playwright_api.expect
    question = "what time do i need to put my bin out"
    expect(ask(browser, site, question)).to_contain_text("by 7am on your collection day",
                                                          timeout=60_000)

    editor = browser.new_context().new_page()
    editor.goto(f"{site}/staff/login")
    editor.get_by_label("Username").fill("editor")
    editor.get_by_label("Password").fill(PASSWORDS["editor"])
    editor.get_by_role("button", name="Sign in").click()
    editor.wait_for_url(f"{site}/content")
    editor.get_by_role("link", name="What time should I put my bins out?").click()
    editor.get_by_label("Answer", exact=True).fill(NEW_ANSWER)
    editor.get_by_role("button", name="Save").click()
    expect(editor.get_by_role("status").first).to_contain_text("Saved.")

    editor.goto(f"{site}/content/publish")
    started = time.monotonic()
    editor.get_by_role("button", name="Publish now").click()
    expect(editor.locator("#job-status")).to_have_text("passed", timeout=1_800_000)
    print(f"answer-only publish on the real project: {time.monotonic() - started:.0f}s")

    expect(ask(browser, site, question)).to_contain_text("by 6am on your collection day",
                                                          timeout=60_000)
