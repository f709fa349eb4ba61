"""Cached training, keyed by the frozen RunConfig.

One cache shared by every session: on a small shared server, thirty students opening the same lesson
trigger one training run, not thirty. The cache is bounded (`max_entries`) because each History holds up
to ~8 MB of weight snapshots and the container has about 1 GB. Streamlit hashes a dataclass argument by
its fields, so equal configs hit the same entry and any changed setting trains anew.
"""

from __future__ import annotations

import streamlit as st

from core.config import RunConfig
from core.train import History, train

MAX_CACHED_RUNS = 16


@st.cache_data(max_entries=MAX_CACHED_RUNS, show_spinner="Training the network…")
def train_run(config: RunConfig) -> History:
    """`core.train.train(config)`, computed once per distinct config and then served from the cache."""
    return train(config)
