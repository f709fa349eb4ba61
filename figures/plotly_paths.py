"""Plotly parses a property path such as "xaxis.title.font.size" or "marker_line_width" every time a figure
is updated with it — in every `update_layout`, `update_xaxes` and trace constructor — with regular
expressions and string splits. A page's figures use the same few hundred paths over and over, so the
parse is remembered here: the same answers, computed once per path.

Measured (py-spy, a class of 24 on `benchmarks/load_test.py`): building figures was about 40 % of the
workers' time and 94 % of that was inside Plotly, most of it `update_layout`/`update_xaxes` parsing paths;
remembering the parse took the N = 24 median step from 3.25–3.36 s to 2.89–3.11 s (same sitting).

Plotly's parser is a private function (`plotly.basedatatypes._str_to_dict_path_full`): if a Plotly release
renames it, `remember_parsed_paths` leaves Plotly as it is and figures are only slower, never different.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import plotly.basedatatypes as _basedatatypes

MAX_PATHS = 8192  # distinct paths remembered; our figures use a few hundred
_PARSER = "_str_to_dict_path_full"


def remember_parsed_paths() -> bool:
    """Replace Plotly's path parser by a remembering one (once per process); True if it is in place."""
    parse: Callable[[str], tuple[tuple[Any, ...], list[int]]] | None = getattr(_basedatatypes, _PARSER, None)
    if parse is None:
        return False
    if getattr(parse, "remembers", False):
        return True
    remembered = functools.lru_cache(maxsize=MAX_PATHS)(parse)

    def parse_once(path: str) -> tuple[tuple[Any, ...], list[int]]:
        if not isinstance(path, str):  # nothing to remember (Plotly passes tuples through)
            return parse(path)
        keys, starts = remembered(path)
        return keys, list(starts)  # the keys are a tuple; the positions a fresh list, as before

    parse_once.remembers = True  # type: ignore[attr-defined]
    parse_once.original = parse  # type: ignore[attr-defined]
    setattr(_basedatatypes, _PARSER, parse_once)
    return True
