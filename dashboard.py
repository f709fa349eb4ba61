"""Symmetry Lab's entrypoint: `streamlit run dashboard.py` from the repository root.

Streamlit puts this script's folder on sys.path, so `core` and `ui` import from the repo root exactly as
they do in the tests. The shared sidebar is drawn here, before the page runs, so its settings survive
page switches; each page then reads `ui.state.current_config()`.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.pages import HOME, LESSONS, PageSpec
from ui.presentation import apply_page_style
from ui.runtime import use_one_blas_thread
from ui.state import draw_sidebar

ROOT = Path(__file__).resolve().parent
use_one_blas_thread()


def _page(spec: PageSpec) -> st.Page:
    return st.Page(ROOT / spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path or None,
                   default=spec is HOME)


st.set_page_config(page_title="Symmetry Lab", page_icon="🦋", layout="wide")
page = st.navigation({"Symmetry Lab": [_page(HOME)], "Lessons": [_page(spec) for spec in LESSONS]})
draw_sidebar(current_page=page.url_path)
apply_page_style()
page.run()
