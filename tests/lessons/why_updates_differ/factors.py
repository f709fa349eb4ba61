"""A test helper: the factors of one hidden layer, as the tests look at them (the app uses every layer
at once through `network_factors`)."""

from __future__ import annotations

from lessons.why_updates_differ.analysis import LayerFactors, network_factors


def layer_factors(params, X, y, activation: str, layer: int = 0, l2: float = 0.0,
                  l1: float = 0.0) -> LayerFactors:
    """The factors of one hidden layer (0-based; −1 the last), as the tests below look at them."""
    n_hidden = len(params) - 1
    if not -n_hidden <= layer < n_hidden:
        raise IndexError(f"hidden layer {layer} does not exist: this network has {n_hidden} hidden layers")
    return network_factors(params, X, y, activation, l2, l1)[layer]
