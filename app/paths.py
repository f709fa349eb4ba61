"""Unknown addresses land on a page that works: `/weight-trajectories/extra/segments` opens Weight
trajectories, `/lessons/home.py` opens home, `/many-seeds/..%2F` opens Many seeds.

Why they were blank: Streamlit's server answers any address it does not know with its one HTML page,
and that page loads its scripts relative to the address (`./static/js/…`). One level deep that is
`/static/js/…`, which exists; two levels deep it is `/weight-trajectories/extra/static/js/…`, which the
server also answers with the HTML page, so the browser refuses it as a script and shows white. An
address with `..%2F` in it is refused with a bare "400 Bad Request". A `.streamlit/config.toml` option
cannot change either (`server.baseUrlPath` moves every route; it does not make asset paths absolute).

The fix is this ASGI middleware, in front of Streamlit's own (dashboard.py defines the `streamlit_app` that
`streamlit run dashboard.py` serves): a GET for an address that is neither one of the app's pages nor one
of the server's own routes is redirected to the page its first segment names, or home, keeping its query
string — so the settings in a mangled link still apply, and the page says what it refused.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import quote

from app.pages import PAGES_BY_URL

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]

# The server's own routes (streamlit/web/server/starlette/starlette_routes.py, starlette_auth_routes.py),
# as leading path segments. They are left alone wherever they appear in a path: the browser looks for the
# server under the page's address first (`/many-seeds/_stcore/health`, answered 404, then `/_stcore/…`),
# and a redirect there would send it to a page instead of the server.
SERVER_ROUTES: tuple[tuple[str, ...], ...] = (
    ("_stcore",), ("static",), ("media",), ("component",), ("app", "static"), ("auth",), ("oauth2callback",),
)


def _static_root_files() -> frozenset[str]:
    """The files at the top of Streamlit's static folder (favicon.png, manifest.json, index.html)."""
    from streamlit.file_util import get_static_dir

    try:
        return frozenset(os.listdir(get_static_dir()))
    except OSError:
        return frozenset({"favicon.png", "manifest.json", "index.html"})


def _is_server_route(segments: list[str], root_files: frozenset[str]) -> bool:
    if segments[0] in root_files:
        return True
    return any(tuple(segments[start:start + len(route)]) == route
               for start in range(len(segments)) for route in SERVER_ROUTES)


def landing_path(path: str, root_files: frozenset[str] = frozenset()) -> str | None:
    """Where a GET for `path` (already percent-decoded, as ASGI gives it) should go instead, or None if
    the server should answer it as it is: "/", a page ("/many-seeds"), or one of the server's routes."""
    segments = [segment for segment in path.split("/") if segment]
    if not segments or _is_server_route(segments, root_files):
        return None
    if len(segments) == 1 and segments[0] in PAGES_BY_URL and not path.endswith("/"):
        return None
    first = segments[0]
    return f"/{quote(first)}" if first in PAGES_BY_URL else "/"


class UnknownPathRedirect:
    """ASGI middleware: redirect a GET or HEAD for an unknown address (see `landing_path`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.root_files = _static_root_files()

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD"):
            root = scope.get("root_path", "").rstrip("/")
            path = scope.get("path", "")
            target = landing_path(path[len(root):] if root and path.startswith(root) else path,
                                  self.root_files)
            if target is not None:
                query = scope.get("query_string", b"").decode("latin-1")
                await _redirect(send, root + target + (f"?{query}" if query else ""))
                return
        await self.app(scope, receive, send)


async def _redirect(send: Any, location: str) -> None:
    await send({"type": "http.response.start", "status": 302,
                "headers": [(b"location", location.encode("latin-1")), (b"cache-control", b"no-store"),
                            (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})
