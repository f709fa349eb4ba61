"""The worked example: the question's formula, with live numbers, equals the engine's gradient entries."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from core.config import RunConfig
from core.datasets import load_dataset
from core.train import train
from lessons.why_updates_differ.worked_example import applies, formula_value, worked_example
from lessons.why_updates_differ.worked_text import MAPPING, sentence, substituted, symbolic

WORKED = RunConfig(dataset="plane", hidden=(2,), activation="tanh", optimizer="sgd", batch_size=1,
                   learning_rate=0.05, epochs=60)


def network(config: RunConfig, snapshot: int = 0):
    history = train(config)
    data = load_dataset(config)
    return history.params_at(snapshot), data


@pytest.mark.parametrize(("dataset", "width", "activation", "snapshot"), [
    *itertools.product(["plane", "gaussians"], [2, 3, 7], ["tanh", "sigmoid", "relu", "linear"], [0, -1]),
    ("diabetes", 10, "tanh", 0), ("diabetes", 5, "relu", -1),
])
def test_the_formula_equals_the_engines_entries_to_1e_12(dataset, width, activation, snapshot):
    config = WORKED.replace(dataset=dataset, hidden=(width,), activation=activation)
    params, data = network(config, snapshot)
    assert applies(params, data.task)
    for sample in (0, 5, len(data.y_train) - 1):
        for input_index in range(min(data.n_features, 3)):
            units = [0, width - 1]
            example = worked_example(params, data.X_train, data.y_train, activation, sample, units,
                                     input_index)
            assert example.largest_disagreement <= 1e-12 * max(1.0, max(abs(u.engine) for u in example.units))
            assert example.t == data.y_train[sample] and example.x == data.X_train[sample, input_index]


def test_tanh_formula_is_the_questions_and_the_generic_one_agrees_for_tanh():
    v, t, o, x, h = 0.4, 1.2, 0.3, -0.7, 0.55
    assert formula_value(v, t, o, x, h, 1 - h * h, "tanh") == 2 * v * (t - o) * x * (h * h - 1)
    assert formula_value(v, t, o, x, h, 1 - h * h, "sigmoid") == pytest.approx(
        formula_value(v, t, o, x, h, 1 - h * h, "tanh"), rel=1e-15)


def test_random_units_differ_only_in_v_and_h_and_the_sentence_says_so():
    params, data = network(WORKED)
    example = worked_example(params, data.X_train, data.y_train, "tanh", 3, [0, 1])
    a, b = example.units
    assert a.v != b.v and a.h != b.h and a.formula != b.formula
    text = sentence(example)
    assert "differ only in V" in text and "equal**" not in text
    assert f"{a.formula:.4g}".replace("-", "") in text.replace("-", "")


def test_copies_get_equal_updates_and_the_sentence_says_so():
    params, data = network(WORKED.replace(symmetry="identical"))
    example = worked_example(params, data.X_train, data.y_train, "tanh", 3, [0, 1])
    a, b = example.units
    assert a.v == b.v and a.h == b.h and a.engine == b.engine and a.formula == b.formula
    assert example.updates_equal and "**equal**" in sentence(example)


def test_latex_in_both_notations_names_the_chosen_units():
    params, data = network(WORKED.replace(hidden=(5,)))
    example = worked_example(params, data.X_train, data.y_train, "tanh", 0, [1, 4])
    app, esl = symbolic(example, "app"), symbolic(example, "esl")
    assert "W_{12}" in app and "W_{15}" in app and "h_{2}^2 - 1" in app
    assert r"\alpha_{21}" in esl and r"\beta_{5}" in esl and "Z_{5}^2" in esl
    assert substituted(example, "app").count("=") == 2 and r"\beta" not in substituted(example, "esl")
    assert r"\alpha_{mp} = w_{pm}" in MAPPING


def test_classification_and_deeper_networks_are_not_the_example():
    params, data = network(RunConfig(epochs=5))
    assert not applies(params, data.task)
    deep, data = network(WORKED.replace(hidden=(3, 3), epochs=5))
    assert not applies(deep, data.task)
    with pytest.raises(ValueError, match="one hidden layer"):
        worked_example(deep, data.X_train, data.y_train, "tanh", 0, [0, 1])
    assert np.isfinite(data.y_train).all()
