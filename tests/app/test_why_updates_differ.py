"""The "Why the updates differ" lesson headless (AppTest): every start, dropout on and off, one-click flip to
the identical start, page controls in the URL, and the awkward networks (none, one unit, 64 inputs, three
layers, diverged) — never an exception, and every sentence backed by the numbers it prints."""

from __future__ import annotations

import json

import pytest

from tests.app.conftest import chart_specs, errors, html_tables

PAGE = "lessons/why_updates_differ/page.py"
SEEING = "**What you are seeing.**"


def seeing(at) -> str:
    (text,) = [m.value for m in at.markdown if m.value.startswith(SEEING)]
    return text


def tables(at) -> list[list[list[str]]]:
    """Every markdown table on the page as rows of cells (header and separator dropped)."""
    found = []
    for m in at.markdown:
        lines = [line for line in m.value.splitlines() if line.startswith("|")]
        if len(lines) > 2:
            found.append([[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]])
    return found


def captions(at) -> str:
    return " ".join(c.value for c in at.caption)


EXPECTED = {  # start → what the page must say, computed on screen
    "none": "Both factors that belong to the units differ",
    "identical": "get **exactly the same gradient** at epoch 0: largest difference **0.0**",
    "same_fan_in": "The only factor that differs is the **signal v·δ**",
    "same_fan_out": "The only factor that differs is the **slope σ'(z)**",
}


@pytest.mark.parametrize("symmetry", list(EXPECTED))
def test_each_start_points_at_the_factor_that_differs(open_app, symmetry):
    at = open_app(PAGE, symmetry=symmetry)
    assert errors(at) == []
    assert len(chart_specs(at)) == 2  # the factors, the steps
    text = seeing(at)
    assert EXPECTED[symmetry] in text
    factor_table = tables(at)[0]
    differences = [row[-1] for row in factor_table]
    if symmetry == "identical":
        assert set(differences) == {"0.0"}  # equal number for number
        assert all(row[1] == row[2] for row in factor_table)
        assert "still exact copies" in text
    else:
        assert "100%" in text if symmetry != "none" else "%" in text
        marked = [row[0] for row in factor_table if "of the difference" in row[0]]
        assert len(marked) == 1
        assert ("outgoing weight" in marked[0]) == (symmetry in ("none", "same_fan_in"))
    if symmetry == "same_fan_in":  # same incoming weights: equal slopes, different v
        slope_row = next(row for row in factor_table if row[0].startswith("mean slope"))
        assert slope_row[-1] == "0.0"


@pytest.mark.parametrize("symmetry", ["none", "identical"])
def test_dropout_is_left_out_and_said_so(open_app, symmetry):
    at = open_app(PAGE, symmetry=symmetry, dropout="0.3", optimizer="sgd", epochs="40")
    assert errors(at) == []
    assert "Dropout 0.3 is on" in captions(at) and "no mask" in captions(at)
    assert "(training used minibatches)" in captions(at)
    text = seeing(at)
    if symmetry == "identical":
        assert "exactly the same gradient" in text and "dropout's per-unit masks broke the tie" in text
    else:
        assert "different gradients" in text


def test_one_click_flips_to_the_identical_start(open_app):
    # (AppTest does not write bound widgets back to the URL; the browser test checks ?updates_start.)
    at = open_app(PAGE)
    assert "different gradients" in seeing(at)
    assert [b.key for b in at.button_group] == ["updates_start"]
    at.button_group(key="updates_start").set_value("identical").run()
    assert errors(at) == []
    assert "exactly the same gradient" in seeing(at)
    assert "every hidden unit began as a copy of unit 1" in captions(at)
    assert at.session_state["symmetry"] == "none"  # the sidebar was not touched


def test_page_controls_come_from_the_url(open_app):
    at = open_app(PAGE, updates_start="Identical", updates_unit_a="unit 3", updates_unit_b="unit 7",
                  updates_epoch="500", updates_sample="12", projector="true")
    assert errors(at) == []
    assert at.selectbox(key="updates_unit_a").value == 2 and at.selectbox(key="updates_unit_b").value == 6
    assert at.select_slider(key="updates_epoch").value == 500
    assert at.select_slider(key="updates_sample").value == 11
    assert seeing(at).startswith(f"{SEEING} Unit 3 and unit 7 get **exactly the same gradient** at epoch 500")
    factor_spec = json.loads(chart_specs(at)[0])
    assert factor_spec["layout"]["font"]["size"] == 20  # projector mode


def test_the_same_unit_twice_compares_with_the_next_one(open_app):
    at = open_app(PAGE, updates_unit_a="unit 4", updates_unit_b="unit 4")
    assert errors(at) == []
    assert "comparing unit 4 with unit 5 instead" in captions(at)
    assert seeing(at).startswith(f"{SEEING} Unit 4 and unit 5")


def test_no_hidden_layer_explains_and_shows_the_output_gradient(open_app):
    at = open_app(PAGE, hidden="none")
    assert errors(at) == []
    assert "no hidden layer" in at.info[0].value
    (spec,) = chart_specs(at)
    assert "no hidden units to compare" in json.loads(spec)["layout"]["title"]["text"]


def test_a_single_unit_has_nothing_to_compare(open_app):
    at = open_app(PAGE, hidden="1")
    assert errors(at) == []
    assert "**a single unit**: there is nothing to compare" in seeing(at)
    assert [w.key for w in at.selectbox if w.key.startswith("updates_")] == ["updates_unit_a"]
    assert len(tables(at)[0][0]) == 2  # a label and one unit, no difference column


def test_digits_tables_stay_readable(open_app):
    at = open_app(PAGE, dataset="digits", hidden="16", epochs="60")
    assert errors(at) == []
    factor_table, sample_table, _ = tables(at)
    assert len(factor_table) <= 9
    assert any("all 64" in row[0] for row in factor_table)
    input_row = sample_table[0]
    assert "(64 values)" in input_row[1] and len(input_row[1]) < 80
    assert "signal Σₖ vₖδₖ" in seeing(at)  # ten classes: softmax, so the signal is a sum


def test_three_layers_answer_whether_layers_differ(open_app):
    at = open_app(PAGE, dataset="iris", hidden="6-5-4", activation="relu", updates_layer="layer 2")
    assert errors(at) == []
    assert at.button_group(key="updates_layer").value == 1
    layer_table = tables(at)[-1]
    assert [row[0] for row in layer_table] == ["layer 1", "layer 2", "layer 3"]
    assert [row[3] for row in layer_table] == ["3", "2", "1"]  # σ' factors in each layer's δ
    assert [row[2] for row in layer_table] == ["x (the data)", "outputs of layer 1", "outputs of layer 2"]
    answer = next(m.value for m in at.markdown if m.value.startswith("**Do units in different layers"))
    assert "layer 1's δ carries **3** σ' factors, layer 3's **1**" in answer
    assert f"RMS δ here: {layer_table[0][5]} vs {layer_table[2][5]}" in answer
    assert len(at.latex) == 2


def test_a_diverged_run_shows_the_error_and_what_exists(open_app):
    at = open_app(PAGE, activation="linear", initializer="he_normal", learning_rate="2", epochs="400",
                  hidden="32-32")
    assert errors(at) == []
    assert "diverged" in at.error[0].value
    last = at.select_slider(key="updates_epoch").options[-1]
    at.select_slider(key="updates_epoch").set_value(int(last)).run()
    assert errors(at) == []
    assert "diverged" in at.error[0].value
    assert SEEING in seeing(at)


@pytest.mark.parametrize("start", ["Sidebar", "Identical"])
def test_the_backprop_check_section_renders(open_app, start):
    at = open_app(PAGE, updates_start=start)
    assert errors(at) == []
    assert any(h.value == "Is it backprop's fault?" for h in at.subheader)
    texts = " ".join(m.value for m in at.markdown)
    assert "significant digits" in texts
    assert "the tie breaks because of **when** the updates are applied" in texts
    if start == "Identical":  # epoch 0 of the identical start: units 1 and 2 are copies
        assert "**equal number for number** (largest difference **0.0**)" in texts
    else:
        assert "**not copies** here" in texts
    gradients, gaps = html_tables(at)[-2:]
    assert len(gradients["parameter"]) == 2 + 1 + 1  # moons: two inputs, the bias, one output
    assert set(gaps["all at once"]) == {"0.0"} and gaps["one unit at a time"][-1] != "0.0"


def test_the_worked_example_scenario_shows_the_formulas_with_live_numbers(open_app):
    at = open_app("lessons/why_updates_differ/page.py",
                  scenario="The worked example: tanh units, squared loss")
    assert errors(at) == []
    latex = [block.value for block in at.latex]
    assert any(r"(h_{1}^2 - 1)" in block and r"(h_{2}^2 - 1)" in block for block in latex)
    seeing = [m.value for m in at.markdown if "they differ only in V" in m.value]
    assert len(seeing) == 1 and ("exactly" in seeing[0] or "round-off" in seeing[0])
    at.segmented_control(key="updates_notation").set_value("esl").run()
    assert errors(at) == []
    latex = [block.value for block in at.latex]
    assert any(r"\alpha_{11}" in block and r"\beta_{2}" in block for block in latex)
    assert any(r"\alpha_{mp} = w_{pm}" in block for block in latex)


def test_a_classification_run_says_what_the_worked_example_needs(open_app):
    at = open_app("lessons/why_updates_differ/page.py")
    assert errors(at) == []
    assert any("The worked example: tanh units, squared loss" in c.value for c in at.caption)


@pytest.mark.parametrize("dataset", ["moons", "digits"])
def test_the_backprop_tables_are_html_on_a_projector_and_say_when_cut(open_app, dataset):
    at = open_app("lessons/why_updates_differ/page.py", projector="true", dataset=dataset, hidden="8",
                  updates_start="Identical")
    assert errors(at) == []
    tables = html_tables(at)
    assert len(tables) == 2  # the gradient table and the gap table, as HTML
    cut = [c.value for c in at.caption if "switch projector mode off" in c.value]
    assert bool(cut) == (dataset == "digits")
    assert len(tables[0]["parameter"]) == (12 if dataset == "digits" else 4)  # digits: the first 12 rows
