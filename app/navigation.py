"""The sidebar's page links, each carrying the settings in its URL.

Streamlit's own sidebar menu keeps only the query parameters of widgets bound to the URL when it switches
pages; the sidebar's widgets are not bound (app/state.py owns the URL), so that menu would open every page
without its settings — and the browser would keep that bare address in its history, where Back leads. So
st.navigation's menu is hidden (dashboard.py) and drawn here instead, as st.page_link rows whose
`query_params` are the settings: a click opens the page with its whole address at once, one history
entry, even when clicks come faster than the page runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from app.pages import HOME, LESSONS, TOOLS, PageSpec

SECTIONS: tuple[tuple[str, tuple[PageSpec, ...]], ...] = (("Symmetry Lab", (HOME,)), ("Lessons", LESSONS),
                                                           ("Tools", TOOLS))


def draw_navigation(query_for: Callable[[PageSpec], Mapping[str, str]]) -> None:
    """The page menu, in the sidebar: one link per page, `query_for(page)` as its query string."""
    with st.sidebar.container(key="page_menu"):
        for section, pages in SECTIONS:
            st.caption(section)
            for spec in pages:
                st.page_link(spec.path, label=spec.title, icon=spec.icon, query_params=dict(query_for(spec)))
