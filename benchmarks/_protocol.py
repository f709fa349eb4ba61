"""A Streamlit session without a browser: the app's own websocket protocol, spoken from Python.

A browser tab is a websocket to `/_stcore/stream` carrying protobuf messages: the tab sends a `BackMsg`
asking for a script run (the page, the URL's query string, the widgets' values) and the server streams
`ForwardMsg`s back — a new session, one delta per element drawn, and `script_finished`. `ProtocolSession`
sends exactly those requests and reads exactly those replies, so the server does all the work it does for
a student, while the client costs next to nothing: on a 2-core machine, 24 of these leave the cores to
the server, where 24 Chromium renderers took them (load_test.py's browser driver measures both together).

What it does not do is draw: the times it reports end when the server has sent the last element, before
any Plotly chart is rendered, so they are the server's share of what a student waits for.

Behind a proxy with session affinity (deploy/), a session can first load the page as a browser does
(`load_page=True`): a GET of the base URL into the session's own cookie jar, then the websocket upgrade
carrying those cookies and the page's Origin. The proxy's affinity cookie thus reaches the replica that
served the page, as one browser's cookies do; every session has its own jar, as every student their own
browser.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NumberInput_pb2 import NumberInput
from streamlit.proto.WidgetStates_pb2 import WidgetState

STREAM_PATH = "/_stcore/stream"
BOXES = ("number_input", "text_input")  # the widgets whose shown value `ProtocolSession.shown` follows
SUBPROTOCOL = "streamlit"  # the first entry of Sec-WebSocket-Protocol; no XSRF token without an Origin


@dataclass
class Run:
    """What one script run sent: its elements in order, the exception elements, the seconds it took."""

    seconds: float
    elements: list[Element]
    status: str  # FINISHED_SUCCESSFULLY, or why it did not
    query_string: str | None  # the URL the server set during the run (st.query_params), if it did
    exceptions: list[str] = field(default_factory=list)

    def widget(self, label: str) -> Any:
        """The last widget proto (number_input, text_input, …) with this label, or KeyError."""
        for element in reversed(self.elements):
            kind = element.WhichOneof("type")
            proto = getattr(element, kind)
            if getattr(proto, "label", None) == label and getattr(proto, "id", ""):
                return proto
        raise KeyError(f"no widget labelled {label!r} in this run")

    def metric(self, label: str) -> str:
        """The value shown by the metric `label` (st.metric), or KeyError."""
        for element in self.elements:
            if element.WhichOneof("type") == "metric" and element.metric.label == label:
                return element.metric.body
        raise KeyError(f"no metric labelled {label!r} in this run")

    def headings(self) -> list[str]:
        return [element.heading.body for element in self.elements if element.WhichOneof("type") == "heading"]


class ProtocolSession:
    """One student's session: `open` a page with a query string, `switch` pages, `set_number`; each waits
    until the script run it started has finished and returns the `Run`.

        async with ProtocolSession("http://127.0.0.1:8501") as session:
            run = await session.open("many-seeds", "seed=3")
    """

    def __init__(self, base_url: str, timeout_s: float = 180.0, load_page: bool = False):
        self.base_url = base_url
        self.uri = base_url.replace("http://", "ws://", 1) + STREAM_PATH
        self.timeout_s = timeout_s
        self.load_page = load_page  # GET the page first and send its cookies on the upgrade (a proxy's)
        self.cookies = http.cookiejar.CookieJar()  # this session's own, as one browser's
        self.pages: dict[str, str] = {}  # url path ("" for home) -> page script hash, from the server
        self.query_string = ""
        self.last: Run | None = None
        self.shown: dict[str, str] = {}  # widget label -> the value its box shows, as a browser keeps it
        self._socket: Any = None
        self._current_page = ""

    async def __aenter__(self) -> ProtocolSession:
        import websockets  # Streamlit's own server dependency

        options: dict[str, Any] = {}
        if self.load_page:
            await asyncio.to_thread(self._get_page)
            options["origin"] = self.base_url  # a browser's websocket carries its page's origin
            cookie = self.cookie_header()
            if cookie:
                options["additional_headers"] = {"Cookie": cookie}
        self._socket = await websockets.connect(self.uri, subprotocols=[SUBPROTOCOL], max_size=None,
                                                open_timeout=self.timeout_s, **options)
        return self

    def _get_page(self) -> None:
        """Load the page like a browser tab (never through an environment proxy): its Set-Cookie headers
        land in this session's jar."""
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                             urllib.request.HTTPCookieProcessor(self.cookies))
        with opener.open(self.base_url + "/", timeout=self.timeout_s) as response:
            response.read()

    def cookie_header(self) -> str:
        """The Cookie header this session's jar sends to the websocket's address ("" if none)."""
        request = urllib.request.Request(self.base_url + STREAM_PATH)
        self.cookies.add_cookie_header(request)
        return request.get_header("Cookie", "")

    def cookie(self, name: str) -> str | None:
        """The value of one cookie in this session's jar (e.g. the proxy's affinity cookie), or None."""
        return next((c.value for c in self.cookies if c.name == name), None)

    async def __aexit__(self, *_exc: object) -> None:
        await self._socket.close()

    async def open(self, url_path: str, query_string: str) -> Run:
        """Like typing the URL `/<url_path>?<query_string>`: the first run of this session."""
        self.query_string = query_string
        return await self._rerun(url_path)

    async def switch(self, url_path: str) -> Run:
        """Like clicking the page in the sidebar navigation: same session, same widgets."""
        return await self._rerun(url_path)

    async def set_number(self, label: str, value: float) -> Run:
        """Like typing `value` into the number box `label` and pressing Enter.

        The browser also writes a widget bound to the URL into the address bar before it asks for the
        rerun, and the next request carries that URL; so does this.
        """
        if self.last is None:
            raise RuntimeError("open a page first")
        proto = self.last.widget(label)
        state = WidgetState(id=proto.id)
        if proto.data_type == NumberInput.INT:
            state.int_value = int(value)
        else:
            state.double_value = float(value)
        if proto.query_param_key:
            params = dict(parse_qsl(self.query_string, keep_blank_values=True))
            params[proto.query_param_key] = str(state.int_value if proto.data_type == NumberInput.INT
                                                else state.double_value)
            self.query_string = urlencode(params)
        return await self._rerun(self._current_page, [state])

    async def _rerun(self, url_path: str, widgets: list[WidgetState] | None = None) -> Run:
        self._current_page = url_path
        message = BackMsg()
        client = message.rerun_script
        client.query_string = self.query_string
        client.page_name = url_path
        client.page_script_hash = self.pages.get(url_path, "")
        client.widget_states.widgets.extend(widgets or [])
        started = time.perf_counter()
        await self._socket.send(message.SerializeToString())
        run = await asyncio.wait_for(self._collect(), self.timeout_s)
        run.seconds = time.perf_counter() - started
        if run.query_string is not None:  # the app wrote the address, as a browser's address bar shows it
            self.query_string = run.query_string
        self.last = run
        self._update_shown(run, widgets or [])
        return run

    def _update_shown(self, run: Run, sent: list[WidgetState]) -> None:
        """Keep each box's value as the browser does: the server's `value` when it sets one, else what the
        user typed, else the default on the box's first appearance."""
        typed = {state.id: state for state in sent}
        for element in run.elements:
            if element.WhichOneof("type") not in BOXES:
                continue
            proto = getattr(element, element.WhichOneof("type"))
            integer = isinstance(proto, NumberInput) and proto.data_type == NumberInput.INT
            if proto.HasField("value"):
                value = proto.value
            elif proto.id in typed:
                state = typed[proto.id]
                value = getattr(state, state.WhichOneof("value"))
            elif proto.label not in self.shown:
                value = proto.default
            else:
                continue
            self.shown[proto.label] = str(int(value)) if integer else str(value)

    async def _collect(self) -> Run:
        """Read ForwardMsgs until the run finishes (a run cut short for a rerun is followed by that rerun)."""
        elements: list[Element] = []
        query_string = None
        while True:
            message = ForwardMsg()
            message.ParseFromString(await self._socket.recv())
            kind = message.WhichOneof("type")
            if kind == "navigation":
                pages = message.navigation.app_pages
                self.pages = {page.url_pathname: page.page_script_hash for page in pages}
            elif kind == "page_info_changed":
                query_string = message.page_info_changed.query_string
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                elements.append(message.delta.new_element)
            elif kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(message.script_finished)
                if message.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    elements = []  # the rerun (st.rerun, a sanitised URL) redraws the page
                    continue
                exceptions = [f"{e.exception.type}: {e.exception.message[:300]}" for e in elements
                              if e.WhichOneof("type") == "exception"]
                return Run(0.0, elements, status, query_string, exceptions)


def home_gap(seed: int, hidden: str) -> str:
    """What the home page's "Largest unit difference" must read for a URL with this seed and these hidden
    layers, computed here: the check that a session's page shows *its own* trained run."""
    from core.config import RunConfig
    from core.train import train
    from figures.labels import format_gap

    config, _ = RunConfig.from_query_params({"seed": str(seed), "hidden": hidden})
    return format_gap(train(config).symmetry_gap[0][-1])
