"""How long until Weight trajectories is drawn in Chromium when the server already has its numbers?

    python benchmarks/draw_time.py [--repeats 3]

Starts a fresh server, opens Weight trajectories once (the server trains and caches the run and its
figures), then, per repeat, in a new browser context (its own session):

- **new tab** — the page's URL typed into a new tab: Streamlit's own JavaScript, the run, plotly.js and
  every chart, until drawn and idle;
- **first switch** — the tab opens Home (no Plotly chart there), then the sidebar link to Weight
  trajectories is clicked: the run, plotly.js for the first time in this tab, every chart;
- **switch again** — Home, then Weight trajectories once more: what every later click costs.

Target (issue 16): ≤ 2 s warm. Prints each repeat and the medians.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
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


async def _open(page, address: str) -> float:
    """Type `address` into the tab: seconds until drawn."""
    return (await timed_until_finished(page, lambda: page.goto(address), TIMEOUT_S, runs_before=0)).drawn


async def _click(page, url: str, url_path: str) -> float:
    """Click the sidebar's link to `url_path`: seconds until drawn."""
    return (await timed_until_finished(page, lambda: nav_link(page, url, url_path).first.click(),
                                       TIMEOUT_S)).drawn


async def _one_repeat(browser, url: str) -> dict[str, float]:
    context, page = await new_session_page(browser)
    row = {"new tab": await _open(page, f"{url}/{PAGE}")}
    await context.close()
    context, page = await new_session_page(browser)
    await _open(page, url)
    for name in ("first switch", "switch again"):
        row[name] = await _click(page, url, PAGE)
        await _click(page, url, "")
    await context.close()
    return row


async def measure(url: str, repeats: int) -> list[dict[str, float]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            context, page = await new_session_page(browser)
            await _open(page, f"{url}/{PAGE}")  # the server trains and caches the run and its figures
            await context.close()
            rows = []
            for _ in range(repeats):
                rows.append(await _one_repeat(browser, url))
                print("  ".join(f"{key} {value:.2f} s" for key, value in rows[-1].items()), flush=True)
            return rows
        finally:
            await browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="browser sessions to time (default 3)")
    args = parser.parse_args()
    exit_on_sigterm()
    with running_server("draw-time-server.log") as server:
        rows = asyncio.run(measure(server.url, args.repeats))
    print(f"\n{'':<14}{'median':>8}{'worst':>8}   (target ≤ {TARGET_S:g} s)")
    for key in MEASURES:
        values = [row[key] for row in rows]
        print(f"{key:<14}{statistics.median(values):>8.2f}{max(values):>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
