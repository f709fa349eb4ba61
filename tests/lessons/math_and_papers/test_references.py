"""The reference table: every paper links to a lesson that exists, says where and when it appeared, and
appears once — so a renamed page or a half-filled row fails here, not on a projector."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.pages import LESSONS, PAGES_BY_URL
from lessons.math_and_papers.references import REFERENCES, Reference

ROOT = Path(__file__).resolve().parents[3]
LESSON_URLS = {spec.url_path for spec in LESSONS}


def _ids(entry: Reference) -> str:
    return f"{entry.authors.split()[-1]}-{entry.year}"


def test_the_table_has_the_papers_the_lessons_rest_on():
    assert len(REFERENCES) >= 10
    years = [entry.year for entry in REFERENCES]
    assert years == sorted(years), "listed oldest first, as the page reads"


@pytest.mark.parametrize("entry", REFERENCES, ids=_ids)
def test_each_reference_links_to_a_lesson_page_that_exists(entry):
    assert entry.lesson in LESSON_URLS
    spec = PAGES_BY_URL[entry.lesson]
    assert (ROOT / spec.path).is_file()
    assert entry.lesson != "math-and-papers", "a paper links to the page that shows it live, not to itself"


@pytest.mark.parametrize("entry", REFERENCES, ids=_ids)
def test_each_reference_is_complete(entry):
    assert 1900 < entry.year < 2100
    for field in (entry.authors, entry.title, entry.venue, entry.finding, entry.shows):
        assert field.strip() == field and field
    assert len(entry.finding) < 260, "one line"
    assert entry.url is None or re.fullmatch(r"https://\S+", entry.url)
    assert entry.title in entry.citation and str(entry.year) in entry.citation


def test_no_reference_appears_twice():
    titles = [entry.title.casefold() for entry in REFERENCES]
    urls = [entry.url for entry in REFERENCES if entry.url]
    assert len(set(titles)) == len(titles)
    assert len(set(urls)) == len(urls)


def test_every_lesson_with_a_live_demo_is_cited_at_least_once():
    cited = {entry.lesson for entry in REFERENCES}
    assert {"weight-trajectories", "identical-vs-random", "what-units-compute", "many-seeds"} <= cited


def test_the_new_page_is_registered_last():
    assert LESSONS[-1].url_path == "math-and-papers"
    assert LESSONS[-1].title == "The math and the papers"
    assert (ROOT / LESSONS[-1].path).is_file()
