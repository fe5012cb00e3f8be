"""Privacy in publication: the public text of a request is a redacted copy of what was written.
Mobile numbers, landlines, ID numbers and the person's name are masked automatically; for a minor
the village or school is hidden too. The reviewer sees the redacted preview and may edit it, and
whatever they publish is checked again: a name or number typed back in is refused."""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
ID_NUMBER = re.compile(r"(?<![\dA-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![\dA-Za-z])|(?<!\d)\d{15}(?!\d)")
LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[\s-]?(\d{7,8})(?!\d)")
PLACE_MASK = {"village": "某村", "school": "某学校"}


@dataclass(frozen=True)
class Identifiers:
    """What must not appear in a public text: names (full and given names) and, for a minor, the
    names of their village or school."""
    names: tuple[str, ...] = ()
    places: tuple[tuple[str, str], ...] = ()  # (name, mask)


def identifiers_for(appeal) -> Identifiers:
    names: list[str] = []
    for name in (getattr(appeal.person, "name", "") if appeal.person_id else "", appeal.subject_name):
        name = (name or "").strip()
        if len(name) >= 2 and name not in names:
            names.append(name)
    places = []
    if appeal.is_minor:
        node = appeal.node
        mask = PLACE_MASK.get(node.kind)
        if mask:
            places.append((node.name, mask))
    return Identifiers(names=tuple(names), places=tuple(places))


def _name_mask(name: str) -> str:
    # 单雄信 → 单某某, 张三 → 张某: the surname stays so the text still reads naturally.
    return name[0] + "某" * (len(name) - 1 if len(name) <= 3 else 2)


def _given_names(names) -> list[tuple[str, str]]:
    pairs = []
    for name in names:
        given = name[1:]
        if len(given) >= 2:
            pairs.append((given, "某" * len(given)))
    return pairs


def redact(text: str, ids: Identifiers) -> str:
    text = text or ""
    text = MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    text = ID_NUMBER.sub(lambda m: (m.group(1)[:6] + "*" * 8 + "****") if m.group(1) else "*" * 15, text)
    text = LANDLINE.sub(lambda m: f"{m.group(1)}-****", text)
    for name in sorted(ids.names, key=len, reverse=True):
        text = text.replace(name, _name_mask(name))
    for given, mask in _given_names(ids.names):
        text = text.replace(given, mask)
    for place, mask in ids.places:
        text = text.replace(place, mask)
    return text


def leaks(text: str, ids: Identifiers) -> list[str]:
    """What identifying details a text still holds, as labels a reviewer understands."""
    found = []
    text = text or ""
    if MOBILE.search(text):
        found.append(_("手机号"))
    if ID_NUMBER.search(text):
        found.append(_("身份证号"))
    if LANDLINE.search(text):
        found.append(_("电话号码"))
    if any(name in text for name in ids.names) or any(given in text for given, _m in _given_names(ids.names)):
        found.append(_("当事人姓名"))
    if any(place in text for place, _m in ids.places):
        found.append(_("未成年人所在村或学校"))
    return found
