"""How long until Weight trajectories is drawn in Chromium when the server already has its numbers?

    python benchmarks/draw_time.py [--repeats 3] [--read-s 3] [--no-reference]

Starts a fresh server, opens Weight trajectories once (the server trains and caches the run and its
figures), then, per repeat, in a new browser context (its own session):

- **new tab** — the page's URL typed into a new tab: Streamlit's own JavaScript, the run, plotly.js and
  every chart, until drawn and idle;
- **first switch** — the tab opens Home (no Plotly chart there), a reader spends `--read-s` seconds on
  it (Home loads plotly.js meanwhile, app/chart_library.py), then clicks the sidebar link to Weight
  trajectories: the run and every chart, plus whatever of plotly.js is not loaded yet;
- **switch again** — Home, then Weight trajectories once more: what every later click costs.

The same is timed, alternating with the dashboard, on a reference: a two-page Streamlit app whose second
page draws one small Plotly chart (REFERENCE_APP). Its new tab is the floor any Streamlit page with a
chart pays here — Streamlit's JavaScript and plotly.js — so the ratios say what the lesson itself adds.

Target (issue 16): ≤ 2 s warm. Prints each repeat, the medians and the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._server import (
    CHROMIUM_ARGS,
    chromium_path,
    exit_on_sigterm,
    nav_link,
    new_session_page,
    running_server,
    timed_until_finished,
)

PAGE = "weight-trajectories"
TIMEOUT_S = 120.0
TARGET_S = 2.0
MEASURES = ("new tab", "first switch", "switch again")

# Two pages like the dashboard's: a Home without charts and a page with one small Plotly chart (a dict,
# so its server imports no Plotly), linked from a sidebar container keyed like the dashboard's page menu
# (benchmarks/_server.py `nav_link` finds it). A title: the timer waits for an h1.
REFERENCE_APP = """\
import time

import streamlit as st

RUN_S = 0.03  # a run shorter than a frame or two never shows as running, and the timer waits for one


def home():
    st.title("Home")
    st.write("A page without charts.")
    time.sleep(RUN_S)


def chart():
    st.title("One chart")
    time.sleep(RUN_S)
    st.plotly_chart({"data": [{"type": "scatter", "x": [0, 1, 2], "y": [0, 1, 0]}], "layout": {}},
                    theme=None)


pages = [st.Page(home, title="Home", default=True), st.Page(chart, title="Chart", url_path="chart")]
page = st.navigation(pages, position="hidden")
with st.sidebar.container(key="page_menu"):
    for each in pages:
        st.page_link(each)
page.run()
"""


async def _open(page, address: str) -> float:
    """Type `address` into the tab: seconds until drawn."""
    return (await timed_until_finished(page, lambda: page.goto(address), TIMEOUT_S, runs_before=0)).drawn


async def _click(page, url: str, url_path: str) -> float:
    """Click the sidebar's link to `url_path`: seconds until drawn."""
    return (await timed_until_finished(page, lambda: nav_link(page, url, url_path).first.click(),
                                       TIMEOUT_S)).drawn


async def _one_repeat(browser, url: str, chart_page: str, read_s: float) -> dict[str, float]:
    context, page = await new_session_page(browser)
    row = {"new tab": await _open(page, f"{url}/{chart_page}")}
    await context.close()
    context, page = await new_session_page(browser)
    await _open(page, url)
    await page.wait_for_timeout(read_s * 1000)  # someone reading Home before they click
    for name in ("first switch", "switch again"):
        row[name] = await _click(page, url, chart_page)
        await _click(page, url, "")
    await context.close()
    return row


async def _measure(url: str, chart_page: str, repeats: int, read_s: float) -> list[dict[str, float]]:
    """`repeats` rows of MEASURES for one running app, after one visit that warms the server's cache."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            context, page = await new_session_page(browser)
            await _open(page, f"{url}/{chart_page}")  # the server trains and caches the run and its figures
            await context.close()
            return [await _one_repeat(browser, url, chart_page, read_s) for _ in range(repeats)]
        finally:
            await browser.close()


def measure(script: str, chart_page: str, repeats: int, read_s: float) -> list[dict[str, float]]:
    """Start `script` on a fresh server and time it (see the module's docstring)."""
    with running_server("draw-time-server.log", script=script) as server:
        return asyncio.run(_measure(server.url, chart_page, repeats, read_s))


def _row(label: str, row: dict[str, float]) -> str:
    return f"{label:<11}" + "  ".join(f"{key} {value:5.2f} s" for key, value in row.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="rounds to time, each a fresh server per app "
                        "(default 3)")
    parser.add_argument("--read-s", type=float, default=3.0,
                        help="seconds spent on Home before the first click (default 3)")
    parser.add_argument("--no-reference", action="store_true", help="time the dashboard only")
    args = parser.parse_args()
    exit_on_sigterm()
    rows, references = [], []
    with tempfile.TemporaryDirectory() as folder:
        reference = Path(folder) / "one_chart_app.py"
        reference.write_text(REFERENCE_APP)
        apps = {"dashboard": ("dashboard.py", PAGE, rows), "reference": (str(reference), "chart", references)}
        for repeat in range(args.repeats):
            order = ["dashboard"] if args.no_reference else ["dashboard", "reference"]
            for name in order[::-1] if repeat % 2 else order:  # alternating which goes first
                script, chart_page, results = apps[name]
                results += measure(script, chart_page, 1, args.read_s)
                print(_row(name, results[-1]), flush=True)
    print(f"\n{'':<14}{'median':>8}{'worst':>8}   (target ≤ {TARGET_S:g} s; Home read for {args.read_s:g} s)")
    for key in MEASURES:
        values = [row[key] for row in rows]
        line = f"{key:<14}{statistics.median(values):>8.2f}{max(values):>8.2f}"
        if references:
            floor = [row[key] for row in references]
            ratios = [row[key] / ref[key] for row, ref in zip(rows, references)]
            line += (f"   reference {statistics.median(floor):.2f} s, ratio median "
                     f"{statistics.median(ratios):.2f} (pairs: {', '.join(f'{r:.2f}' for r in ratios)})")
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
