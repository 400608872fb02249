"""The clinic's one CSV writer lives in scheduler/csv_export.py, where bookings can use it too.

Kept here so the follow-ups exports and their tests import it as before.
"""

from scheduler.csv_export import BOM, FORMULA_STARTS, csv_response, spreadsheet_cell

__all__ = ["BOM", "FORMULA_STARTS", "csv_response", "spreadsheet_cell"]
