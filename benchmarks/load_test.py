"""A class on one small server: N students at once, each with their own settings, through every page.

    python benchmarks/load_test.py [--sessions 1 8 24] [--driver protocol|browser] [--class-link]
                                   [--step-timeout 180] [--session-timeout 420]
    python benchmarks/load_test.py --url http://127.0.0.1:8600 [--pids PID …] [--server-logs LOG …]
                                   [--access-log deploy-dir/logs/access.log] [--sessions 24]

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

With `--url` (protocol driver only) no server is started: the sessions go to an app that already runs
there, typically nginx in front of several replicas (deploy/replicas.sh), and the same servers serve
every N in --sessions (restart them between runs for a cold start). Each session then first GETs the
page into its own cookie jar and opens its websocket with those cookies, as one browser does, so the
proxy's affinity cookie keeps the session on one replica. What is measured changes accordingly:
peak RSS is the sum over the processes given with `--pids` (each with its children), sampled together
every 0.2 s, and is not measured without them; tracebacks are counted in the `--server-logs` files
(only those written during the run). With `--access-log` (the proxy's log in deploy/'s format) the
test also counts the sessions each replica served and fails if a session's page and websocket did not
reach one and the same replica.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import re
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
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
    RssSampler,
    Server,
    StepTime,
    chromium_path,
    exit_on_sigterm,
    nav_link,
    new_session_page,
    page_state,
    rss_bytes,
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
AFFINITY_COOKIE = "symlab_route"  # the proxy's affinity cookie (deploy/nginx.conf.template)


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
    route: str | None = None  # with --url: the proxy's affinity cookie this session was given

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
    per_replica: dict[str, int] = field(default_factory=dict)  # with --access-log: sessions per upstream
    affinity_problems: list[str] = field(default_factory=list)
    replica_peaks_mb: dict[int, float] = field(default_factory=dict)  # with --pids: each process's peak

    @property
    def ok(self) -> bool:
        return (self.completed == self.n and all(s.ok for s in self.sessions) and self.tracebacks == 0
                and not self.affinity_problems)


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

    load_page = isinstance(server, ExternalServers)  # behind a proxy: the page's cookies, as a browser

    async def session(result: SessionResult, start: asyncio.Event) -> None:
        async with ProtocolSession(server.url, timeout_s=step_timeout_s, load_page=load_page) as connection:
            result.route = connection.cookie(AFFINITY_COOKIE)
            await run_session(ProtocolDriver(connection, result, owners, expected_home), result, start)

    await gather_sessions(results, [functools.partial(session, r) for r in results], session_timeout_s)


def expected_home_gaps(results: list[SessionResult]) -> dict[int, str]:
    """The home page's "Largest unit difference" for every seed a session uses with its hidden layers,
    computed here before the server is busy: what the page must show if it trained that session's run."""
    return {seed: home_gap(seed, result.hidden)
            for result in results for seed in (result.seed, result.new_seed)}


DRIVERS = {"protocol": drive_protocol, "browser": drive_browsers}


# --- an app that already runs (--url): several replicas behind a proxy ------------------------------------

class SumRssSampler(RssSampler):
    """The RSS of several process trees added up at each sample (their peak together), and each one's."""

    def __init__(self, pids: list[int]):
        super().__init__(pids[0])
        self.pids = pids
        self.peaks = dict.fromkeys(pids, 0)

    def sample(self) -> int:
        values = {pid: rss_bytes(pid) for pid in self.pids}
        for pid, value in values.items():
            self.peaks[pid] = max(self.peaks[pid], value)
        total = sum(values.values())
        if total:
            self.last = total
            self.peak = max(self.peak, total)
        return total


class NoMemory:
    """No --pids: the RSS is not measured (reported as nan), rather than guessed from process names."""

    peak = last = 0

    def sample(self) -> int:
        return 0

    def stop(self) -> None:
        pass


@dataclass
class ExternalServers:
    """What `measure` needs of a server, for one that runs already (`--url`): its URL, the memory of the
    given processes, and the tracebacks the given logs gain during the run."""

    url: str
    memory: Any
    log_paths: list[Path]
    access_log: Path | None
    _tracebacks_before: int = 0
    _access_log_offset: int = 0

    def _count_tracebacks(self) -> int:
        return sum(path.read_text(errors="replace").count("Traceback (most recent call last)")
                   for path in self.log_paths if path.exists())

    def tracebacks(self) -> int:
        return self._count_tracebacks() - self._tracebacks_before

    def log_tail(self, chars: int = 3000) -> str:
        return "\n".join(f"--- {path}\n{path.read_text(errors='replace')[-chars:]}"
                         for path in self.log_paths if path.exists()) or "(no --server-logs given)"

    def new_access_log_lines(self) -> list[str]:
        if self.access_log is None or not self.access_log.exists():
            return []
        with open(self.access_log, "rb") as log:
            log.seek(self._access_log_offset)
            return log.read().decode(errors="replace").splitlines()


@contextlib.contextmanager
def external_servers(url: str, pids: list[int], log_paths: list[Path],
                     access_log: Path | None) -> Iterator[ExternalServers]:
    memory = SumRssSampler(pids).start() if pids else NoMemory()
    servers = ExternalServers(url.rstrip("/"), memory, log_paths, access_log)
    servers._tracebacks_before = servers._count_tracebacks()
    if access_log is not None and access_log.exists():
        servers._access_log_offset = access_log.stat().st_size
    try:
        yield servers
    finally:
        memory.stop()


# One line of deploy/'s access log: `… "GET /_stcore/stream HTTP/1.1" 101 upstream=<addr> route=<key> …`.
# A request that failed over lists several upstreams ("a, b"): that is then not one replica.
ACCESS_LINE = re.compile(r'"(?P<method>\S+) (?P<path>[^ ?"]*)\S* [^"]*" (?P<status>\d{3}) '
                         r'upstream=(?P<upstream>.*?) route=(?P<route>\S+)')


def affinity(sessions: list[SessionResult], lines: list[str]) -> tuple[dict[str, int], list[str]]:
    """Sessions per replica (websocket upgrades, 101, by upstream) and the sessions whose requests did not
    all reach one and the same replica, read from the proxy's access log lines of this run."""
    upstreams: dict[str, set[str]] = {}
    streams: dict[str, list[str]] = {}
    for line in lines:
        match = ACCESS_LINE.search(line)
        if match is None:
            continue
        upstreams.setdefault(match["route"], set()).add(match["upstream"])
        if match["path"] == "/_stcore/stream" and match["status"] == "101":
            streams.setdefault(match["route"], []).append(match["upstream"])
    per_replica: dict[str, int] = {}
    problems = []
    for session in sessions:
        seen, opened = upstreams.get(session.route or "", set()), streams.get(session.route or "", [])
        if session.route is None:
            problems.append(f"session {session.index}: the proxy set no {AFFINITY_COOKIE} cookie")
        elif len(opened) != 1 or len(seen) != 1:
            problems.append(f"session {session.index} (route {session.route}): {len(opened)} websocket(s), "
                            f"requests served by {sorted(seen) or 'no replica in the log'}")
        else:
            per_replica[opened[0]] = per_replica.get(opened[0], 0) + 1
    return dict(sorted(per_replica.items())), problems


def measure(driver: str, n: int, step_timeout_s: float, session_timeout_s: float,
            nice: int | None, class_link: bool = False,
            external: Callable[[], contextlib.AbstractContextManager[ExternalServers]] | None = None) -> Row:
    """One N: a fresh server, or with `external` (--url) the app that already runs there."""
    sessions = [SessionResult(i, *settings_for(i, class_link)) for i in range(n)]
    owners = {str(seed): r.index for r in sessions for seed in (r.seed, r.new_seed)
              if not (class_link and seed == r.seed)}  # a shared seed belongs to no one session
    per_replica: dict[str, int] = {}
    affinity_problems: list[str] = []
    replica_peaks: dict[int, float] = {}
    servers = external() if external else running_server(f"load-test-server-{driver}-{n}.log", nice=nice)
    with servers as server:
        server.memory.sample()
        start_rss = server.memory.last
        began = time.perf_counter()
        asyncio.run(DRIVERS[driver](server, sessions, owners, step_timeout_s, session_timeout_s))
        wall = time.perf_counter() - began
        server.memory.sample()
        peak, tracebacks = server.memory.peak, server.tracebacks()
        if tracebacks:
            print(f"\nserver log of N={n} has {tracebacks} traceback(s); its tail:\n{server.log_tail()}")
        if isinstance(server, ExternalServers):
            replica_peaks = {pid: value / MB for pid, value in getattr(server.memory, "peaks", {}).items()}
            if server.access_log is not None:
                # nginx logs a websocket when it closes: give the last ones a moment to be written.
                deadline = time.monotonic() + 5
                while True:
                    per_replica, affinity_problems = affinity(sessions, server.new_access_log_lines())
                    if not affinity_problems or time.monotonic() > deadline:
                        break
                    time.sleep(0.25)
    return Row(
        n=n, completed=sum(s.completed for s in sessions), exceptions=sum(s.exceptions for s in sessions),
        drawn=[(t.drawn, f"s{s.index} {step}") for s in sessions for step, t in s.times],
        server=[t.server for s in sessions for _, t in s.times],
        peak_rss_mb=peak / MB if peak else float("nan"), start_rss_mb=start_rss / MB, wall_s=wall,
        tracebacks=tracebacks, sessions=sessions, per_replica=per_replica,
        affinity_problems=affinity_problems, replica_peaks_mb=replica_peaks,
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
    parser.add_argument("--url",
                        help="an app that already runs there (e.g. nginx in front of deploy/replicas.sh): "
                             "start no server; each session loads the page into its own cookie jar first")
    parser.add_argument("--pids", type=int, nargs="+", default=[],
                        help="with --url: the server processes whose RSS (with their children) is summed; "
                             "deploy/replicas.sh writes them to <deploy dir>/replicas.pids")
    parser.add_argument("--server-logs", type=Path, nargs="+", default=[],
                        help="with --url: the servers' logs, where tracebacks written during the run count")
    parser.add_argument("--access-log", type=Path,
                        help="with --url: the proxy's access log (deploy/'s format): sessions per replica, "
                             "and every session's requests on one replica")
    args = parser.parse_args()
    if args.url is None and (args.pids or args.server_logs or args.access_log):
        parser.error("--pids, --server-logs and --access-log describe an app given with --url")
    if args.url is not None and args.driver != "protocol":
        parser.error("--url works with the protocol driver")
    exit_on_sigterm()
    external = None
    if args.url is None:
        print(f"driver: {args.driver}; pages: {', '.join(spec.url_path or 'home' for spec in PAGES)}; steps "
              f"per session: {len(PAGES) + 2}; server logs in {LOG_DIR}")
    else:
        external = functools.partial(external_servers, args.url, args.pids, args.server_logs, args.access_log)
        print(f"driver: {args.driver}; pages: {', '.join(spec.url_path or 'home' for spec in PAGES)}; steps "
              f"per session: {len(PAGES) + 2}; app at {args.url} (started elsewhere; not restarted "
              f"between N)")
    rows = []
    for n in args.sessions:
        print(f"N={n}: running…", flush=True)
        row = measure(args.driver, n, args.step_timeout, args.session_timeout, args.server_nice,
                      args.class_link, external)
        rows.append(row)
        print(f"{HEADER}\n{format_row(row)}", flush=True)
        print(step_summary(row))
        if row.replica_peaks_mb:
            print("    peak RSS per process (MB): " + ", ".join(
                f"pid {pid} {value:.0f}" for pid, value in row.replica_peaks_mb.items()))
        if row.per_replica:
            print("    sessions per replica (proxy access log): " + ", ".join(
                f"{upstream} {count}" for upstream, count in row.per_replica.items()))
        for problem in row.affinity_problems:
            print(f"    affinity: {problem}")
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
    if args.url is None:
        print("peak RSS: the server process and its children, sampled every 0.2 s")
    elif args.pids:
        print(f"peak RSS: the sum over pids {' '.join(map(str, args.pids))} and their children, sampled "
              f"together every 0.2 s")
    else:
        print("peak RSS: not measured (give the servers' --pids)")
    if args.url is not None and args.access_log is not None:
        print("affinity: from the proxy's access log, each session's page and websocket on one replica")
    failed = [row for row in rows if not row.ok]
    if failed:
        print(f"FAILED: N = {', '.join(str(row.n) for row in failed)} (see the problems above)")
        return 1
    print("all sessions completed, each saw only its own settings, no exception elements")
    return 0


if __name__ == "__main__":
    sys.exit(main())
