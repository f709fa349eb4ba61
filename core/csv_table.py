"""An uploaded file read as a table of columns — within fixed limits, with one sentence for every way a
file can fail, and nothing built that grows past those limits.

**The limits, and why these numbers.**

- `MAX_ROWS` = 5,000 rows of data: 2.5 times the largest generated set and almost 3 times digits; a
  network of the sizes the sidebar allows still trains a few hundred epochs of it within the compute
  budget (core.budget counts the rows, so larger files would only mean fewer epochs).
- `MAX_FEATURES` = 64 inputs, as many as digits has: the network diagram, the unit pictures and the
  budget's formulas were measured up to there. `MAX_COLUMNS` = 65 with the label or target column.
- `MAX_BYTES` = 4 MiB (4,194,304 bytes), checked before a single byte is parsed: room for the largest
  table allowed, 5,000 × 65 numbers, each written with up to 8 significant digits ("-0.12345678" and its
  comma: 12 characters, 3,900,000 bytes in all). A file written with every digit of a float64 (~20
  characters a number) must be rounded first, or have fewer rows; the message says so. Messages count a
  MB as Streamlit's uploader does, 2²⁰ bytes. Streamlit's own upload limit is set to the same size
  (`server.maxUploadSize` in .streamlit/config.toml), so a larger file never reaches the app.
- `MAX_CLASSES` = 20 different labels (digits has 10): more outputs than that is not a lesson about units.

**Memory while reading.** The file's bytes and its text (each ≤ 4 MiB) and one float64 array of rows ×
columns (≤ 2.6 MB). A column holding words keeps one small integer per row and at most `MAX_CLASSES` + 1
distinct words, however many words the file holds: no list of every cell is ever built (325,000 Python
strings would take about 20 MB).

**Rows are counted as a spreadsheet numbers them**: the header is row 1, so "row 7" in a message is the
seventh line of the file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np

from core.errors import UploadError
from core.plain_text import plain_text

MAX_ROWS = 5_000
MAX_FEATURES = 64
MAX_COLUMNS = MAX_FEATURES + 1
MAX_BYTES = 4 * 1024 * 1024
MAX_CLASSES = 20
MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "?"})  # read as "no value", in any case
SEPARATORS = (",", ";", "\t")
SAVE_AS_CSV = "Save it as CSV (in Excel: File → Save As → CSV UTF-8) and upload that."
# The first bytes of files people upload by mistake, and what they are.
SIGNATURES = {
    b"PK\x03\x04": "a zip archive (an Excel .xlsx or LibreOffice .ods workbook is one)",
    b"\xd0\xcf\x11\xe0": "an old Excel .xls workbook",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip-compressed file",
}


@dataclass(frozen=True, eq=False)
class Column:
    """One column of the file: its numbers, and what stands where a number does not."""

    name: str
    values: np.ndarray  # float64 per row; nan where a word or a missing value stands
    words: tuple[str, ...]  # distinct non-numbers, in order of appearance (at most MAX_CLASSES + 1)
    codes: np.ndarray | None  # per row: index into `words`, -1 for a number or a missing value
    first_word: tuple[int, str] | None  # (row, text) of the first cell that is not a number
    first_missing: int | None  # the row of the first cell without a value
    too_many_words: bool  # more than MAX_CLASSES distinct words (the later ones were not kept)

    @property
    def is_numeric(self) -> bool:
        """Numbers only (missing values aside)."""
        return self.first_word is None


@dataclass(frozen=True, eq=False)
class Table:
    """A parsed file: named columns of equal length, and the SHA-256 of its bytes (its identity)."""

    columns: tuple[Column, ...]
    rows: np.ndarray  # the row number (as a spreadsheet counts) of every row of data
    digest: bytes
    has_header: bool
    by_name: dict[str, Column] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {column.name: column for column in self.columns})

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


def count(n: int, word: str) -> str:
    """"1 row", "3 rows", "2 classes": a number and its noun, as a sentence says them."""
    return f"{n:,} {word}" + ("" if n == 1 else "es" if word.endswith(("s", "x", "ch", "sh")) else "s")


# --- bytes → text ------------------------------------------------------------------------------------------

def read_limited(source: bytes | BinaryIO) -> bytes:
    """The file's bytes, refused before they are read if there are more than `MAX_BYTES` of them.

    A stream that can tell its size (an uploaded file can, as any seekable stream) is measured without
    reading; any other is read `MAX_BYTES` + 1 bytes at most."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        size = len(source)
        _check_size(size)
        return bytes(source)
    size = getattr(source, "size", None)
    if size is None and source.seekable():
        start = source.tell()
        size = source.seek(0, io.SEEK_END) - start
        source.seek(start)
    if size is not None:
        _check_size(size)
    data = source.read(MAX_BYTES + 1)
    _check_size(len(data))
    return data


def _check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise UploadError(
            f"The file is {size / 2**20:.1f} MB; the limit is {MAX_BYTES / 2**20:g} MB, room for "
            f"{MAX_ROWS:,} rows × {MAX_COLUMNS} columns of numbers with up to 8 significant digits. Round "
            "the numbers or upload fewer rows.")


def decode(data: bytes) -> str:
    """The file as text: UTF-8 (a byte-order mark is dropped), or an UploadError saying what it is."""
    if not data.strip():
        raise UploadError("The file is empty.")
    for signature, kind in SIGNATURES.items():
        if data.startswith(signature):
            raise UploadError(f"This is not a CSV file: it is {kind}. {SAVE_AS_CSV}")
    if b"\x00" in data:
        raise UploadError(f"This is not a CSV file: it holds binary data (zero bytes), not text. "
                          f"{SAVE_AS_CSV}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data.count(b"\n", 0, error.start) + 1
        raise UploadError(
            f"This file is not UTF-8 text: byte 0x{data[error.start]:02X} in row {row} "
            "is not valid UTF-8 (a file saved as Latin-1 or Windows-1252?). Save it as CSV UTF-8 and "
            "upload it again.") from None


# --- text → table ----------------------------------------------------------------------------------------

def _separator(text: str) -> str:
    """The separator of the header line: comma, semicolon or tab, whichever splits it most."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max(SEPARATORS, key=first.count)


def _number(text: str) -> float | None:
    """`text` as a finite number written in ASCII ("1.5", "-2e3"), else None. Python's float() also takes
    "1_000", "inf" and non-ASCII digits; a spreadsheet would not write them, so they are not numbers here."""
    if not text.isascii() or "_" in text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if np.isfinite(value) else None


class _ColumnReader:
    """Collects one column, cell by cell, into bounded storage."""

    def __init__(self, name: str, capacity: int):
        self.name = name
        self.values = np.full(capacity, np.nan)
        self.words: dict[str, int] = {}
        self.codes: np.ndarray | None = None
        self.first_word: tuple[int, str] | None = None
        self.first_missing: int | None = None
        self.too_many_words = False

    def add(self, index: int, row: int, cell: str) -> None:
        text = cell.strip()
        number = _number(text)
        if number is not None:
            self.values[index] = number
        elif text.lower() in MISSING:
            self.first_missing = self.first_missing or row
        else:
            self.first_word = self.first_word or (row, text)
            if self.codes is None:
                self.codes = np.full(len(self.values), -1, dtype=np.int16)
            code = self.words.get(text)
            if code is None and len(self.words) <= MAX_CLASSES:
                code = self.words[text] = len(self.words)
            self.too_many_words = self.too_many_words or code is None
            if code is not None:
                self.codes[index] = code

    def column(self, n_rows: int) -> Column:
        values = self.values[:n_rows].copy()
        values.setflags(write=False)
        codes = None if self.codes is None else self.codes[:n_rows].copy()
        return Column(self.name, values, tuple(self.words), codes, self.first_word, self.first_missing,
                      self.too_many_words)


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of every line that is not blank."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text))
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield reader.line_num, cells
    except csv.Error as error:
        raise UploadError(f"This file cannot be read as CSV: {error} (row {reader.line_num}).") from None


def _clean_name(text: str, index: int) -> str:
    """A column name as the app shows it: spaces collapsed, at most 40 characters, "column 3" if blank."""
    name = " ".join(text.split())[:40]
    return name or f"column {index + 1}"


def _header(cells: list[str]) -> tuple[list[str], bool]:
    """The column names, and whether the first row is a header (a first row of numbers only is data, and
    its columns are called "column 1", "column 2", …)."""
    if all(_number(cell.strip()) is not None for cell in cells):
        return [f"column {index + 1}" for index in range(len(cells))], False
    names = [_clean_name(cell, index) for index, cell in enumerate(cells)]
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        if name in seen:
            raise UploadError(f"Two columns are both named {plain_text(name)} (columns {seen[name] + 1} and "
                              f"{index + 1}): give every column its own name.")
        seen[name] = index
    return names, True


def parse_table(source: bytes | BinaryIO) -> Table:
    """Read an uploaded CSV file into a `Table`, or raise an UploadError whose message says what is wrong
    and where. Separators: comma, semicolon or tab (the one that splits the header most)."""
    data = read_limited(source)
    text = decode(data)
    rows = _rows(text)
    first = next(rows, None)
    if first is None:
        raise UploadError("The file is empty.")
    names, has_header = _header(first[1])
    if len(names) > MAX_COLUMNS:
        raise UploadError(f"The file has {len(names)} columns; at most {MAX_COLUMNS} are allowed: "
                          f"{MAX_FEATURES} feature columns and one label or target column.")
    if len(names) < 2:
        raise UploadError(
            f"The file has a single column ({plain_text(names[0])}); it needs at least two: one or more "
            "feature columns and a label or target column. If its values are separated by something other "
            "than commas, semicolons or tabs, save it as CSV again.")
    capacity = min(text.count("\n") + 1, MAX_ROWS)
    readers = [_ColumnReader(name, capacity) for name in names]
    numbers = np.zeros(capacity, dtype=np.int32)
    n_rows = 0
    for row, cells in itertools.chain([] if has_header else [first], rows):  # no header: row 1 is data
        if n_rows == MAX_ROWS:
            raise UploadError(f"The file has more than {MAX_ROWS:,} rows of data; use at most {MAX_ROWS:,} "
                              "(a random sample of them, say).")
        if len(cells) != len(names):
            raise UploadError(f"Row {row} has {count(len(cells), 'value')}, but the header names "
                              f"{len(names)} columns: every row needs one value per column.")
        for reader, cell in zip(readers, cells):
            reader.add(n_rows, row, cell)
        numbers[n_rows] = row
        n_rows += 1
    if n_rows == 0:
        raise UploadError("The file has a header row but no rows of data.")
    columns = tuple(reader.column(n_rows) for reader in readers)
    return Table(columns, numbers[:n_rows].copy(), hashlib.sha256(data).digest(), has_header)
