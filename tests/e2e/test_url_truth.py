"""The URL is the truth, and it is safe (issue 12), in real Chromium against `streamlit run dashboard.py`.

- Back and Forward after a lesson switch show the run the address names (not the widgets' bare defaults);
- Back into a refused value warns again instead of crashing;
- five page clicks ~0.35 s apart keep the settings in the address;
- a nudge ε = 1e-4 stays in the address bar and survives a reload;
- hostile URL values are shown as plain text: no link, no image request, no formatting.

Screenshot: test-artifacts/screenshots/hostile-url-warning.png. Odd paths: test_odd_paths.py.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from app.pages import PAGES
from tests.e2e.conftest import APP_TIMEOUT_MS, assert_healthy, screenshot, wait_for_app

pytestmark = pytest.mark.e2e

DEMO = {"hidden": "4-4", "seed": "3", "dataset": "xor"}
DEMO_QUERY = "?hidden=4-4&seed=3&dataset=xor"


def _open(page: Any, base_url: str, path_and_query: str = "") -> None:
    page.goto(f"{base_url}/{path_and_query.lstrip('/')}", timeout=APP_TIMEOUT_MS)
    wait_for_app(page)


def _settle(page: Any) -> None:
    time.sleep(0.4)  # let the browser send the rerun the navigation asked for
    wait_for_app(page)


def _query(page: Any) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(page.url).query,
                                                        keep_blank_values=True).items()}


def _path(page: Any) -> str:
    return urlsplit(page.url).path.strip("/")


def _menu_link(page: Any, title: str) -> Any:
    """The sidebar menu's link to the page titled `title` (app/navigation.py)."""
    return page.locator(".st-key-page_menu a").filter(has_text=title).first


def _sidebar_box(page: Any, label: str) -> str:
    return page.locator(f'[data-testid="stSidebar"] input[aria-label="{label}"]').input_value()


def _metrics(page: Any) -> dict[str, str]:
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return {label.strip(): value.strip() for label, value in zip(labels, values)}


def _warnings(page: Any) -> list[str]:
    return page.locator('[data-testid="stAlertContentWarning"]').all_inner_texts()


def test_back_and_forward_after_a_lesson_switch_show_what_the_address_says(page, app_server):
    _open(page, app_server, DEMO_QUERY)
    home = _metrics(page)
    assert _sidebar_box(page, "Hidden layers") == "4-4" and home, home

    _menu_link(page, "Weight trajectories").click()
    page.wait_for_url("**/weight-trajectories?*")
    _settle(page)
    assert _query(page) == DEMO, page.url

    page.go_back()
    _settle(page)
    assert _path(page) == "" and _query(page) == DEMO, page.url
    assert _sidebar_box(page, "Hidden layers") == "4-4"
    assert _metrics(page) == home, "Back shows another run than the address names"
    assert_healthy(page)

    page.go_forward()
    _settle(page)
    assert _path(page) == "weight-trajectories" and _query(page) == DEMO, page.url
    assert _sidebar_box(page, "Hidden layers") == "4-4" and _sidebar_box(page, "Seed") == "3"
    assert_healthy(page)


def test_back_into_a_refused_value_warns_again(page, app_server):
    _open(page, app_server, "?seed=inf")
    assert any("seed=inf" in text for text in _warnings(page)), _warnings(page)
    _menu_link(page, "Many seeds").click()
    page.wait_for_url("**/many-seeds*")
    _settle(page)
    for _ in range(2):  # the cleaned address, then the one the class was sent
        page.go_back()
        _settle(page)
        if any("seed=inf" in text for text in _warnings(page)):
            break
    assert any("seed=inf" in text for text in _warnings(page)), f"no warning after Back: {page.url}"
    assert _sidebar_box(page, "Seed") == "0"
    assert_healthy(page)


@pytest.mark.parametrize("trial", range(3))
def test_five_fast_page_clicks_keep_the_settings_in_the_address(page, app_server, trial):
    _open(page, app_server, DEMO_QUERY)
    lessons = [*[spec.title for spec in PAGES if spec.url_path][::-1], "Home"]
    for title in lessons[trial:] + lessons[:trial]:
        _menu_link(page, title).click()
        time.sleep(0.35)
    _settle(page)
    assert _query(page) == DEMO, f"settings lost from the address: {page.url}"
    assert _sidebar_box(page, "Hidden layers") == "4-4" and _sidebar_box(page, "Seed") == "3"
    page.reload()
    wait_for_app(page)
    assert _sidebar_box(page, "Hidden layers") == "4-4"
    assert_healthy(page)


def test_a_tiny_nudge_survives_the_address_bar_and_a_reload(page, app_server):
    _open(page, app_server, "?initializer=constant&perturbation=0.0001")
    assert _query(page) == {"initializer": "constant", "perturbation": "0.0001"}, page.url
    gap = _metrics(page)["Largest unit difference"]
    assert not gap.startswith("0.0"), f"ε = 1e-4 should separate the units: {gap}"
    page.reload()
    wait_for_app(page)
    assert _query(page)["perturbation"] == "0.0001"
    assert _metrics(page)["Largest unit difference"] == gap


HOSTILE = {
    "dataset": "[Log in here](https://evil.example)",
    "hidden": "![x](http://127.0.0.2:9/tracker.png)",
    "activation": "**bold** ~~gone~~ `code`",
    "initializer": ":red[alarm] :material/lock: :warning:",
    "optimizer": "$x^2$ https://evil.example",
    "symmetry": "\u202e" + "[Log in here](https://evil.example)",
    "scenario": "a\n\n[Log in here](https://evil.example)",
    "projector": "x" * 30 + "[Log in here](https://evil.example)",
}


def test_hostile_url_values_are_shown_as_plain_text(page, app_server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    _open(page, app_server, "?" + "&".join(f"{key}={quote(value)}" for key, value in HOSTILE.items()))
    alerts = page.locator('[data-testid="stAlert"]')
    assert alerts.count() >= len(HOSTILE)
    for tag in ("a", "img", "strong", "em", "del", ".katex", ".stMarkdownColoredText"):
        found = page.locator('[data-testid="stAlertContentWarning"]').locator(tag)
        assert found.count() == 0, f"a warning renders <{tag}> from a URL value"
    text = "\n".join(_warnings(page)).replace("\u2060", "")  # core.plain_text's joiner after ":material"
    for value in ("[Log in here](https://evil.example)", "![x](http://127.0.0.2:9/tracker.png)",
                  "**bold** ~~gone~~ `code`", ":red[alarm] :material/lock: :warning:", "$x^2$",
                  "\\u202e[Log in here]", "a\\n\\n[Log in here]"):
        assert value in text, f"{value!r} is not shown as typed:\n{text}"
    assert not [url for url in requested if urlsplit(url).hostname in ("127.0.0.2", "evil.example")]
    assert_healthy(page)
    screenshot(page, "hostile-url-warning")

    _open(page, app_server, "many-seeds?seeds_count=" + quote("[Log in here](https://evil.example)"))
    lesson = page.locator('[data-testid="stMain"] [data-testid="stAlertContentWarning"]')
    assert any("[Log in here](https://evil.example)" in text for text in lesson.all_inner_texts())
    assert lesson.locator("a").count() == 0
