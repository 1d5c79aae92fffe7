"""Every way the browser tests find and drive things on the page, in one place (Streamlit's test
ids are internal: when an upgrade moves them, only this module changes)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.ui.conftest import ARTIFACTS

APP = "[data-testid='stApp']"
CONNECTED = f"{APP}[data-test-connection-state='CONNECTED']"
IDLE = f"{APP}[data-test-script-state='notRunning']"
ROW_HEIGHT = 35  # data_editor header and rows


def wait_for_app(page: Page, timeout: float = 60_000) -> None:
    """After an action: let the rerun start (debounced widgets ~200 ms), then wait until it ended."""
    page.wait_for_timeout(300)
    page.wait_for_selector(CONNECTED, state="attached", timeout=timeout)
    page.wait_for_selector(IDLE, state="attached", timeout=timeout)


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible()


def nav(page: Page, title: str) -> None:
    """Go to a page by its title in the sidebar (same session, state kept)."""
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    wait_for_app(page)


def click(page: Page, name: str, exact: bool = True) -> None:
    page.get_by_role("button", name=name, exact=exact).first.click()
    wait_for_app(page)


def segment(page: Page, label: str) -> None:
    """Pick an option of a segmented control (its label may carry a problem count after it)."""
    page.get_by_test_id("stButtonGroup").get_by_role("radio", name=re.compile(rf"^{re.escape(label)}")).first.click()
    wait_for_app(page)


def number(page: Page, label: str, value: float) -> None:
    box = page.get_by_role("spinbutton", name=label)
    box.fill(str(value))
    box.press("Enter")
    wait_for_app(page)


def select(page: Page, label: str, text: str) -> None:
    """Choose in a selectbox (a combobox): type part of the option, click the match."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(text)
    page.get_by_role("option", name=re.compile(re.escape(text))).first.click()
    wait_for_app(page)


def selected(page: Page, label: str) -> str:
    """What a selectbox shows."""
    return page.get_by_role("combobox", name=label, exact=True).input_value()


def grid(page: Page):
    return page.get_by_test_id("stDataFrame").first


def edit_cell(page: Page, row: int, column: int, value: str) -> None:
    """Type into a data_editor cell (canvas): select the row's first data cell, move right with the
    arrow keys (columns stretch), open the cell editor with Enter, fill, Enter.

    A rerun that lands during these keystrokes (a freshly drawn page in a cold browser) redraws the
    canvas and drops the selection or the typed value: a user would do it again, and so does this,
    up to three times, until the cell shows the value (the test's own assertions judge the result)."""
    editor = page.get_by_test_id("portal").locator(".gdg-input")
    for _ in range(3):
        wait_for_app(page)
        g = grid(page)
        g.scroll_into_view_if_needed()
        g.hover(position={"x": 5, "y": 5})  # the grid caches its position: refresh it after reruns
        page.wait_for_timeout(200)
        g.click(position={"x": 60, "y": ROW_HEIGHT + ROW_HEIGHT * row + ROW_HEIGHT // 2})
        page.keyboard.press("Home")
        for _ in range(column):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        try:
            editor.wait_for(state="visible", timeout=5_000)
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
            continue
        editor.fill(value)
        page.keyboard.press("Enter")
        wait_for_app(page)
        page.wait_for_timeout(500)  # a rerun the edit started
        wait_for_app(page)
        if cell_text(page, row, column) == value:
            return


def cell_text(page: Page, row: int, column: int) -> str:
    """A data_editor cell's text (column 0 is the row marker, so data columns start at 1)."""
    return page.get_by_test_id(f"glide-cell-{column + 1}-{row}").inner_text()


def alerts(page: Page, kind: str = "stAlertContentError") -> list[str]:
    return page.get_by_test_id(kind).all_inner_texts()


def shot(page: Page, scenario: str, name: str) -> Path:
    """A screenshot of the page under test-artifacts/<scenario>/."""
    folder = ARTIFACTS / scenario
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.wait_for_timeout(400)  # charts and grids paint after the run ends
    page.screenshot(path=str(path), full_page=True)
    return path
