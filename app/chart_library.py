"""plotly.js, loaded while a tab shows Home, so the first lesson the tab opens does not wait for it.

Streamlit's browser code draws Plotly charts with a chunk of its own (`static/js/PlotlyChart.<hash>.js`,
plotly.js inside, 4.7 MB) that it imports the first time a page in the tab shows a chart. Fetching and
evaluating it took ~1.1–1.4 s of the browser's main thread in Chromium, all of it on the click that
opened that first lesson (benchmarks/draw_time.py, "first switch"). Home has no Plotly chart, so a class's
first page loads without it (figures/network_diagram.py); this script then imports the same chunk once
Home is drawn and the browser is idle. A browser keeps one copy of a module per address, so when the
lesson asks for the chunk it is already evaluated.

The script only warms the browser's module cache: nothing is drawn, and if the chunk cannot be found
(another Streamlit build) or fails to load, Home is unchanged and the lesson loads it as before.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import streamlit as st

CHUNK_PATTERN = "PlotlyChart.*.js"
IDLE_AFTER_MS = 1000  # Home's own widgets load their code first
IDLE_TIMEOUT_MS = 4000  # load it by then even if the browser never reports idle

# Resolved against Streamlit's own entry script, the way its loader resolves `import('./PlotlyChart…')`,
# so both name the same address under any `server.baseUrlPath`. Runs once per tab (reruns of Home
# re-render the element, and Streamlit does not run an unchanged script twice, but a flag keeps it so).
_SCRIPT = """<script>
(() => {
  if (window.__symmetryLabChartLibrary) return;
  window.__symmetryLabChartLibrary = true;
  const entry = document.querySelector('script[type="module"][src*="static/js/"]');
  if (!entry) return;
  const address = new URL(%(chunk)s, entry.src).href;
  const whenIdle = window.requestIdleCallback || (callback => setTimeout(callback, 1));
  setTimeout(() => whenIdle(() => import(address).catch(() => {}), {timeout: %(timeout)d}), %(after)d);
})();
</script>"""


@functools.cache
def plotly_chunk_name() -> str | None:
    """The file name of Streamlit's Plotly chunk in its static folder, or None if there is not exactly one."""
    from streamlit.file_util import get_static_dir

    matches = sorted(path.name for path in (Path(get_static_dir()) / "static" / "js").glob(CHUNK_PATTERN))
    return matches[0] if len(matches) == 1 else None


def preload_script(chunk: str) -> str:
    """The page script that imports `chunk` (a file name beside Streamlit's entry script) when idle."""
    return _SCRIPT % {"chunk": json.dumps(f"./{chunk}"), "after": IDLE_AFTER_MS, "timeout": IDLE_TIMEOUT_MS}


def preload_chart_library() -> None:
    """Let the browser load plotly.js in the background (call at the end of a page without charts)."""
    chunk = plotly_chunk_name()
    if chunk is not None:
        st.html(preload_script(chunk), unsafe_allow_javascript=True)
