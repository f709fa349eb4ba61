"""How long does a teacher wait the first time? `streamlit run dashboard.py` to the first page rendered.

    python benchmarks/cold_start.py [--repeats 3] [--no-browser] [--reference]

Each repeat starts a fresh server process (nothing imported, nothing cached) and times, from the moment
the process is started:

- **server up** — Streamlit's health endpoint answers;
- **first page drawn** — a first visitor opens the home page (default settings) in headless Chromium:
  the imports of numpy, scikit-learn and Plotly, the dataset, the training, the figures, and the browser
  has drawn every chart and the app is idle;
- **first page sent** — instead of that, with --no-browser or when no Chromium is found: the same first
  visit as a websocket session, until the server has sent the page's last element;
- **second visitor** — a new session on the now-warm server: what everyone after the teacher waits.

With --reference each repeat also starts a one-line Streamlit app (`st.write`, same config, same
machine, right before or after — the order alternates) and prints the app's first-page time over the
reference's, pair by pair: the machine's speed drifts, so only a ratio measured side by side holds.
Target (issue 16): ≤ 1.3.

Community Cloud adds its own container start and `pip install` before any of this; those are outside
the app's control and not measured here. Prints the median and worst of each over the repeats.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._protocol import ProtocolSession
from benchmarks._server import (
    CHROMIUM_ARGS,
    MB,
    Server,
    exit_on_sigterm,
    new_session_page,
    running_server,
    timed_until_finished,
)

MEASURES = ("server up", "first page sent", "first page drawn", "second visitor", "RSS MB")


async def first_page_sent(server: Server) -> float:
    async with ProtocolSession(server.url) as session:
        run = await session.open("", "")
    if run.exceptions:
        raise RuntimeError(f"the home page showed an exception: {run.exceptions[0]}")
    return run.seconds


async def first_page_drawn(server: Server) -> float:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                                   args=CHROMIUM_ARGS)
        try:
            _, page = await new_session_page(browser)
            step = await timed_until_finished(page, lambda: page.goto(server.url), 120.0, runs_before=0)
            return step.drawn
        finally:
            await browser.close()


REFERENCE_APP = 'import streamlit as st\n\nst.title("A one-line app")\n'  # a title: the timer waits for an h1
RATIO_TARGET = 1.3


def measure_once(browser: bool, script: str = "dashboard.py") -> dict[str, float]:
    """One fresh server: the four times in seconds (from the process start) and its RSS at the end."""
    started = time.perf_counter()
    with running_server("cold-start-server.log", script=script) as server:
        up = time.perf_counter() - started
        # The first visitor is the browser when there is one (a teacher opening the link), else a socket.
        first = asyncio.run(first_page_drawn(server) if browser else first_page_sent(server))
        result = {"server up": up, ("first page drawn" if browser else "first page sent"): up + first}
        result["second visitor"] = asyncio.run(first_page_sent(server))
        result["RSS MB"] = server.memory.sample() / MB
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="fresh servers to start (default 3)")
    parser.add_argument("--no-browser", action="store_true",
                        help="time the first page as a websocket session only (no Chromium)")
    parser.add_argument("--reference", action="store_true",
                        help="also time a one-line Streamlit app, alternating, and print the ratios")
    args = parser.parse_args()
    exit_on_sigterm()
    browser = not args.no_browser and shutil.which("chromium") is not None
    if not args.no_browser and not browser:
        print("no chromium on PATH: timing the first page over the websocket protocol only")
    rows, ratios = [], []
    first_key = "first page drawn" if browser else "first page sent"
    with tempfile.TemporaryDirectory() as folder:
        reference = Path(folder) / "one_line_app.py"
        reference.write_text(REFERENCE_APP)
        for repeat in range(args.repeats):
            reference_row = None
            if args.reference and repeat % 2 == 0:
                reference_row = measure_once(browser, str(reference))
            row = measure_once(browser)
            if args.reference and repeat % 2 == 1:
                reference_row = measure_once(browser, str(reference))
            rows.append(row)
            line = f"repeat {repeat + 1}: " + ", ".join(f"{key} {value:.2f}" for key, value in row.items())
            if reference_row is not None:
                ratios.append(row[first_key] / reference_row[first_key])
                line += f" | one-line app {reference_row[first_key]:.2f} s, ratio {ratios[-1]:.2f}"
            print(line, flush=True)
    print(f"\n{'':<18}{'median':>8}{'worst':>8}")
    for key in MEASURES:
        values = [row[key] for row in rows if key in row]
        if values:
            unit = "" if key == "RSS MB" else " s"
            print(f"{key:<18}{statistics.median(values):>8.2f}{max(values):>8.2f}{unit}")
    print("times from starting `streamlit run dashboard.py`, except the second visitor's (from its request)")
    if ratios:
        pairs = ", ".join(f"{r:.2f}" for r in ratios)
        print(f"{first_key} / one-line app's: median {statistics.median(ratios):.2f}, worst "
              f"{max(ratios):.2f} (pairs: {pairs}; target ≤ {RATIO_TARGET})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
