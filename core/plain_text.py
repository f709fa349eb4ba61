"""Text from outside the app (a URL value, a label typed into a box) quoted so Markdown cannot read it.

Every message that quotes such a value is shown with Streamlit's Markdown (st.warning, st.markdown,
st.caption…), which turns `[text](https://…)` into a link, `![x](…)` into an image fetched from any host,
`**…**`, `~~…~~` and backticks into formatting, `:red[…]`, `:material/…:` and `:smile:` into colours, icons
and emoji, `$…$` into LaTeX, and a bare `https://…` or `www.…` into a link. A hostile link shared with a
class could show every student a clickable "Log in here".

`plain_text` puts the value in a Markdown code span, sized so the value cannot close it. Nothing inside a
code span is parsed: no links, images, emphasis, directives or maths, and the text-level rewrites that run
after parsing (GFM's bare-URL links, emoji shortcodes) only visit plain text, never code. That is one rule
that covers every construct, rather than an escape list that must know them all. Three things remain:

- characters that would break out of the span or hide what it says — line breaks (a blank line ends the
  paragraph, and the span with it), other control characters, bidi overrides such as U+202E, zero-width
  and other invisible characters — are shown as visible escapes (``\\n``, ``\\u202e``), as Python's repr
  shows them;
- Streamlit rewrites the substring ``:material/`` everywhere in the source before parsing, code included,
  so a word joiner (U+2060) is put after its colon to keep the value as it was typed;
- a long value is cut to `limit` characters, with "…".
"""

from __future__ import annotations

import re

QUOTE_LIMIT = 40  # characters of a value shown in a message; a hand-made URL can hold thousands
_BACKTICK_RUN = re.compile(r"`+")
_STREAMLIT_ICON_PREFIX = ":material/"
_WORD_JOINER = "\u2060"


def _visible(char: str) -> str:
    """A character as it should appear: itself if printable, else its escape (\\n, \\x00, \\u202e)."""
    if char == " " or char.isprintable():
        return char
    return char.encode("unicode_escape").decode("ascii")


def plain_text(value: object, limit: int | None = QUOTE_LIMIT) -> str:
    """`value` as Markdown that renders as exactly its text, in code style: nothing in it is a link, an
    image, formatting, a Streamlit directive, an emoji, maths or a line break.

    `limit` cuts a long value to that many characters plus "…" (None: never cut). An empty value reads
    "(empty)".
    """
    text = str(value)
    if not text:
        return "(empty)"
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    shown = "".join(_visible(char) for char in text)
    shown = shown.replace(_STREAMLIT_ICON_PREFIX, f":{_WORD_JOINER}{_STREAMLIT_ICON_PREFIX[1:]}")
    # A code span opened by n backticks ends at the next run of exactly n: use one more than the value's
    # longest run. A value that starts or ends with a backtick, or with spaces at both ends, gets a space
    # of padding on each side, which CommonMark strips again.
    fence = "`" * (max((len(run) for run in _BACKTICK_RUN.findall(shown)), default=0) + 1)
    spaced = shown[0] == shown[-1] == " " and shown.strip(" ")
    pad = " " if shown[0] == "`" or shown[-1] == "`" or spaced else ""
    return f"{fence}{pad}{shown}{pad}{fence}"
