"""The engine's errors, in a module of their own so that every part can raise them without importing the
others: `ConfigError` for a bad setting (config, datasets, budget), `UploadError` for a file that cannot
be used (core.csv_table, core.uploads, core.added_points)."""

from __future__ import annotations

from typing import Any


class ConfigError(ValueError):
    """A setting is outside what Symmetry Lab allows; the message names field, value and range."""

    def __init__(self, field: str, value: Any, allowed: str):
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field} = {value!r} is not allowed: {allowed}")


class UploadError(ValueError):
    """A file Symmetry Lab cannot learn from. Its message is the sentence the user reads — what is wrong,
    where (row and column where that makes sense) and what to do — so it never needs a traceback."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)
