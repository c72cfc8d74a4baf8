"""The document page in a real browser: changes appear in place, typing is never overwritten."""
import os

import pytest

from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def browser_page(server, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip("needs Debian's chromium: apt-get install -y chromium")
    errors = []
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "favicon" not in m.location.get("url", "") else None)
        yield page, errors
        browser.close()


def sign_in(page, server, user):
    page.goto(server.url + "/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")


def test_an_edit_elsewhere_appears_in_place_and_never_overwrites_typing(world, server, browser_page, author, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    page, errors = browser_page
    sign_in(page, server, world.expert2)
    page.goto(f"{server.url}/documents/{world.document.id}")
    page.wait_for_selector("[data-live-status=live]")
    writer = author(server, world.expert)

    # someone else's edit: the text changes in place, with the new words marked, and is announced
    writer.revise(world.pp.id, "Recognizing the leading role of cities and towns,")
    pp = page.locator(f"#clause-{world.pp.id}")
    pp.locator("mark.changed", has_text="towns,").wait_for()
    assert "leading role of cities and towns" in pp.locator("[data-role=text]").inner_text()
    playwright.expect(page.locator("#live-region")).to_contain_text("Expert One changed")

    # editing in place: the text box is left alone when someone else saves the same clause
    page.locator(f"#clause-{world.op.id} [data-edit-inline]").click()
    box = page.locator(f"#inline-text-{world.op.id}")
    box.fill("Recommends that cities publish open data promptly;")
    writer.revise(world.op.id, "Recommends that all cities publish open data;")
    notice = page.locator(".edit-notice")
    notice.wait_for()
    assert "Expert One saved revision 2" in notice.inner_text()
    assert box.input_value() == "Recommends that cities publish open data promptly;"
    notice.get_by_role("button", name="Show merged text").click()
    page.locator(".edit-notice .text-block").wait_for()
    playwright.expect(page.locator("[data-presence]")).to_contain_text("Expert Two — editing paragraph 1")
    page.screenshot(path=str(tmp_path / "conflict.png"), full_page=True)
    assert box.input_value() == "Recommends that cities publish open data promptly;"

    # a new clause arrives in its section
    writer.http.post(f"{writer.url}/documents/{world.document.id}/clauses", json={
        "section_id": world.document.sections[-1].id, "kind": "OP", "category": "guideline",
        "text": "Invites cities to share what works;"}).raise_for_status()
    page.locator("li.clause", has_text="Invites cities to share what works;").wait_for()
    assert errors == []
