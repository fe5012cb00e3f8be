"""Pinyin keys for searching Chinese names: full pinyin and initials, with the surname read the way
surnames are read (单 shan, 曾 zeng, 解 xie, 区 ou …) and the everyday reading kept as well, so a
user who types either finds the person."""
from __future__ import annotations

from functools import lru_cache
from itertools import product

from pypinyin import Style, lazy_pinyin, pinyin

# Surname readings that differ from the character's most common reading.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "单": ("shan",), "曾": ("zeng",), "解": ("xie",), "区": ("ou",), "仇": ("qiu",), "朴": ("piao",),
    "查": ("zha",), "乐": ("yue", "le"), "覃": ("qin", "tan"), "盖": ("ge",), "缪": ("miao",),
    "翟": ("zhai",), "召": ("shao",), "牟": ("mou",), "秘": ("bi",), "种": ("chong",), "员": ("yun",),
    "繁": ("po",), "句": ("gou",), "尉": ("yu", "wei"), "长": ("zhang",), "重": ("chong",),
    "折": ("she",), "那": ("na",), "宁": ("ning",), "柏": ("bai",), "卜": ("bu",), "薄": ("bo",),
    "隗": ("wei",), "眭": ("sui",), "黑": ("he",), "阚": ("kan",), "能": ("nai",), "相": ("xiang",),
    "纪": ("ji",), "任": ("ren",), "华": ("hua",), "过": ("guo",), "沈": ("shen",), "贲": ("ben",),
}
COMPOUND_SURNAMES: dict[str, tuple[str, str]] = {
    "尉迟": ("yu", "chi"), "万俟": ("mo", "qi"), "长孙": ("zhang", "sun"), "单于": ("chan", "yu"),
    "澹台": ("tan", "tai"), "令狐": ("ling", "hu"), "欧阳": ("ou", "yang"), "司马": ("si", "ma"),
    "上官": ("shang", "guan"), "诸葛": ("zhu", "ge"), "皇甫": ("huang", "fu"), "东方": ("dong", "fang"),
}


@lru_cache(maxsize=20000)
def _char_readings(char: str) -> tuple[str, ...]:
    readings = lazy_pinyin(char, errors=lambda s: [s.lower()])
    return (readings[0].lower(),) if readings else (char,)


@lru_cache(maxsize=2000)
def _surname_char_readings(char: str) -> tuple[str, ...]:
    common = _char_readings(char)
    special = SURNAME_READINGS.get(char, ())
    return tuple(dict.fromkeys(special + common))


def name_syllable_options(name: str) -> list[tuple[str, ...]]:
    """One tuple of possible readings per character (several for a polyphonic surname)."""
    name = "".join(name.split())
    if not name:
        return []
    for compound, readings in COMPOUND_SURNAMES.items():
        if name.startswith(compound):
            head = [(readings[0],), (readings[1],)]
            return head + [_char_readings(c) for c in name[len(compound):]]
    return [_surname_char_readings(name[0])] + [_char_readings(c) for c in name[1:]]


def search_keys(name: str, *, limit: int = 4) -> str:
    """A space-separated, space-delimited string of every full-pinyin and initials variant,
    e.g. " zhangsanfeng zsf " — searched with LIKE '% <typed>%' for prefix matches."""
    options = name_syllable_options(name)
    if not options:
        return ""
    keys: list[str] = []
    for combo in list(product(*options))[:limit]:
        keys.append("".join(combo))
        keys.append("".join(s[0] for s in combo if s))
    return " " + " ".join(dict.fromkeys(keys)) + " "


def to_pinyin(text: str) -> str:
    return "".join(p[0] for p in pinyin(text, style=Style.NORMAL))
