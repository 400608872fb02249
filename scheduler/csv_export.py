"""Every CSV the clinic downloads: one writer, safe to open in a spreadsheet, UTF-8 for Excel.

Names, notes and SMS problems are typed by people (or by a patient over the phone). A
spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula — ``-1+1+HYPERLINK(…)`` included — so any such text is written
with a leading apostrophe, which makes it plain text. Numbers we computed ourselves
(counts, days, percentages) are not text and stay numbers, negative ones too.
"""

import csv
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.http import StreamingHttpResponse

from scheduler import clock

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel reads a CSV as the machine's legacy code page unless it starts with a BOM, and
# turns "Gagné" into "GagnÃ©".
BOM = "\ufeff"


def spreadsheet_cell(value: object) -> object:
    """What to write for one cell: text that could run as a formula is made plain text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return value
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    """csv.writer's file: hands each line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_response(
    *, name: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> StreamingHttpResponse:
    """A streamed download named ``<name>-<clinic date>.csv``: a big export never sits in
    memory."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield BOM + writer.writerow([spreadsheet_cell(cell) for cell in header])
        for row in rows:
            yield writer.writerow([spreadsheet_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{clock.today():%Y-%m-%d}.csv"'
    return response
