"""The README's lesson plan walks every scenario, each linked to the page it opens on, in menu order."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from app.scenarios import SCENARIOS

README = Path(__file__).resolve().parents[1] / "README.md"


def plan_links() -> list[tuple[str, str]]:
    """(page url_path, scenario name) of every link in the lesson plan, in order."""
    text = README.read_text(encoding="utf-8")
    plan = text.split("### A ten-minute lesson plan", 1)[1].split("\n## ", 1)[0]
    links = []
    for url in re.findall(r"\]\((http://localhost:8501/[^)\s]+)\)", plan):
        parsed = urlparse(url)
        links.append((parsed.path.strip("/"), parse_qs(parsed.query)["scenario"][0]))
    return links


def test_every_scenario_is_in_the_lesson_plan_on_its_page_in_menu_order():
    links = plan_links()
    assert [name for _, name in links] == [scenario.name for scenario in SCENARIOS]
    for (page, name), scenario in zip(links, SCENARIOS, strict=True):
        assert page == scenario.page, name


def test_the_quick_start_has_exactly_the_two_commands():
    text = README.read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.*?)\n```", quick, flags=re.S)
    assert commands == ["pip install -r requirements.txt && streamlit run dashboard.py",
                        "pip install -r requirements-dev.txt && pytest"]
