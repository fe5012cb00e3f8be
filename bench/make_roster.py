"""Write a realistic county roster (.xlsx) for the roster-import benchmark.

75,215 rows (Taishun's "young people linked" figure) in the shape a county committee keeps them:
a title row, synonym headers (身份证号码 / 联系电话), mobiles typed every which way (+86-, spaces,
full-width digits, numbers stored as numbers), a lowercase x check digit, dates as Excel dates or as
text, and ~3% rows with one realistic defect each. Deterministic for a given --seed. A JSON file
beside the workbook records exactly how many rows of each kind it holds, so the benchmark can
check the import's counts.

    .venv/bin/python bench/make_roster.py [--rows 75215] [--out bench/out/roster_75215.xlsx]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from faker import Faker  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from youthlink.core.identity import id_check_digit  # noqa: E402  (pure Python, no Django needed)

HEADERS = ["姓名", "性别", "出生日期", "联系电话", "身份证号码", "标签", "界别", "健康情况", "困难情况"]
AREAS = ["330329"] * 12 + ["330327", "330328", "330381", "330382", "330303", "331102", "331125", "350981"]
TAG_CHOICES = ["团员", "学生", "困难青少年", "重点青少年", "创业青年", "农村/务农青年", "青企协会员",
               "创业导师", "本土能人"]
SECTORS = ["农业界", "企业管理界", "科学技术界", "教育界", "医药卫生界", "文化艺术界"]
HEALTH = ["进行性肌营养不良，卧床", "先天性心脏病，术后恢复中", "听力残疾二级", "抑郁症，正在治疗",
          "白血病，化疗中", "肢体残疾三级"]
HARDSHIP = ["父母双亡，靠奶奶抚养", "单亲家庭，母亲务农，年收入不足2万元", "父亲重病，家庭负债",
            "留守儿童，父母在外务工", "低保户", "孤儿，由叔叔监护"]
# One defect per bad row, so the expected result of the import is exact.
BAD_KINDS = ["bad_check_digit", "impossible_id_date", "impossible_birth_date", "mobile_10_digits",
             "missing_name", "duplicate_id", "duplicate_mobile", "birth_date_mismatch", "unknown_tag"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def make_id(rng: random.Random, born: dt.date, male: bool) -> str:
    serial = rng.randint(0, 99) * 10 + rng.choice([1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8])
    first17 = f"{rng.choice(AREAS)}{born:%Y%m%d}{serial:03d}"
    return first17 + id_check_digit(first17)


def messy_id(rng: random.Random, number: str):
    roll = rng.random()
    if number.endswith("X") and roll < 0.5:
        return number[:-1] + "x"
    if roll < 0.05:
        return number.translate(FULL_WIDTH)
    if roll < 0.08:
        return f"{number[:6]} {number[6:14]} {number[14:]}"
    if roll < 0.10:
        return f" {number} "
    return number


def messy_mobile(rng: random.Random, mobile: str):
    roll = rng.random()
    if roll < 0.55:
        return int(mobile)  # typed into a number-formatted cell
    if roll < 0.75:
        return mobile
    if roll < 0.81:
        return f"+86-{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}"
    if roll < 0.87:
        return f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"
    if roll < 0.93:
        return mobile.translate(FULL_WIDTH)
    return f"86{mobile}"


def messy_date(rng: random.Random, born: dt.date):
    roll = rng.random()
    if roll < 0.5:
        return dt.datetime(born.year, born.month, born.day)
    if roll < 0.65:
        return f"{born.year}-{born.month:02d}-{born.day:02d}"
    if roll < 0.75:
        return f"{born.year}/{born.month}/{born.day}"
    if roll < 0.85:
        return f"{born.year}年{born.month}月{born.day}日"
    return f"{born:%Y%m%d}"


def build(rows: int, seed: int):
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    start, span = dt.date(1990, 1, 1), (dt.date(2015, 12, 31) - dt.date(1990, 1, 1)).days
    used_ids: set[str] = set()
    used_mobiles: set[str] = set()
    good_ids: list[str] = []
    good_mobiles: list[str] = []
    bad_rows = set(rng.sample(range(200, rows), round(rows * 0.03)))
    kinds: Counter = Counter()
    out = []
    for index in range(rows):
        kind = BAD_KINDS[sum(kinds.values()) % len(BAD_KINDS)] if index in bad_rows else "good"
        if kind != "good":
            kinds[kind] += 1
        born = start + dt.timedelta(days=rng.randrange(span))
        male = rng.random() < 0.52
        number = make_id(rng, born, male)
        while number in used_ids:
            number = make_id(rng, born, male)
        mobile = fake.phone_number()
        while mobile in used_mobiles or len(mobile) != 11:
            mobile = fake.phone_number()
        has_id, has_mobile = rng.random() > 0.10, rng.random() > 0.06
        if not has_id and not has_mobile:
            has_mobile = True
        name = fake.name()
        if rng.random() < 0.02:
            name = f"{name[0]} {name[1:]}"
        tags = ""
        sector = ""
        if rng.random() < 0.35:
            picked = rng.sample(TAG_CHOICES, rng.choice([1, 1, 2]))
            if rng.random() < 0.05:
                if rng.random() < 0.5:
                    picked.append(f"青联委员（{rng.choice(SECTORS)}）")
                else:
                    picked.append("青联委员")
                    sector = rng.choice(SECTORS)
            tags = rng.choice(["、", "，", ",", ";"]).join(picked)
        row = {
            "姓名": name,
            "性别": ("男" if male else "女") if rng.random() < 0.7 else None,
            "出生日期": messy_date(rng, born) if rng.random() < 0.7 else None,
            "联系电话": messy_mobile(rng, mobile) if has_mobile else None,
            "身份证号码": messy_id(rng, number) if has_id else None,
            "标签": tags or None,
            "界别": sector or None,
            "健康情况": rng.choice(HEALTH) if rng.random() < 0.04 else None,
            "困难情况": rng.choice(HARDSHIP) if rng.random() < 0.08 else None,
        }
        if kind == "bad_check_digit":
            wrong = rng.choice([c for c in "0123456789X" if c != number[17]])
            row["身份证号码"] = number[:17] + wrong
        elif kind == "impossible_id_date":
            first17 = f"330329{born.year}0230{rng.randint(100, 999)}"
            row["身份证号码"] = first17 + id_check_digit(first17)
        elif kind == "impossible_birth_date":
            row["出生日期"] = f"{born.year}-02-30"
        elif kind == "mobile_10_digits":
            row["联系电话"] = mobile[:10]
        elif kind == "missing_name":
            row["姓名"] = None
        elif kind == "duplicate_id":
            row["身份证号码"] = rng.choice(good_ids)
            row["联系电话"] = mobile
            row["出生日期"] = row["性别"] = None
        elif kind == "duplicate_mobile":
            row["联系电话"] = rng.choice(good_mobiles)
            row["身份证号码"] = None
        elif kind == "birth_date_mismatch":
            row["身份证号码"] = number
            row["出生日期"] = f"{born + dt.timedelta(days=rng.randint(1, 300)):%Y-%m-%d}"
        elif kind == "unknown_tag":
            row["标签"] = "团员、优秀青年"
        if kind == "good":
            if has_id:
                used_ids.add(number)
                good_ids.append(number)
            if has_mobile:
                used_mobiles.add(mobile)
                good_mobiles.append(mobile)
        out.append([row[h] for h in HEADERS])
    return out, kinds


def write(path: Path, data, title: str) -> None:
    # A normal (not write-only) workbook, like one saved from Excel or WPS: shared strings, a
    # <dimension>, number formats on date cells.
    wb = Workbook()
    ws = wb.active
    ws.title = "名册"
    ws.append([title])
    ws.append(HEADERS)
    for row in data:
        ws.append(row)
    for cell in ws["C"][2:]:
        if isinstance(cell.value, dt.datetime):
            cell.number_format = "yyyy-mm-dd"
    wb.save(path)
    to_shared_strings(path)


_INLINE = re.compile(r'<c r="([A-Z]+\d+)"((?: s="\d+")?) t="inlineStr"><is><t(?: [^>]*)?>(.*?)</t></is></c>', re.S)


def to_shared_strings(path: Path) -> None:
    """openpyxl writes every text cell inline; Excel and WPS keep text in a shared-strings table and
    cells point into it. Rewrite the file the way Excel would save it, so the benchmark reads what
    a county actually uploads."""
    with zipfile.ZipFile(path) as src:
        members = {info.filename: src.read(info) for info in src.infolist()}
    strings: dict[str, int] = {}
    total = 0

    def shared(match):
        nonlocal total
        total += 1
        index = strings.setdefault(match[3], len(strings))
        return f'<c r="{match[1]}"{match[2]} t="s"><v>{index}</v></c>'

    sheet = "xl/worksheets/sheet1.xml"
    members[sheet] = _INLINE.sub(shared, members[sheet].decode("utf-8")).encode("utf-8")
    table = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in strings)
    members["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{total}" '
        f'uniqueCount="{len(strings)}">{table}</sst>').encode("utf-8")
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                     b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdSharedStrings" Type="http://schemas.openxmlformats.org/'
                             b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                             b"</Relationships>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(name, data)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=75215)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "roster_75215.xlsx")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    data, kinds = build(args.rows, args.seed)
    write(args.out, data, "泰顺县团员青年名册（2026年）")
    bad = sum(kinds.values())
    expected = {"rows": args.rows, "good": args.rows - bad, "bad": bad, "bad_by_kind": dict(sorted(kinds.items())),
                "header_row": 2, "seed": args.seed}
    args.out.with_suffix(".json").write_text(json.dumps(expected, ensure_ascii=False, indent=2))
    print(f"{args.out} ({args.out.stat().st_size / 1e6:.1f} MB): {args.rows} rows, {bad} bad "
          f"({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
