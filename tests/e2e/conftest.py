"""Browser fixtures: the real app (`streamlit run dashboard.py`) on a loopback port, driven by headless
Debian Chromium through Playwright.

Without Chromium or Playwright the browser tests are skipped with a note on how to install them — unless
SYMMETRY_LAB_REQUIRE_BROWSER=1 (set by .ci/run), where a missing browser is a failure, not a skip.
Screenshots go to test-artifacts/screenshots/ (git-ignored); the path is printed at the end of the run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = ROOT / "test-artifacts" / "screenshots"
DOCS_DIR = ROOT / "docs" / "screenshots"
SERVER_LOG = ROOT / "test-artifacts" / "streamlit-server.log"  # the app's tracebacks (the page redacts them)
HOST = "127.0.0.1"  # loopback only: the test server is never reachable from outside this machine
SERVER_START_TIMEOUT = 60.0
APP_TIMEOUT_MS = 60_000  # the first visit of a page trains its network
ACTION_TIMEOUT_MS = 15_000  # clicks and look-ups on a page that has finished running
VIEWPORT = {"width": 1280, "height": 720}
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
_SESSION_START = time.time()
_FAILED = pytest.StashKey[bool]()  # set on each test item: did its call phase fail?


def _missing_browser(problem: str) -> None:
    """Skip the browser tests, or fail them where a browser is required (CI)."""
    if os.environ.get("SYMMETRY_LAB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{problem}, and SYMMETRY_LAB_REQUIRE_BROWSER=1 requires the browser tests",
                    pytrace=False)
    pytest.skip(f"{problem}; browser tests skipped")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    try:
        with opener.open(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def app_server() -> Iterator[str]:
    """Start the dashboard on a free loopback port; yield its base URL (no trailing slash)."""
    port = _free_port()
    url = f"http://{HOST}:{port}"
    SERVER_LOG.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
        "--server.port", str(port), "--server.address", HOST, "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]
    # Output goes to a file, not a pipe: a chatty server can never block on a full pipe.
    with open(SERVER_LOG, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                state = (f"exited with code {process.returncode}" if process.poll() is not None
                         else f"did not answer {url}/_stcore/health within {SERVER_START_TIMEOUT:.0f} s")
                pytest.fail(f"Streamlit server {state}.\nCommand: {' '.join(command)}\n"
                            f"Output:\n{server_log_tail()}", pytrace=False)
            time.sleep(0.25)
        yield url
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium (Playwright's own browser downloads are not needed)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing_browser("playwright is not installed (pip install -r requirements-dev.txt)")
    executable = shutil.which("chromium")
    if executable is None:
        _missing_browser("Debian chromium not found (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[Any]:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context (own cookies, own Streamlit session) at 1280×720. A failing test leaves
    a screenshot of what the browser showed: SCREENSHOT_DIR/failed-<test>.png."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    if request.node.stash.get(_FAILED, False):
        name = "failed-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in request.node.name)
        screenshot(tab, name)
    context.close()


def wait_for_app(page: Any, timeout_ms: int = APP_TIMEOUT_MS, settle_s: float = 0.3) -> None:
    """Wait until the script run has finished and stayed finished for `settle_s` — with no element still
    a loading skeleton (Streamlit loads the Plotly component lazily; parsing it takes seconds on a small
    machine) — then until every Plotly chart has drawn its SVG."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    idle_since: float | None = None
    while True:
        idle = page.evaluate(
            """() => {
                const app = document.querySelector('[data-testid="stApp"]');
                return app !== null && app.getAttribute('data-test-script-state') === 'notRunning'
                    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
                    && document.querySelector('[data-testid="stStatusWidget"]') === null
                    && document.querySelector('[data-testid="stSkeleton"]') === null;
            }"""
        )
        now = time.monotonic()
        if idle:
            idle_since = idle_since or now
            if now - idle_since >= settle_s:
                break
        else:
            idle_since = None
        if now > deadline:
            state = page.evaluate("""() => document.querySelector('[data-testid="stApp"]')
                                         ?.getAttribute('data-test-script-state')""")
            raise TimeoutError(f"the app was still busy after {timeout_ms / 1000:.0f} s "
                               f"(script state {state})")
        time.sleep(0.1)
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                 .every(chart => chart.querySelector('.js-plotly-plot .main-svg') !== null)""",
        timeout=timeout_ms,
    )


def screenshot(page: Any, name: str, docs: bool = False) -> Path:
    """Save the visible viewport (1280×720, as a projector shows it) as SCREENSHOT_DIR/<name>.png.

    `docs` screenshots are the README's pictures: with SYMMETRY_LAB_UPDATE_DOCS=1 they are also copied to
    docs/screenshots/ (then committed), so the README always shows what the tests saw.
    """
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=False, animations="disabled")
    if docs and os.environ.get("SYMMETRY_LAB_UPDATE_DOCS") == "1":
        DOCS_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_DIR / path.name)
    return path


def server_log_tail(chars: int = 4000) -> str:
    """The end of the server's output: where an app exception's traceback is."""
    try:
        return SERVER_LOG.read_text(errors="replace")[-chars:]
    except OSError:
        return "(no server log)"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    written = [path for path in SCREENSHOT_DIR.glob("*.png") if path.stat().st_mtime >= _SESSION_START]
    if written:
        terminalreporter.write_line(f"{len(written)} screenshots written to {SCREENSHOT_DIR}")


# --- checks shared by the browser tests -------------------------------------------------------------------

def wait_until(check: Callable[[], bool], what: str, timeout_s: float = APP_TIMEOUT_MS / 1000) -> None:
    """Poll `check` (which may read the page) until it holds; fail naming `what` after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout_s:.0f} s waiting until {what}")
        time.sleep(0.1)


SVG_PICTURES = '[data-testid="stMarkdownContainer"] svg[role="img"]'
"""Our own SVG pictures (Home's network diagram, figures/network_diagram.py), drawn by the browser at once."""


def assert_healthy(page: Any, min_charts: int = 1) -> None:
    """No exception box, no traceback text, no 'Page not found', and at least `min_charts` pictures: Plotly
    charts drawn, or our own SVG pictures."""
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, (
        f"exception on {page.url}:\n" + "\n".join(exceptions.all_inner_texts())
        + f"\n--- server log (tail) ---\n{server_log_tail()}"
    )
    assert "Traceback" not in page.locator("body").inner_text(), f"traceback text on {page.url}"
    assert page.get_by_role("dialog").filter(has_text="Page not found").count() == 0, (
        f"'Page not found' dialog on {page.url}")
    drawn = page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg').count()
    drawn += page.locator(SVG_PICTURES).count()
    assert drawn >= min_charts, f"only {drawn} charts or pictures rendered on {page.url}"


def small_chart_text(page: Any, minimum_px: float = 18) -> list[str]:
    """Chart text drawn smaller than `minimum_px` (DESIGN §5: ≥ 18 px on a projector); the slider's
    1-px tick labels are hidden on purpose and not counted."""
    return page.evaluate(
        """(minimum) => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg text')]
                 .filter(t => t.textContent.trim() && parseFloat(getComputedStyle(t).fontSize) > 2
                              && parseFloat(getComputedStyle(t).fontSize) < minimum)
                 .map(t => `${t.textContent.trim().slice(0, 40)} (${getComputedStyle(t).fontSize})`)""",
        minimum_px,
    )


FIRST = "test_a_lesson_link_is_the_first_visit_to_a_fresh_server"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the fresh-server deep-link test before every other browser test, whichever module it is in
    (it checks the server's very first request, so it can only run first)."""
    items.sort(key=lambda item: item.name != FIRST)  # stable: everything else keeps its order
