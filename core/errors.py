"""The engine's one error for bad settings, in a module of its own so that every part can raise it
(config, datasets, budget) without importing the others."""

from __future__ import annotations

from typing import Any


class ConfigError(ValueError):
    """A setting is outside what Symmetry Lab allows; the message names field, value and range."""

    def __init__(self, field: str, value: Any, allowed: str):
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field} = {value!r} is not allowed: {allowed}")
