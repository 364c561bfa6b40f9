"""The CSV files the portal writes, safe to open in a spreadsheet.

A spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` (and tab or carriage return,
which some read past) as a formula: an apprentice's address `=cmd|' /C calc'!A0` would run on
the computer of the administrator who opens the export. As OWASP's CSV Injection page advises,
such a text cell is written with a single quote in front, which spreadsheets read as "text",
and every cell that needs it is quoted (the csv module's own quoting).

Text only: a number the portal computes (an int, a Decimal) is written as it is, so that a
negative number stays a number. Every CSV writer of the portal writes its rows through `lines`.
"""

import csv
from collections.abc import Iterable, Iterator

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value: str) -> str:
    """The text, with a single quote in front if a spreadsheet would read it as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _cell(value):
    return text_cell(value) if isinstance(value, str) else value


class _Line:
    """A file-like object whose write returns the line, for csv.writer into a stream."""

    def write(self, value):
        return value


def lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """Each row as one line of CSV, its text cells made safe: for a streamed response."""
    writer = csv.writer(_Line())
    for row in rows:
        yield writer.writerow([_cell(value) for value in row])
