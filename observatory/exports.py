"""CSV files that open cleanly in a French spreadsheet, streamed so no export sits in memory.

One call serves a file: `csv_response(filename, header, rows)`, where `header` is a sequence of
column titles and `rows` any iterable of tuples (a generator over `.iterator()` keeps memory flat).
What the file looks like, so Excel and LibreOffice in French open it without an import dialog:

- UTF-8 with a byte-order mark (Excel reads BOM-less UTF-8 as Windows-1252), `;` between cells
  (the comma is the French decimal separator), CRLF line ends, quoting by the csv module (cells
  holding `;`, quotes or line breaks are quoted, quotes doubled);
- numbers with a decimal comma (Decimal("12.50") → "12,50", 12.5 → "12,5", 5.0 → "5"),
  integers as is;
- dates in ISO 8601 ("2026-03-31"), date-times in local time to the minute ("2026-03-31 14:05"):
  both French spreadsheets read them as dates, and unlike 31/03/2026 they cannot be swapped into
  a month-first date by a spreadsheet set to another language; they also sort as text;
- booleans as « oui » / « non », None as an empty cell;
- text that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
  return: OWASP's CSV injection list) is prefixed with a single quote, so it shows as text.
  Numbers are never prefixed: a negative number must stay a number.
"""

import csv
import math
from datetime import date, datetime
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext

BOM = "\ufeff"
SEPARATOR = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Rows are gathered into chunks of about this many characters before being sent: one chunk
# per row would mean 100,000 tiny writes to the socket.
CHUNK_CHARS = 64 * 1024


def csv_response(filename, header, rows):
    """A streamed CSV download of `rows` (an iterable of tuples) under `header`."""
    response = StreamingHttpResponse(
        csv_chunks(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def csv_chunks(header, rows):
    """The file as UTF-8 byte chunks: BOM and header first, then the rows, formatted lazily.

    Labels are translated here, when the response is built, not while the server streams it.
    """
    to_cell = cell_formatter()
    header = [str(title) for title in header]
    return _chunks(header, rows, to_cell)


def _chunks(header, rows, to_cell):
    writer = csv.writer(_Echo(), delimiter=SEPARATOR, lineterminator="\r\n")
    pending = [BOM, writer.writerow(map(to_cell, header))]
    size = 0
    for row in rows:
        line = writer.writerow(map(to_cell, row))
        pending.append(line)
        size += len(line)
        if size >= CHUNK_CHARS:
            yield "".join(pending).encode()
            pending, size = [], 0
    yield "".join(pending).encode()


class _Echo:
    """A file-like target for csv.writer that hands back each line instead of keeping it."""

    def write(self, text):
        return text


def cell_formatter():
    """A function turning one Python value into the text of a cell (see the module's doc).

    It runs for every cell of 100,000-row files: the formatter is found by the value's exact
    type in one dictionary look-up, and the language's words and the time zone are looked up
    once per file, not once per cell.
    """
    yes, no = gettext("oui"), gettext("non")
    zone = timezone.get_current_timezone()

    def local_minute(moment):
        if moment.tzinfo is not None:
            moment = moment.astimezone(zone).replace(tzinfo=None)
        return moment.isoformat(" ", "minutes")

    # Checked in this order for subclasses (choices, safe strings): bool is an int and
    # datetime a date, so they come first. Anything else (a lazy translation) is text.
    kinds = (
        (type(None), lambda value: ""),
        (bool, lambda value: yes if value else no),
        (int, str),
        (Decimal, decimal_comma),
        (float, decimal_comma),
        (datetime, local_minute),
        (date, date.isoformat),
        (str, neutralised),
    )
    by_type = dict(kinds)

    def to_cell(value):
        format_cell = by_type.get(type(value))
        if format_cell is None:
            format_cell = next((f for kind, f in kinds if isinstance(value, kind)), as_text)
        return format_cell(value)

    return to_cell


def decimal_comma(number):
    """12.5 → "12,5": the shortest exact writing, never in scientific notation."""
    if isinstance(number, float):
        if not math.isfinite(number):
            return ""
        # repr gives the shortest text that reads back as the same float (0.1, not 0.1000…01);
        # a whole float is written as a whole number (5.0 → "5").
        number = Decimal(repr(number)).normalize() if number.is_integer() else Decimal(repr(number))
    if not number.is_finite():
        return ""
    return format(number, "f").replace(".", ",")


def as_text(value):
    return neutralised(str(value))


def neutralised(text):
    """The text, prefixed with a quote when a spreadsheet would take it for a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
