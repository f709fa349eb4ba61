"""The run as code, on every page: the sidebar ends with a notebook and a PyTorch script download.

AppTest has no runtime to serve a download, so it shows a deferred button's label but cannot call its
data function; those functions are checked directly, through the arguments `export_buttons` hands to
Streamlit.
"""

from __future__ import annotations

import json
from contextlib import nullcontext

import nbformat
import pytest

import app.downloads
from app.downloads import NOTEBOOK_CAPTION, export_buttons
from app.pages import LESSONS
from core.config import RunConfig
from tests.app.conftest import errors

LABELS = ["Notebook (.ipynb)", "PyTorch script (.py)"]


def test_every_page_ends_its_sidebar_with_the_two_exports(open_app):
    at = open_app()
    for page in [None, *(spec.path for spec in LESSONS)]:
        if page is not None:
            at.switch_page(page).run()
        assert errors(at) == [], page
        assert [button.label for button in at.sidebar.get("download_button")] == LABELS, page
        assert at.sidebar.caption[-1].value == NOTEBOOK_CAPTION, page


class FakeStreamlit:
    """Records the download buttons `export_buttons` asks for."""

    def __init__(self) -> None:
        self.buttons: list[tuple[str, dict]] = []
        self.captions: list[str] = []
        self.sidebar = nullcontext()

    def download_button(self, label: str, data, **options) -> None:
        self.buttons.append((label, {"data": data, **options}))

    def caption(self, text: str) -> None:
        self.captions.append(text)


def test_the_buttons_build_a_notebook_and_a_script_only_when_clicked(monkeypatch: pytest.MonkeyPatch):
    fake = FakeStreamlit()
    monkeypatch.setattr(app.downloads, "st", fake)
    export_buttons(RunConfig(dataset="iris", seed=3, epochs=5))
    assert [label for label, _ in fake.buttons] == LABELS and fake.captions == [NOTEBOOK_CAPTION]
    (_, notebook), (_, script) = fake.buttons
    for options in (notebook, script):
        assert options["on_click"] == "ignore" and options["width"] == "stretch" and options["icon"]
        assert callable(options["data"])
    assert notebook["file_name"] == "symmetry-lab-iris-seed3.ipynb"
    assert script["file_name"] == "symmetry-lab-iris-seed3.py"
    nbformat.validate(nbformat.reads(notebook["data"](), as_version=4))
    assert json.loads(notebook["data"]())["metadata"]["kernelspec"]["name"] == "python3"
    source = script["data"]()
    compile(source, script["file_name"], "exec")
    assert "python symmetry-lab-iris-seed3.py" in source


def test_an_uploads_exports_embed_its_rows(monkeypatch: pytest.MonkeyPatch):
    """No one else can load an upload by its name, so the sidebar's exports carry its rows."""
    from core.custom_data import register
    from core.datasets import load_dataset
    from core.uploads import read_upload
    from tests.core.test_uploads import blobs, numbers_file

    X, labels = blobs(40, 2, 2, seed=9)
    upload = register(read_upload(numbers_file(X, labels)))
    config = RunConfig(dataset=upload.name, epochs=5)
    fake = FakeStreamlit()
    monkeypatch.setattr(app.downloads, "st", fake)
    export_buttons(config)
    (_, notebook), (_, script) = fake.buttons
    assert notebook["file_name"] == f"symmetry-lab-{upload.name}-seed0.ipynb"
    text = notebook["data"]()
    rows = load_dataset(config)
    assert "its rows are embedded below" in text and repr(float(rows.X_test[0, 0])) in text
    assert "make_moons" not in text and repr(float(rows.X_train[-1, 1])) in script["data"]()
