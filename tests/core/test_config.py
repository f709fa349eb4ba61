"""RunConfig: validation names the field and the range, the URL form round-trips, bad URLs never raise."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.budget import MAX_COST_SECONDS, estimated_seconds, max_epochs
from core.config import FIELDS, ConfigError, RunConfig, parse_hidden, url_form


def test_defaults_are_the_documented_lesson_defaults():
    config = RunConfig()
    assert (config.dataset, config.n_samples, config.noise) == ("moons", 400, 0.2)
    assert (config.hidden, config.activation, config.initializer) == ((8,), "tanh", "glorot_uniform")
    assert (config.optimizer, config.learning_rate, config.epochs, config.seed) == ("gd", 0.5, 500, 0)


def test_every_field_has_a_spec_and_the_specs_cover_every_field():
    assert set(FIELDS) == {f.name for f in dataclasses.fields(RunConfig)}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"dataset": "mnist"}, "dataset"),
        ({"activation": "gelu"}, "activation"),
        ({"learning_rate": 0.0}, "learning_rate"),
        ({"learning_rate": float("nan")}, "learning_rate"),
        ({"epochs": -1}, "epochs"),
        ({"epochs": 2.5}, "epochs"),
        ({"dropout": 1.0}, "dropout"),
        ({"hidden": (8, 0)}, "hidden"),
        ({"hidden": (8, 8, 8, 8)}, "hidden"),
        ({"hidden": "8"}, "hidden"),
        ({"seed": True}, "seed"),
        ({"symmetry": "mirror"}, "symmetry"),
    ],
)
def test_invalid_values_raise_config_error_naming_field_value_and_range(changes, field):
    with pytest.raises(ConfigError) as caught:
        RunConfig(**changes)
    assert caught.value.field == field
    message = str(caught.value)
    assert field in message and "allowed" in message


def test_error_message_lists_choices_or_range():
    with pytest.raises(ConfigError, match="one of relu, tanh, sigmoid, linear"):
        RunConfig(activation="gelu")
    with pytest.raises(ConfigError, match=r"from 0 to 0\.9"):
        RunConfig(dropout=0.95)


def test_types_are_normalised_so_equal_settings_hash_equal():
    a = RunConfig(hidden=[8, 8], epochs=100.0, learning_rate=1)
    b = RunConfig(hidden=(8, 8), epochs=100, learning_rate=1.0)
    assert a == b and hash(a) == hash(b)
    assert isinstance(a.epochs, int) and isinstance(a.learning_rate, float)


def test_compute_budget_rejects_runs_that_would_take_too_long():
    with pytest.raises(ConfigError, match="compute budget") as caught:
        RunConfig(optimizer="sgd", batch_size=1, n_samples=2000, epochs=5000)
    assert caught.value.field == "epochs"
    config = RunConfig(optimizer="sgd", batch_size=1, n_samples=2000, epochs=1)
    allowed = max_epochs(config)
    assert estimated_seconds(config.replace(epochs=allowed)) <= MAX_COST_SECONDS
    with pytest.raises(ConfigError):
        config.replace(epochs=allowed + 1)


def test_largest_networks_within_limits_are_allowed_at_default_epochs():
    RunConfig(dataset="digits", hidden=(64, 64, 64), epochs=200)
    RunConfig(n_samples=2000, hidden=(64, 64, 64), epochs=250)


def test_query_params_round_trip_every_field():
    config = RunConfig(
        dataset="spiral", n_samples=300, noise=0.35, data_seed=4, hidden=(16, 4), activation="relu",
        initializer="orthogonal", init_scale=0.25, symmetry="same_fan_in", perturbation=1e-9,
        optimizer="adam", learning_rate=0.003, momentum=0.5, epochs=300, batch_size=16, l2=0.01, l1=0.002,
        dropout=0.2, seed=11,
    )
    params = config.to_query_params()
    assert set(params) == set(FIELDS)
    assert all(isinstance(value, str) for value in params.values())
    assert params["hidden"] == "16-4"
    restored, warnings = RunConfig.from_query_params(params)
    assert warnings == [] and restored == config


def test_no_hidden_layer_round_trips():
    config = RunConfig(hidden=())
    assert config.to_query_params()["hidden"] == "none"
    assert RunConfig.from_query_params(config.to_query_params()) == (config, [])


def test_bad_query_params_fall_back_to_defaults_with_warnings():
    config, warnings = RunConfig.from_query_params(
        {"dataset": "mnist", "epochs": "lots", "learning_rate": "0.1", "hidden": "8-x", "unknown": "1"}
    )
    assert config == RunConfig(learning_rate=0.1)
    assert len(warnings) == 3
    assert any("dataset" in w and "mnist" in w for w in warnings)


def test_repeated_keys_take_the_last_value():
    config, warnings = RunConfig.from_query_params({"seed": ["1", "2"]})
    assert config.seed == 2 and warnings == []


url_text = st.one_of(
    st.text(max_size=50),
    st.sampled_from(["nan", "inf", "-inf", "1e400", "-1", "0", "1e-320", "8-8-8-8", "64-64-64", "5000"]),
    st.integers(-10**30, 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


url_value = st.one_of(url_text, st.lists(url_text, max_size=3))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([*FIELDS, "junk"]), url_value))
def test_from_query_params_never_raises(params):
    config, warnings = RunConfig.from_query_params(params)
    assert isinstance(config, RunConfig)
    assert all(isinstance(w, str) for w in warnings)


def test_a_config_near_the_budget_survives_its_own_url():
    config = RunConfig(dataset="digits", hidden=(64,), epochs=100)
    assert RunConfig.from_query_params(config.to_query_params()) == (config, [])


def test_url_over_the_budget_caps_epochs_with_a_warning():
    url = {"dataset": "digits", "hidden": "64-64-64", "epochs": "5000"}
    config, warnings = RunConfig.from_query_params(url)
    assert config.hidden == (64, 64, 64) and config.epochs == max_epochs(config) < 5000
    assert len(warnings) == 1 and "compute budget" in warnings[0]


# --- wording: hidden layers and ranges, as a teacher reads them (issue 12) -------------------------------

HIDDEN_SHAPE = "separated by '-', like 8-8"


@pytest.mark.parametrize("text", ["6_4", "+8", "８", "٨", "8,,8", "1e2", "-8", "8-", "65", "8-8-8-8", "8 8"])
def test_hidden_text_outside_the_format_is_refused_with_the_format_shown(text):
    config, warnings = RunConfig.from_query_params({"hidden": text})
    assert config.hidden == RunConfig().hidden and len(warnings) == 1
    assert HIDDEN_SHAPE in warnings[0] and "1 to 64" in warnings[0], warnings[0]


@pytest.mark.parametrize("text", ["", "  ", "none", "NONE", "0"])
def test_blank_or_none_hidden_means_no_hidden_layer(text):
    assert RunConfig.from_query_params({"hidden": text}) == (RunConfig(hidden=()), [])


@pytest.mark.parametrize(("text", "widths"), [("8-8", (8, 8)), ("8,8", (8, 8)), (" 16 - 4 ", (16, 4)),
                                              ("08", (8,))])
def test_hidden_widths_in_ascii_digits_are_read(text, widths):
    assert parse_hidden(text) == widths


@pytest.mark.parametrize("text", ["1_000", "١٢", "１２", "0x10", "inf", "nan", "1e400"])
def test_numbers_are_ascii_decimals_only(text):
    config, warnings = RunConfig.from_query_params({"seed": text})
    assert config.seed == 0 and len(warnings) == 1


def test_whole_number_ranges_are_written_in_full():
    _, warnings = RunConfig.from_query_params({"seed": "-1"})
    assert "from 0 to 2147483647" in warnings[0] and "e+" not in warnings[0]
    assert FIELDS["data_seed"].describe() == "a whole number from 0 to 2147483647"
    assert FIELDS["learning_rate"].describe() == "a number from 1e-06 to 100"


@pytest.mark.parametrize("value", [1e-4, 0.1, 1e-6, 1e-12, 0.001])
def test_every_perturbation_survives_its_url_form(value):
    config = RunConfig(perturbation=value)
    text = url_form(value)
    assert RunConfig.from_query_params({"perturbation": text}) == (config, [])


def test_with_hidden_swaps_the_layers_and_caps_epochs_only_when_the_budget_needs_it():
    from core.budget import max_epochs
    from core.config import with_hidden

    small = RunConfig(hidden=(8, 8))
    assert with_hidden(small, ()) == small.replace(hidden=())
    heavy = RunConfig(dataset="digits", hidden=(), epochs=2000)
    wide = with_hidden(heavy, (64, 64))
    assert wide.hidden == (64, 64) and wide.epochs == min(max_epochs(vars(wide)), 2000) < 2000
