"""Opening an uploaded roster safely.

An .xlsx is a zip of XML. Before anything is written we refuse: files over the upload limit, files
that are not an xlsx at all (an old .xls, a CSV renamed, a .docx), and zip bombs, i.e. archives
whose members declare far more bytes than the file holds. Python's zipfile stops each member at the
size its header declares (and then fails the CRC check), so the declared sizes are a real bound on
what openpyxl can be made to inflate."""
from __future__ import annotations

import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .columns import Layout, find_layout

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and any xlsx saved with an opening password
ZIP_MAGIC = b"PK\x03\x04"
MAX_MEMBERS = 2000
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def _not_xlsx() -> ValidationError:
    return ValidationError(_("文件不是 Excel 表格（.xlsx）：请下载名册模板，填写后上传"), code="not_xlsx")


def check_roster_file(fileobj, *, size: int) -> None:
    """Raise ValidationError (with a Chinese message) unless this looks like a sane .xlsx."""
    limit = settings.ROSTER_MAX_UPLOAD_BYTES
    if size > limit:
        raise ValidationError(_("文件太大（%(size)s），上限为 %(limit)s：请分成几个文件上传")
                              % {"size": human_size(size), "limit": human_size(limit)}, code="too_large")
    if size == 0:
        raise ValidationError(_("文件是空的"), code="empty")
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(OLE_MAGIC):
        raise ValidationError(_("这是旧版 Excel（.xls）或设置了打开密码的文件：请取消密码，"
                                "在 Excel 或 WPS 中“另存为” .xlsx 后再上传"), code="xls")
    if not head.startswith(ZIP_MAGIC):
        raise _not_xlsx()
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ValidationError(_("文件已损坏，无法打开：请在 Excel 或 WPS 中重新保存为 .xlsx"), code="corrupt") from None
    finally:
        fileobj.seek(0)
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _not_xlsx()
    unpacked = sum(m.file_size for m in members)
    ratio_limit = settings.ROSTER_MAX_UNPACKED_RATIO * size
    if len(members) > MAX_MEMBERS or unpacked > settings.ROSTER_MAX_UNPACKED_BYTES or unpacked > ratio_limit:
        raise ValidationError(_("文件解压后有 %(unpacked)s，远超文件本身的 %(size)s，疑似“压缩炸弹”，已拒绝")
                              % {"unpacked": human_size(unpacked), "size": human_size(size)}, code="zip_bomb")


@dataclass
class RosterSheet:
    layout: Layout
    rows: Iterator[tuple]  # the data rows after the header, as cell values
    total_rows: int  # data rows below the header (may include trailing blank rows); 0 if unknown


def _count_rows(workbook, worksheet) -> int:
    """Count <row> elements in the sheet's XML without parsing it (for sheets written without a
    <dimension>): about 3% of the time a full read takes."""
    try:
        archive, path = workbook._archive, worksheet._worksheet_path
    except AttributeError:  # openpyxl internals moved: progress just shows no total
        return 0
    count, tail = 0, b""
    with archive.open(path) as stream:
        while chunk := stream.read(1 << 20):
            buffer = tail + chunk
            # Count only matches that reach into the new chunk: those inside the tail were counted before.
            count += sum(1 for m in _ROW_TAG.finditer(buffer) if m.end() > len(tail))
            tail = buffer[-32:]
    return count


@contextmanager
def open_roster(fileobj) -> Iterator[RosterSheet]:
    """Open the first sheet read-only (streaming) and find its header row."""
    fileobj.seek(0)
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise ValidationError(_("文件无法读取，可能已损坏：请在 Excel 或 WPS 中重新保存为 .xlsx"),
                              code="unreadable") from None
    try:
        if not workbook.worksheets:
            raise ValidationError(_("文件中没有工作表"), code="no_sheet")
        worksheet = workbook.worksheets[0]
        rows = worksheet.iter_rows(values_only=True)
        layout = find_layout(rows)
        max_row = worksheet.max_row if worksheet.max_column else None
        if max_row and max_row > 1:
            total = max(0, max_row - layout.header_row)
        else:
            total = max(0, _count_rows(workbook, worksheet) - layout.header_row)
        yield RosterSheet(layout=layout, rows=rows, total_rows=total)
    finally:
        workbook.close()


def inspect_roster(fileobj, *, size: int) -> RosterSheet:
    """Every check that can be made before the job is created: limits, format, header."""
    check_roster_file(fileobj, size=size)
    with open_roster(fileobj) as sheet:
        return RosterSheet(layout=sheet.layout, rows=iter(()), total_rows=sheet.total_rows)
