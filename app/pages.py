"""The app's pages in one table: the entrypoint builds navigation from it, the home page its lesson
guide (the lessons only, not the tools), and the tests their list of pages to visit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    title: str
    path: str  # relative to the repository root
    url_path: str  # "" for the home page
    icon: str
    question: str  # the learner's question the page answers (shown in the lesson guide)


HOME = PageSpec("Home", "lessons/home.py", "", ":material/home:", "")
LESSONS: tuple[PageSpec, ...] = (
    PageSpec(
        "Weight trajectories", "lessons/weight_trajectories/page.py", "weight-trajectories",
        ":material/timeline:",
        "Shouldn't training pull every unit to the same weights? Watch each unit's path through training.",
    ),
    PageSpec(
        "Identical vs random start", "lessons/identical_vs_random/page.py", "identical-vs-random",
        ":material/compare:",
        "Are the differences between units only due to the random start? Which ties can training break?",
    ),
    PageSpec(
        "What each unit computes", "lessons/what_units_compute/page.py", "what-units-compute",
        ":material/grid_view:",
        "Same inputs, different outputs: what does each unit compute, and do the outputs become alike?",
    ),
    PageSpec(
        "Why the updates differ", "lessons/why_updates_differ/page.py", "why-updates-differ",
        ":material/functions:",
        "Same formula, same inputs: which factor of the gradient makes two units move differently?",
    ),
    PageSpec(
        "Many seeds, one solution", "lessons/many_seeds/page.py", "many-seeds", ":material/scatter_plot:",
        "Does every seed land somewhere else? Different weights, the same network up to a reordering.",
    ),
    PageSpec(
        "The math and the papers", "lessons/math_and_papers/page.py", "math-and-papers",
        ":material/menu_book:",
        "Where is the proof that equal units stay equal, and which papers showed what this app shows?",
    ),
)
YOUR_DATA = PageSpec(
    "Your data", "lessons/your_data/page.py", "your-data", ":material/dataset:",
    "The rows every lesson learns from: your own CSV, and points you add by clicking, for a counterexample.",
)
TOOLS: tuple[PageSpec, ...] = (YOUR_DATA,)  # not lessons: they answer no question, they shape the data
PAGES: tuple[PageSpec, ...] = (HOME, *LESSONS, *TOOLS)
PAGES_BY_URL: dict[str, PageSpec] = {spec.url_path: spec for spec in PAGES}
