"""The real app as the benchmark scripts need it: `streamlit run dashboard.py` on a free loopback port, its
memory watched from outside, and always stopped again — on success, on failure and on Ctrl-C.

Shared by load_test.py and memory_test.py so both measure the same server the same way. Memory is read
from /proc (psutil is not a dependency): the resident set (VmRSS) of the server process plus any children
it starts, sampled in a background thread, because a peak between two page loads is exactly what a
sequential read after each step would miss.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only: the benchmark server is never reachable from outside this machine
LOG_DIR = ROOT / "test-artifacts"  # git-ignored; the server's output (and any traceback) lands here
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
SAMPLE_EVERY_S = 0.2
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
MB = 1024 * 1024

_LIVE: set[subprocess.Popen] = set()  # servers not yet stopped; atexit stops any a crash left behind


def free_port() -> int:
    """A port nothing listens on right now (the OS picks it), on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    """Does Streamlit's health endpoint answer "ok"? (Never through a proxy: the server is local.)"""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


# --- memory ----------------------------------------------------------------------------------------------

def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants, found through the parent pid in /proc/<pid>/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                # The command name (field 2) is in parentheses and may contain spaces: split after it.
                fields = stat.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        children.setdefault(int(fields[1]), []).append(int(entry))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def _summed_kb_field(pid: int, filename: str, field: str) -> int:
    """A "Field:   N kB" line of /proc/<pid>/<filename>, summed over `pid` and its descendants, in bytes
    (0 once the process is gone)."""
    total = 0
    for member in process_tree(pid):
        try:
            with open(f"/proc/{member}/{filename}") as lines:
                for line in lines:
                    if line.startswith(field):
                        total += int(line.split()[1]) * 1024  # reported in kB
                        break
        except OSError:
            continue
    return total


def rss_bytes(pid: int) -> int:
    """Resident memory of `pid` and its descendants (VmRSS from /proc/<pid>/status), 0 once it is gone."""
    return _summed_kb_field(pid, "status", "VmRSS:")


def pss_bytes(pid: int) -> int:
    """Proportional memory of `pid` and its descendants (Pss from /proc/<pid>/smaps_rollup): each shared
    page counted once across the tree, split between its sharers. What a container's memory limit sees,
    where summed RSS counts the pages a forkserver shares with its workers once per process."""
    return _summed_kb_field(pid, "smaps_rollup", "Pss:")


class RssSampler:
    """Samples a process tree's RSS (and PSS) every `every_s` seconds in a daemon thread; keeps the peaks
    and the last values."""

    def __init__(self, pid: int, every_s: float = SAMPLE_EVERY_S):
        self.pid, self.every_s = pid, every_s
        self.peak = self.last = 0
        self.peak_pss = self.last_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"rss-{pid}", daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every_s)

    def sample(self) -> int:
        """Read the RSS now (also updates the peak); callable from any thread."""
        value = rss_bytes(self.pid)
        if value:
            self.last = value
            self.peak = max(self.peak, value)
        proportional = pss_bytes(self.pid)
        if proportional:
            self.last_pss = proportional
            self.peak_pss = max(self.peak_pss, proportional)
        return value

    def start(self) -> RssSampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


# --- the server ------------------------------------------------------------------------------------------

@dataclass
class Server:
    url: str  # base URL, no trailing slash
    process: subprocess.Popen
    log_path: Path
    memory: RssSampler

    def log_tail(self, chars: int = 3000) -> str:
        """The end of the server's output, where an app exception's traceback is."""
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no server log)"

    def tracebacks(self) -> int:
        """How many tracebacks the server has logged so far (the page shows exceptions redacted)."""
        try:
            return self.log_path.read_text(errors="replace").count("Traceback (most recent call last)")
        except OSError:
            return 0


def stop_process(process: subprocess.Popen) -> None:
    """Terminate, then kill if it does not exit in time; only this one process (its own group)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=STOP_TIMEOUT_S)
    _LIVE.discard(process)


@atexit.register
def _stop_leftovers() -> None:
    for process in list(_LIVE):
        stop_process(process)


def exit_on_sigterm() -> None:
    """Turn SIGTERM/SIGHUP into SystemExit, so `finally` blocks run and the server is stopped then too."""
    def _exit(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _exit)


@contextlib.contextmanager
def running_server(log_name: str, extra_env: dict[str, str] | None = None,
                   nice: int | None = None, script: str = "dashboard.py") -> Iterator[Server]:
    """Start `streamlit run dashboard.py` (or another `script`, e.g. a reference app) headless on a free
    loopback port, from the repository root; stop it when the block ends.

    The server gets its own process group (so a Ctrl-C reaches only this script, which then stops the
    server in order) and writes to a log file, never a pipe, so a chatty server cannot block. `nice`
    sets its scheduling priority (set at once, before Streamlit starts its threads, which inherit it).
    """
    port = free_port()
    url = f"http://{HOST}:{port}"
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / log_name
    command = [
        sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
        "--server.port", str(port), "--server.address", HOST, "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]
    env = {**os.environ, **(extra_env or {})}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, env=env, start_new_session=True)
    _LIVE.add(process)
    if nice is not None:
        os.setpriority(os.PRIO_PROCESS, process.pid, nice)
    memory = RssSampler(process.pid).start()
    server = Server(url, process, log_path, memory)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not healthy(url):
            if process.poll() is not None:
                raise RuntimeError(f"the Streamlit server exited with code {process.returncode} before "
                                   f"answering.\nCommand: {' '.join(command)}\nLog:\n{server.log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Streamlit server did not answer {url}/_stcore/health within "
                                   f"{START_TIMEOUT_S:.0f} s.\nLog:\n{server.log_tail()}")
            time.sleep(0.25)
        yield server
    finally:
        memory.stop()
        stop_process(process)


# --- the browser side --------------------------------------------------------------------------------

VIEWPORT = {"width": 1280, "height": 720}
SETTLE_S = 0.3  # the app must stay finished this long (a rerun may follow a widget change)
ACTION_TIMEOUT_MS = 30_000  # clicks and look-ups on a page that has finished running

# Counts finished script runs (the stApp's script state leaving "running") from the first byte of the
# page on, so "the app ran again since my click" is a fact, not a guess about timing.
RUN_COUNTER_JS = """
(() => {
  window.__symlabRuns = 0;
  const observer = new MutationObserver(records => {
    for (const record of records) {
      if (record.oldValue === 'running') window.__symlabRuns += 1;
    }
  });
  observer.observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                              attributeFilter: ['data-test-script-state']});
})();
"""

# The server's side of a run is over: it ran at least `runs` times and says it is not running.
SERVER_DONE_JS = """
runs => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app !== null && (window.__symlabRuns || 0) >= runs
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED';
}
"""

# True once the app has finished at least `runs` runs, is idle and has drawn every chart, and has stayed
# so for `settle` ms; it then returns how long ago it became so (to subtract from the measured time).
FINISHED_JS = """
([runs, settle, token]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const done = app !== null && (window.__symlabRuns || 0) >= runs
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && document.querySelector('[data-testid="stStatusWidget"]') === null
    && document.querySelector('[data-testid="stSkeleton"]') === null
    && document.querySelector('[data-testid="stMain"] h1') !== null
    && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
         .every(chart => chart.querySelector('.js-plotly-plot .main-svg') !== null);
  const now = performance.now();
  if (window.__symlabToken !== token || !done) {
    window.__symlabToken = token;
    window.__symlabSince = done ? now : null;
    return false;
  }
  if (window.__symlabSince === null) window.__symlabSince = now;
  return now - window.__symlabSince >= settle ? now - window.__symlabSince : false;
}
"""

_tokens = itertools.count(1)


async def new_session_page(browser: Any) -> tuple[Any, Any]:
    """A fresh browser context (its own cookies, so its own Streamlit session) and a tab that counts runs."""
    context = await browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    await context.add_init_script(RUN_COUNTER_JS)
    return context, await context.new_page()


def nav_link(page: Any, base_url: str, url_path: str) -> Any:
    """The sidebar menu's link to a page (app/navigation.py; its address carries the settings after a
    `?`): clicking it switches pages inside the same session."""
    menu = ".st-key-page_menu"
    # Streamlit writes the href relative ("many-seeds?seed=5", home "?seed=5"); older versions wrote it
    # absolute: match either form, with or without a query.
    forms = (f"{base_url}/{url_path}", url_path)
    return page.locator(", ".join(f'{menu} a[href="{form}"], {menu} a[href^="{form}?"]' for form in forms))


async def finished_runs(page: Any) -> int:
    """Script runs the tab has seen finish since its page loaded."""
    return await page.evaluate("() => window.__symlabRuns || 0")


@dataclass(frozen=True)
class StepTime:
    """Seconds from an action until the server had finished the script run it caused (`server`), and
    until the page was drawn too: no skeleton left, every Plotly chart an SVG (`drawn`)."""

    server: float
    drawn: float


async def timed_until_finished(page: Any, action: Callable[[], Awaitable[Any]], timeout_s: float,
                               runs_before: int | None = None) -> StepTime:
    """Do `action`, then wait until the app has run again and finished — first on the server's side,
    then drawn — and stayed finished for SETTLE_S (a widget change may trigger a second run).

    `runs_before` is the run count to go beyond (0 for a page load: the counter starts afresh).
    """
    if runs_before is None:
        runs_before = await finished_runs(page)
    token = next(_tokens)
    start = time.perf_counter()
    await action()
    await page.wait_for_function(SERVER_DONE_JS, arg=runs_before + 1, polling=100, timeout=timeout_s * 1000)
    server = time.perf_counter() - start
    handle = await page.wait_for_function(FINISHED_JS, arg=[runs_before + 1, SETTLE_S * 1000, token],
                                          polling=100, timeout=timeout_s * 1000)
    idle_for_s = float(await handle.json_value()) / 1000
    return StepTime(server=server, drawn=max(time.perf_counter() - start - idle_for_s, server))


STATE_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  return {runs: window.__symlabRuns || 0, script: app?.getAttribute('data-test-script-state'),
          connection: app?.getAttribute('data-test-connection-state'),
          status_widget: document.querySelector('[data-testid="stStatusWidget"]') !== null,
          skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
          title: document.querySelector('[data-testid="stMain"] h1')?.textContent ?? null,
          charts: charts.length,
          drawn: charts.filter(c => c.querySelector('.js-plotly-plot .main-svg') !== null).length};
}
"""


async def page_state(page: Any) -> str:
    """What the tab shows now, condition by condition: says which part of "finished" never came."""
    try:
        return str(await page.evaluate(STATE_JS))
    except Exception as error:  # the page may be gone; the state is a diagnosis, not a second failure
        return f"(state unavailable: {type(error).__name__})"


def chromium_path() -> str:
    """Debian's chromium (Playwright's own browser downloads are not needed), or a clear error."""
    path = shutil.which("chromium")
    if path is None:
        raise SystemExit("Debian chromium not found (apt-get install chromium)")
    return path
