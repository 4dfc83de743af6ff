"""CSV exports: a file a French spreadsheet opens as is, safe to open, with the filters applied."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from observatory.exports import csv_response


def download(response):
    """The whole body of a streamed response, as bytes."""
    return b"".join(response.streaming_content)


def read_rows(body):
    """The rows of a downloaded file, read back the way a spreadsheet does."""
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


# The writer on its own


def test_it_starts_with_a_bom_and_separates_cells_with_semicolons():
    response = csv_response("essai.csv", ["Nom", "Heures"], [("Atelier", 3)])
    body = download(response)
    assert body == "\ufeffNom;Heures\r\nAtelier;3\r\n".encode()


def test_it_is_an_attachment_named_after_its_file():
    response = csv_response("besoins_2026-01-01_2026-03-31_59.csv", ["Nom"], [])
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="besoins_2026-01-01_2026-03-31_59.csv"'
    )


def test_it_writes_numbers_with_a_decimal_comma():
    rows = [(Decimal("12.50"), 12.5, 0.1, 1e-7, -3.25, Decimal("1E+2"), 42)]
    assert read_rows(download(csv_response("n.csv", ["a"] * 7, rows)))[1] == [
        "12,50", "12,5", "0,1", "0,0000001", "-3,25", "100", "42",
    ]  # fmt: skip


def test_it_writes_dates_in_iso_and_times_in_local_time():
    """Date-times are shown in Paris time: 13:05 UTC in summer is 15:05 in France."""
    moment = datetime(2026, 7, 14, 13, 5, 59, tzinfo=ZoneInfo("UTC"))
    rows = [(date(2026, 3, 31), moment, True, False, None)]
    assert read_rows(download(csv_response("d.csv", ["a"] * 5, rows)))[1] == [
        "2026-03-31", "2026-07-14 15:05", "oui", "non", "",
    ]  # fmt: skip


def test_it_quotes_semicolons_quotes_and_line_breaks_so_each_cell_stays_whole():
    tricky = ("Lille; Roubaix", 'Le "Jardin"', "ligne 1\nligne 2", "a\r\nb")
    body = download(csv_response("e.csv", ["a", "b", "c", "d"], [tricky]))
    assert b'"Lille; Roubaix";"Le ""Jardin""";"ligne 1\nligne 2"' in body
    rows = read_rows(body)
    assert len(rows) == 2
    assert rows[1] == list(tricky)


def test_it_neutralises_cells_a_spreadsheet_would_run_as_formulas():
    """OWASP's list: =, +, -, @, tab and carriage return at the start of a cell."""
    formulas = ("=1+1", "+33 3 20", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd", '=HYPERLINK("x")')
    body = download(csv_response("f.csv", ["a"] * len(formulas), [formulas]))
    assert read_rows(body)[1] == ["'" + text for text in formulas]


def test_it_leaves_ordinary_text_and_negative_numbers_alone():
    rows = [("Aide à la paie", "Réunion = 2 h", "a-b", -4, Decimal("-1.5"))]
    assert read_rows(download(csv_response("g.csv", ["a"] * 5, rows)))[1] == [
        "Aide à la paie", "Réunion = 2 h", "a-b", "-4", "-1,5",
    ]  # fmt: skip


def test_it_neutralises_formulas_in_the_header_too():
    assert read_rows(download(csv_response("h.csv", ["=titre"], [])))[0] == ["'=titre"]


def test_it_reads_rows_only_as_the_file_is_sent():
    """Nothing is read before the download starts: rows can be a lazy database cursor."""
    taken = []

    def rows():
        for n in range(3):
            taken.append(n)
            yield (n,)

    response = csv_response("l.csv", ["n"], rows())
    assert taken == []
    assert read_rows(download(response))[1:] == [["0"], ["1"], ["2"]]
    assert taken == [0, 1, 2]
