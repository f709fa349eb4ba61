"""The lesson's sentence and tables are built from the numbers: check the wording follows them."""

from __future__ import annotations

import numpy as np

from core.config import RunConfig
from core.datasets import load_dataset
from core.initializers import init_params
from lessons.why_updates_differ.analysis import compare_units, network_factors
from lessons.why_updates_differ.text import (
    factor_rows,
    format_number,
    markdown_table,
    sample_rows,
    seeing_text,
)


def _factors(symmetry: str):
    config = RunConfig(n_samples=80, hidden=(4,), symmetry=symmetry)
    data = load_dataset(config)
    params = init_params(config, np.random.default_rng(0))
    return network_factors(params, data.X_train, data.y_train, config.activation)[0], data


def test_identical_units_read_as_exactly_the_same_gradient():
    f, _ = _factors("identical")
    text = seeing_text(f, compare_units(f, 0, 1), epoch=0, end_gap=0.0, epochs_completed=10, dropout=0.0)
    assert "**exactly the same gradient**" in text and "**0.0**" in text
    assert "still exact copies" in text


def test_random_units_read_as_different_and_the_factor_is_named():
    f, _ = _factors("none")
    comparison = compare_units(f, 0, 1)
    text = seeing_text(f, comparison, epoch=0, end_gap=1.0, epochs_completed=10, dropout=0.0)
    assert "**different gradients**" in text
    assert f"**{comparison.main.factor.title(f)}**" in text  # the page points at the factor that matters


def test_same_fan_in_units_differ_only_in_the_signal():
    f, _ = _factors("same_fan_in")
    text = seeing_text(f, compare_units(f, 0, 1), epoch=0, end_gap=1.0, epochs_completed=10, dropout=0.0)
    assert "The only factor that differs is the" in text


def test_tables_have_one_column_per_unit_and_a_difference():
    f, data = _factors("identical")
    rows = factor_rows(f, [0, 1], compare_units(f, 0, 1))
    assert all(len(row) == 4 for row in rows)
    assert all(row[3] == "0.0" for row in rows)  # identical units: every difference exactly 0
    table = markdown_table(["", "a", "b", "difference"], rows)
    assert table.count("\n") == len(rows) + 1
    assert len(sample_rows(f, 0, [0, 1], data.class_names[0])[0]) == 3
    assert (format_number(0.0), format_number(float("nan")), format_number(1234.5678)) == ("0", "nan", "1235")
