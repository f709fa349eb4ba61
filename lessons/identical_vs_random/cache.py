"""Cached work of the "Identical vs random start" lesson: the loss landscape around a tie, computed once per
setting and shared by every session (a rerun, or a class on one link, only re-draws it)."""

from __future__ import annotations

import streamlit as st

from core.config import RunConfig
from lessons.identical_vs_random.landscape import Landscape, landscape


@st.cache_data(max_entries=16, show_spinner=False)
def tie_landscape(config: RunConfig, layer: int) -> Landscape:
    """`landscape.landscape` of units 1 and 2 of hidden layer `layer` (0.05 s on the default settings,
    about a second on digits with wide layers: worth keeping across reruns)."""
    return landscape(config, layer)
