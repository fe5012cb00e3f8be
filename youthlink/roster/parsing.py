"""One roster row in, one clean person (or the reasons it can't be imported) out.

Values are normalised the way people type them into Excel or WPS: full-width digits, spaces inside
numbers, a lowercase x check digit, +86 and dashes in mobiles, numbers stored as numbers, dates as
Excel dates or as text in half a dozen spellings. Pure functions, no database: the import service
batches the lookups."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from youthlink.core.identity import id_birth_date, validate_id_number, validate_mobile
from youthlink.people.models import Gender, Sector, Tag

from .columns import COLUMN_BY_KEY, COLUMNS, Layout

MAX_NAME_LENGTH = 50
MAX_NOTES_LENGTH = 2000

_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TAG_SPLIT = re.compile(r"[、,，;；|｜\s\u3000]+")
_TAG_WITH_SECTOR = re.compile(r"^(.+?)[（(](.*?)[）)]$")
_SPACE_NEAR_CJK = re.compile(r"\s+(?=[\u3400-\u9fff·])|(?<=[\u3400-\u9fff·])\s+")

GENDER_WORDS = {"男": Gender.MALE, "男性": Gender.MALE, "m": Gender.MALE, "male": Gender.MALE,
                "女": Gender.FEMALE, "女性": Gender.FEMALE, "f": Gender.FEMALE, "female": Gender.FEMALE}
TAG_SYNONYMS = {"共青团员": Tag.LEAGUE_MEMBER, "困难青年": Tag.HARDSHIP, "重点青年": Tag.KEY,
                "农村青年": Tag.RURAL, "务农青年": Tag.RURAL, "农村务农青年": Tag.RURAL,
                "青企协": Tag.ENTERPRISE_ASSOC, "青年创业导师": Tag.MENTOR, "在校学生": Tag.STUDENT}


@lru_cache(maxsize=1)
def tag_lookup() -> dict[str, str]:
    # The labels are the Chinese msgids: read them in Chinese whatever language the request uses.
    with translation.override("zh-hans"):
        lookup = {str(label): value for value, label in Tag.choices}
    lookup.update({value: value for value in Tag.values})
    lookup.update(TAG_SYNONYMS)
    return lookup


@lru_cache(maxsize=1)
def sector_lookup() -> dict[str, str]:
    with translation.override("zh-hans"):
        labels = {str(label): value for value, label in Sector.choices}
    lookup = dict(labels)
    lookup.update({label.removesuffix("界"): value for label, value in labels.items()})
    lookup.update({value: value for value in Sector.values})
    lookup["其他"] = Sector.OTHER
    return lookup


@lru_cache(maxsize=1)
def tag_labels_hint() -> str:
    with translation.override("zh-hans"):
        return "、".join(str(label) for label in Tag.labels)


@dataclass(slots=True)
class PersonRow:
    row_number: int
    name: str
    gender: str = Gender.UNKNOWN
    birth_date: dt.date | None = None
    mobile: str = ""
    id_number: str = ""
    tags: list[tuple[str, str]] = field(default_factory=list)
    health_notes: str = ""
    hardship_notes: str = ""
    # Lookup keys, filled in by the reader (see reading.with_keys).
    id_hash: str | None = None
    mobile_hash: str | None = None
    search_keys: str = ""


class RowErrors:
    """The reasons one row is rejected, each tied to its column and cell (e.g. 身份证号 E12)."""

    __slots__ = ("layout", "row_number", "items")

    def __init__(self, layout: Layout, row_number: int):
        self.layout = layout
        self.row_number = row_number
        self.items: list[dict] = []

    def add(self, key: str, message: str) -> None:
        cell = self.layout.cell(key, self.row_number) if key in self.layout.positions else ""
        self.items.append({"column": COLUMN_BY_KEY[key].label, "cell": cell, "message": str(message)})

    def __bool__(self) -> bool:
        return bool(self.items)


def display_value(value) -> str:
    """A cell as the user would read it, for the rejected-rows download."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d}" if value.time() == dt.time(0) else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def row_values(values: tuple, layout: Layout) -> list[str]:
    """The row's cells in template order, as text."""
    out = []
    for column in COLUMNS:
        index = layout.positions.get(column.key)
        out.append(display_value(values[index]) if index is not None and index < len(values) else "")
    return out


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _notes(value) -> str:
    # Free text is kept as typed (no NFKC: it would turn "，" into ",").
    return "" if value is None else display_value(value)


def clean_name(value) -> str:
    parts = _text(value).split()
    if len(parts) < 2:
        return parts[0] if parts else ""
    return _SPACE_NEAR_CJK.sub("", " ".join(parts))  # "张 三" → "张三"; "Ali Khan" keeps its space


def parse_gender(value) -> str | None:
    if value is None:
        return Gender.UNKNOWN
    text = _text(value).lower()
    if not text:
        return Gender.UNKNOWN
    return GENDER_WORDS.get(text)


def parse_date(value, today: dt.date) -> tuple[dt.date | None, str | None]:
    """(date, None) or (None, reason)."""
    if value is None or value == "":
        return None, None
    if isinstance(value, dt.datetime):
        born = value.date()
    elif isinstance(value, dt.date):
        born = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        number = int(value)
        if 19000101 <= number <= 29991231:
            return parse_date(str(number), today)
        if 1 <= value < 100000:  # an Excel serial date in a cell formatted as a number
            born = from_excel(value).date()
        else:
            return None, _("出生日期格式应为“2001-03-04”")
    else:
        text = _text(value)
        if not text:
            return None, None
        match = _DATE_TEXT.match(text) or _DATE_DIGITS.match(text)
        if not match:
            return None, _("出生日期格式应为“2001-03-04”")
        try:
            born = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None, _("出生日期不存在（%s）") % text
    if born > today:
        return None, _("出生日期不能晚于今天")
    if born.year < 1900:
        return None, _("出生日期早于1900年")
    return born, None


def parse_mobile(value) -> tuple[str, str | None]:
    if isinstance(value, float) and not value.is_integer():
        return "", _("手机号码应为11位，以1开头")
    if value is None or not _text(value):
        return "", None
    try:
        return validate_mobile(value), None
    except ValidationError as exc:
        return "", exc.messages[0]


def parse_id_number(value, today: dt.date) -> tuple[str, str | None]:
    if value is None:
        return "", None
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not numeric and not _text(value):
        return "", None
    try:
        return validate_id_number(value, today=today), None
    except ValidationError as exc:
        if numeric:
            # Excel keeps 15 significant digits: an 18-digit number typed into a number cell loses its tail.
            return "", _("身份证号码被Excel存成了数字，末几位已丢失：请把此列设为“文本”格式后重新填写")
        return "", exc.messages[0]


def parse_tags(tags_value, sector_value, problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    lookup, sectors = tag_lookup(), sector_lookup()
    found: dict[str, str] = {}
    for typed in _TAG_SPLIT.split(display_value(tags_value)):
        if not typed:
            continue
        token = unicodedata.normalize("NFKC", typed)  # full-width brackets and letters fold
        sector = ""
        match = _TAG_WITH_SECTOR.match(token)
        if match:
            token, sector_text = match[1], match[2].strip()
            sector = sectors.get(sector_text, "")
            if sector_text and not sector:
                problems.append(("tags", _("未知界别“%s”") % sector_text))
                continue
        tag = lookup.get(token)
        if tag is None:
            problems.append(("tags", _("未知标签“%(tag)s”（可填：%(choices)s）") % {"tag": typed, "choices": tag_labels_hint()}))
            continue
        if sector and tag != Tag.FEDERATION:
            problems.append(("tags", _("只有青联委员可以注明界别：“%s”") % typed))
            continue
        found[tag] = sector or found.get(tag, "")
    sector_text = _text(sector_value)
    if sector_text:
        sector = sectors.get(sector_text)
        if sector is None:
            problems.append(("sector", _("未知界别“%s”") % sector_text))
        elif Tag.FEDERATION not in found:
            problems.append(("sector", _("界别只用于青联委员：请在标签中加上“青联委员”，或清空界别")))
        elif found[Tag.FEDERATION] and found[Tag.FEDERATION] != sector:
            problems.append(("sector", _("界别与标签中注明的界别不一致")))
        else:
            found[Tag.FEDERATION] = sector
    return list(found.items())


def parse_row(values: tuple, layout: Layout, row_number: int,
              today: dt.date) -> tuple[PersonRow | None, RowErrors | None]:
    """(person, None) for a good row, (None, errors) for a bad one. Every problem of the row is
    reported, not just the first, so one round of fixing is enough."""
    (name_value, gender_value, birth_value, mobile_value, id_value, tags_value, sector_value,
     health_value, hardship_value) = layout.pick(values)
    problems: list[tuple[str, str]] = []
    name = clean_name(name_value)
    if not name:
        problems.append(("name", _("请填写姓名")))
    elif len(name) > MAX_NAME_LENGTH:
        problems.append(("name", _("姓名不能超过%d个字") % MAX_NAME_LENGTH))

    gender = parse_gender(gender_value)
    if gender is None:
        problems.append(("gender", _("性别应填“男”或“女”")))
    birth_date, problem = parse_date(birth_value, today)
    if problem:
        problems.append(("birth_date", problem))
    mobile, mobile_problem = parse_mobile(mobile_value)
    if mobile_problem:
        problems.append(("mobile", mobile_problem))
    id_number, id_problem = parse_id_number(id_value, today)
    if id_problem:
        problems.append(("id_number", id_problem))

    if id_number:
        born = id_birth_date(id_number)
        if birth_date and birth_date != born:
            problems.append(("birth_date", _("出生日期与身份证号码不一致（身份证号码中为%s）") % f"{born:%Y-%m-%d}"))
        birth_date = born
        from_id = Gender.MALE if int(id_number[16]) % 2 else Gender.FEMALE
        if gender and gender != Gender.UNKNOWN and gender != from_id:
            problems.append(("gender", _("性别与身份证号码不一致")))
        gender = from_id
    elif not mobile and not id_problem and not mobile_problem:
        problems.append(("id_number", _("身份证号码和手机号至少填写一项（用于识别是否已建档，避免重复）")))

    tags = parse_tags(tags_value, sector_value, problems) if tags_value or sector_value else []
    health = _notes(health_value)
    hardship = _notes(hardship_value)
    if len(health) > MAX_NOTES_LENGTH:
        problems.append(("health_notes", _("不能超过%d个字") % MAX_NOTES_LENGTH))
    if len(hardship) > MAX_NOTES_LENGTH:
        problems.append(("hardship_notes", _("不能超过%d个字") % MAX_NOTES_LENGTH))
    if problems:
        errors = RowErrors(layout, row_number)
        for key, message in problems:
            errors.add(key, message)
        return None, errors
    return PersonRow(row_number, name, gender, birth_date, mobile, id_number, tags, health, hardship), None


def is_blank(values: tuple) -> bool:
    for value in values:
        if value is not None and (not isinstance(value, str) or value.strip()):
            return False
    return True
