"""Home lets the browser load plotly.js while it is read (app/chart_library.py): the script names the chunk
Streamlit's own loader imports, runs once per tab, and appears on Home only."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.file_util import get_static_dir

from app import chart_library
from app.pages import PAGES

STATIC_JS = Path(get_static_dir()) / "static" / "js"


def _chunk() -> str:
    chunk = chart_library.plotly_chunk_name()
    assert chunk is not None, f"no single {chart_library.CHUNK_PATTERN} in {STATIC_JS}"
    return chunk


def test_the_chunk_is_the_one_streamlits_loader_imports_beside_its_entry_script():
    chunk = _chunk()
    assert (STATIC_JS / chunk).stat().st_size > 1_000_000  # plotly.js is inside
    entry_scripts = re.findall(r'<script type="module"[^>]*src="\./static/js/([^"]+)"',
                               (Path(get_static_dir()) / "index.html").read_text())
    assert len(entry_scripts) == 1  # the script the preload resolves the chunk's address against
    loader = (STATIC_JS / entry_scripts[0]).read_text()
    assert f"import(`./{chunk}`)" in loader or f"import('./{chunk}')" in loader or \
        f'import("./{chunk}")' in loader, "Streamlit no longer imports the chunk relative to its entry"


def test_the_script_imports_that_chunk_once_per_tab_when_idle():
    chunk = _chunk()
    script = chart_library.preload_script(chunk)
    assert script.startswith("<script>") and script.endswith("</script>")
    assert f"new URL({json.dumps('./' + chunk)}, entry.src)" in script
    assert "import(address)" in script and ".catch(" in script  # a failed load changes nothing
    assert "if (window.__symmetryLabChartLibrary) return;" in script
    assert "requestIdleCallback" in script
    assert str(chart_library.IDLE_AFTER_MS) in script and str(chart_library.IDLE_TIMEOUT_MS) in script


def test_without_a_single_chunk_nothing_is_added(monkeypatch, tmp_path):
    import streamlit.file_util

    (tmp_path / "static" / "js").mkdir(parents=True)
    monkeypatch.setattr(streamlit.file_util, "get_static_dir", lambda: str(tmp_path))
    chart_library.plotly_chunk_name.cache_clear()
    try:
        assert chart_library.plotly_chunk_name() is None
        for name in ("PlotlyChart.a.js", "PlotlyChart.b.js"):  # two builds side by side: which one?
            (tmp_path / "static" / "js" / name).write_text("")
        chart_library.plotly_chunk_name.cache_clear()
        assert chart_library.plotly_chunk_name() is None
    finally:
        chart_library.plotly_chunk_name.cache_clear()


def _preloads(at) -> list:
    return [element for element in at.get("html") if "__symmetryLabChartLibrary" in element.proto.body]


def test_home_carries_the_script_with_javascript_allowed(open_app):
    at = open_app()
    assert not at.exception
    [element] = _preloads(at)
    assert element.proto.unsafe_allow_javascript
    assert element.proto.body == chart_library.preload_script(_chunk())


@pytest.mark.parametrize("spec", [spec for spec in PAGES if spec.url_path], ids=lambda spec: spec.url_path)
def test_lessons_do_not_carry_it(open_app, spec):
    at = open_app(spec.path)
    assert not at.exception
    assert _preloads(at) == []
