"""core.plain_text: a value from outside (a URL value, a typed label) shown in Markdown as exactly its text.

The corpus holds every case of issue 12: Markdown links, images, autolinks and bare URLs, emphasis,
strikethrough, backticks, Streamlit directives (colours, badges, icons), emoji shortcodes, LaTeX, raw HTML,
bidi overrides, zero-width and control characters, line breaks, and each of them after the 40-character
cut, behind a U+202E or after a %0A. The check is structural, by CommonMark's rules: the quoted value
must be one code span (nothing in a code span is parsed) whose content is the value's visible text.
tests/app checks the warnings the app renders; tests/e2e/test_url_truth.py checks them in Chromium.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from core.config import RunConfig
from core.plain_text import QUOTE_LIMIT, plain_text
from tests.markdown_spans import split_code_spans

LINK = "[Log in here](https://evil.example)"
HOSTILE: dict[str, str] = {
    "link": LINK,
    "link-after-cut": "x" * 30 + LINK,
    "link-behind-rlo": "\u202e" + LINK,
    "link-after-newline": "a\n" + LINK,
    "link-after-blank-line": "a\n\n" + LINK,
    "reference-link": "[x]\n\n[x]: https://evil.example",
    "image": "![x](http://host.example/img.png)",
    "autolink": "<https://evil.example>",
    "bare-url": "https://evil.example/login",
    "www": "www.evil.example",
    "email": "teacher@evil.example",
    "javascript": "javascript:alert(1)",
    "html": "<img src=x onerror=alert(1)><a href='https://evil.example'>x</a>",
    "entity": "&#91;x&#93;&#40;https://evil.example&#41;",
    "bold": "**bold**",
    "underscore-bold": "__bold__",
    "emphasis": "*em* _em_",
    "strikethrough": "~~gone~~",
    "backtick": "`code`",
    "backtick-run": "``a`b```",
    "lone-backtick": "`",
    "colour": ":red[alarm]",
    "background": ":blue-background[x]",
    "badge": ":red-badge[Log in]",
    "icon": ":material/lock: Log in",
    "emoji": ":warning: :smile: :+1:",
    "small": ":small[fine print]",
    "latex": "$x^2$ and $$\\int f$$",
    "heading": "# Heading",
    "quote": "> quote",
    "list": "- item",
    "table": "| a | b |",
    "footnote": "[^1]",
    "rlo": "\u202eevil.exe",
    "isolates": "\u2066x\u2069\u061c",
    "zero-width": "a\u200bb\u200dc\ufeff",
    "word-joiner": "a\u2060b",
    "control": "a\x00b\x1bc\x7f",
    "newlines": "a\nb\r\nc\u2028d\u2029e",
    "tab": "a\tb",
    "nbsp": "a\u00a0b",
    "spaces": "   ",
    "padded": " x ",
    "backslash": "\\`x\\`",
    "long": "x" * 10_000,
}


def visible(text: str) -> str:
    """What the code span must show: the value cut to the limit, invisible characters as escapes."""
    cut = text if len(text) <= QUOTE_LIMIT else text[:QUOTE_LIMIT] + "…"
    return "".join(c if c == " " or c.isprintable() else c.encode("unicode_escape").decode() for c in cut)


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_value_is_one_code_span_showing_its_text(name):
    value = HOSTILE[name]
    quoted = plain_text(value)
    outside, spans = split_code_spans(quoted)
    assert outside == "" and len(spans) == 1, f"{quoted!r} is not exactly one code span"
    assert spans[0].replace("\u2060", "") == visible(value)


@pytest.mark.parametrize("name", HOSTILE)
def test_nothing_invisible_or_line_breaking_survives(name):
    quoted = plain_text(HOSTILE[name])
    hidden = [c for c in quoted.replace(":\u2060material/", "") if not (c == " " or c.isprintable())]
    assert not hidden, f"invisible or control characters {hidden!r} in {quoted!r}"
    assert ":material/" not in quoted  # Streamlit rewrites that substring even inside code
    assert len(quoted) < 12 * QUOTE_LIMIT


def test_empty_reads_empty():
    assert plain_text("") == "(empty)"


def test_no_limit_keeps_the_whole_value():
    assert split_code_spans(plain_text("y" * 500, limit=None))[1] == ["y" * 500]


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(hs.text(hs.characters(exclude_categories=("Cs",)), max_size=60))
def test_any_text_is_one_code_span(text):
    if not text:
        return
    outside, spans = split_code_spans(plain_text(text))
    assert outside == "" and [span.replace("\u2060", "") for span in spans] == [visible(text)]


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("field", ["dataset", "hidden", "seed"])
def test_url_warnings_quote_the_value_only_inside_a_code_span(name, field):
    """The sentence around the value is ours; the value itself appears only inside its code span."""
    if field == "hidden" and not HOSTILE[name].strip():
        pytest.skip("a blank hidden value means no hidden layer (tests/test_config.py)")
    _, warnings = RunConfig.from_query_params({field: HOSTILE[name]})
    assert warnings, "the corpus value was accepted"
    outside, spans = split_code_spans(warnings[0])
    assert outside.startswith(f"URL setting {field}=") and len(spans) == 1
    for syntax in ("](", "<", "http", "www.", "@", "**", "~~", ":red", ":material", "$", "\n", "\u202e"):
        assert syntax not in outside, f"{syntax!r} outside the code span in {warnings[0]!r}"
