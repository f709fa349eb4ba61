"""Symmetry Lab's entrypoint: `streamlit run dashboard.py` from the repository root.

Streamlit puts this script's folder on sys.path, so `core`, `figures`, `lessons` and `app` import from
the repo root as they do in the tests. The shared sidebar is drawn here, before the page runs, so its
settings survive page switches; each page then reads `app.state.current_config()`; app/state.py reads
and writes the URL.

The same file also defines `streamlit_app`, the server in front of the script (`streamlit run` finds it
by that name and serves it; Streamlit runs the script part as `__main__`). Streamlit's own server answers
an address it does not know, such as `/weight-trajectories/extra/segments`, with its page, whose scripts
and styles are asked for relative to that path and come back as that same page: a blank white page.
`app.paths.UnknownPathRedirect` sends such an address to the page it starts with, or home.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent


def main() -> None:
    """The script: page config, navigation, the sidebar, then the chosen page."""
    from app.runtime import wait_until_warm

    wait_until_warm()  # before any import: the server's warm-up may still be importing (app/runtime.py)
    import streamlit as st

    from app.downloads import export_buttons
    from app.malloc import release_free_memory
    from app.pages import HOME, LESSONS, TOOLS, PageSpec
    from app.presentation import apply_page_style
    from app.runtime import first_run_finished, use_one_blas_thread
    from app.state import draw_sidebar, finish_run
    from app.turns import page_started

    use_one_blas_thread()
    page_started()  # this run's pool tasks go after earlier pages' and before later ones' (app/turns.py)

    def _page(spec: PageSpec) -> st.Page:
        return st.Page(ROOT / spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path or None,
                       default=spec is HOME)

    st.set_page_config(page_title="Symmetry Lab", page_icon="🦋", layout="wide")
    # The menu is drawn by app/navigation.py, whose links carry the settings in their URL.
    home = _page(HOME)
    page = st.navigation({"Symmetry Lab": [home], "Lessons": [_page(spec) for spec in LESSONS],
                          "Tools": [_page(spec) for spec in TOOLS]}, position="hidden")
    export_buttons(draw_sidebar(current_page=page.url_path))  # the run as a notebook and a script
    if page is not home:
        wait_until_warm(whole=True)  # they import what the warm-up's second part imports (app/runtime.py)
    apply_page_style()
    try:
        page.run()
        finish_run()
    finally:
        release_free_memory()  # what the page freed goes back to the container (app/malloc.py)
        first_run_finished()  # the warm-up may go on (app/runtime.py)


if __name__ == "__main__":
    main()
elif __name__ != "__mp_main__":  # imported by `streamlit run` to serve the app (a worker process that
    # multiprocessing made re-run this file, app/pool.py says how that is avoided, must not serve it)
    from starlette.middleware import Middleware
    from streamlit.starlette import App

    from app.malloc import limit_arenas
    from app.paths import UnknownPathRedirect
    from app.runtime import lesson_modules, warm_up_in_background

    limit_arenas()  # before the server's threads start (app/malloc.py)
    streamlit_app = App(__file__, middleware=[Middleware(UnknownPathRedirect)])
    # Imports (the lessons' own modules too, all but their page scripts), training workers, default data:
    # the first page's part before the first visitor, the rest right after (app/runtime.py).
    warm_up_in_background(lesson_modules(ROOT))
