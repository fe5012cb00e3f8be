"""The dashboard tables as Excel workbooks (.xlsx): numbers stay numbers, so a county can sum and
chart them further; what the page shows as "—" (no value) is an empty cell."""
from __future__ import annotations

import io
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Sheet titles: at most 31 characters, none of []:*?/\
_BAD = str.maketrans({c: " " for c in "[]:*?/\\"})


def workbook(sheets) -> bytes:
    """sheets: [(title, header, rows)], rows being lists of plain values."""
    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(str(title).translate(_BAD)[:31] or "Sheet")
        sheet.append([str(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_plain(v) for v in row])
        sheet.freeze_panes = "B2"
        for i, _ in enumerate(header, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = 14 if i > 1 else 24
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _plain(value):
    if value is None or isinstance(value, (int, float)):
        return value
    return str(value)


def response(filename: str, sheets) -> HttpResponse:
    reply = HttpResponse(workbook(sheets), content_type=XLSX)
    reply["Content-Disposition"] = f"attachment; filename=\"stats.xlsx\"; filename*=UTF-8''{quote(filename)}"
    return reply
