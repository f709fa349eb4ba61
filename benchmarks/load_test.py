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
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.pages import HOME, PAGES
from benchmarks._protocol import ProtocolSession, home_gap
from benchmarks._replicas import ExternalServers, affinity, external_servers
from benchmarks._server import (
    CHROMIUM_ARGS,
    LOG_DIR,
    MB,
    Server,
    chromium_path,
    exit_on_sigterm,
    new_session_page,
    running_server,
)
from benchmarks._students import (
    AFFINITY_COOKIE,
    BrowserDriver,
    ProtocolDriver,
    SessionResult,
    settings_for,
)

# In class every student's browser runs on their own laptop; here N Chromium tabs share the server's two
# cores, and Chromium raises its own browser and GPU processes to nice -8. The server runs above them so
# that what is measured is the server holding up, with the browsers drawing in the time it leaves.
SERVER_NICE = -10



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
