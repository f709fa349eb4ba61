""""Many seeds, one solution" headless (Streamlit's AppTest): defaults, the page controls through the URL,
and the configurations that must never crash it (no hidden layer, width 1, three layers, digits, diverged
seeds, a network over the compute budget)."""

from __future__ import annotations

import json

from tests.app.conftest import chart_specs, errors, html_tables

PAGE = "lessons/many_seeds/page.py"



def _titles(at, separator: str = " ") -> str:
    """The charts' titles as a reader sees them: a title wrapped to its chart's width reads as one line."""
    return separator.join(json.loads(spec)["layout"]["title"]["text"].replace("<br>", " ")
                          for spec in chart_specs(at))

def _metrics(at) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def _text(at) -> str:
    return "\n".join(element.value for element in [*at.markdown, *at.caption, *at.info, *at.warning,
                                                   *at.error])


def _seeing(at) -> str:
    lines = [m.value for m in at.markdown if m.value.startswith("**What you are seeing.**")]
    assert len(lines) == 1, "exactly one 'What you are seeing' line"
    return lines[0]


def test_defaults_show_losses_weights_alignment_and_the_contrast(open_app):
    at = open_app(PAGE)
    assert errors(at) == []
    specs = [json.loads(spec) for spec in chart_specs(at)]
    assert len(specs) == 6  # losses, distances, heat map, pairing, straight line, boundaries
    titles = _titles(at, " | ")
    for expected in ("Final test loss", "Distance from seed 0's weights", "Which unit of seed 1",
                     "straight line", "Decision boundaries of all 8 seeds"):
        assert expected in titles
    metrics = _metrics(at)
    assert {"Test-loss spread", "Weight spread", "… reordered", "Barrier, reordered"} <= set(metrics)
    assert float(metrics["… reordered"]) < float(metrics["Weight spread"])
    seeing = _seeing(at)
    assert "The 8 seeds end at test losses" in seeing and "loss barrier goes from" in seeing
    assert "reaches **the same weights**" in _text(at)  # logistic regression, default data
    assert [w.key for w in at.get("button_group")] == ["seeds_count", "seeds_model"]


def test_no_hidden_layer_is_one_click(open_app):
    at = open_app(PAGE)
    at.get("button_group")[1].set_value("logistic").run()  # the "Model" control
    assert errors(at) == []
    metrics = _metrics(at)
    assert metrics["… reordered"] == "—"
    assert "e-" in metrics["Weight spread"]  # ~1e-6: the same weights
    assert "no units to reorder" in _seeing(at)


def test_sidebar_without_hidden_layer_compares_with_eight_units(open_app):
    at = open_app(PAGE, hidden="none")
    assert errors(at) == []
    assert "puts back one hidden layer of 8 units" in _text(at)
    assert "Hidden 8: weight spread" in _metrics(at)


def test_sixteen_seeds_and_another_pair_through_the_url(open_app):
    at = open_app(PAGE, seeds_count="16", seeds_pair="seed 5")
    assert errors(at) == []
    assert "The 16 seeds end" in _seeing(at)
    titles = _titles(at)
    assert "Which unit of seed 5 matches each unit of seed 0" in titles
    assert "Decision boundaries of all 16 seeds" in titles


def test_three_hidden_layers_match_every_layer(open_app):
    at = open_app(PAGE, hidden="6-6-6", seeds_layer="layer 3", seeds_count="4")
    assert errors(at) == []
    titles = _titles(at)
    assert "hidden layer 3" in titles
    table = html_tables(at)[0]
    assert list(table["weights"]) == ["into hidden layer 1", "into hidden layer 2", "into hidden layer 3",
                                      "into the output"]


def test_width_one(open_app):
    at = open_app(PAGE, hidden="1", seeds_count="4")
    assert errors(at) == []
    assert len(chart_specs(at)) == 6


def test_digits_has_no_plane_and_stays_in_budget(open_app):
    at = open_app(PAGE, dataset="digits", hidden="16", epochs="100")
    assert errors(at) == []
    text = _text(at)
    assert "64 inputs, so there is no input plane" in text
    titles = _titles(at)
    assert "Test points classified like seed 0" in titles


def test_over_budget_trains_fewer_seeds_and_says_so(open_app):
    at = open_app(PAGE, n_samples="2000", hidden="64", epochs="400", seeds_count="16")
    assert errors(at) == []
    notes = [info.value for info in at.info]
    assert any("compute budget, so this page trains" in note for note in notes), notes
    assert "The 16 seeds end" not in _seeing(at)


def test_some_seeds_diverge(open_app):
    at = open_app(PAGE, activation="linear", initializer="he_normal", learning_rate="2", hidden="16-16",
                  epochs="400")
    assert errors(at) == []
    warnings = " ".join(w.value for w in at.warning)
    assert "seeds diverged" in warnings and "left out of every number" in warnings
    assert chart_specs(at)


def test_every_seed_diverges(open_app):
    at = open_app(PAGE, activation="linear", initializer="he_normal", learning_rate="10", hidden="8",
                  epochs="400", seeds_count="4")
    assert errors(at) == []
    assert any("nothing to compare" in e.value for e in at.error)
    assert len(chart_specs(at)) == 1


# --- regression sets (plane, gaussians, diabetes) ---------------------------------------------------------

def _page_words(at) -> str:
    """Every word the page itself shows: sentences, captions, notes, metrics (label, value, delta, help)
    and the charts' specs (titles, axes, hovers)."""
    metrics = [f"{m.label} {m.value} {m.proto.body} {m.help}" for m in at.metric]
    return "\n".join([_text(at), *metrics, *chart_specs(at)])


def _regression_page(open_app, dataset: str, **settings: str):
    at = open_app(PAGE, dataset=dataset, **settings)
    assert errors(at) == []
    words = _page_words(at)
    assert "squared error" in words and "R²" in words
    assert "accuracy" not in words.lower() and "log loss" not in words
    assert "**Do we need a grid search over seeds?**" in _text(at)
    return at


def test_plane_regression_shows_prediction_contours_and_r2(open_app):
    at = _regression_page(open_app, "plane")
    titles = _titles(at)
    assert "Prediction contours of all 8 seeds" in titles and "Decision boundaries" not in titles
    seeing = _seeing(at)
    assert "(squared error)" in seeing and "test R² from" in seeing
    assert "two seeds' predictions differ by RMS" in _text(at)


def test_gaussians_regression_contrast_is_linear_regression(open_app):
    at = _regression_page(open_app, "gaussians")
    text = _text(at)
    assert "This is linear regression" in text and "separable" not in text
    assert "Prediction contours" in " ".join(chart_specs(at))


def test_diabetes_regression_compares_test_predictions(open_app):
    at = _regression_page(open_app, "diabetes")
    text = _text(at)
    assert "10 inputs, so there is no input plane to draw the prediction contours in" in text
    titles = _titles(at)
    assert "Test predictions compared with seed 0's" in titles


def test_diabetes_without_hidden_layer_at_a_learning_rate_that_trains(open_app):
    at = _regression_page(open_app, "diabetes", learning_rate="0.1", hidden="none")
    assert _metrics(at)["… reordered"] == "—"
    assert "linear regression" in _text(at)


def test_plane_without_hidden_layer_reaches_one_answer(open_app):
    at = _regression_page(open_app, "plane", hidden="none")
    text = _text(at)
    assert "reaches **the same weights**" in text and "strictly convex" in text
    assert "nothing to search over" in text
