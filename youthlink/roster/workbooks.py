"""The .xlsx files the app hands out: the blank roster template and the rejected rows of a job
(in the template's columns, so they can be fixed and imported again as they are)."""
from __future__ import annotations

import json
from typing import IO, Iterable

from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from youthlink.people.models import Sector, Tag

from .columns import COLUMNS, LABELS

TEXT_FORMAT = "@"  # keeps Excel from turning an ID number into 3.30329E+17
TEXT_COLUMNS = {"mobile", "id_number"}
HEADER_FILL = PatternFill("solid", fgColor="FDECEE")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
ROW_NUMBER_LABEL = "原行号"
REASONS_LABEL = "未导入原因"


def write_template(out: IO[bytes]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名册"
    sheet.append(LABELS)
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.key in TEXT_COLUMNS:
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="C8102E" if column.required else "000000")
        cell.fill = HEADER_FILL
    sheet.freeze_panes = "A2"
    positions = {c.key: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    with translation.override("zh-hans"):
        sector_labels = [str(label) for label in Sector.labels]
        tag_labels = [str(label) for label in Tag.labels]
    for key, choices in (("gender", ["男", "女"]), ("sector", sector_labels)):
        validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        validation.error = "请从下拉列表中选择"
        validation.add(f"{positions[key]}2:{positions[key]}100000")
        sheet.add_data_validation(validation)

    notes = workbook.create_sheet("填写说明")
    notes.column_dimensions["A"].width = 12
    notes.column_dimensions["B"].width = 80
    notes.append(["列", "说明"])
    for column in COLUMNS:
        notes.append([column.label, column.hint + (f"（也可写作：{'、'.join(column.synonyms)}）" if column.synonyms else "")])
    notes.append([])
    notes.append(["标签可选", "、".join(tag_labels)])
    notes.append(["界别可选", "、".join(sector_labels)])
    notes.append(["提示", "第一个工作表为名册；表头上方可以有标题行。身份证号码和手机号至少填写一项，"
                         "同一身份证号码（没有时按手机号）已建档的不会重复导入。"])
    for row in notes.iter_rows(min_row=1, max_row=1):
        for cell in row:
            cell.font = Font(bold=True)
    for row in notes.iter_rows(min_col=2, max_col=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    workbook.save(out)


def write_rejected(out: IO[bytes], rows: Iterable) -> None:
    """`rows`: RejectedRow objects in row order. Streams (write-only), so 10,000 bad rows cost little."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("未导入的行")
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.column_dimensions[get_column_letter(len(COLUMNS) + 1)].width = 8
    sheet.column_dimensions[get_column_letter(len(COLUMNS) + 2)].width = 60
    sheet.freeze_panes = "A2"
    header = []
    for label in [*LABELS, ROW_NUMBER_LABEL, REASONS_LABEL]:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        header.append(cell)
    sheet.append(header)
    for rejected in rows:
        bad_columns = {reason.get("column") for reason in rejected.reasons}
        cells = []
        for label, value in zip(LABELS, json.loads(rejected.values)):
            cell = WriteOnlyCell(sheet, value=value or None)
            cell.number_format = TEXT_FORMAT
            if label in bad_columns:
                cell.fill = ERROR_FILL
            cells.append(cell)
        cells.append(WriteOnlyCell(sheet, value=rejected.row_number))
        cells.append(WriteOnlyCell(sheet, value=reasons_text(rejected.reasons)))
        sheet.append(cells)
    workbook.save(out)


def reasons_text(reasons: list[dict]) -> str:
    return "；".join(f"{r.get('column', '')}：{r.get('message', '')}" for r in reasons)
