"""In Chromium: Weight trajectories' charts arrive with margins Plotly's automargin keeps as they are, so
each is drawn once (figures/margins.py) — in normal and in projector mode, over odd widths, Adam with
minibatches, a deeper net's second layer, three classes and regression.

Plotly draws a chart a second time when the margins it finds differ from the ones it was sent; what it
found is the graph div's `_fullLayout._size` (plotly.js keeps it there; a test may read it)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import APP_TIMEOUT_MS, assert_healthy, wait_for_app

pytestmark = pytest.mark.e2e

SENT_AND_FOUND_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => {
  const sent = gd.layout.margin || {};
  const found = gd._fullLayout._size;
  return {title: ((gd.layout.title || {}).text || '').slice(0, 40),
          sent: ['l', 'r', 't', 'b'].map(side => sent[side] ?? null),
          found: [found.l, found.r, found.t, found.b]};
})"""


SETTINGS = {
    "defaults": "",
    "projector": "?projector=true",
    "odd-width-adam-minibatch": "?hidden=5&optimizer=adam&batch_size=16&seed=3",
    "deep-momentum-layer-2": "?dataset=circles&hidden=6-5-4&optimizer=momentum&trajectories_layer=layer+2",
    "three-classes": "?dataset=blobs&hidden=7",
    "regression-projector": "?dataset=gaussians&hidden=9&projector=true",
}


@pytest.mark.parametrize("query", SETTINGS.values(), ids=SETTINGS.keys())
def test_weight_trajectories_charts_are_drawn_once(page, app_server, query):
    page.goto(f"{app_server}/weight-trajectories{query}", timeout=APP_TIMEOUT_MS)
    wait_for_app(page)
    assert_healthy(page)
    charts = page.evaluate(SENT_AND_FOUND_JS)
    assert len(charts) == 5
    redrawn = [chart for chart in charts if any(sent is None or found > sent + 0.5
                                                for sent, found in zip(chart["sent"], chart["found"]))]
    assert redrawn == [], f"Plotly widened these charts' margins, so it drew them twice: {redrawn}"
