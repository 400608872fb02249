"""Every CSV export: no cell a spreadsheet would run, and a BOM so Excel reads UTF-8."""

from decimal import Decimal

import pytest


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (
            '-1+1+HYPERLINK("http://x.example","Click")',
            '\'-1+1+HYPERLINK("http://x.example","Click")',
        ),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-5", "'-5"),  # text someone typed, even when it looks like a number
        ("+14165550123", "'+14165550123"),
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Gagné", "Gagné"),
        ("O'Brien - Smith", "O'Brien - Smith"),
        ("2026-03-02", "2026-03-02"),
        ("", ""),
        (None, ""),
    ],
)
def test_text_that_a_spreadsheet_would_run_is_written_as_text(value, written):
    from reminders.csv_export import spreadsheet_cell

    assert spreadsheet_cell(value) == written


@pytest.mark.parametrize("number", [-5, 0, 42, -2.5, Decimal("-1.25")])
def test_numbers_we_computed_stay_numbers(number):
    from reminders.csv_export import spreadsheet_cell

    assert spreadsheet_cell(number) == number


def test_a_csv_starts_with_a_bom_and_escapes_every_cell_including_the_header():
    from reminders.csv_export import csv_response

    response = csv_response(
        name="test",
        header=["Name", "=Header"],
        rows=[["Gagné", -3], ["-1+1", "+1"]],
    )
    body = response.getvalue()
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.decode("utf-8-sig").splitlines() == [
        "Name,'=Header",
        "Gagné,-3",
        "'-1+1,'+1",
    ]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="test-')
