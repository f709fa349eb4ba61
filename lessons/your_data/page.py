"""Tool: Your data — the rows every lesson learns from, as they are split and scaled; on 2-D data, a plane
where a click adds a point of a chosen class (for a counterexample built live)."""

from __future__ import annotations

import streamlit as st

from app import data_choice
from app.pages import PAGES_BY_URL
from app.presentation import chart_style, show_chart
from app.state import current_config, page_link
from core.added_points import MAX_POINTS, AddedPoint, PointsData
from core.custom_data import lookup
from core.datasets import load_dataset
from lessons.your_data.figures import plane_figure, rows_figure
from lessons.your_data.text import cannot_click_sentence, classes_sentence, inputs_sentence, split_sentence

CLASS_KEY = "yours_class"
PLANE_KEY = "yours_plane"

config = current_config()
style = chart_style()
data = load_dataset(config)
made = lookup(config.dataset)
added = made.points if isinstance(made, PointsData) else ()

st.title("Your data")
st.markdown(
    "*Which rows does every lesson learn from?* The data chosen in the sidebar, as the lessons see it. "
    "On data with two inputs and classes, click the plane to add a point — a counterexample, live."
)


def _clicked() -> None:
    """on_select of the plane: a click selected the nearest grid marker (or row); add a point there."""
    event = st.session_state.get(PLANE_KEY) or {}
    picked = (event.get("selection") or {}).get("points") or []
    if picked:
        chosen = st.session_state.get(CLASS_KEY) or 0
        data_choice.add_point(AddedPoint(round(float(picked[0]["x"]), 3), round(float(picked[0]["y"]), 3),
                                         int(chosen)))


clickable = data.is_2d and data.task == "classification"
if clickable:
    classes = list(range(data.n_classes))
    if st.session_state.get(CLASS_KEY) not in classes:
        st.session_state[CLASS_KEY] = 0
    picker, undo, reset = st.columns([2, 1, 1], vertical_alignment="bottom")
    with picker:
        chosen = st.segmented_control("Class of the next point", classes, key=CLASS_KEY,
                                      format_func=lambda label: data.class_names[label],
                                      help="Each click on the plane adds one training row of this class.")
    undo.button("Undo", on_click=data_choice.undo_point, disabled=not added, width="stretch",
                icon=":material/undo:", help="Remove the last point added.")
    reset.button("Remove all", on_click=data_choice.reset_points, disabled=not added, width="stretch",
                 icon=":material/restart_alt:", help="Remove every point added to this data set.")
    st.plotly_chart(plane_figure(data, added, 0 if chosen is None else chosen, style), key=PLANE_KEY,
                    on_select=_clicked, selection_mode="points", theme=None, width="stretch",
                    config={"displayModeBar": False})
    if len(added) >= MAX_POINTS:
        st.warning(f"{MAX_POINTS} points are added, the most this page takes: undo some to add others.")

st.markdown(data_choice.source_sentence())
first, second, third, fourth = st.columns(4)
first.metric("Training rows", f"{len(data.y_train):,}")
second.metric("Test rows", f"{len(data.y_test):,}")
third.metric("Inputs", data.n_features)
fourth.metric("Points added", len(added), help=f"At most {MAX_POINTS}, by clicking the plane.")
st.markdown(split_sentence(data, len(added)))
st.markdown(classes_sentence(data) + " " + inputs_sentence(data))
if clickable:
    page_link(PAGES_BY_URL["weight-trajectories"],
              "Watch the network learn these rows: **Weight trajectories**")
else:
    st.info(cannot_click_sentence(data), icon=":material/info:")
    show_chart(rows_figure(data, style))
