"""Rosters built in memory for the tests (openpyxl, as a county's Excel would hold them)."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from youthlink.core.testing import valid_id_number

HEADER = ["姓名", "性别", "出生日期", "手机号", "身份证号", "标签", "界别", "健康情况", "困难情况"]
SYNONYM_HEADER = ["姓名", "性别", "出生日期", "联系电话", "身份证号码", "标签", "界别", "健康情况", "困难情况"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(rows, *, header=HEADER, title: str | None = None, sheets: int = 1) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名册"
    if title:
        sheet.append([title])
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    for n in range(1, sheets):
        workbook.create_sheet(f"Sheet{n + 1}").append(["别的表", "不导入"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "泰顺县团员名册.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def row(name="张三", gender=None, birth=None, mobile=None, id_number=None, tags=None, sector=None,
        health=None, hardship=None):
    return [name, gender, birth, mobile, id_number, tags, sector, health, hardship]


def person_id(year=2001, month=3, day=4, serial=1, male=True) -> str:
    return valid_id_number(dt.date(year, month, day), serial=serial, male=male)


def read_xlsx(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def zip_bomb(unpacked_mb: int = 10) -> bytes:
    """A well-formed xlsx skeleton whose worksheet inflates from a few KB to `unpacked_mb` MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (unpacked_mb * 1024 * 1024) + b"/>")
    return out.getvalue()


def not_xlsx_zip() -> bytes:
    """A zip that is not a workbook (a .docx renamed, say)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()
