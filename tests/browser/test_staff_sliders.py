"""Staff move a weight slider in Chromium and its number follows, in their language (issue 15 §10)."""
from __future__ import annotations

import pytest

from tests.builders import sign_in_with_token

pytestmark = pytest.mark.browser


def _moved(page, slider, presses: int) -> float:
    """Move the slider by keyboard, away from the end it is nearest; returns its new value."""
    start = float(slider.input_value())
    key = "ArrowRight" if start <= 0.5 else "ArrowLeft"
    slider.focus()
    for _ in range(presses):
        page.keyboard.press(key)
    moved = float(slider.input_value())
    assert round(abs(moved - start), 2) == round(0.01 * presses, 2), "the slider did not move"
    return moved


def test_staff_move_a_slider_and_its_number_follows_in_their_language(page, issue, screenshot):
    from playwright.sync_api import expect  # as the browser fixtures: only where they run

    refused = []
    # A script the Content-Security-Policy blocked, or one that failed to load, is reported on
    # the console, not as a page error. (The favicon the browser asks for on its own is no page's.)
    page.on("console", lambda message: refused.append(message.text)
            if message.type == "error" and "favicon" not in message.location.get("url", "")
            else None)
    sign_in_with_token(page, issue("staff"))
    page.locator("tr.status-active a").first.click()
    slider = page.get_by_role("slider", name="certificering")
    shown = page.locator("output[for='components-certification']")
    assert shown.inner_text() == f"{float(slider.input_value()):.2f}".replace(".", ",")

    moved = _moved(page, slider, 3)
    # the number follows the slider's input event: waited for, not read at once (it once read
    # the value before the page had handled the last key press)
    expect(shown).to_have_text(f"{moved:.2f}".replace(".", ","))
    screenshot("staff-slider-nl")

    page.get_by_role("button", name="English").click()
    slider = page.get_by_role("slider", name="certification")
    moved = _moved(page, slider, 2)
    expect(shown).to_have_text(f"{moved:.2f}")
    assert refused == [] and page.console_errors == []
