"""The roster's columns: the template's headers, the synonyms counties actually use, and finding the
header row in a sheet that may start with a title row."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from operator import itemgetter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

# A header may sit under a title row or two ("泰顺县团员青年名册（2026年）").
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the template's header, also used in every error message
    synonyms: tuple[str, ...] = ()
    required: bool = False
    hint: str = ""
    width: int = 14


COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", ("名字", "青年姓名", "姓名（必填）"), required=True, hint="必填", width=10),
    Column("gender", "性别", ("性别（男/女）",), hint="男 或 女；填了身份证号码可不填", width=6),
    Column("birth_date", "出生日期", ("出生年月日", "生日", "出生日"),
           hint="如 2001-03-04；填了身份证号码可不填", width=12),
    Column("mobile", "手机号", ("联系电话", "手机", "手机号码", "电话", "联系方式", "移动电话"),
           hint="11位手机号，可带 +86、空格或横线", width=16),
    Column("id_number", "身份证号", ("身份证号码", "公民身份号码", "身份证", "居民身份证号码", "证件号码"),
           hint="18位；身份证号码和手机号至少填一项", width=22),
    Column("tags", "标签", ("人员类别", "类别", "青年类别"),
           hint="多个用、或，分隔，如 困难青少年、团员；青联委员可写 青联委员（农业界）", width=24),
    Column("sector", "界别", ("青联界别", "所属界别"), hint="仅青联委员填写，如 农业界", width=12),
    Column("health_notes", "健康情况", ("健康状况", "身体状况"), hint="敏感信息，加密保存", width=20),
    Column("hardship_notes", "困难情况", ("困难类型", "家庭困难情况", "困难原因"), hint="敏感信息，加密保存", width=20),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
LABELS = [c.label for c in COLUMNS]

_BRACKETED = re.compile(r"[（(][^）)]*[）)]")
_NOISE = re.compile(r"[\s*＊:：]")


def normalize_header(value) -> str:
    """"* 身份证号码（18位）" and "身份证号码" name the same column."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = _NOISE.sub("", text)
    return _BRACKETED.sub("", text)


_HEADER_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.label, *_column.synonyms):
        _HEADER_LOOKUP[normalize_header(_name)] = _column.key


@dataclass(frozen=True)
class Layout:
    """Where each known column sits in the user's sheet (0-based positions); other columns are ignored."""

    header_row: int  # 1-based row number of the header
    positions: dict[str, int]

    def __post_init__(self):
        # pick(values) -> the row's cells in COLUMNS order (None for a column the sheet lacks), with
        # one C-level itemgetter call per row: -1 points at the None that pick() appends.
        getter = itemgetter(*[self.positions.get(c.key, -1) for c in COLUMNS])
        object.__setattr__(self, "_getter", getter)
        object.__setattr__(self, "_width", max(self.positions.values()) + 1)

    def pick(self, values: tuple) -> tuple:
        if len(values) < self._width:
            values = tuple(values) + (None,) * (self._width - len(values))
        return self._getter(values + (None,))

    def cell(self, key: str, row_number: int) -> str:
        return f"{get_column_letter(self.positions[key] + 1)}{row_number}"


def find_layout(rows) -> Layout:
    """Look for the header in the first rows: the first row with a 姓名 column is the header."""
    for row_number, values in enumerate(rows, start=1):
        if row_number > HEADER_SEARCH_ROWS:
            break
        keys = [_HEADER_LOOKUP.get(normalize_header(v)) for v in values or ()]
        if "name" not in keys:
            continue
        positions: dict[str, int] = {}
        for index, key in enumerate(keys):
            if key is None:
                continue
            if key in positions:
                raise ValidationError(
                    _("表头“%(label)s”出现了两次（%(first)s列和%(second)s列），请只保留一列")
                    % {"label": COLUMN_BY_KEY[key].label, "first": get_column_letter(positions[key] + 1),
                       "second": get_column_letter(index + 1)},
                    code="duplicate_header")
            positions[key] = index
        return Layout(header_row=row_number, positions=positions)
    raise ValidationError(
        _("没有找到“姓名”列：请使用名册模板，表头需在前%(n)d行内") % {"n": HEADER_SEARCH_ROWS}, code="no_header")
