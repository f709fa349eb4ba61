"""Your own data, as UI state: the "Your CSV…" choice of the Dataset menu with its file uploader and column
choices, and the points added on the Your data page.

This is the data's part of the session's state, kept beside app/state.py (the one reader and writer of the
URL), which asks `config_dataset` for the dataset a RunConfig names. How the pieces fit:

- **The Dataset menu** holds a built-in name or `UPLOAD_CHOICE`. With `UPLOAD_CHOICE` the sidebar shows a
  file uploader and column choices; the file is parsed and checked in core (core.csv_table,
  core.uploads), and valid data is registered under its content name ("upload-3f2a…",
  core.custom_data). The session keeps that object, so the data lives as long as the session uses it.
  Without a usable file the pages show the default data and say so.
- **Added points** belong to the data set they were added to (a built-in name or an upload's name): while
  that set is chosen, the RunConfig names the set with the points added (core.added_points), again by
  content. Changing the points count, the noise or the data seed keeps the points on the new rows.
- **The URL** holds the RunConfig's dataset name like any setting, but a name is not the file: a link
  opened in another session (or after a restart) falls back to the default data with a note (core.config
  refuses such a name in a URL). Only this session's own data — its upload, or points it added — is taken
  back from the address (Back and Forward).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import streamlit as st

from core import custom_data
from core.added_points import MAX_POINTS, AddedPoint, PointsData, with_points
from core.csv_table import MAX_BYTES, MAX_COLUMNS, MAX_FEATURES, MAX_ROWS, Table, count, parse_table
from core.datasets import DATASETS, Dataset, dataset_title, load_dataset
from core.errors import ConfigError, UploadError
from core.plain_text import plain_text
from core.uploads import ColumnChoice, UploadedData, build_upload, default_choice, looks_like_labels

UPLOAD_CHOICE = "Your CSV…"
DEFAULT_DATASET = "moons"  # RunConfig's default
FILE_KEY = "upload_file"
TARGET_KEY = "upload_target"
FEATURES_KEY = "upload_features"
LABEL_KEY = "upload_is_label"
CHOICE_KEYS = (TARGET_KEY, FEATURES_KEY, LABEL_KEY)
_UPLOAD = "_upload"  # UploadState
_POINTS = "_added_points"  # PointsState
HISTORY = 64  # names of data this session made with points, for Back and Forward
MAX_MB = MAX_BYTES // 2**20
UPLOAD_HELP = (f"A CSV file with a header row: columns of numbers to learn from, and one column to predict "
               f"(a class label or a number). At most {MAX_ROWS:,} rows, {MAX_FEATURES} feature columns and "
               f"{MAX_MB} MB; comma, semicolon or tab between values; no missing values. It is kept in the "
               "server's memory, never on disk, and no other session can open it.")
UPLOAD_PROMPT = ("Upload a CSV file: a header row, feature columns of numbers and one label or target column "
                 f"(at most {MAX_ROWS:,} rows × {MAX_COLUMNS} columns).")


@dataclass
class UploadState:
    """The session's uploaded file: its table, the columns chosen, and the data — or what is wrong."""

    file_id: str
    file_name: str
    table: Table | None = None
    choice: ColumnChoice | None = None
    data: UploadedData | None = None
    error: str | None = None

    def build(self, choice: ColumnChoice) -> None:
        """Check and register the data `choice` makes of the table (or keep the message why not)."""
        self.choice, self.data, self.error = choice, None, None
        try:
            self.data = custom_data.register(build_upload(self.table, choice))
        except UploadError as error:
            self.error = error.message


@dataclass
class PointsState:
    """Points added to one data set (`base`: a built-in name or an upload's), and the data they make."""

    base: str
    points: tuple[AddedPoint, ...] = ()
    made: PointsData | None = None  # the base's current rows with the points: held, so it stays registered
    made_for: tuple[Any, ...] = ()  # what `made` was built from
    history: OrderedDict[str, tuple[str, tuple[AddedPoint, ...]]] = field(default_factory=OrderedDict)


# --- what the RunConfig names ----------------------------------------------------------------------------

def base_dataset(state: Mapping[str, Any], choice: str) -> str:
    """The data set the Dataset menu's `choice` stands for: a built-in name, the session's upload, or the
    default when "Your CSV…" has no usable file."""
    if choice != UPLOAD_CHOICE:
        return choice
    upload: UploadState | None = state.get(_UPLOAD)
    return upload.data.name if upload is not None and upload.data is not None else DEFAULT_DATASET


def _base_rows(base: str, values: Mapping[str, Any]) -> Dataset | None:
    settings = SimpleNamespace(dataset=base, n_samples=values.get("n_samples"), noise=values.get("noise"),
                               data_seed=values.get("data_seed"))
    try:
        return load_dataset(settings)
    except (ConfigError, ValueError, TypeError):
        return None  # a setting the sidebar will refuse with its own message


def points_data(state: Mapping[str, Any], base: str, values: Mapping[str, Any]) -> PointsData | None:
    """The data `base` makes with this session's added points (registered), or None without points or
    where they cannot be added (data that is not 2-D classification)."""
    added: PointsState | None = state.get(_POINTS)
    if added is None or added.base != base or not added.points:
        return None
    made_for = (base, values.get("n_samples"), values.get("noise"), values.get("data_seed"), added.points)
    if added.made is not None and added.made_for == made_for:
        return added.made
    rows = _base_rows(base, values)
    if rows is None:
        return None
    try:
        made = with_points(rows, added.points, dataset_title(base))
    except (UploadError, ConfigError):
        return None
    added.made, added.made_for = custom_data.register(made), made_for
    added.history[added.made.name] = (base, added.points)
    while len(added.history) > HISTORY:
        added.history.popitem(last=False)
    return added.made


def config_dataset(state: Mapping[str, Any], values: Mapping[str, Any]) -> str:
    """The dataset a RunConfig names for these widget values: the menu's choice (the upload's name for
    "Your CSV…"), with this session's added points if it has any for it."""
    base = base_dataset(state, values.get("dataset", DEFAULT_DATASET))
    made = points_data(state, base, values)
    return made.name if made is not None else base


def url_choice(name: str | None, state: Mapping[str, Any]) -> str | None:
    """The Dataset menu's value for a URL's custom-data `name` this session holds (its upload, or points it
    added — which are restored, for Back and Forward); None for any other name."""
    if not custom_data.is_custom_name(name):
        return None
    upload: UploadState | None = state.get(_UPLOAD)
    if upload is not None and upload.data is not None and upload.data.name == name:
        return UPLOAD_CHOICE
    added: PointsState | None = state.get(_POINTS)
    if added is None or name not in added.history:
        return None
    added.base, added.points = added.history[name]
    if custom_data.is_custom_name(added.base):
        return UPLOAD_CHOICE if base_dataset(state, UPLOAD_CHOICE) == added.base else None
    return added.base


def fallback_note(state: Mapping[str, Any]) -> str | None:
    """What the main area says while "Your CSV…" has no usable file: which data the pages show instead."""
    if state.get("dataset") != UPLOAD_CHOICE or base_dataset(state, UPLOAD_CHOICE) != DEFAULT_DATASET:
        return None
    return (f"**{UPLOAD_CHOICE}** has no usable file yet, so every page shows "
            f"{dataset_title(DEFAULT_DATASET)}, the default data. Upload a CSV file in the sidebar, under "
            "Data → Dataset.")


def source_sentence(state: Mapping[str, Any] | None = None) -> str:
    """Where the rows of the data set chosen now come from, in one sentence of Markdown."""
    state = st.session_state if state is None else state
    base = current_base(state)
    upload: UploadState | None = state.get(_UPLOAD)
    if custom_data.is_custom_name(base) and upload is not None and upload.choice is not None:
        return (f"Now: your file {plain_text(upload.file_name)}, column {plain_text(upload.choice.target)} "
                f"predicted from {count(len(upload.choice.features), 'feature column')}.")
    return (f"Now: **{dataset_title(base)}** ({DATASETS[base].description[0].lower()}"
            f"{DATASETS[base].description[1:].rstrip('.')}). To learn from your own file, choose "
            f"**{UPLOAD_CHOICE}** under Data → Dataset in the sidebar.") if base in DATASETS else ""


# --- the sidebar's upload controls ------------------------------------------------------------------------

def _read_file(uploaded: Any) -> UploadState:
    upload = UploadState(uploaded.file_id, uploaded.name)
    try:
        upload.table = parse_table(uploaded)
    except UploadError as error:
        upload.error = error.message
        return upload
    upload.build(default_choice(upload.table))
    for key, value in zip(CHOICE_KEYS, _widget_values(upload.choice), strict=True):
        st.session_state[key] = value
    return upload


def _widget_values(choice: ColumnChoice) -> tuple[str, list[str], bool]:
    return choice.target, list(choice.features), choice.is_label


# The widgets' callbacks run before the script, so the data is settled before app/state.py derives the
# run's configuration and its URL from the session state.

def _file_changed() -> None:
    """A file was put into the uploader (parse and check it) or taken out of it (forget it)."""
    uploaded = st.session_state.get(FILE_KEY)
    st.session_state[_UPLOAD] = _read_file(uploaded) if uploaded is not None else None


def _choice_changed() -> None:
    upload: UploadState | None = st.session_state.get(_UPLOAD)
    if upload is not None and upload.table is not None:
        state = st.session_state
        upload.build(ColumnChoice(state[TARGET_KEY], tuple(state[FEATURES_KEY]), bool(state[LABEL_KEY])))


def _target_changed() -> None:
    """A new target column leaves the features (the old target joins them if it holds numbers), and its
    values decide again whether it reads as class labels."""
    upload: UploadState | None = st.session_state.get(_UPLOAD)
    if upload is None or upload.table is None:
        return
    target = st.session_state[TARGET_KEY]
    features = [name for name in st.session_state.get(FEATURES_KEY, []) if name != target]
    old = upload.choice.target if upload.choice else None
    if old and old != target and upload.table.by_name[old].is_numeric and len(features) < MAX_FEATURES:
        features.append(old)
    order = {name: index for index, name in enumerate(upload.table.names)}
    st.session_state[FEATURES_KEY] = sorted(features, key=order.__getitem__)
    st.session_state[LABEL_KEY] = looks_like_labels(upload.table.by_name[target])
    _choice_changed()


def _summary(upload: UploadState) -> str:
    data, choice = upload.data, upload.choice
    task = count(data.spec.n_classes, "class") if data.spec.class_names else "a number"
    return (f"{plain_text(upload.file_name)}: {count(upload.table.n_rows, 'row')}, "
            f"{count(len(choice.features), 'feature column')}; to predict: {plain_text(choice.target)}, "
            f"{task}. Open **Your data** for the details.")


def draw_upload_controls(choice: str) -> None:
    """Under the Dataset menu, when it says "Your CSV…": the file, the columns, and what became of them."""
    if choice != UPLOAD_CHOICE:
        return
    state = st.session_state
    uploaded = st.file_uploader("CSV file", key=FILE_KEY, max_upload_size=MAX_MB, help=UPLOAD_HELP,
                                on_change=_file_changed)
    upload: UploadState | None = state.get(_UPLOAD)
    if upload is None:
        st.caption(UPLOAD_PROMPT)
        return
    if uploaded is None:  # the uploader was hidden while another data set was chosen
        st.caption(f"Using {plain_text(upload.file_name)}, uploaded earlier; upload another file to replace "
                   "it.")
    if upload.table is None:
        st.error(upload.error, icon=":material/error:")
        return
    for key, value in zip(CHOICE_KEYS, _widget_values(upload.choice), strict=True):
        state.setdefault(key, value)  # after another data set was shown, the widgets start as they were
    names = list(upload.table.names)
    target = st.selectbox("Column to predict", names, key=TARGET_KEY, on_change=_target_changed,
                          help="The label or target: what the network learns to predict from the features.")
    st.multiselect("Feature columns", [name for name in names if name != target], key=FEATURES_KEY,
                   max_selections=MAX_FEATURES, on_change=_choice_changed,
                   help="The network's inputs: columns of numbers.")
    st.toggle("The column to predict holds class labels", key=LABEL_KEY, on_change=_choice_changed,
              help="On: classification (each different value is a class). Off: regression (a number to "
                   "predict).")
    if upload.error:
        st.error(upload.error, icon=":material/error:")
    else:
        st.caption(_summary(upload))


# --- points added on the Your data page -------------------------------------------------------------------

def current_base(state: Mapping[str, Any] | None = None) -> str:
    """The data set points are added to now: the Dataset menu's choice (the upload for "Your CSV…")."""
    state = st.session_state if state is None else state
    return base_dataset(state, state.get("dataset", DEFAULT_DATASET))


def added_points(state: Mapping[str, Any] | None = None) -> tuple[AddedPoint, ...]:
    """The points added to the data set chosen now (none if they were added to another one)."""
    state = st.session_state if state is None else state
    added: PointsState | None = state.get(_POINTS)
    return added.points if added is not None and added.base == current_base(state) else ()


def _set_points(points: tuple[AddedPoint, ...]) -> None:
    base = current_base()
    added: PointsState | None = st.session_state.get(_POINTS)
    if added is None or added.base != base:
        history = added.history if added is not None else OrderedDict()
        added = st.session_state[_POINTS] = PointsState(base, history=history)
    added.points = points


def add_point(point: AddedPoint) -> bool:
    """Add one point to the data set chosen now (the next run trains on it everywhere); False when
    `MAX_POINTS` are there already."""
    points = added_points()
    if len(points) >= MAX_POINTS:
        return False
    _set_points((*points, point))
    return True


def undo_point() -> None:
    _set_points(added_points()[:-1])


def reset_points() -> None:
    _set_points(())
