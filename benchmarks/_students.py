"""One student of the load test (benchmarks/load_test.py): their own settings, and their session driven
through the steps — in a Chromium tab (`BrowserDriver`) or over the websocket protocol (`ProtocolDriver`) —
with the checks after every step (their own seed and width, never another session's, no exception)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from app.pages import HOME, PAGES, PageSpec
from benchmarks._protocol import ProtocolSession, Run
from benchmarks._server import (
    LOG_DIR,
    StepTime,
    nav_link,
    page_state,
    timed_until_finished,
)

PAGE_TITLES = {spec.url_path: "Symmetry Lab" if spec is HOME else spec.title for spec in PAGES}

HIDDEN = ("3", "5", "6", "4-4", "7", "3-2", "9", "5-3", "10", "2-2-2", "11", "6-4")
SCREENSHOT_DIR = LOG_DIR / "load-test"
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


