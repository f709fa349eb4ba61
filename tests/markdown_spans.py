"""CommonMark's code-span rule, for tests that check outside text is shown only inside code spans.

A run of n backticks opens a code span that the next run of exactly n backticks closes; an unmatched run
is literal text. Inside, line endings read as spaces, and one space is stripped from each end when both
ends have one (unless the content is all spaces). Nothing inside is parsed. (Backslash escapes outside
spans are not modelled: the messages tested here have none.)
"""

from __future__ import annotations

import re

_RUN = re.compile(r"`+")


def split_code_spans(markdown: str) -> tuple[str, list[str]]:
    """(the text outside code spans, the content of each code span in order)."""
    outside: list[str] = []
    spans: list[str] = []
    position = 0
    while (opening := _RUN.search(markdown, position)) is not None:
        closing = next((run for run in _RUN.finditer(markdown, opening.end())
                        if len(run.group()) == len(opening.group())), None)
        if closing is None:  # an unmatched run is literal backticks
            outside.append(markdown[position:opening.end()])
            position = opening.end()
            continue
        outside.append(markdown[position:opening.start()])
        content = markdown[opening.end():closing.start()].replace("\n", " ")
        if content[:1] == content[-1:] == " " and content.strip(" "):
            content = content[1:-1]
        spans.append(content)
        position = closing.end()
    outside.append(markdown[position:])
    return "".join(outside), spans
