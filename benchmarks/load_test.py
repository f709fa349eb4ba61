"""A class on one small server: N students at once, each with their own settings, through every page.

    python benchmarks/load_test.py [--sessions 1 8 24] [--driver protocol|browser] [--class-link]
                                   [--step-timeout 180] [--session-timeout 420]

For each N a fresh `streamlit run dashboard.py` starts on a free loopback port and N separate Streamlit
sessions connect: websocket sessions speaking the app's own protocol (`--driver protocol`, the default,
benchmarks/_protocol.py) or N contexts of one headless Chromium (`--driver browser`, like N laptops).
All sessions start together and each one:

1. opens the home page with its own `seed` and `hidden` in the URL (with --class-link: the same URL for
   everyone, as when a teacher shares a link);
2. switches through every page of `app.pages.PAGES` as a student clicks the sidebar navigation (one
   session, not a reload);
3. changes a sidebar control — types a new seed of its own into the Seed box — and goes back home.

Each step is timed from the action until the page has finished: with the protocol driver until the
server has sent the page's last element; in the browser until the app is idle and every Plotly chart
has drawn its SVG. After each step the session must show *its own* settings — the Seed and Hidden-layers
boxes (and in the browser the URL) — never another session's, and no `stException` element; with the
protocol driver the home page's "Largest unit difference" must also be the one computed here for the
session's own settings. The server's RSS (process and children, from /proc) is sampled every 0.2 s. One
row per N: sessions completed, exception elements, median and worst page time, peak RSS. Exit status 1
if any session failed.

In the browser driver N Chromium renderers share the machine's cores with the server: on 2 cores, 24 of
them left the server too little CPU to finish, which is why the protocol driver exists.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.pages import HOME, PAGES, PageSpec
from benchmarks._protocol import ProtocolSession, Run, home_gap
from benchmarks._server import (
    CHROMIUM_ARGS,
    LOG_DIR,
    MB,
    Server,
    StepTime,
    chromium_path,
    exit_on_sigterm,
    nav_link,
    new_session_page,
    page_state,
    running_server,
    timed_until_finished,
)

PAGE_TITLES = {spec.url_path: "Symmetry Lab" if spec is HOME else spec.title for spec in PAGES}

HIDDEN = ("3", "5", "6", "4-4", "7", "3-2", "9", "5-3", "10", "2-2-2", "11", "6-4")
SCREENSHOT_DIR = LOG_DIR / "load-test"
# In class every student's browser runs on their own laptop; here N Chromium tabs share the server's two
# cores, and Chromium raises its own browser and GPU processes to nice -8. The server runs above them so
# that what is measured is the server holding up, with the browsers drawing in the time it leaves.
SERVER_NICE = -10


@dataclass
class SessionResult:
    index: int
    seed: int
    hidden: str
    new_seed: int
    times: list[tuple[str, StepTime]] = field(default_factory=list)
    exceptions: int = 0
    problems: list[str] = field(default_factory=list)
    completed: bool = False

    @property
    def ok(self) -> bool:
        return self.completed and self.exceptions == 0 and not self.problems


def settings_for(index: int, class_link: bool = False) -> tuple[int, str, int]:
    """Session `index`'s own seed, hidden layers and the seed it changes to: distinct for every session.

    With `class_link` every session opens the same settings (the teacher's link) and only the seed it
    changes to is its own: what a class following a lesson does, and where the shared cache pays off.
    """
    if class_link:
        return 1000, HIDDEN[0], 50_000 + 13 * index
    return 1000 + 7 * index, HIDDEN[index % len(HIDDEN)], 50_000 + 13 * index


def whose_seed(owners: dict[str, int], seed: str | None, index: int) -> str:
    """Name the other session whose seed session `index` shows, if any: the leak the load test looks for."""
    owner = owners.get(seed or "")
    return f" — SESSION {owner}'S SEED" if owner is not None and owner != index else ""


class BrowserDriver:
    """One student's browser tab: actions, each timed until the app has finished and drawn, and checks."""

    def __init__(self, page: Any, base_url: str, result: SessionResult, step_timeout_s: float,
                 owners: dict[str, int]):
        self.page, self.base_url, self.result, self.owners = page, base_url, result, owners
        self.step_timeout_s = step_timeout_s
        self.sidebar = page.locator('[data-testid="stSidebar"]')

    async def timed(self, step: str, action: Callable[[], Awaitable[Any]],
                    runs_before: int | None = None) -> None:
        """Do `action`, wait until the app ran again and finished, and record how long that took."""
        self.result.times.append((step, await timed_until_finished(self.page, action, self.step_timeout_s,
                                                                   runs_before)))

    async def check(self, step: str, seed: int, url_path: str) -> None:
        """No exception element; this session's own seed and hidden in the URL and in the sidebar boxes."""
        result, page = self.result, self.page
        exceptions = await page.locator('[data-testid="stException"]').count()
        if exceptions:
            texts = await page.locator('[data-testid="stException"]').all_inner_texts()
            result.exceptions += exceptions
            result.problems.append(f"{step}: {exceptions} exception element(s): {texts[0][:300]!r}")
        parts = urlsplit(page.url)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        expected = {"seed": str(seed), "hidden": result.hidden}
        shown = {key: query.get(key) for key in expected}
        if shown != expected:
            result.problems.append(f"{step}: URL has {shown}, expected {expected}"
                                   f"{whose_seed(self.owners, shown['seed'], result.index)}")
        if parts.path.rstrip("/") != f"/{url_path}".rstrip("/"):
            result.problems.append(f"{step}: on {parts.path!r}, expected /{url_path}")
        boxes = {
            "seed": await self.sidebar.get_by_label("Seed", exact=True).input_value(),
            "hidden": await self.sidebar.get_by_label("Hidden layers", exact=True).input_value(),
        }
        if boxes != expected:
            result.problems.append(f"{step}: the sidebar shows {boxes}, expected {expected}"
                                   f"{whose_seed(self.owners, boxes['seed'], result.index)}")

    async def open(self, spec: PageSpec) -> None:
        url = f"{self.base_url}/{spec.url_path}?seed={self.result.seed}&hidden={self.result.hidden}"
        await self.timed(f"open {spec.url_path or 'home'}",
                         lambda: self.page.goto(url, timeout=self.step_timeout_s * 1000), runs_before=0)

    async def switch(self, spec: PageSpec) -> None:
        await self.timed(spec.url_path or "home", nav_link(self.page, self.base_url, spec.url_path).click)

    async def change_seed(self, seed: int) -> None:
        training = self.sidebar.locator('[data-testid="stExpander"] summary').filter(has_text="Training")
        box = self.sidebar.get_by_label("Seed", exact=True)
        if not await box.is_visible():
            await training.click()

        async def type_seed() -> None:
            await box.fill(str(seed))
            await box.press("Enter")
            await self.page.wait_for_function(
                "seed => new URLSearchParams(location.search).get('seed') === seed", arg=str(seed),
                polling=100, timeout=self.step_timeout_s * 1000,
            )

        await self.timed("seed change", type_seed)

    async def diagnose(self) -> list[str]:
        """What the tab showed when a step failed, and a screenshot of it."""
        notes = [f"page state {await page_state(self.page)}"]
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"failed-session-{self.result.index}.png"
        try:
            await self.page.screenshot(path=str(path), timeout=10_000)
            notes.append(f"screenshot: {path}")
        except Exception:  # a screenshot is a bonus, never a second failure
            pass
        return notes


class ProtocolDriver:
    """One student's session over the websocket protocol (benchmarks/_protocol.py): the same steps and
    checks as a browser tab, timed until the server has sent the whole page (nothing is drawn).

    Besides the sidebar boxes, the home page's "Largest unit difference" must be the one computed here
    for this session's own seed and hidden layers: the server trained *this* session's network.
    """

    def __init__(self, session: ProtocolSession, result: SessionResult, owners: dict[str, int],
                 expected_home: dict[int, str]):
        self.session, self.result, self.owners = session, result, owners
        self.expected_home = expected_home

    async def _timed(self, step: str, action: Awaitable[Run]) -> None:
        run = await action
        self.result.times.append((step, StepTime(server=run.seconds, drawn=run.seconds)))

    async def open(self, spec: PageSpec) -> None:
        query = f"seed={self.result.seed}&hidden={self.result.hidden}"
        await self._timed(f"open {spec.url_path or 'home'}", self.session.open(spec.url_path, query))

    async def switch(self, spec: PageSpec) -> None:
        await self._timed(spec.url_path or "home", self.session.switch(spec.url_path))

    async def change_seed(self, seed: int) -> None:
        await self._timed("seed change", self.session.set_number("Seed", seed))

    async def check(self, step: str, seed: int, url_path: str) -> None:
        run, result = self.session.last, self.result
        if run is None:
            raise RuntimeError("no run to check")
        if run.exceptions:
            result.exceptions += len(run.exceptions)
            result.problems.append(f"{step}: {len(run.exceptions)} exception element(s): "
                                   f"{run.exceptions[0]!r}")
        expected = {"seed": str(seed), "hidden": result.hidden}
        boxes = {"seed": self.session.shown.get("Seed"), "hidden": self.session.shown.get("Hidden layers")}
        if boxes != expected:
            result.problems.append(f"{step}: the sidebar shows {boxes}, expected {expected}"
                                   f"{whose_seed(self.owners, boxes['seed'], result.index)}")
        title = PAGE_TITLES[url_path]
        if title not in run.headings():
            result.problems.append(f"{step}: no heading {title!r} (headings {run.headings()[:3]})")
        if url_path == HOME.url_path:
            shown, computed = run.metric("Largest unit difference"), self.expected_home[seed]
            if shown != computed:
                result.problems.append(f"{step}: the home page shows a largest unit difference of {shown}, "
                                       f"computed for this session's settings: {computed}")

    async def diagnose(self) -> list[str]:
        run = self.session.last
        return [] if run is None else [f"last run: {run.status}, {len(run.elements)} elements, "
                                       f"headings {run.headings()[:3]}"]



async def run_session(driver: Any, result: SessionResult, start: asyncio.Event) -> None:
    """One student: open home with own settings, every page, change the seed, back home; check each step."""
    step = "start"
    try:
        await start.wait()
        step = "open home"
        await driver.open(HOME)
        await driver.check(step, result.seed, HOME.url_path)
        last = HOME
        for spec in PAGES:
            if spec is HOME:
                continue
            step = spec.url_path
            await driver.switch(spec)
            await driver.check(step, result.seed, spec.url_path)
            last = spec
        step = "seed change"
        await driver.change_seed(result.new_seed)
        await driver.check(step, result.new_seed, last.url_path)
        step = "home after the change"
        await driver.switch(HOME)
        await driver.check(step, result.new_seed, HOME.url_path)
        result.completed = True
    except asyncio.CancelledError:
        result.problems.append(f"{step}: cancelled (session timeout)")
        raise
    except Exception as error:  # any failure is this session's result, reported in the table
        result.problems.append(f"{step}: {type(error).__name__}: {str(error).splitlines()[0][:300]}")
        result.problems += await driver.diagnose()


@dataclass
class Row:
    n: int
    completed: int
    exceptions: int
    drawn: list[tuple[float, str]]  # (seconds until the page was drawn, "session step")
    server: list[float]  # seconds until the server had finished the run
    peak_rss_mb: float
    start_rss_mb: float
    wall_s: float
    tracebacks: int
    sessions: list[SessionResult]

    @property
    def ok(self) -> bool:
        return self.completed == self.n and all(s.ok for s in self.sessions) and self.tracebacks == 0


async def gather_sessions(results: list[SessionResult], sessions: list[Awaitable[None]],
                          session_timeout_s: float) -> None:
    """Run every session's steps together, each within the session timeout; a timeout is that session's
    result. The sessions wait for one signal, so they start together (a teacher says "now")."""
    start = asyncio.Event()
    tasks = [asyncio.create_task(asyncio.wait_for(session(start), session_timeout_s)) for session in sessions]
    await asyncio.sleep(0.5)  # let every tab or socket open first
    start.set()
    for result, outcome in zip(results, await asyncio.gather(*tasks, return_exceptions=True)):
        if isinstance(outcome, BaseException):
            result.problems.append(f"session did not finish: {type(outcome).__name__} "
                                   f"(session timeout {session_timeout_s:.0f} s)")


async def drive_browsers(server: Server, results: list[SessionResult], owners: dict[str, int],
                         step_timeout_s: float, session_timeout_s: float) -> None:
    """N browser contexts in one headless Chromium: N tabs with their own cookies, so N sessions."""
    from playwright.async_api import async_playwright

    async def session(result: SessionResult, start: asyncio.Event) -> None:
        context, page = await new_session_page(browser)
        try:
            await run_session(BrowserDriver(page, server.url, result, step_timeout_s, owners), result, start)
        finally:
            await context.close()

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            await gather_sessions(results, [functools.partial(session, r) for r in results],
                                  session_timeout_s)
        finally:
            await browser.close()


async def drive_protocol(server: Server, results: list[SessionResult], owners: dict[str, int],
                         step_timeout_s: float, session_timeout_s: float) -> None:
    """N websocket sessions speaking Streamlit's protocol (no rendering, so the server gets the cores)."""
    expected_home = expected_home_gaps(results)

    async def session(result: SessionResult, start: asyncio.Event) -> None:
        async with ProtocolSession(server.url, timeout_s=step_timeout_s) as connection:
            await run_session(ProtocolDriver(connection, result, owners, expected_home), result, start)

    await gather_sessions(results, [functools.partial(session, r) for r in results], session_timeout_s)


def expected_home_gaps(results: list[SessionResult]) -> dict[int, str]:
    """The home page's "Largest unit difference" for every seed a session uses with its hidden layers,
    computed here before the server is busy: what the page must show if it trained that session's run."""
    return {seed: home_gap(seed, result.hidden)
            for result in results for seed in (result.seed, result.new_seed)}


DRIVERS = {"protocol": drive_protocol, "browser": drive_browsers}


def measure(driver: str, n: int, step_timeout_s: float, session_timeout_s: float,
            nice: int | None, class_link: bool = False) -> Row:
    sessions = [SessionResult(i, *settings_for(i, class_link)) for i in range(n)]
    owners = {str(seed): r.index for r in sessions for seed in (r.seed, r.new_seed)
              if not (class_link and seed == r.seed)}  # a shared seed belongs to no one session
    with running_server(f"load-test-server-{driver}-{n}.log", nice=nice) as server:
        server.memory.sample()
        start_rss = server.memory.last
        began = time.perf_counter()
        asyncio.run(DRIVERS[driver](server, sessions, owners, step_timeout_s, session_timeout_s))
        wall = time.perf_counter() - began
        server.memory.sample()
        peak, tracebacks = server.memory.peak, server.tracebacks()
        if tracebacks:
            print(f"\nserver log of N={n} has {tracebacks} traceback(s); its tail:\n{server.log_tail()}")
    return Row(
        n=n, completed=sum(s.completed for s in sessions), exceptions=sum(s.exceptions for s in sessions),
        drawn=[(t.drawn, f"s{s.index} {step}") for s in sessions for step, t in s.times],
        server=[t.server for s in sessions for _, t in s.times],
        peak_rss_mb=peak / MB, start_rss_mb=start_rss / MB, wall_s=wall, tracebacks=tracebacks,
        sessions=sessions,
    )


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


HEADER = (f"{'N':>3} {'completed':>10} {'exceptions':>10} {'median s':>9} {'worst s':>8} {'server med':>10} "
          f"{'server max':>10} {'peak RSS MB':>11} {'wall s':>7}  worst step")


def format_row(row: Row) -> str:
    worst = max(row.drawn, default=(float("nan"), "-"))
    return (f"{row.n:>3} {f'{row.completed}/{row.n}':>10} {row.exceptions:>10} "
            f"{_median([t for t, _ in row.drawn]):>9.2f} {worst[0]:>8.2f} {_median(row.server):>10.2f} "
            f"{max(row.server, default=float('nan')):>10.2f} {row.peak_rss_mb:>11.0f} {row.wall_s:>7.0f}  "
            f"{worst[1]}")


def step_summary(row: Row) -> str:
    """Median and worst time of each step over the sessions: which page is the slow one."""
    by_step: dict[str, list[float]] = {}
    for session in row.sessions:
        for step, times in session.times:
            by_step.setdefault(step, []).append(times.drawn)
    return "    per step, drawn (median/worst s): " + ", ".join(
        f"{step} {statistics.median(times):.1f}/{max(times):.1f}" for step, times in by_step.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 8, 24],
                        help="numbers of concurrent sessions, one fresh server each (default: 1 8 24)")
    parser.add_argument("--driver", choices=sorted(DRIVERS), default="protocol",
                        help="protocol: websocket sessions, the server's times (default); browser: headless "
                             "Chromium tabs, times until drawn (their renderers share this machine's cores)")
    parser.add_argument("--class-link", action="store_true",
                        help="every session opens the same settings (a teacher's link), then changes to its "
                             "own seed; by default every session has its own settings from the start")
    parser.add_argument("--step-timeout", type=float, default=180.0,
                        help="seconds one step may take before the session fails (default 180)")
    parser.add_argument("--session-timeout", type=float, default=420.0,
                        help="seconds one whole session may take (default 420)")
    parser.add_argument("--server-nice", type=int, default=SERVER_NICE,
                        help=f"the server's scheduling priority (default {SERVER_NICE}; 0 = as the browsers)")
    args = parser.parse_args()
    exit_on_sigterm()
    print(f"driver: {args.driver}; pages: {', '.join(spec.url_path or 'home' for spec in PAGES)}; steps per "
          f"session: {len(PAGES) + 2}; server logs in {LOG_DIR}")
    rows = []
    for n in args.sessions:
        print(f"N={n}: running…", flush=True)
        row = measure(args.driver, n, args.step_timeout, args.session_timeout, args.server_nice,
                      args.class_link)
        rows.append(row)
        print(f"{HEADER}\n{format_row(row)}", flush=True)
        print(step_summary(row))
        for session in row.sessions:
            for problem in session.problems:
                print(f"    session {session.index} (seed {session.seed}, hidden {session.hidden}): "
                      f"{problem}")
    print("\n" + HEADER)
    for row in rows:
        print(format_row(row))
    if args.driver == "browser":
        print("median/worst s: from the click (or URL) until the script ran, the app is idle and every chart "
              "drew; server med/max: until the server had finished the run.")
    else:
        print("median/worst s: from the request until the server had sent the page's last element and "
              "finished the run (no browser draws it; drawing a page took 0.3–1 s more in the browser "
              "driver's N=1 run).")
    print("peak RSS: the server process and its children, sampled every 0.2 s")
    failed = [row for row in rows if not row.ok]
    if failed:
        print(f"FAILED: N = {', '.join(str(row.n) for row in failed)} (see the problems above)")
        return 1
    print("all sessions completed, each saw only its own settings, no exception elements")
    return 0


if __name__ == "__main__":
    sys.exit(main())
